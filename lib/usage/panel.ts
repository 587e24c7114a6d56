import type { Micros } from '../money';
import { USAGE_GROUP_BY } from '../sync/plan';
import { type CostBasis, type KeyRef, OTHER_SERIES, type PanelData, type PanelSpike } from './panel-data';
import type { CostRecord, KeyRecord, UsageRecord } from './records';
import { BASELINE_DAYS, DAY, detectSpikes, type Spike, type SpikeCell, type SpikeOptions, startOfUtcDay } from './spikes';

/**
 * Pure builder of the usage panel's data from plain arrays of stored rows (no DB here, so it is
 * tested without one). Money stays in integer µ$ throughout.
 */

export interface PanelInput {
  from: number;
  to: number;
  orgs: PanelData['orgs'];
  /** Rows of the chosen organisations for [from − BASELINE_DAYS days, to): the days before `from` feed the spike baselines. */
  usage: readonly UsageRecord[];
  costs: readonly CostRecord[];
  keys: readonly Pick<KeyRecord, 'orgId' | 'keyId' | 'name' | 'redactedValue' | 'deleted'>[];
  /** First day with synced data (earlier days are unknown, not zero); default: the earliest row given. */
  knownFrom?: number | null;
  topKeys?: number;
  spikeOptions?: Partial<SpikeOptions>;
}

export const TOP_KEYS = 5;
export const NO_KEY_LABEL = 'No API key';
export const OTHER_LABEL = 'Other';

/** Endpoints whose usage carries api_key_id: a row of these without a key is untracked usage. */
const KEYED_ENDPOINTS = new Set(Object.entries(USAGE_GROUP_BY).flatMap(([endpoint, by]) => (by.includes('api_key_id') ? [endpoint] : [])));

export const refId = (orgId: string, apiKeyId: string) => `${orgId}|${apiKeyId}`;

