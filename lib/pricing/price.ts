import { calcPrice } from '@pydantic/genai-prices';
import type { Micros } from '../money';

/**
 * Estimated cost of one usage row at the price in force on that row's day, from the bundled
 * @pydantic/genai-prices data (no network at run time), with user overrides first.
 * Batch is half price; flex and priority tiers scale the standard price (reference notes §2.1).
 */

export { PRICE_DATA } from './source';

export const TIER_MULTIPLIERS: Record<string, number> = { flex: 0.5, priority: 2 };
export const BATCH_MULTIPLIER = 0.5;

export { type PriceOverride, priceOverrideSchema } from './overrides';

import type { PriceOverride } from './overrides';

/** The token counts of one completions-like row, as the Usage API reports them. */
export interface TokenUsage {
  input_tokens: number; // includes cached and cache-write tokens
  output_tokens: number;
  input_cached_tokens?: number | null;
  input_cache_write_tokens?: number | null;
  input_audio_tokens?: number | null;
  input_cached_audio_tokens?: number | null;
  input_image_tokens?: number | null;
  input_cached_image_tokens?: number | null;
  output_audio_tokens?: number | null;
  output_image_tokens?: number | null;
}

export type Estimate = { status: 'priced'; micros: Micros; basis: 'genai-prices' | 'override' } | { status: 'unknown'; reason: string };

export interface PriceContext {
  model: string | null;
  /** Start of the row's UTC day, Unix seconds. */
  day: number;
  batch?: boolean | null;
  serviceTier?: string | null;
  overrides?: readonly PriceOverride[];
}

export function estimateTokenCost(usage: TokenUsage, context: PriceContext): Estimate {
  const { model } = context;
  if (!model) return { status: 'unknown', reason: 'usage without a model cannot be priced' };
  const multiplier = (context.batch ? BATCH_MULTIPLIER : 1) * (TIER_MULTIPLIERS[context.serviceTier ?? ''] ?? 1);
  const override = findOverride(context.overrides ?? [], model, context.day);
  if (override) {
    const cached = usage.input_cached_tokens ?? 0;
    const dollars =
      ((usage.input_tokens - cached) * override.inputPerMTok +
        cached * (override.cachedInputPerMTok ?? override.inputPerMTok) +
        usage.output_tokens * override.outputPerMTok) /
      1e6;
    return { status: 'priced', micros: Math.round(dollars * 1e6 * multiplier), basis: 'override' };
  }
  try {
    const result = calcPrice(toGenaiUsage(usage), model, { providerId: 'openai', timestamp: new Date(context.day * 1000) });
    if (!result) return { status: 'unknown', reason: `no known price for ${model}` };
    return { status: 'priced', micros: Math.round(result.total_price * 1e6 * multiplier), basis: 'genai-prices' };
  } catch (error) {
    return { status: 'unknown', reason: `could not price ${model}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Maps Usage API fields to genai-prices units. The 2026 spec reports audio and image input
 * *uncached* with separate cached counts; the 2025 spec reported audio "including cached" and
 * had no cached-audio field. genai-prices wants totals with cached parts inside them.
 */
export function toGenaiUsage(usage: TokenUsage): Record<string, number> {
  const has2026AudioSplit = usage.input_cached_audio_tokens !== undefined && usage.input_cached_audio_tokens !== null;
  const cachedAudio = usage.input_cached_audio_tokens ?? 0;
  const cachedImage = usage.input_cached_image_tokens ?? 0;
  const out: Record<string, number> = {
    input_tokens: usage.input_tokens,
    output_tokens: usage.output_tokens,
  };
  const set = (key: string, value: number) => {
    if (value > 0) out[key] = value;
  };
  set('cache_read_tokens', usage.input_cached_tokens ?? 0);
  set('cache_write_tokens', usage.input_cache_write_tokens ?? 0);
  set('input_audio_tokens', (usage.input_audio_tokens ?? 0) + (has2026AudioSplit ? cachedAudio : 0));
  set('cache_audio_read_tokens', cachedAudio);
  set('input_image_tokens', (usage.input_image_tokens ?? 0) + cachedImage);
  set('cache_image_read_tokens', cachedImage);
  set('output_audio_tokens', usage.output_audio_tokens ?? 0);
  set('output_image_tokens', usage.output_image_tokens ?? 0);
  return out;
}

/** Embeddings are priced on input tokens only. */
export function estimateEmbeddingCost(inputTokens: number, context: PriceContext): Estimate {
  return estimateTokenCost({ input_tokens: inputTokens, output_tokens: 0 }, context);
}

export function findOverride(overrides: readonly PriceOverride[], model: string, day: number): PriceOverride | undefined {
  const date = new Date(day * 1000).toISOString().slice(0, 10);
  return overrides
    .filter((o) => (o.model.endsWith('*') ? model.startsWith(o.model.slice(0, -1)) : o.model === model) && o.from <= date)
    .sort((a, b) => b.from.localeCompare(a.from))[0];
}
