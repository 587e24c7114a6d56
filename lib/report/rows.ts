import type { KeyTableRow } from '../history/key-table';
import { addUsage, emptyTotals, type KeyTotals } from '../history/queries';
import { getOrCreate } from '../map-utils';
import type { Micros } from '../money';
import { namePattern } from '../tags/tags';
import type { CostRecord, KeyRecord, ProjectRecord, UsageRecord } from '../usage/records';
import { DAY } from '../usage/spikes';

/**
 * The report's per-key table, pure: every key Keymeter knows (deleted ones kept and marked), with
 * its totals for the range and for the period of the same length before, its owner, project,
 * tags, and whether it is stale. Sorting, search and selection by name pattern are here too, so
 * the view only renders.
 */

export const STALE_DAYS = 30;

export interface ReportKeyRow extends KeyTableRow {
  orgLabel: string;
  tags: string[];
  /** Not used for STALE_DAYS or more (by the key list's "last used", else the last day with usage, else its creation). */
  stale: boolean;
  /** Last sign of use Keymeter knows of (Unix seconds), or null. */
  lastActivityAt: number | null;
}

export interface ReportRowsInput {
  orgs: ReadonlyArray<{ id: string; label: string }>;
  keys: readonly KeyRecord[];
  projects: readonly ProjectRecord[];
  /** Rows covering at least [from − (to − from), to). */
  usage: readonly UsageRecord[];
  costs: readonly CostRecord[];
  /** `${orgId}|${apiKeyId}` → tags. */
  tags: ReadonlyMap<string, readonly string[]>;
  from: number;
  to: number;
  /** Unix seconds. */
  now: number;
}

export const costOf = (t: KeyTotals): Micros => t.billedMicros ?? t.estimatedMicros;

export function isStale(
  key: { deleted: boolean; apiKeyId: string; createdAt: number | null },
  lastActivityAt: number | null,
  now: number,
): boolean {
  if (key.deleted || key.apiKeyId === '') return false;
  const last = lastActivityAt ?? key.createdAt;
  return last !== null && now - last >= STALE_DAYS * DAY;
}

export function buildReportRows(input: ReportRowsInput): ReportKeyRow[] {
  const { from, to } = input;
  const previousFrom = from - (to - from);
  const orgLabel = new Map(input.orgs.map((o) => [o.id, o.label]));
  const projectName = new Map(input.projects.map((p) => [`${p.orgId}|${p.projectId}`, p.name]));

  const current = new Map<string, KeyTotals>();
  const previous = new Map<string, KeyTotals>();
  const lastUsageDay = new Map<string, number>();
  const ref = (orgId: string, apiKeyId: string) => `${orgId}|${apiKeyId}`;
  for (const row of input.usage) {
    const id = ref(row.orgId, row.apiKeyId);
    if (row.requests > 0 || row.inputTokens > 0 || row.units > 0) lastUsageDay.set(id, Math.max(lastUsageDay.get(id) ?? 0, row.day));
    const bucket = row.day >= from && row.day < to ? current : row.day >= previousFrom && row.day < from ? previous : null;
    if (bucket)
      addUsage(
        getOrCreate(bucket, id, () => emptyTotals(row.apiKeyId)),
        row,
      );
  }
  for (const row of input.costs) {
    const bucket = row.day >= from && row.day < to ? current : row.day >= previousFrom && row.day < from ? previous : null;
    if (!bucket) continue;
    const totals = getOrCreate(bucket, ref(row.orgId, row.apiKeyId), () => emptyTotals(row.apiKeyId));
    totals.billedMicros = (totals.billedMicros ?? 0) + row.micros;
  }

  const make = (
    orgId: string,
    apiKeyId: string,
    fields: Pick<KeyTableRow, 'name' | 'redactedValue' | 'projectId' | 'ownerName' | 'deleted' | 'createdAt' | 'lastUsedAt'>,
  ): ReportKeyRow => {
    const id = ref(orgId, apiKeyId);
    const usageDay = lastUsageDay.get(id);
    const lastActivityAt = Math.max(fields.lastUsedAt ?? 0, usageDay !== undefined ? usageDay + DAY - 1 : 0) || null;
    return {
      orgId,
      orgLabel: orgLabel.get(orgId) ?? orgId,
      apiKeyId,
      ...fields,
      projectName: fields.projectId ? (projectName.get(`${orgId}|${fields.projectId}`) ?? fields.projectId) : '',
      current: current.get(id) ?? emptyTotals(apiKeyId),
      previous: previous.get(id) ?? emptyTotals(apiKeyId),
      tags: [...(input.tags.get(id) ?? [])],
      lastActivityAt,
      stale: isStale({ deleted: fields.deleted, apiKeyId, createdAt: fields.createdAt }, lastActivityAt, input.now),
    };
  };

  const rows = input.keys.map((key) =>
    make(key.orgId, key.keyId, {
      name: key.name,
      redactedValue: key.redactedValue,
      projectId: key.projectId,
      ownerName: key.ownerName || key.ownerEmail,
      deleted: key.deleted,
      createdAt: key.createdAt,
      lastUsedAt: key.lastUsedAt,
    }),
  );
  // Usage under ids the key lists never showed: usage without a key, or a key deleted before Keymeter saw it.
  const listed = new Set(input.keys.map((k) => ref(k.orgId, k.keyId)));
  for (const [id, totals] of current) {
    if (listed.has(id)) continue;
    const orgId = id.slice(0, id.indexOf('|'));
    rows.push(
      make(orgId, totals.apiKeyId, {
        name: totals.apiKeyId === '' ? 'Untracked usage' : totals.apiKeyId,
        redactedValue: '',
        projectId: '',
        ownerName: '',
        deleted: totals.apiKeyId !== '',
        createdAt: null,
        lastUsedAt: null,
      }),
    );
  }
  return rows;
}

