import Dexie from 'dexie';
import { type BudgetMember, type BudgetStatus, budgetStatuses } from '../budgets/budgets';
import type { HistoryDB } from '../history/db';
import { costsInRange, usageInRange } from '../history/queries';
import { getOrCreate } from '../map-utils';
import type { Micros } from '../money';
import { allTags, tagsOf } from '../tags/store';
import { dailySeries, type Forecast, forecastMonth, monthOf } from '../usage/forecast';
import { buildPanelData, costCells, refId, splitRef, toPanelSpike } from '../usage/panel';
import type { CostRecord, UsageRecord } from '../usage/records';
import { BASELINE_DAYS, DAY, detectSpikes, startOfUtcDay } from '../usage/spikes';
import { buildReportRows } from './rows';
import type { ForecastSummary, KeyHistory, MonthInsights, ReportOverview } from './types';

/**
 * Background only: reads history for the report page and hands plain arrays to the pure builders
 * (lib/usage/panel.ts, lib/report/rows.ts, lib/usage/forecast.ts, lib/budgets/budgets.ts).
 */

type OrgRef = { id: string; label: string };

/** Top keys drawn in the report's daily-cost chart (the rest are "Other"). */
export const REPORT_TOP_KEYS = 8;
const RHYTHM_DAYS = 8 * 7;

/** The first day with synced data of an organisation, or null. */
export async function knownFromOf(db: HistoryDB, orgId: string): Promise<number | null> {
  const [firstUsage, firstCost] = await Promise.all([
    db.usage.where('[orgId+day]').between([orgId, Dexie.minKey], [orgId, Dexie.maxKey]).first(),
    db.costs.where('[orgId+day]').between([orgId, Dexie.minKey], [orgId, Dexie.maxKey]).first(),
  ]);
  const days = [firstUsage?.day, firstCost?.day].filter((d): d is number => d !== undefined);
  return days.length ? Math.min(...days) : null;
}

const earliest = (days: Array<number | null>) => {
  const known = days.filter((d): d is number => d !== null);
  return known.length ? Math.min(...known) : null;
};

export async function reportOverview(
  db: HistoryDB,
  orgs: readonly OrgRef[],
  range: { from: number; to: number },
  now: number,
): Promise<ReportOverview> {
  const from = startOfUtcDay(range.from);
  const to = Math.ceil(range.to / DAY) * DAY;
  // One read serves the previous period (for "vs prev.") and the spike baselines.
  const windowStart = Math.min(from - (to - from), from - BASELINE_DAYS * DAY);
  const ids = orgs.map((o) => o.id);
  const perOrg = await Promise.all(
    orgs.map(async (org) => {
      const [usage, costs, keys, projects, state, knownFrom] = await Promise.all([
        usageInRange(db, org.id, windowStart, to),
        costsInRange(db, org.id, windowStart, to),
        db.keys.where('orgId').equals(org.id).toArray(),
        db.projects.where('orgId').equals(org.id).toArray(),
        db.syncState.get(org.id),
        knownFromOf(db, org.id),
      ]);
      return { org, usage, costs, keys, projects, state, knownFrom };
    }),
  );
  const [tags, tagList] = await Promise.all([tagsOf(db, ids), allTags(db, ids)]);
  const usage = perOrg.flatMap((o) => o.usage);
  const costs = perOrg.flatMap((o) => o.costs);
  const keys = perOrg.flatMap((o) => o.keys);
  const projects = perOrg.flatMap((o) => o.projects);
  const orgInfo = perOrg.map((o) => ({ orgId: o.org.id, label: o.org.label, lastSuccessAt: o.state?.lastSuccessAt ?? null }));
  const panel = buildPanelData({
    from,
    to,
    orgs: perOrg.map((o) => ({ ...orgInfo.find((i) => i.orgId === o.org.id)!, lastError: null })),
    usage,
    costs,
    keys,
    knownFrom: earliest(perOrg.map((o) => o.knownFrom)),
    topKeys: REPORT_TOP_KEYS,
  });
  const rows = buildReportRows({ orgs, keys, projects, usage, costs, tags, from, to, now });
  return {
    from,
    to,
    orgs: orgInfo,
    panel,
    rows,
    tags: tagList,
    projects: projects.map((p) => ({ orgId: p.orgId, projectId: p.projectId, name: p.name })),
  };
}

