// @vitest-environment node
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import readXlsxFile from 'read-excel-file/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neutraliseFormula, TOTAL_LABEL } from '@/lib/export/columns';
import { buildExportDataset, wholeDays } from '@/lib/export/dataset';
import { buildExportFile } from '@/lib/export/index';
import { parseExportJson } from '@/lib/export/json';
import type { ExportFormat, ExportGrouping } from '@/lib/export/types';
import { HistoryDB } from '@/lib/history/db';
import { parseMicros } from '@/lib/money';
import { createAdminClient } from '@/lib/openai/client';
import { USAGE_ENDPOINTS } from '@/lib/openai/schemas';
import { DAY } from '@/lib/sync/plan';
import { runSync } from '@/lib/sync/run';
import { createMockApi } from '../../sim/api/index';
import { mockFetch } from '../../sim/fetch-adapter';
import { createOrg, DEMO_ADMIN_KEY, expectedKeyTotals, ORG_NAME, usageRows, utcDay } from '../../sim/seed';
import { parseCsv } from './fixtures';

const NOW = utcDay('2026-01-20') + 12 * 3600; // midday: today is partial
const TODAY = utcDay('2026-01-20');
const ORG = { id: 'org1', label: ORG_NAME };
const GENERATED_AT = NOW * 1000;

let db: HistoryDB;
let api: ReturnType<typeof createMockApi>;

beforeAll(async () => {
  api = createMockApi(createOrg(), { now: () => NOW });
  db = new HistoryDB(`export-${Math.random()}`);
  const client = createAdminClient({ apiKey: DEMO_ADMIN_KEY, fetch: mockFetch(api), sleep: async () => {}, maxAttempts: 2 });
  expect(await runSync({ db, client, orgId: ORG.id, now: NOW, backfillDays: 90 })).toMatchObject({ status: 'done' });
}, 60_000);

afterAll(async () => {
  db.close();
  await Dexie.delete(db.name);
});

interface KeySums {
  requests: number;
  input: number;
  cached: number;
  output: number;
  billedMicros: number;
}
const zero = (): KeySums => ({ requests: 0, input: 0, cached: 0, output: 0, billedMicros: 0 });

/**
 * What the seed implies per key for whole days in [from, to). expectedKeyTotals counts completions
 * tokens and requests; Keymeter's input tokens add embeddings and moderations input, and its request
 * counts add every endpoint's model requests (file-search calls count their calls).
 */
function truth(from: number, to: number): Map<string, KeySums> {
  const byKey = new Map<string, KeySums>();
  const get = (id: string | null) => {
    const key = id ?? '';
    if (!byKey.has(key)) byKey.set(key, zero());
    return byKey.get(key)!;
  };
  for (const t of expectedKeyTotals(api.org, from, to)) {
    Object.assign(get(t.api_key_id), {
      requests: t.requests,
      input: t.input_tokens,
      cached: t.cached_tokens,
      output: t.output_tokens,
      billedMicros: parseMicros(t.cost),
    });
  }
  for (const endpoint of USAGE_ENDPOINTS) {
    if (endpoint === 'completions') continue;
    for (const row of usageRows(api.org, endpoint, from, to)) {
      const entry = get(row.api_key_id);
      entry.requests += row.metrics.num_model_requests ?? (endpoint === 'file_search_calls' ? (row.metrics.num_requests ?? 0) : 0);
      if (endpoint === 'embeddings' || endpoint === 'moderations') entry.input += row.metrics.input_tokens ?? 0;
    }
  }
  return byKey;
}

type Parsed = { keyId: string; requests: number; input: number; cached: number; output: number; billedMicros: number | null };

