import { getOrCreate } from '../map-utils';
import type { CostRecord, UsageRecord } from '../usage/records';
import { mergeDayTotals } from './day-totals';
import type { HistoryDB } from './db';
import { addUsage, emptyTotals, type KeyTotals, sortByCost } from './totals';

export { addUsage, emptyTotals, type KeyTotals } from './totals';

/** Rows of one organisation whose day is in [from, to). One getAll per table: far faster than a cursor. */
export function usageInRange(db: HistoryDB, orgId: string, from: number, to: number): Promise<UsageRecord[]> {
  return db.usage.where('[orgId+day]').between([orgId, from], [orgId, to], true, false).toArray();
}
export function costsInRange(db: HistoryDB, orgId: string, from: number, to: number): Promise<CostRecord[]> {
  return db.costs.where('[orgId+day]').between([orgId, from], [orgId, to], true, false).toArray();
}

/**
 * Per-key totals over [from, to), costliest first, from the per-day rollup (one record per day
 * instead of every row); the same result as keyTotalsOfRows over the range's rows.
 */
export async function keyTotals(db: HistoryDB, orgId: string, from: number, to: number): Promise<KeyTotals[]> {
  const days = await db.dayTotals.where('[orgId+day]').between([orgId, from], [orgId, to], true, false).toArray();
  return sortByCost(mergeDayTotals(days));
}

/** Per key × model totals (tokens and estimates; the Costs API has no model dimension). */
export async function keyModelTotals(
  db: HistoryDB,
  orgId: string,
  from: number,
  to: number,
): Promise<Array<KeyTotals & { model: string }>> {
  const byKeyModel = new Map<string, KeyTotals & { model: string }>();
  for (const row of await usageInRange(db, orgId, from, to)) {
    addUsage(
      getOrCreate(byKeyModel, `${row.apiKeyId}|${row.model}`, () => ({ ...emptyTotals(row.apiKeyId), model: row.model })),
      row,
    );
  }
  return [...byKeyModel.values()];
}
