import Papa from 'papaparse';
import { neutraliseFormula } from '../export/columns';
import { MAX_TAGS_PER_KEY, splitTags, tagSchema } from './tags';

/**
 * The key → tag mapping as CSV (RFC 4180, comma-separated, UTF-8), for editing in a spreadsheet
 * and bringing back. Columns: org_id, organisation, api_key_id, key_name, redacted_key, tags
 * (several tags in one cell separated by ";"). On import only api_key_id and tags are required
 * (org_id, when present, must match); the other columns are for people and are ignored.
 *
 * Import is all or nothing: any malformed line rejects the whole file, each problem with its line
 * number, and nothing is applied.
 */

export const TAG_CSV_COLUMNS = ['org_id', 'organisation', 'api_key_id', 'key_name', 'redacted_key', 'tags'] as const;

export interface TagCsvKey {
  orgId: string;
  orgLabel: string;
  apiKeyId: string;
  name: string;
  redactedValue: string;
  tags: readonly string[];
}

/** Every key with its tags (untagged keys too, so the file is a complete list to fill in). */
export function tagsToCsv(keys: readonly TagCsvKey[]): string {
  const rows = [...keys]
    .filter((k) => k.apiKeyId !== '')
    .sort((a, b) => a.orgLabel.localeCompare(b.orgLabel) || a.name.localeCompare(b.name) || a.apiKeyId.localeCompare(b.apiKeyId))
    .map((k) => [k.orgId, k.orgLabel, k.apiKeyId, k.name, k.redactedValue, k.tags.join('; ')].map((v) => neutraliseFormula(v)));
  return `${Papa.unparse({ fields: [...TAG_CSV_COLUMNS], data: rows }, { newline: '\r\n' })}\r\n`;
}

export interface TagImportEntry {
  orgId: string;
  apiKeyId: string;
  tags: string[];
}

export interface TagImportError {
  /** 1-based line of the file where the offending record starts. */
  line: number;
  message: string;
}

export type TagImportResult = { ok: true; entries: TagImportEntry[] } | { ok: false; errors: TagImportError[] };

/** Errors reported at most (a file that is wrong everywhere is wrong enough). */
export const MAX_REPORTED_ERRORS = 20;
export const MAX_IMPORT_ROWS = 20_000;

/**
 * Parses and checks a tag CSV against the keys Keymeter knows. Pure.
 * `known`: every key of the connected organisations (deleted ones included).
 */
