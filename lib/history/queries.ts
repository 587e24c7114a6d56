import { getOrCreate } from '../map-utils';
import type { Micros } from '../money';
import type { CostRecord, UsageRecord } from '../usage/records';
import type { HistoryDB } from './db';

/** Per-key totals over [from, to) (UTC day starts). '' is usage without a key. */
export interface KeyTotals {
  apiKeyId: string;
  requests: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  estimatedMicros: Micros;
  /** Rows whose price is unknown (their cost is not in estimatedMicros). */
  unpricedRows: number;
  /** Billed cost from the Costs API, or null when the org's Costs API gave none for this key. */
  billedMicros: Micros | null;
}

export function emptyTotals(apiKeyId: string): KeyTotals {
  return {
    apiKeyId,
    requests: 0,
    inputTokens: 0,
    cachedTokens: 0,
    outputTokens: 0,
    estimatedMicros: 0,
    unpricedRows: 0,
    billedMicros: null,
  };
}

export function addUsage(totals: KeyTotals, row: UsageRecord): void {
  totals.requests += row.requests;
  totals.inputTokens += row.inputTokens;
  totals.cachedTokens += row.cachedTokens;
  totals.outputTokens += row.outputTokens;
  if (row.estimatedMicros !== null) totals.estimatedMicros += row.estimatedMicros;
  else if (row.priceNote !== 'billed-only') totals.unpricedRows += 1;
}

/** Rows of one organisation whose day is in [from, to). One getAll per table: far faster than a cursor. */
export function usageInRange(db: HistoryDB, orgId: string, from: number, to: number): Promise<UsageRecord[]> {
  return db.usage.where('[orgId+day]').between([orgId, from], [orgId, to], true, false).toArray();
}
export function costsInRange(db: HistoryDB, orgId: string, from: number, to: number): Promise<CostRecord[]> {
  return db.costs.where('[orgId+day]').between([orgId, from], [orgId, to], true, false).toArray();
}

export async function keyTotals(db: HistoryDB, orgId: string, from: number, to: number): Promise<KeyTotals[]> {
  const [usage, costs] = await Promise.all([usageInRange(db, orgId, from, to), costsInRange(db, orgId, from, to)]);
  const byKey = new Map<string, KeyTotals>();
  const get = (id: string) => getOrCreate(byKey, id, () => emptyTotals(id));
  for (const row of usage) addUsage(get(row.apiKeyId), row);
  for (const row of costs) {
    const totals = get(row.apiKeyId);
    totals.billedMicros = (totals.billedMicros ?? 0) + row.micros;
  }
  return [...byKey.values()].sort((a, b) => (b.billedMicros ?? b.estimatedMicros) - (a.billedMicros ?? a.estimatedMicros));
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