// ---- Search, sort, selection (used by the view; pure so they are tested without a DOM) ----

export type SortKey =
  | 'name'
  | 'org'
  | 'project'
  | 'owner'
  | 'requests'
  | 'input'
  | 'cached'
  | 'output'
  | 'estimated'
  | 'billed'
  | 'change'
  | 'created'
  | 'lastUsed'
  | 'forecast';

export interface RowView {
  search: string;
  sort: SortKey;
  descending: boolean;
  staleOnly: boolean;
  tag: string | null;
  showDeleted: boolean;
}

export const DEFAULT_ROW_VIEW: RowView = { search: '', sort: 'billed', descending: true, staleOnly: false, tag: null, showDeleted: true };

/** Relative change of cost vs the previous period, for sorting ("new" sorts above any rise). */
export function changeRatio(row: ReportKeyRow): number {
  const now = costOf(row.current);
  const before = costOf(row.previous);
  if (before === 0) return now === 0 ? 0 : Number.POSITIVE_INFINITY;
  return (now - before) / before;
}

function sortValue(row: ReportKeyRow, key: SortKey, forecast?: (row: ReportKeyRow) => number | null): string | number {
  switch (key) {
    case 'name':
      return row.name.toLowerCase();
    case 'org':
      return row.orgLabel.toLowerCase();
    case 'project':
      return row.projectName.toLowerCase();
    case 'owner':
      return row.ownerName.toLowerCase();
    case 'requests':
      return row.current.requests;
    case 'input':
      return row.current.inputTokens;
    case 'cached':
      return row.current.cachedTokens;
    case 'output':
      return row.current.outputTokens;
    case 'estimated':
      return row.current.estimatedMicros;
    case 'billed':
      return costOf(row.current);
    case 'change':
      return changeRatio(row);
    case 'created':
      return row.createdAt ?? -1;
    case 'lastUsed':
      return row.lastActivityAt ?? -1;
    case 'forecast':
      return forecast?.(row) ?? -1;
  }
}

/** Rows matching the search (name, redacted key, id, owner, project, tags; case-insensitive), filtered and sorted. */
export function viewRows(rows: readonly ReportKeyRow[], view: RowView, forecast?: (row: ReportKeyRow) => number | null): ReportKeyRow[] {
  const needle = view.search.trim().toLowerCase();
  const filtered = rows.filter((row) => {
    if (view.staleOnly && !row.stale) return false;
    if (!view.showDeleted && row.deleted) return false;
    if (view.tag !== null && !row.tags.some((t) => t.toLowerCase() === view.tag!.toLowerCase())) return false;
    if (!needle) return true;
    return [row.name, row.redactedValue, row.apiKeyId, row.ownerName, row.projectName, row.orgLabel, ...row.tags].some((f) =>
      f.toLowerCase().includes(needle),
    );
  });
  const direction = view.descending ? -1 : 1;
  return filtered
    .map((row) => ({ row, value: sortValue(row, view.sort, forecast) }))
    .sort((a, b) => {
      const order = typeof a.value === 'string' ? a.value.localeCompare(b.value as string) : compareNumbers(a.value, b.value as number);
      return order !== 0 ? order * direction : a.row.name.localeCompare(b.row.name) || a.row.apiKeyId.localeCompare(b.row.apiKeyId);
    })
    .map((x) => x.row);
}

function compareNumbers(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export const rowRef = (row: { orgId: string; apiKeyId: string }) => `${row.orgId}|${row.apiKeyId}`;

/** Keys whose name matches a pattern ("support-*"); usage without a key is never taggable. */
export function rowsMatching(rows: readonly ReportKeyRow[], pattern: string): ReportKeyRow[] {
  if (!pattern.trim()) return [];
  const matches = namePattern(pattern);
  return rows.filter((row) => row.apiKeyId !== '' && matches(row.name));
}
