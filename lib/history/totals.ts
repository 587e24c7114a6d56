import { getOrCreate } from '../map-utils';
import type { Micros } from '../money';
import type { CostRecord, UsageRecord } from '../usage/records';

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

/** Costliest first (billed where known, else estimated); equal costs keep their order. */
export function sortByCost(totals: KeyTotals[]): KeyTotals[] {
  return totals.sort((a, b) => (b.billedMicros ?? b.estimatedMicros) - (a.billedMicros ?? a.estimatedMicros));
}

/**
 * Per-key totals of usage and cost rows in the order keyTotals has always built them: keys by
 * first usage row, then keys with billed costs only, by first cost row.
 */
export function totalsByKey(
  usage: readonly UsageRecord[],
  costs: readonly CostRecord[],
): { byKey: Map<string, KeyTotals>; usageKeys: number } {
  const byKey = new Map<string, KeyTotals>();
  const get = (id: string) => getOrCreate(byKey, id, () => emptyTotals(id));
  for (const row of usage) addUsage(get(row.apiKeyId), row);
  const usageKeys = byKey.size;
  for (const row of costs) {
    const totals = get(row.apiKeyId);
    totals.billedMicros = (totals.billedMicros ?? 0) + row.micros;
  }
  return { byKey, usageKeys };
}

/** Per-key totals straight from rows: what the rollup must always equal (tests, bench comparison). */
export function keyTotalsOfRows(usage: readonly UsageRecord[], costs: readonly CostRecord[]): KeyTotals[] {
  return sortByCost([...totalsByKey(usage, costs).byKey.values()]);
}