export async function keyHistory(db: HistoryDB, org: OrgRef, apiKeyId: string, range: { from: number; to: number }): Promise<KeyHistory> {
  const from = startOfUtcDay(range.from);
  const to = Math.ceil(range.to / DAY) * DAY;
  const windowStart = from - BASELINE_DAYS * DAY;
  const [usage, costs, key, knownFrom] = await Promise.all([
    db.usage.where('[orgId+apiKeyId+day]').between([org.id, apiKeyId, windowStart], [org.id, apiKeyId, to], true, false).toArray(),
    // All of the organisation's costs: whether a day is billed is decided per organisation, as everywhere else.
    costsInRange(db, org.id, windowStart, to),
    db.keys.get(`${org.id}|${apiKeyId}`),
    knownFromOf(db, org.id),
  ]);
  const ref = refId(org.id, apiKeyId);
  const cells = costCells(usage, costs).cells.filter((c) => c.key === ref);

  const days: number[] = [];
  for (let day = from; day < to; day += DAY) days.push(day);
  const index = new Map(days.map((d, i) => [d, i]));
  const zeros = () => days.map(() => 0);
  const byModel = new Map<string, KeyHistory['models'][number]>();
  const model = (name: string) =>
    getOrCreate(byModel, name, () => ({ model: name, micros: zeros(), inputTokens: zeros(), outputTokens: zeros(), requests: zeros() }));
  for (const cell of cells) {
    const i = index.get(cell.day);
    if (i !== undefined) model(cell.model).micros[i]! += cell.micros;
  }
  for (const row of usage) {
    const i = index.get(row.day);
    if (i === undefined || (row.inputTokens === 0 && row.outputTokens === 0 && row.requests === 0)) continue;
    const m = model(row.model);
    m.inputTokens[i]! += row.inputTokens;
    m.outputTokens[i]! += row.outputTokens;
    m.requests[i]! += row.requests;
  }
  const total = (m: KeyHistory['models'][number]) => m.micros.reduce((a, b) => a + b, 0);
  const models = [...byModel.values()].sort((a, b) => total(b) - total(a) || a.model.localeCompare(b.model));

  const name = apiKeyId === '' ? 'Untracked usage' : key ? key.name || key.redactedValue || apiKeyId : apiKeyId;
  // The key's own days judged against its own baseline; the drivers are then its models.
  const spikes = detectSpikes(cells, { from, to, knownFrom }).map((spike) => toPanelSpike(spike, () => name));
  return { orgId: org.id, apiKeyId, name, deleted: key?.deleted ?? apiKeyId !== '', days, models, spikes };
}