/** Reads an exported file with a real reader (papaparse, read-excel-file, the zod schema) into per-row numbers. */
async function readBack(format: ExportFormat, bytes: Uint8Array, sheet: string): Promise<Parsed[]> {
  if (format === 'csv') {
    return parseCsv(bytes)
      .rows.filter((r) => r.Organisation !== TOTAL_LABEL)
      .map((r) => ({
        keyId: r['Key ID'] ?? '',
        requests: Number(r.Requests),
        input: Number(r['Input tokens']),
        cached: Number(r['Cached input tokens']),
        output: Number(r['Output tokens']),
        billedMicros: r['Billed cost'] ? parseMicros(r['Billed cost']) : null,
      }));
  }
  if (format === 'xlsx') {
    const sheets = await readXlsxFile(Buffer.from(bytes));
    const [header, ...rows] = sheets.find((s) => s.sheet === sheet)!.data as unknown as Array<Array<string | number | null>>;
    const col = (name: string) => header!.indexOf(name);
    return rows
      .filter((r) => r[0] !== TOTAL_LABEL)
      .map((r) => ({
        keyId: (r[col('Key ID')] as string | null) ?? '',
        requests: r[col('Requests')] as number,
        input: r[col('Input tokens')] as number,
        cached: r[col('Cached input tokens')] as number,
        output: r[col('Output tokens')] as number,
        billedMicros: r[col('Billed cost')] === null ? null : Math.round((r[col('Billed cost')] as number) * 1e6),
      }));
  }
  return parseExportJson(new TextDecoder().decode(bytes)).table.rows.map((r) => ({
    keyId: r.apiKeyId,
    requests: r.requests,
    input: r.inputTokens,
    cached: r.cachedTokens,
    output: r.outputTokens,
    billedMicros: r.billedCost === null ? null : parseMicros(r.billedCost),
  }));
}

function sumPerKey(rows: Parsed[]): Map<string, KeySums> {
  const byKey = new Map<string, KeySums>();
  for (const row of rows) {
    const sums = byKey.get(row.keyId) ?? zero();
    sums.requests += row.requests;
    sums.input += row.input;
    sums.cached += row.cached;
    sums.output += row.output;
    sums.billedMicros += row.billedMicros ?? 0;
    byKey.set(row.keyId, sums);
  }
  return byKey;
}

function expectMatchesSeed(ours: Map<string, KeySums>, expected: Map<string, KeySums>) {
  expect(expected.size).toBeGreaterThan(10);
  for (const [keyId, want] of expected) {
    const got = ours.get(keyId);
    expect(got, `key ${keyId || '(untracked)'}`).toBeDefined();
    expect({ requests: got!.requests, input: got!.input, cached: got!.cached, output: got!.output }, `key ${keyId}`).toEqual({
      requests: want.requests,
      input: want.input,
      cached: want.cached,
      output: want.output,
    });
    // Each stored amount is rounded to the micro-dollar: totals agree to well under a cent.
    expect(Math.abs(got!.billedMicros - want.billedMicros), `billed of ${keyId}`).toBeLessThan(5_000);
  }
  for (const [keyId, got] of ours) {
    if (!expected.has(keyId)) expect(got, `key ${keyId} is not in the seed`).toEqual(zero());
  }
}

const SHEETS: Record<ExportGrouping, string> = {
  key: 'By key',
  'key-model': 'By key × model',
  project: 'By project',
  tag: 'By cost center',
  'day-key': 'By day × key',
};

