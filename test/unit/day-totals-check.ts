import { expect } from 'vitest';
import { type DayTotalsRecord, dayTotalsOf } from '@/lib/history/day-totals';
import type { HistoryDB } from '@/lib/history/db';
import { costsInRange, usageInRange } from '@/lib/history/queries';
import { type KeyTotals, keyTotalsOfRows } from '@/lib/history/totals';
import { getOrCreate } from '@/lib/map-utils';
import type { CostRecord, UsageRecord } from '@/lib/usage/records';

/**
 * The rollup as it must be after any write: recomputed from every raw row in the database,
 * whatever days the write refreshed. Rows come in primary-key order, which is also the order
 * the [orgId+day] index gives rows of one day.
 */
export async function recomputeDayTotals(db: Pick<HistoryDB, 'usage' | 'costs'>): Promise<DayTotalsRecord[]> {
  const groups = new Map<string, { orgId: string; day: number; usage: UsageRecord[]; costs: CostRecord[] }>();
  const group = (row: { orgId: string; day: number }) =>
    getOrCreate(groups, JSON.stringify([row.orgId, row.day]), () => ({ orgId: row.orgId, day: row.day, usage: [], costs: [] }));
  for (const row of await db.usage.toArray()) group(row).usage.push(row);
  for (const row of await db.costs.toArray()) group(row).costs.push(row);
  // The store's order: by organisation (UTF-16 code units, as IndexedDB compares), then day.
  const ordered = [...groups.values()].sort((a, b) => (a.orgId < b.orgId ? -1 : a.orgId > b.orgId ? 1 : a.day - b.day));
  return ordered.map((g) => dayTotalsOf(g.orgId, g.day, g.usage, g.costs)!);
}

/** Asserts the stored rollup equals a recompute from the raw rows (and that there is one to compare). */
export async function expectRollupMatchesRows(db: HistoryDB, message = 'rollup vs raw rows'): Promise<DayTotalsRecord[]> {
  const expected = await recomputeDayTotals(db);
  expect(await db.dayTotals.toArray(), message).toEqual(expected);
  return expected;
}

/** keyTotals the old way, from every usage and cost row of the range. */
export async function keyTotalsFromRows(db: HistoryDB, orgId: string, from: number, to: number): Promise<KeyTotals[]> {
  const [usage, costs] = await Promise.all([usageInRange(db, orgId, from, to), costsInRange(db, orgId, from, to)]);
  return keyTotalsOfRows(usage, costs);
}