export function parseTagCsv(text: string, known: ReadonlyArray<{ orgId: string; apiKeyId: string }>): TagImportResult {
  const errors: TagImportError[] = [];
  const fail = (line: number, message: string) => {
    if (errors.length < MAX_REPORTED_ERRORS) errors.push({ line, message });
  };
  const source = text.replace(/^\uFEFF/, '');
  if (source.trim() === '') return { ok: false, errors: [{ line: 1, message: 'The file is empty.' }] };

  // Parse record by record, noting where each starts, so a problem can be given its line.
  const records: Array<{ line: number; fields: string[]; parseErrors: string[] }> = [];
  const lineAt = lineCounter(source);
  let start = 0;
  Papa.parse<string[]>(source, {
    delimiter: ',',
    step: (result) => {
      const line = lineAt(start);
      start = result.meta.cursor;
      records.push({ line, fields: result.data, parseErrors: result.errors.map((e) => e.message) });
    },
  });
  const nonEmpty = records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === '') || r.parseErrors.length > 0);
  const [header, ...rows] = nonEmpty;
  if (!header) return { ok: false, errors: [{ line: 1, message: 'The file is empty.' }] };

  const names = header.fields.map((f) => f.trim().toLowerCase());
  const column = (name: string) => names.indexOf(name);
  const idCol = column('api_key_id');
  const tagsCol = column('tags');
  const orgCol = column('org_id');
  if (idCol < 0 || tagsCol < 0) {
    const missing = [idCol < 0 ? 'api_key_id' : null, tagsCol < 0 ? 'tags' : null].filter(Boolean).join(' and ');
    return {
      ok: false,
      errors: [{ line: header.line, message: `The header has no ${missing} column (expected: ${TAG_CSV_COLUMNS.join(', ')}).` }],
    };
  }
  if (rows.length > MAX_IMPORT_ROWS)
    return { ok: false, errors: [{ line: header.line, message: `The file has more than ${MAX_IMPORT_ROWS} rows.` }] };

  const orgsOf = new Map<string, string[]>();
  for (const k of known) orgsOf.set(k.apiKeyId, [...(orgsOf.get(k.apiKeyId) ?? []), k.orgId]);
  const seen = new Map<string, number>();
  const entries: TagImportEntry[] = [];

  for (const row of rows) {
    if (row.parseErrors.length > 0) {
      fail(row.line, `Not valid CSV: ${row.parseErrors[0]}.`);
      continue;
    }
    if (row.fields.length !== header.fields.length) {
      fail(row.line, `Expected ${header.fields.length} fields as in the header, found ${row.fields.length}.`);
      continue;
    }
    const apiKeyId = row.fields[idCol]!.trim();
    const orgId = orgCol >= 0 ? row.fields[orgCol]!.trim() : '';
    if (apiKeyId === '') {
      fail(row.line, 'The api_key_id is empty.');
      continue;
    }
    const orgs = orgsOf.get(apiKeyId) ?? [];
    const candidates = orgId ? orgs.filter((o) => o === orgId) : orgs;
    if (orgs.length === 0) {
      fail(row.line, `Unknown API key id "${shorten(apiKeyId)}": Keymeter has no key with this id in a connected organisation.`);
      continue;
    }
    if (candidates.length === 0) {
      fail(row.line, `The key "${shorten(apiKeyId)}" does not belong to organisation "${shorten(orgId)}".`);
      continue;
    }
    if (candidates.length > 1) {
      fail(row.line, `The key "${shorten(apiKeyId)}" is in several organisations: fill in org_id.`);
      continue;
    }
    const resolvedOrg = candidates[0]!;
    const ref = `${resolvedOrg}|${apiKeyId}`;
    const earlier = seen.get(ref);
    if (earlier !== undefined) {
      fail(row.line, `The key "${shorten(apiKeyId)}" is listed twice (first on line ${earlier}).`);
      continue;
    }
    seen.set(ref, row.line);

    const raw = row.fields[tagsCol]!.split(';')
      .map((t) => t.trim())
      .filter((t) => t !== '');
    const bad = raw.map((t) => ({ t, parsed: tagSchema.safeParse(t) })).find((r) => !r.parsed.success);
    if (bad && !bad.parsed.success) {
      fail(row.line, `Tag "${shorten(bad.t)}": ${bad.parsed.error.issues[0]?.message ?? 'not a valid tag'}.`);
      continue;
    }
    const tags = splitTags(raw.join(';'));
    if (tags.length > MAX_TAGS_PER_KEY) {
      fail(row.line, `A key has at most ${MAX_TAGS_PER_KEY} tags; this line has ${tags.length}.`);
      continue;
    }
    entries.push({ orgId: resolvedOrg, apiKeyId, tags });
  }
  if (errors.length > 0) return { ok: false, errors };
  if (entries.length === 0) return { ok: false, errors: [{ line: header.line + 1, message: 'The file has a header but no keys.' }] };
  return { ok: true, entries };
}

/** "line 4: …; line 9: …" */
export function describeImportErrors(errors: readonly TagImportError[]): string {
  return errors.map((e) => `line ${e.line}: ${e.message}`).join('\n');
}

const shorten = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);

/** offset → 1-based line number, for increasing offsets (one pass over the text overall). */
function lineCounter(text: string): (offset: number) => number {
  let position = 0;
  let line = 1;
  return (offset) => {
    for (; position < offset && position < text.length; position++) {
      if (text[position] === '\n') line++;
      // A lone CR (old Mac files) ends a line too.
      else if (text[position] === '\r' && text[position + 1] !== '\n') line++;
    }
    return line;
  };
}
