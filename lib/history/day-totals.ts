import Dexie, { type Table } from 'dexie';
import { getOrCreate } from '../map-utils';
import type { Micros } from '../money';
import type { CostRecord, UsageRecord } from '../usage/records';
import type { HistoryDB } from './db';
import { emptyTotals, type KeyTotals, totalsByKey } from './totals';

/**
 * The per-day rollup: one record per (organisation, UTC day) with that day's per-key totals, so a
 * 30-day per-key aggregate reads 30 records instead of every usage row (60,000 of them for 500
 * keys in test/bench/history-db.ts). It is derived: always recomputed from the raw usage and
 * cost rows of the days a write touched, in the same transaction as that write, never patched by
 * arithmetic. Not part of a backup; a restore rebuilds it for the days it touches.
 */
export interface DayTotalsRecord {
  orgId: string;
  day: number;
  /**
   * Keys in the order their first row comes (index order): keys with usage rows first, then keys
   * with billed costs only. This keeps keyTotals' order of equal-cost keys the same as from rows.
   */
  keys: string[];
  /** How many of `keys` (from the start) have usage rows this day. */
  usageKeys: number;
  // One column per KeyTotals field, index-aligned with `keys`: far fewer objects to clone than
  // one per key, which is what makes reading a month cheap.
  requests: number[];
  inputTokens: number[];
  cachedTokens: number[];
  outputTokens: number[];
  estimatedMicros: Micros[];
  unpricedRows: number[];
  billedMicros: Array<Micros | null>;
}

export const DAY_TOTALS_STORE = '[orgId+day]';

const SUMMED = ['requests', 'inputTokens', 'cachedTokens', 'outputTokens', 'estimatedMicros', 'unpricedRows'] as const;

/** One day's record from that day's rows (in index order), or null when the day has none. */
export function dayTotalsOf(
  orgId: string,
  day: number,
  usage: readonly UsageRecord[],
  costs: readonly CostRecord[],
): DayTotalsRecord | null {
  const { byKey, usageKeys } = totalsByKey(usage, costs);
  if (byKey.size === 0) return null;
  const totals = [...byKey.values()];
  const record: DayTotalsRecord = {
    orgId,
    day,
    keys: totals.map((t) => t.apiKeyId),
    usageKeys,
    requests: [],
    inputTokens: [],
    cachedTokens: [],
    outputTokens: [],
    estimatedMicros: [],
    unpricedRows: [],
    billedMicros: totals.map((t) => t.billedMicros),
  };
  for (const field of SUMMED) record[field] = totals.map((t) => t[field]);
  return record;
}

/** Per-key totals over day records (in day order), in the same key order as totalsByKey over their rows. */
export function mergeDayTotals(days: readonly DayTotalsRecord[]): KeyTotals[] {
  const byKey = new Map<string, KeyTotals>();
  const add = (d: DayTotalsRecord, i: number) => {
    const id = d.keys[i]!;
    const t = getOrCreate(byKey, id, () => emptyTotals(id));
    for (const field of SUMMED) t[field] += d[field][i]!;
    const billed = d.billedMicros[i]!;
    if (billed !== null) t.billedMicros = (t.billedMicros ?? 0) + billed;
  };
  // Two passes: a key with usage on any day must come before every billed-only key, as from rows.
  for (const d of days) for (let i = 0; i < d.usageKeys; i++) add(d, i);
  for (const d of days) for (let i = d.usageKeys; i < d.keys.length; i++) add(d, i);
  return [...byKey.values()];
}

/** The tables a rollup refresh reads and writes: the HistoryDB, or an upgrade transaction's tables. */
export interface RollupTables {
  usage: Table<UsageRecord, string>;
  costs: Table<CostRecord, string>;
  dayTotals: Table<DayTotalsRecord, [string, number]>;
}

/**
 * Recomputes the rollup of these days of one organisation from their raw rows. Must run inside
 * the transaction that wrote those rows (with usage, costs and dayTotals in its scope), so the
 * rollup can never disagree with what was committed.
 */
export async function refreshDayTotals(tables: RollupTables, orgId: string, days: Iterable<number>): Promise<void> {
  if (!Dexie.currentTransaction) throw new Error('refreshDayTotals must run inside the transaction that wrote the rows');
  const put: DayTotalsRecord[] = [];
  const gone: Array<[string, number]> = [];
  // One day at a time: a whole history at once (an upgrade, a restore) would not fit in memory.
  for (const day of [...new Set(days)].sort((a, b) => a - b)) {
    const [usage, costs] = await Promise.all([
      tables.usage.where('[orgId+day]').equals([orgId, day]).toArray(),
      tables.costs.where('[orgId+day]').equals([orgId, day]).toArray(),
    ]);
    const record = dayTotalsOf(orgId, day, usage, costs);
    if (record) put.push(record);
    else gone.push([orgId, day]);
  }
  if (put.length) await tables.dayTotals.bulkPut(put);
  if (gone.length) await tables.dayTotals.bulkDelete(gone);
}

/** Refreshes every (organisation, day) these rows belong to. */
export async function refreshDaysOf(tables: RollupTables, rows: Iterable<{ orgId: string; day: number }>): Promise<void> {
  const daysByOrg = new Map<string, Set<number>>();
  for (const { orgId, day } of rows) getOrCreate(daysByOrg, orgId, () => new Set<number>()).add(day);
  for (const [orgId, days] of daysByOrg) await refreshDayTotals(tables, orgId, days);
}

/** Rebuilds the whole rollup from the raw rows (the schema upgrade that introduces it). */
export async function rebuildDayTotals(tables: RollupTables): Promise<void> {
  await tables.dayTotals.clear();
  const keysOf = async (table: RollupTables['usage'] | RollupTables['costs']) =>
    (await table.orderBy('[orgId+day]').uniqueKeys()) as unknown as Array<[string, number]>;
  const orgDays = [...(await keysOf(tables.usage)), ...(await keysOf(tables.costs))].map(([orgId, day]) => ({ orgId, day }));
  await refreshDaysOf(tables, orgDays);
}

/**
 * Puts usage (or cost) rows and refreshes the days they touch, in one transaction: the caller's
 * when there is one (it must include usage, costs and dayTotals), else its own.
 */
export function putUsageRows(db: HistoryDB, rows: readonly UsageRecord[]): Promise<void> {
  return db.transaction('rw', [db.usage, db.costs, db.dayTotals], async () => {
    await db.usage.bulkPut(rows);
    await refreshDaysOf(db, rows);
  });
}
export function putCostRows(db: HistoryDB, rows: readonly CostRecord[]): Promise<void> {
  return db.transaction('rw', [db.usage, db.costs, db.dayTotals], async () => {
    await db.costs.bulkPut(rows);
    await refreshDaysOf(db, rows);
  });
}
