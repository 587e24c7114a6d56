import type { KeyTableRow } from '../history/key-table';
import { getOrCreate } from '../map-utils';

/** What the page shows of a row, enough to find its key. */
export interface RowIdentity {
  label: string;
  suffix: string;
  project: string;
  untracked: boolean;
}

export type RowMatch =
  | { status: 'matched'; key: KeyTableRow }
  | { status: 'ambiguous'; reason: string; candidates: KeyTableRow[] }
  | { status: 'unmatched'; reason: string };

const suffixOf = (redacted: string) => redacted.slice(-4);
const fold = (text: string) => text.trim().toLowerCase();
const same = (a: string, b: string) => fold(a) === fold(b);

/**
 * Finds the key behind each "Top API keys" row: by the redacted suffix when the row shows it,
 * else by name (and project where shown). Two keys that nothing on the page tells apart are
 * "ambiguous", never a guess. The keys are indexed once by suffix and by name, so a table of n
 * rows over n keys costs n look-ups, not n² comparisons (a 2,000-key org).
 */
export function rowMatcher(keys: readonly KeyTableRow[]): (row: RowIdentity) => RowMatch {
  const untracked = keys.find((k) => k.apiKeyId === '');
  const bySuffix = new Map<string, KeyTableRow[]>();
  const byName = new Map<string, KeyTableRow[]>();
  const add = (map: Map<string, KeyTableRow[]>, at: string, key: KeyTableRow) => getOrCreate(map, at, () => []).push(key);
  for (const k of keys) {
    if (k.redactedValue) add(bySuffix, suffixOf(k.redactedValue), k);
    if (k.apiKeyId !== '') add(byName, fold(k.name), k);
  }
  return (row) => {
    if (row.untracked) {
      return untracked
        ? { status: 'matched', key: untracked }
        : { status: 'unmatched', reason: 'No usage without a key was recorded for this range.' };
    }
    if (row.suffix) {
      let candidates = bySuffix.get(row.suffix) ?? [];
      if (candidates.length > 1) candidates = candidates.filter((k) => same(k.name, row.label));
      if (candidates.length === 1) return { status: 'matched', key: candidates[0]! };
      if (candidates.length > 1) return ambiguous(row, candidates);
      return {
        status: 'unmatched',
        reason: `No key ending in ${row.suffix} is in the Admin API's key lists: it is a legacy user key (the API does not list those) or a key deleted before Keymeter's first sync, so Keymeter cannot tell its tokens.`,
      };
    }
    let candidates = byName.get(fold(row.label)) ?? [];
    if (row.project && candidates.length > 1) candidates = candidates.filter((k) => same(k.projectName, row.project));
    if (candidates.length === 1) return { status: 'matched', key: candidates[0]! };
    if (candidates.length > 1) return ambiguous(row, candidates);
    return {
      status: 'unmatched',
      reason: `No key named “${row.label}”${row.project ? ` in ${row.project}` : ''} is in the Admin API's key lists.`,
    };
  };
}

function ambiguous(row: RowIdentity, candidates: KeyTableRow[]): RowMatch {
  const where = row.project ? ` in ${row.project}` : '';
  return {
    status: 'ambiguous',
    candidates,
    reason: `${candidates.length} keys are named “${row.label}”${where} and this view shows nothing else to tell them apart (${candidates
      .map((k) => k.redactedValue || k.apiKeyId)
      .join(', ')}). Keymeter does not guess.`,
  };
}