export function buildPanelData(input: PanelInput): PanelData {
  const rangeStart = startOfUtcDay(input.from);
  const rangeEnd = Math.ceil(input.to / DAY) * DAY;
  const windowStart = rangeStart - BASELINE_DAYS * DAY;
  const inWindow = (day: number) => day >= windowStart && day < rangeEnd;
  const inRange = (day: number) => day >= rangeStart && day < rangeEnd;
  const usage = input.usage.filter((r) => inWindow(r.day));
  const costs = input.costs.filter((r) => inWindow(r.day));

  const { cells, isBilled } = costCells(usage, costs);

  // Daily cost per key over the range; top keys by total, the rest as "Other".
  const days: number[] = [];
  for (let day = rangeStart; day < rangeEnd; day += DAY) days.push(day);
  const index = new Map(days.map((d, i) => [d, i]));
  const perKey = new Map<string, Micros[]>();
  const dayTotals = days.map(() => 0);
  for (const cell of cells) {
    const i = index.get(cell.day);
    if (i === undefined) continue;
    let series = perKey.get(cell.key);
    if (!series) {
      series = days.map(() => 0);
      perKey.set(cell.key, series);
    }
    series[i]! += cell.micros;
    dayTotals[i]! += cell.micros;
  }
  const ranked = [...perKey]
    .map(([key, micros]) => ({ key, micros, total: micros.reduce((a, b) => a + b, 0) }))
    .filter((k) => k.total > 0 || k.micros.some((m) => m !== 0))
    .sort((a, b) => b.total - a.total || a.key.localeCompare(b.key));
  const topCount = input.topKeys ?? TOP_KEYS;
  const top = ranked.slice(0, topCount);
  const rest = ranked.slice(topCount);

  const names = keyNamer(input.keys, input.orgs.length > 1 ? new Map(input.orgs.map((o) => [o.orgId, o.label])) : null);
  const series: PanelData['dailyCost']['series'] = top.map(({ key, micros }) => ({ ...splitRef(key), label: names(key), micros }));
  dedupeLabels(series, input.keys);
  if (rest.length) {
    const other = days.map(() => 0);
    for (const k of rest) for (let i = 0; i < days.length; i++) other[i]! += k.micros[i]!;
    series.push({ orgId: OTHER_SERIES, apiKeyId: OTHER_SERIES, label: `${OTHER_LABEL} (${rest.length} keys)`, micros: other });
  }

  // Where each day's figure comes from (organisations without any row in the window do not count).
  const orgsWithData = [...new Set([...usage.map((r) => r.orgId), ...costs.map((r) => r.orgId)])];
  const dayBasis = days.map((day): CostBasis => {
    const billedCount = orgsWithData.filter((o) => isBilled(o, day)).length;
    return billedCount === 0 ? 'estimated' : billedCount === orgsWithData.length ? 'billed' : 'mixed';
  });
  const spent = dayBasis.filter((_, i) => dayTotals[i] !== 0);
  const judged = spent.length ? spent : dayBasis;
  const basis: CostBasis = judged.every((b) => b === 'billed') ? 'billed' : judged.every((b) => b === 'estimated') ? 'estimated' : 'mixed';

  // Tokens, requests, untracked usage and unpriced rows over the range.
  const totals = { micros: dayTotals.reduce((a, b) => a + b, 0), requests: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0 };
  const byModel = new Map<string, PanelData['tokensByModel'][number]>();
  const untracked = { requests: 0, inputTokens: 0, outputTokens: 0 };
  let unpricedRows = 0;
  for (const row of usage) {
    if (!inRange(row.day)) continue;
    totals.requests += row.requests;
    totals.inputTokens += row.inputTokens;
    totals.cachedTokens += row.cachedTokens;
    totals.outputTokens += row.outputTokens;
    if (row.inputTokens || row.outputTokens || row.requests) {
      const m = byModel.get(row.model) ?? { model: row.model, requests: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0 };
      m.requests += row.requests;
      m.inputTokens += row.inputTokens;
      m.cachedTokens += row.cachedTokens;
      m.outputTokens += row.outputTokens;
      byModel.set(row.model, m);
    }
    if (row.apiKeyId === '' && KEYED_ENDPOINTS.has(row.endpoint)) {
      untracked.requests += row.requests;
      untracked.inputTokens += row.inputTokens;
      untracked.outputTokens += row.outputTokens;
    }
    const used = row.requests || row.units || row.inputTokens || row.outputTokens;
    if (row.estimatedMicros === null && used && !isBilled(row.orgId, row.day)) unpricedRows += 1;
  }
  const tokensByModel = [...byModel.values()]
    .filter((m) => m.inputTokens + m.outputTokens > 0)
    .sort((a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens) || a.model.localeCompare(b.model));

  const knownFrom = input.knownFrom !== undefined ? input.knownFrom : earliestDay(usage, costs);
  const spikes = detectSpikes(cells, { from: rangeStart, to: rangeEnd, knownFrom }, input.spikeOptions).map((spike) =>
    toPanelSpike(spike, names),
  );

  return {
    from: input.from,
    to: input.to,
    orgs: input.orgs,
    totals,
    dailyCost: { days, totals: dayTotals, dayBasis, series, basis },
    tokensByModel,
    spikes,
    untracked: untracked.requests > 0 || untracked.inputTokens > 0 || untracked.outputTokens > 0 ? untracked : null,
    unpricedRows,
  };
}

/**
 * The cost cells (day, key, model) every cost figure is a sum of: billed where the Costs API has the
 * organisation's day (split over the key's models by their share of the estimate), else estimated.
 * Cell keys are `${orgId}|${apiKeyId}` (see splitRef). Pure; shared by the panel, the report, budgets
 * and forecasts so every figure follows the same rule.
 */
export function costCells(
  usage: readonly UsageRecord[],
  costs: readonly CostRecord[],
): { cells: SpikeCell[]; isBilled: (orgId: string, day: number) => boolean } {
  // Billed where the Costs API has the day, per organisation; only for organisations whose Costs API
  // groups by key at all (before the 2026 spec it did not: every row came back without api_key_id).
  const perKeyCosts = new Set(costs.filter((c) => c.apiKeyId !== '').map((c) => c.orgId));
  const billedDays = new Set(costs.filter((c) => perKeyCosts.has(c.orgId)).map((c) => `${c.orgId}|${c.day}`));
  const isBilled = (orgId: string, day: number) => billedDays.has(`${orgId}|${day}`);

  // Estimated µ$ per (org, day, key, model).
  const estimates = new Map<string, { orgId: string; day: number; apiKeyId: string; byModel: Map<string, Micros> }>();
  for (const row of usage) {
    if (row.estimatedMicros === null) continue;
    const id = `${row.orgId}|${row.day}|${row.apiKeyId}`;
    let entry = estimates.get(id);
    if (!entry) {
      entry = { orgId: row.orgId, day: row.day, apiKeyId: row.apiKeyId, byModel: new Map() };
      estimates.set(id, entry);
    }
    entry.byModel.set(row.model, (entry.byModel.get(row.model) ?? 0) + row.estimatedMicros);
  }

  const cells: SpikeCell[] = [];
  for (const entry of estimates.values()) {
    if (isBilled(entry.orgId, entry.day)) continue;
    for (const [model, micros] of entry.byModel)
      if (micros !== 0) cells.push({ day: entry.day, key: refId(entry.orgId, entry.apiKeyId), model, micros });
  }
  const billed = new Map<string, { orgId: string; day: number; apiKeyId: string; micros: Micros }>();
  for (const row of costs) {
    if (!perKeyCosts.has(row.orgId)) continue;
    const id = `${row.orgId}|${row.day}|${row.apiKeyId}`;
    const entry = billed.get(id) ?? { orgId: row.orgId, day: row.day, apiKeyId: row.apiKeyId, micros: 0 };
    entry.micros += row.micros;
    billed.set(id, entry);
  }
  for (const [id, entry] of billed) {
    // The Costs API has no model dimension: split the key's billed cost by its models' share of the estimate.
    const models = [...(estimates.get(id)?.byModel ?? new Map<string, Micros>())].filter(([, m]) => m > 0);
    const shares = models.length
      ? allocate(
          entry.micros,
          models.map(([, m]) => m),
        )
      : [entry.micros];
    const key = refId(entry.orgId, entry.apiKeyId);
    shares.forEach((micros, i) => {
      if (micros !== 0) cells.push({ day: entry.day, key, model: models[i]?.[0] ?? '', micros });
    });
  }

  return { cells, isBilled };
}