/** Daily cost per key for the month so far and the weeks before it (the forecasts' rhythm), with what each key belongs to. */
export async function monthCells(db: HistoryDB, orgs: readonly OrgRef[], now: number) {
  const today = startOfUtcDay(now);
  const month = monthOf(today);
  const windowStart = Math.min(today - RHYTHM_DAYS * DAY, month.start - 28 * DAY);
  const ids = orgs.map((o) => o.id);
  const perOrg = await Promise.all(
    orgs.map(async (org) => {
      const [usage, costs, keys, knownFrom] = await Promise.all([
        usageInRange(db, org.id, windowStart, today + DAY),
        costsInRange(db, org.id, windowStart, today + DAY),
        db.keys.where('orgId').equals(org.id).toArray(),
        knownFromOf(db, org.id),
      ]);
      return { org, usage, costs, keys, knownFrom };
    }),
  );
  const tags = await tagsOf(db, ids);
  const usage: UsageRecord[] = perOrg.flatMap((o) => o.usage);
  const costs: CostRecord[] = perOrg.flatMap((o) => o.costs);
  const byKey = new Map<string, Map<number, Micros>>();
  for (const cell of costCells(usage, costs).cells) {
    const series = getOrCreate(byKey, cell.key, () => new Map<number, Micros>());
    series.set(cell.day, (series.get(cell.day) ?? 0) + cell.micros);
  }
  const members = new Map<string, BudgetMember>();
  for (const o of perOrg)
    for (const k of o.keys)
      members.set(refId(k.orgId, k.keyId), {
        orgId: k.orgId,
        apiKeyId: k.keyId,
        projectId: k.projectId,
        tags: tags.get(refId(k.orgId, k.keyId)) ?? [],
      });
  // Spend under ids the key lists never showed still counts for its organisation (and a key budget on that id).
  for (const ref of byKey.keys()) if (!members.has(ref)) members.set(ref, { ...splitRef(ref), projectId: '', tags: [] });
  const knownFrom = new Map(perOrg.map((o) => [o.org.id, o.knownFrom]));
  return { byKey, members, knownFrom, earliest: earliest([...knownFrom.values()]) };
}

export const summary = (f: Forecast): ForecastSummary => ({
  period: f.period,
  spentMicros: f.spentMicros,
  projectedMicros: f.projectedMicros,
  lowMicros: f.lowMicros,
  highMicros: f.highMicros,
  completeDays: f.completeDays,
  daysInMonth: f.daysInMonth,
  basis: f.basis,
  sampleDays: f.sampleDays,
});

/** Every budget's use this month, across all connected organisations. */
export async function budgetStatusesNow(db: HistoryDB, allOrgs: readonly OrgRef[], now: number): Promise<BudgetStatus[]> {
  const budgets = await db.budgets.orderBy('id').toArray();
  if (budgets.length === 0) return [];
  const month = await monthCells(db, allOrgs, now);
  return budgetStatuses(budgets, month.members, month.byKey, { now, knownFrom: month.earliest }).sort((a, b) => b.percent - a.percent);
}

export async function monthInsights(
  db: HistoryDB,
  chosen: readonly OrgRef[],
  allOrgs: readonly OrgRef[],
  now: number,
): Promise<MonthInsights> {
  const month = await monthCells(db, allOrgs, now);
  const chosenIds = new Set(chosen.map((o) => o.id));
  const orgSeries = new Map<string, Map<number, Micros>>();
  const keys: MonthInsights['keys'] = {};
  for (const [ref, series] of month.byKey) {
    const { orgId } = splitRef(ref);
    if (!chosenIds.has(orgId)) continue;
    const orgDaily = getOrCreate(orgSeries, orgId, () => new Map<number, Micros>());
    for (const [day, micros] of series) orgDaily.set(day, (orgDaily.get(day) ?? 0) + micros);
    keys[ref] = summary(forecastMonth(series, { now, knownFrom: month.knownFrom.get(orgId) ?? null }));
  }
  const total = dailySeries([...orgSeries.values()].flatMap((s) => [...s].map(([day, micros]) => ({ day, micros }))));
  const budgets = await db.budgets.orderBy('id').toArray();
  const alerts = await db.alertsFired.orderBy('at').reverse().limit(20).toArray();
  return {
    period: monthOf(now).period,
    asOf: now,
    total: summary(forecastMonth(total, { now, knownFrom: earliest(chosen.map((o) => month.knownFrom.get(o.id) ?? null)) })),
    orgs: chosen.map((o) => ({
      orgId: o.id,
      label: o.label,
      forecast: summary(forecastMonth(orgSeries.get(o.id) ?? new Map(), { now, knownFrom: month.knownFrom.get(o.id) ?? null })),
    })),
    keys,
    budgets: budgetStatuses(budgets, month.members, month.byKey, { now, knownFrom: month.earliest }).sort((a, b) => b.percent - a.percent),
    alerts,
  };
}
