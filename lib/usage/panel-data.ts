import type { Micros } from '../money';

/** Everything the usage panel below "Top API keys" shows, for one range (built in the background). */
export interface PanelData {
  from: number;
  to: number;
  orgs: Array<{ orgId: string; label: string; lastSuccessAt: number | null }>;
  /** Daily cost of the top keys plus "Other" (billed where the Costs API has it, else estimated). */
  dailyCost: { days: number[]; series: Array<{ apiKeyId: string; label: string; micros: Micros[] }>; basis: 'billed' | 'estimated' | 'mixed' };
  tokensByModel: Array<{ model: string; inputTokens: number; cachedTokens: number; outputTokens: number }>;
  /** Days whose spend is far above their recent baseline, with the keys and models behind the difference. */
  spikes: Array<{
    day: number;
    micros: Micros;
    baselineMicros: Micros;
    drivers: Array<{ apiKeyId: string; keyName: string; model: string; deltaMicros: Micros }>;
  }>;
  /** Usage reported without a key (legacy keys with tracking off), or null when there is none. */
  untracked: { requests: number; inputTokens: number; outputTokens: number } | null;
}
