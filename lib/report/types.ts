import type { AlertFiredRecord } from '../alerts/fired';
import type { BudgetStatus } from '../budgets/budgets';
import type { Micros } from '../money';
import type { Forecast } from '../usage/forecast';
import type { PanelData, PanelSpike } from '../usage/panel-data';
import type { ReportKeyRow } from './rows';

/** What the report page gets from the background (plain data; built in lib/report/load.ts). */

export interface ReportOverview {
  from: number;
  to: number;
  orgs: Array<{ orgId: string; label: string; lastSuccessAt: number | null }>;
  /** Daily cost by top keys, tokens by model, spikes with their attribution (the usage panel's builder). */
  panel: PanelData;
  rows: ReportKeyRow[];
  /** Every tag in use in these organisations. */
  tags: string[];
  projects: Array<{ orgId: string; projectId: string; name: string }>;
}

export interface KeyHistory {
  orgId: string;
  apiKeyId: string;
  name: string;
  deleted: boolean;
  /** UTC day starts of the range. */
  days: number[];
  /** Per model: daily cost (billed split by model where billed, else estimated) and tokens; largest cost first. */
  models: Array<{ model: string; micros: Micros[]; inputTokens: number[]; outputTokens: number[]; requests: number[] }>;
  /** This key's own spikes, explained by model. */
  spikes: PanelSpike[];
}

/** Month-end projection of one key or organisation, without the rhythm details. */
export type ForecastSummary = Pick<
  Forecast,
  'period' | 'spentMicros' | 'projectedMicros' | 'lowMicros' | 'highMicros' | 'completeDays' | 'daysInMonth' | 'basis' | 'sampleDays'
>;

export interface MonthInsights {
  period: string;
  /** Unix seconds of the figures. */
  asOf: number;
  /** The chosen organisations together, then each one. */
  total: ForecastSummary;
  orgs: Array<{ orgId: string; label: string; forecast: ForecastSummary }>;
  /** `${orgId}|${apiKeyId}` → forecast, for keys with any spend in the last weeks. */
  keys: Record<string, ForecastSummary>;
  /** Every budget (budgets are not per organisation: a tag budget spans them). */
  budgets: BudgetStatus[];
  /** Latest alerts raised, newest first. */
  alerts: AlertFiredRecord[];
}