describe('export dataset from a real sync against the mock Admin API', { timeout: 60_000 }, () => {
  const from = TODAY - 89 * DAY;
  const to = TODAY; // whole days only: the seed's ground truth is per whole day

  it.each(['csv', 'xlsx', 'json'] as const)(
    'per-key totals in the %s file equal the seed (tokens exactly, billed to the cent)',
    async (format) => {
      const dataset = await buildExportDataset(db, { orgs: [ORG], from, to, grouping: 'key', generatedAt: GENERATED_AT });
      const file = await buildExportFile(dataset, format);
      expect(file.filename).toBe(`keymeter_acme-robotics_2025-10-23_2026-01-19_key.${format}`);
      const rows = await readBack(format, file.bytes, SHEETS.key);
      const keyed = rows.filter((r) => r.keyId !== '');
      expect(new Set(keyed.map((r) => r.keyId)).size).toBe(keyed.length); // one row per key (untracked: one per project)
      expectMatchesSeed(sumPerKey(rows), truth(from, to));
    },
  );

  it.each([
    ['key-model', 'csv'],
    ['day-key', 'xlsx'],
    ['key-model', 'json'],
  ] as const)('grouping %s (%s) sums per key to the seed too', async (grouping, format) => {
    const dataset = await buildExportDataset(db, { orgs: [ORG], from, to, grouping, generatedAt: GENERATED_AT });
    const rows = await readBack(format, (await buildExportFile(dataset, format)).bytes, SHEETS[grouping]);
    expectMatchesSeed(sumPerKey(rows), truth(from, to));
  });

  it.each(['project', 'tag'] as const)('grouping %s adds up to the same overall totals', async (grouping) => {
    const tagsByKey = { [api.org.keys[0]!.id]: ['cc-100'], [api.org.keys[1]!.id]: ['cc-200', 'cc-100'] };
    const dataset = await buildExportDataset(db, { orgs: [ORG], from, to, grouping, tagsByKey, generatedAt: GENERATED_AT });
    const rows = await readBack('csv', (await buildExportFile(dataset, 'csv')).bytes, SHEETS[grouping]);
    const all = [...sumPerKey(rows).values()][0]!; // these rows have no key id: all in one bucket
    const expected = [...truth(from, to).values()].reduce((s, t) => ({
      requests: s.requests + t.requests,
      input: s.input + t.input,
      cached: s.cached + t.cached,
      output: s.output + t.output,
      billedMicros: s.billedMicros + t.billedMicros,
    }));
    expect({ ...all, billedMicros: 0 }).toEqual({ ...expected, billedMicros: 0 });
    expect(Math.abs(all.billedMicros - expected.billedMicros)).toBeLessThan(5_000 * 50);
    if (grouping === 'tag') expect(dataset.rows.map((r) => r.costCenter)).toEqual(['cc-100', 'cc-100 + cc-200', 'untagged']);
  });

  it('a range inside the history, given off day boundaries, is widened to whole UTC days', async () => {
    const sub = { from: TODAY - 40 * DAY + 3600, to: TODAY - 10 * DAY - 60 };
    expect(wholeDays(sub.from, sub.to)).toEqual({ from: TODAY - 40 * DAY, to: TODAY - 10 * DAY });
    const dataset = await buildExportDataset(db, { orgs: [ORG], ...sub, grouping: 'key', generatedAt: GENERATED_AT });
    const rows = await readBack('json', (await buildExportFile(dataset, 'json')).bytes, SHEETS.key);
    expectMatchesSeed(sumPerKey(rows), truth(TODAY - 40 * DAY, TODAY - 10 * DAY));
  });

  it('an organisation that never synced exports an empty table and says so', async () => {
    const dataset = await buildExportDataset(db, {
      orgs: [{ id: 'org-new', label: 'New org' }],
      from,
      to,
      grouping: 'key',
      generatedAt: GENERATED_AT,
    });
    expect(dataset.rows).toEqual([]);
    expect(dataset.about.notes.some((n) => n.includes('never synced'))).toBe(true);
  });
  // Last: it deletes a key in the mock and syncs again.
  it('deleted keys keep their names; usage without a key is "untracked usage"', async () => {
    const victim = api.org.keys.find((k) => k.deleted_at === null && !k.legacy && truth(from, to).has(k.id))!;
    victim.deleted_at = NOW;
    const client = createAdminClient({ apiKey: DEMO_ADMIN_KEY, fetch: mockFetch(api), sleep: async () => {}, maxAttempts: 2 });
    await runSync({ db, client, orgId: ORG.id, now: NOW + 600, backfillDays: 90 }, { force: true });

    const dataset = await buildExportDataset(db, { orgs: [ORG], from, to, grouping: 'key', generatedAt: GENERATED_AT });
    expect(dataset.rows.find((r) => r.apiKeyId === victim.id)).toMatchObject({ keyName: victim.name, status: 'deleted' });
    const { rows } = parseCsv((await buildExportFile(dataset, 'csv')).bytes);
    expect(rows.find((r) => r['Key ID'] === victim.id)).toMatchObject({ 'Key name': neutraliseFormula(victim.name), Status: '(deleted)' });
    // The seed's hostile key name reaches the file neutralised; its numbers stay numbers.
    const hostile = rows.find((r) => r['Key name']?.includes('HYPERLINK'));
    expect(hostile?.['Key name']).toBe(`'=HYPERLINK("x")`);
    expect(hostile?.['Input tokens']).toMatch(/^\d+$/);
    const untracked = rows.filter((r) => r['Key ID'] === '' && r.Organisation !== TOTAL_LABEL);
    expect(untracked.length).toBeGreaterThan(0);
    for (const row of untracked) expect(row).toMatchObject({ 'Key name': 'Untracked usage', Status: 'untracked usage' });
    const active = dataset.rows.find((r) => r.status === 'active')!;
    expect(active.redactedKey).toMatch(/^sk-/);
    expect(active.projectName).not.toBe(active.projectId);
  });
});
