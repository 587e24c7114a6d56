import type { HistoryDB } from './db';
import { emptyTotals, type KeyTotals, keyTotals } from './queries';

export interface KeyTableRow {
  orgId: string;
  /** '' = usage without a key (legacy keys with tracking off). */
  apiKeyId: string;
  name: string;
  redactedValue: string;
  projectId: string;
  projectName: string;
  ownerName: string;
  deleted: boolean;
  createdAt: number | null;
  lastUsedAt: number | null;
  current: KeyTotals;
  previous: KeyTotals;
}

/**
 * Every known key of the organisation with its totals for [from, to) and for the period of the
 * same length just before; keys without usage are included so the page's rows can be matched.
 */
export async function keyTable(db: HistoryDB, orgId: string, from: number, to: number): Promise<KeyTableRow[]> {
  const length = to - from;
  const [current, previous, keys, projects] = await Promise.all([
    keyTotals(db, orgId, from, to),
    keyTotals(db, orgId, from - length, from),
    db.keys.where('orgId').equals(orgId).toArray(),
    db.projects.where('orgId').equals(orgId).toArray(),
  ]);
  const projectName = new Map(projects.map((p) => [p.projectId, p.name]));
  const currentBy = new Map(current.map((t) => [t.apiKeyId, t]));
  const previousBy = new Map(previous.map((t) => [t.apiKeyId, t]));
  const rows: KeyTableRow[] = keys.map((key) => ({
    orgId,
    apiKeyId: key.keyId,
    name: key.name,
    redactedValue: key.redactedValue,
    projectId: key.projectId,
    projectName: projectName.get(key.projectId) ?? key.projectId,
    ownerName: key.ownerName,
    deleted: key.deleted,
    createdAt: key.createdAt,
    lastUsedAt: key.lastUsedAt,
    current: currentBy.get(key.keyId) ?? emptyTotals(key.keyId),
    previous: previousBy.get(key.keyId) ?? emptyTotals(key.keyId),
  }));
  const listed = new Set(keys.map((k) => k.keyId));
  // Usage under ids the key lists never showed (e.g. untracked, or a key deleted before Keymeter saw it).
  for (const totals of current) {
    if (listed.has(totals.apiKeyId)) continue;
    rows.push({
      orgId,
      apiKeyId: totals.apiKeyId,
      name: totals.apiKeyId === '' ? 'Untracked usage' : totals.apiKeyId,
      redactedValue: '',
      projectId: '',
      projectName: '',
      ownerName: '',
      deleted: totals.apiKeyId !== '',
      createdAt: null,
      lastUsedAt: null,
      current: totals,
      previous: previousBy.get(totals.apiKeyId) ?? emptyTotals(totals.apiKeyId),
    });
  }
  return rows;
}