function earliestDay(usage: readonly UsageRecord[], costs: readonly CostRecord[]): number | null {
  let min: number | null = null;
  for (const row of [...usage, ...costs]) if (min === null || row.day < min) min = row.day;
  return min;
}

/** A detected spike as views show it: each driver's cell key split into its org and key, and named. */
export function toPanelSpike({ drivers, ...day }: Spike, nameOf: (key: string) => string): PanelSpike {
  return { ...day, drivers: drivers.map(({ key, ...rise }) => ({ ...splitRef(key), keyName: nameOf(key), ...rise })) };
}

export function splitRef(key: string): KeyRef {
  const bar = key.indexOf('|');
  return { orgId: key.slice(0, bar), apiKeyId: key.slice(bar + 1) };
}

/** A key's display name: its name from the key lists, else its redacted value or id; '' is usage without a key. */
function keyNamer(keys: PanelInput['keys'], orgLabels: Map<string, string> | null) {
  const byRef = new Map(keys.map((k) => [refId(k.orgId, k.keyId), k]));
  return (key: string): string => {
    const { orgId, apiKeyId } = splitRef(key);
    const record = byRef.get(key);
    let name = apiKeyId === '' ? NO_KEY_LABEL : record ? record.name || record.redactedValue || apiKeyId : apiKeyId;
    if (record?.deleted) name += ' (deleted)';
    if (orgLabels && orgLabels.size > 1) name += ` · ${orgLabels.get(orgId) ?? orgId}`;
    return name;
  };
}

/** Two keys with the same name get their redacted values (or ids) added, so the legend tells them apart. */
function dedupeLabels(series: Array<KeyRef & { label: string }>, keys: PanelInput['keys']) {
  const counts = new Map<string, number>();
  for (const s of series) counts.set(s.label, (counts.get(s.label) ?? 0) + 1);
  const byRef = new Map(keys.map((k) => [refId(k.orgId, k.keyId), k]));
  for (const s of series) {
    if ((counts.get(s.label) ?? 0) < 2) continue;
    s.label += ` (${byRef.get(refId(s.orgId, s.apiKeyId))?.redactedValue || s.apiKeyId})`;
  }
}

/**
 * Splits an integer amount in proportion to non-negative integer weights, exactly (largest remainder,
 * BigInt products so µ$ × µ$ never loses precision): the parts always add up to `total`.
 */
export function allocate(total: Micros, weights: readonly number[]): Micros[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (weights.length === 0) return [];
  if (sum <= 0) return weights.map((_, i) => (i === 0 ? total : 0));
  const sign = total < 0 ? -1n : 1n;
  const amount = BigInt(Math.abs(total));
  const big = BigInt(sum);
  const parts = weights.map((w) => (amount * BigInt(w)) / big);
  const remainders = weights.map((w, i) => ({ i, r: (amount * BigInt(w)) % big }));
  let left = amount - parts.reduce((a, b) => a + b, 0n);
  remainders.sort((a, b) => (b.r > a.r ? 1 : b.r < a.r ? -1 : a.i - b.i));
  for (const { i } of remainders) {
    if (left <= 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map((p) => Number(p * sign));
}
