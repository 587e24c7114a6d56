import { describe, expect, it } from 'vitest';
import { estimateEmbeddingCost, estimateTokenCost, toGenaiUsage } from '@/lib/pricing/price';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const M = 1_000_000;

describe('estimateTokenCost (genai-prices, dated)', () => {
  it.each([
    // model, usage, context extras, expected µ$
    ['gpt-4o-2024-08-06', { input_tokens: M, output_tokens: M }, {}, 12.5 * M],
    ['gpt-4o-2024-08-06', { input_tokens: M, input_cached_tokens: M / 2, output_tokens: 0 }, {}, 1.875 * M],
    ['gpt-4o-2024-08-06', { input_tokens: M, output_tokens: M }, { batch: true }, 6.25 * M],
    ['gpt-4o-2024-08-06', { input_tokens: M, output_tokens: M }, { serviceTier: 'flex' }, 6.25 * M],
    ['gpt-4o-2024-08-06', { input_tokens: M, output_tokens: M }, { serviceTier: 'priority' }, 25 * M],
    ['gpt-4o-2024-08-06', { input_tokens: M, output_tokens: M }, { serviceTier: 'default' }, 12.5 * M],
    ['gpt-4o-mini-2024-07-18', { input_tokens: 2 * M, output_tokens: M }, {}, 0.9 * M],
  ] as const)('%s %j %j → %i µ$', (model, usage, extra, expected) => {
    expect(estimateTokenCost(usage, { model, day: day('2025-12-25'), ...extra })).toEqual({
      status: 'priced',
      micros: expected,
      basis: 'genai-prices',
    });
  });

  it('prices each row at its own date (o3 was cut from $10/$40 to $2/$8 on 2025-06-10)', () => {
    const usage = { input_tokens: M, output_tokens: M };
    expect(estimateTokenCost(usage, { model: 'o3', day: day('2025-05-01') })).toMatchObject({ micros: 50 * M });
    expect(estimateTokenCost(usage, { model: 'o3', day: day('2025-07-01') })).toMatchObject({ micros: 10 * M });
  });

  it('says "price unknown" for a model it has no price for, never zero', () => {
    expect(estimateTokenCost({ input_tokens: 10, output_tokens: 10 }, { model: 'ft:acme-secret-model', day: day('2025-12-25') })).toEqual({
      status: 'unknown',
      reason: 'no known price for ft:acme-secret-model',
    });
    expect(estimateTokenCost({ input_tokens: 10, output_tokens: 10 }, { model: null, day: 0 }).status).toBe('unknown');
  });

  it('uses a user override from its effective date on, before genai-prices', () => {
    const overrides = [{ model: 'gpt-4o-*', from: '2026-01-01', inputPerMTok: 2, cachedInputPerMTok: 1, outputPerMTok: 8 }];
    const usage = { input_tokens: M, input_cached_tokens: M / 2, output_tokens: M };
    expect(estimateTokenCost(usage, { model: 'gpt-4o-2024-08-06', day: day('2025-12-31'), overrides })).toMatchObject({
      basis: 'genai-prices',
    });
    expect(estimateTokenCost(usage, { model: 'gpt-4o-2024-08-06', day: day('2026-01-01'), overrides })).toEqual({
      status: 'priced',
      micros: 9.5 * M,
      basis: 'override',
    });
  });

  it('prices embeddings on input tokens', () => {
    expect(estimateEmbeddingCost(M, { model: 'text-embedding-3-small', day: day('2025-12-25') })).toMatchObject({ micros: 0.02 * M });
  });
});

describe('toGenaiUsage', () => {
  it('adds cached audio back into the audio total for the 2026 field set (audio reported uncached)', () => {
    expect(
      toGenaiUsage({
        input_tokens: 1000,
        output_tokens: 500,
        input_cached_tokens: 400,
        input_audio_tokens: 50,
        input_cached_audio_tokens: 50,
      }),
    ).toMatchObject({
      input_audio_tokens: 100,
      cache_audio_read_tokens: 50,
      cache_read_tokens: 400,
    });
  });
  it('keeps 2025 audio (already including cached) as it is', () => {
    expect(toGenaiUsage({ input_tokens: 1000, output_tokens: 0, input_audio_tokens: 80 })).toMatchObject({ input_audio_tokens: 80 });
  });
});
