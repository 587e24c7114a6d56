import { z } from 'zod';
import type { Micros } from '../money';
import { type Forecast, forecastMonth, monthOf } from '../usage/forecast';

/**
 * Monthly budgets on a key, a cost-center tag or a project, with alert thresholds. OpenAI cannot
 * enforce a spending cap per key, so a budget only *alerts*: one browser notification per
 * threshold per calendar month (UTC), never a block. Pure rules here; storage and the after-sync
 * check live in lib/budgets/store.ts and lib/alerts/after-sync.ts.
 */

export const DEFAULT_THRESHOLDS = [50, 80, 100] as const;

export const budgetScopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('key'), orgId: z.string().min(1).max(200), apiKeyId: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('project'), orgId: z.string().min(1).max(200), projectId: z.string().min(1).max(200) }),
  z.object({ kind: z.literal('tag'), tag: z.string().trim().min(1).max(100) }),
]);
export type BudgetScope = z.infer<typeof budgetScopeSchema>;

export const budgetSchema = z.object({
  id: z.string().min(1).max(100),
  /** What people call it ("Support bot", "cc-4711"); the scope's own name when blank. */
  name: z.string().trim().max(120),
  scope: budgetScopeSchema,
  /** Monthly amount in µ$ (USD). */
  monthlyMicros: z
    .number()
    .int()
    .positive('a budget must be more than zero')
    .max(1_000_000_000 * 1_000_000),
  /** Percentages of the budget that alert, ascending and unique. */
  thresholds: z
    .array(z.number().int().min(1, 'a threshold is at least 1 %').max(1000, 'a threshold is at most 1000 %'))
    .min(1, 'give at least one threshold')
    .max(10)
    .transform((t) => [...new Set(t)].sort((a, b) => a - b)),
  createdAt: z.number().int().nonnegative(),
});
export type Budget = z.infer<typeof budgetSchema>;

/** What a key contributes to: its organisation, project and tags. */
export interface BudgetMember {
  orgId: string;
  apiKeyId: string;
  projectId: string;
  tags: readonly string[];
}

export function inScope(scope: BudgetScope, member: BudgetMember): boolean {
  switch (scope.kind) {
    case 'key':
      return member.orgId === scope.orgId && member.apiKeyId === scope.apiKeyId;
    case 'project':
      return member.orgId === scope.orgId && member.projectId === scope.projectId;
    case 'tag':
      return member.tags.some((t) => t.toLowerCase() === scope.tag.toLowerCase());
  }
}

export interface BudgetStatus {
  budget: Budget;
  period: string;
  spentMicros: Micros;
  /** Spent as a percentage of the budget (may pass 100). */
  percent: number;
  /** Thresholds reached this period, ascending. */
  reached: number[];
  forecast: Forecast;
  /** Keys counted. */
  keyCount: number;
}

/**
 * Each budget's use this month. `daily`: µ$ per UTC day for each key (`${orgId}|${apiKeyId}`),
 * covering at least the month and the weeks before it (for the forecast's rhythm).
 */
export function budgetStatuses(
  budgets: readonly Budget[],
  members: ReadonlyMap<string, BudgetMember>,
  daily: ReadonlyMap<string, ReadonlyMap<number, Micros>>,
  window: { now: number; knownFrom: number | null },
): BudgetStatus[] {
  const month = monthOf(window.now);
  return budgets.map((budget) => {
    const series = new Map<number, Micros>();
    let keyCount = 0;
    for (const [ref, member] of members) {
      if (!inScope(budget.scope, member)) continue;
      keyCount++;
      for (const [day, micros] of daily.get(ref) ?? []) series.set(day, (series.get(day) ?? 0) + micros);
    }
    const forecast = forecastMonth(series, window);
    const spent = forecast.spentMicros;
    const percent = (spent / budget.monthlyMicros) * 100;
    return {
      budget,
      period: month.period,
      spentMicros: spent,
      percent,
      reached: budget.thresholds.filter((t) => spent * 100 >= t * budget.monthlyMicros),
      forecast,
      keyCount,
    };
  });
}

export const budgetAlertId = (budgetId: string, period: string, threshold: number) => `budget|${budgetId}|${period}|${threshold}`;

export interface BudgetAlert {
  status: BudgetStatus;
  /** The highest threshold newly reached: the one the notification names. */
  threshold: number;
  /** Every threshold newly reached in this check (several when one sync jumps over more than one). */
  newly: number[];
  /** Alert ids to record as fired. */
  ids: string[];
}

/**
 * Which budgets must notify now: those with a threshold reached this period that has not fired yet.
 * One alert per budget and check, naming the highest new threshold; every threshold reached is
 * then recorded, so each fires once per period however often syncs run.
 */
export function budgetAlerts(statuses: readonly BudgetStatus[], fired: ReadonlySet<string>): BudgetAlert[] {
  const alerts: BudgetAlert[] = [];
  for (const status of statuses) {
    const newly = status.reached.filter((t) => !fired.has(budgetAlertId(status.budget.id, status.period, t)));
    if (newly.length === 0) continue;
    alerts.push({
      status,
      threshold: newly.at(-1)!,
      newly,
      ids: newly.map((t) => budgetAlertId(status.budget.id, status.period, t)),
    });
  }
  return alerts;
}

/** The label of a budget: its name, else what it covers. */
export function budgetLabel(
  budget: Budget,
  names: { key?: (orgId: string, apiKeyId: string) => string; project?: (orgId: string, projectId: string) => string } = {},
): string {
  if (budget.name) return budget.name;
  const { scope } = budget;
  switch (scope.kind) {
    case 'key':
      return `Key ${names.key?.(scope.orgId, scope.apiKeyId) ?? scope.apiKeyId}`;
    case 'project':
      return `Project ${names.project?.(scope.orgId, scope.projectId) ?? scope.projectId}`;
    case 'tag':
      return `Tag ${scope.tag}`;
  }
}

/** A budget as the form makes it (the background gives it an id and a creation time). */
export const budgetDraftSchema = budgetSchema.omit({ id: true, createdAt: true });

/** A monthly amount as typed: US dollars with up to six decimals ("250", "99.50"). */
export const AMOUNT_PATTERN = /^\d{1,9}(\.\d{1,6})?$/;
