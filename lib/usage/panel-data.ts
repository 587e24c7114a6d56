import type { Micros } from '../money';
import type { ApiErrorInfo } from '../openai/errors';

/**
 * The contract between the background, the usage-panel page and the content script that frames it.
 * Types and constants only (no zod, no runtime deps), so the content script can import it cheaply.
 */

/** Which key a figure belongs to: key ids are per organisation; '' = usage without a key. */
export interface KeyRef {
  orgId: string;
  apiKeyId: string;
}

export type CostBasis = 'billed' | 'estimated' | 'mixed';

/** Everything the usage panel below "Top API keys" shows, for one range (built in the background). */
export interface PanelData {
  /** The range asked for, Unix seconds, `to` exclusive. */
  from: number;
  to: number;
  /** The organisations included (empty: no admin key, zero-setup mode). */
  orgs: Array<{ orgId: string; label: string; lastSuccessAt: number | null; lastError: ApiErrorInfo | null }>;
  /** Sums over the range (all keys, all orgs). */
  totals: { micros: Micros; requests: number; inputTokens: number; cachedTokens: number; outputTokens: number };
  /**
   * Daily cost of the top keys plus "Other" (billed where the Costs API has that day, else estimated).
   * For every day i: sum of series[*].micros[i] === totals[i].
   */
  dailyCost: {
    /** UTC day starts in the range, oldest first. */
    days: number[];
    totals: Micros[];
    /** Where each day's figure comes from. */
    dayBasis: CostBasis[];
    /** Top keys by cost in the range, largest first; the last one is "Other" (orgId and apiKeyId '*') when more keys spent. */
    series: Array<KeyRef & { label: string; micros: Micros[] }>;
    basis: CostBasis;
  };
  /** Tokens per model in the range, largest first. inputTokens includes cachedTokens (as the API reports it). */
  tokensByModel: Array<{ model: string; requests: number; inputTokens: number; cachedTokens: number; outputTokens: number }>;
  /** Days whose spend is far above their recent baseline, with the keys and models behind the difference; oldest first. */
  spikes: PanelSpike[];
  /** Usage reported without a key (legacy keys with tracking off), or null when there is none. */
  untracked: { requests: number; inputTokens: number; outputTokens: number } | null;
  /** Usage rows in estimated days whose price is unknown: their cost is missing from the figures. */
  unpricedRows: number;
}

export interface PanelSpike {
  day: number;
  micros: Micros;
  baselineMicros: Micros;
  /** How the baseline was formed: median of the same weekday over the previous weeks, or of the previous days. */
  baselineKind: 'weekday' | 'recent';
  /** 'total': the day's total is unusual; 'pair': the day's total is not, but the drivers each are on their own. */
  trigger: 'total' | 'pair';
  /** The driver's cost that day, its usual cost, and the rise. */
  drivers: Array<KeyRef & { keyName: string; model: string; micros: Micros; baselineMicros: Micros; deltaMicros: Micros }>;
}

/** The id of the "Other" series. */
export const OTHER_SERIES = '*';

/** The page the content script frames below "Top API keys". */
export const USAGE_PANEL_PATH = '/usage-panel.html';
export const PANEL_PARENT_ORIGIN = 'https://platform.openai.com';

/** What the panel posts to its parent after each layout change, so the iframe can be sized. */
export interface PanelHeightMessage {
  type: 'keymeter:panel-height';
  height: number;
}
export const PANEL_HEIGHT_MESSAGE: PanelHeightMessage['type'] = 'keymeter:panel-height';

export interface PanelRange {
  from: number;
  to: number;
  label: string;
  /** 'default': the dashboard's range could not be read and the panel shows the last 30 days. */
  source: 'page' | 'default';
}

/** The iframe's hash: `#from=<unix s>&to=<unix s exclusive>&label=<text>&source=page|default` (parsed with zod by parsePanelHash in components/usage-panel.tsx). */
export function panelHash(range: PanelRange): string {
  const params = new URLSearchParams({ from: String(range.from), to: String(range.to), label: range.label, source: range.source });
  return `#${params.toString()}`;
}
