import { getOrCreate } from '../map-utils';
import { estimateEmbeddingCost, estimateTokenCost, findOverride, type PriceOverride } from '../pricing/price';
import type { UsageRecord } from '../usage/records';
import { refreshDayTotals } from './day-totals';
import type { HistoryDB } from './db';

/**
 * "Re-price history": re-runs the cost estimate of stored usage rows with the price overrides in
 * force now, from the tokens each row stores (input, cached input, output), without the network.
 *
 * What is exact and what is approximated:
 * - A row an override covers: exact. An override's price uses only input, cached-input and
 *   output tokens (plus the batch and tier multipliers), all of which the row stores; this is the
 *   same arithmetic a sync does.
 * - Embeddings and moderations: exact (priced on input tokens only, as in a sync).
 * - Other completions rows (no override now, e.g. after one was removed): re-estimated at the
 *   genai-prices list price from those three counts. The row does not keep the Usage API's
 *   audio, image and cache-write token split, so such tokens would be priced at the text rate.
 *   Rows of audio and realtime models, where that split changes the price, are therefore left
 *   with the estimate their sync made (counted as `kept`). Image input tokens of chat models are
 *   billed at the text input rate, so for them the approximation is exact.
 * - Billed-only endpoints (images, audio, tools, storage) have no estimate and are not touched.
 */

const ESTIMATED_ENDPOINTS: ReadonlySet<UsageRecord['endpoint']> = new Set(['completions', 'embeddings', 'moderations']);
/** Models whose price depends on an audio token split the stored row does not keep. */
const AUDIO_TOKEN_MODEL = /audio|realtime/i;

export type RepriceOutcome = { kind: 'changed'; row: UsageRecord } | { kind: 'same' } | { kind: 'kept' } | { kind: 'not-estimated' };

/** One row's estimate with today's overrides (pure). */
export function repriceRow(row: UsageRecord, overrides: readonly PriceOverride[]): RepriceOutcome {
  if (!ESTIMATED_ENDPOINTS.has(row.endpoint)) return { kind: 'not-estimated' };
  const context = { model: row.model || null, day: row.day, batch: row.batch === 'batch', serviceTier: row.serviceTier, overrides };
  const covered = row.model !== '' && findOverride(overrides, row.model, row.day) !== undefined;
  if (row.endpoint === 'completions' && !covered && AUDIO_TOKEN_MODEL.test(row.model)) return { kind: 'kept' };
  const estimate =
    row.endpoint === 'completions'
      ? estimateTokenCost(
          { input_tokens: row.inputTokens, input_cached_tokens: row.cachedTokens, output_tokens: row.outputTokens },
          context,
        )
      : estimateEmbeddingCost(row.inputTokens, context);
  const estimatedMicros = estimate.status === 'priced' ? estimate.micros : null;
  const priceNote = estimate.status === 'priced' ? '' : estimate.reason;
  if (estimatedMicros === row.estimatedMicros && priceNote === row.priceNote) return { kind: 'same' };
  return { kind: 'changed', row: { ...row, estimatedMicros, priceNote } };
}

export interface RepriceResult {
  /** Rows that carry an estimate (completions, embeddings, moderations). */
  rows: number;
  changed: number;
  /** Audio/realtime rows without an override: their synced estimate is kept (see above). */
  kept: number;
}

const PAGE = 5_000;

/** Re-prices every stored usage row in one transaction (all rows or none), page by page by id. */
export async function repriceHistory(db: HistoryDB, overrides: readonly PriceOverride[]): Promise<RepriceResult> {
  return db.transaction('rw', [db.usage, db.costs, db.dayTotals], async () => {
    const result: RepriceResult = { rows: 0, changed: 0, kept: 0 };
    const touchedDays = new Map<string, Set<number>>();
    let after: string | null = null;
    for (;;) {
      const page: UsageRecord[] = await (after === null ? db.usage.orderBy(':id') : db.usage.where(':id').above(after))
        .limit(PAGE)
        .toArray();
      if (page.length === 0) break;
      after = page.at(-1)!.id;
      const changed: UsageRecord[] = [];
      for (const row of page) {
        const outcome = repriceRow(row, overrides);
        if (outcome.kind === 'not-estimated') continue;
        result.rows += 1;
        if (outcome.kind === 'kept') result.kept += 1;
        if (outcome.kind === 'changed') changed.push(outcome.row);
      }
      if (changed.length) await db.usage.bulkPut(changed);
      for (const { orgId, day } of changed) getOrCreate(touchedDays, orgId, () => new Set<number>()).add(day);
      result.changed += changed.length;
    }
    for (const [orgId, days] of touchedDays) await refreshDayTotals(db, orgId, days);
    return result;
  });
}
