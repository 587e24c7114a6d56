import { parseMicros } from '../money';
import type { CostsResult, UsageEndpoint, UsageResult } from '../openai/schemas';
import { type Estimate, estimateEmbeddingCost, estimateTokenCost, type PriceOverride } from '../pricing/price';
import { type CostRecord, costId, type UsageRecord, usageId } from './records';

/** Usage of these endpoints is billed per image/character/second/…: Keymeter shows the Costs API's figure instead of guessing. */
const BILLED_ONLY: ReadonlySet<UsageEndpoint> = new Set([
  'images',
  'audio_speeches',
  'audio_transcriptions',
  'vector_stores',
  'code_interpreter_sessions',
  'file_search_calls',
  'web_search_calls',
]);

export interface NormaliseContext {
  orgId: string;
  overrides?: readonly PriceOverride[];
}

/** One API result in one bucket → one stored record (dimensions the query did not group by stay ''). */
export function normaliseUsage<E extends UsageEndpoint>(
  endpoint: E,
  bucketStart: number,
  result: UsageResult<E>,
  context: NormaliseContext,
): UsageRecord {
  const r = result as Record<string, unknown>;
  const text = (name: string) => (typeof r[name] === 'string' ? (r[name] as string) : '');
  const num = (name: string) => (typeof r[name] === 'number' ? (r[name] as number) : 0);
  const batch = r.batch === true ? 'batch' : r.batch === false ? 'standard' : '';
  const extra = [text('size'), text('source'), text('context_level'), text('vector_store_id')].filter(Boolean).join(' ');
  const base = {
    orgId: context.orgId,
    day: bucketStart,
    endpoint,
    projectId: text('project_id'),
    apiKeyId: text('api_key_id'),
    model: text('model'),
    batch,
    serviceTier: text('service_tier'),
    extra,
  } as const;
  const units =
    num('images') ||
    num('characters') ||
    num('seconds') ||
    num('usage_bytes') ||
    num('num_sessions') ||
    (endpoint === 'file_search_calls' ? num('num_requests') : 0) ||
    (endpoint === 'web_search_calls' ? num('num_requests') : 0);
  const record: UsageRecord = {
    ...base,
    id: usageId(base),
    requests: num('num_model_requests') || (endpoint === 'file_search_calls' ? num('num_requests') : 0),
    inputTokens: num('input_tokens'),
    cachedTokens: num('input_cached_tokens'),
    outputTokens: num('output_tokens'),
    units,
    estimatedMicros: null,
    priceNote: '',
  };
  const estimate = estimateFor(endpoint, result, record, context);
  if (estimate.status === 'priced') record.estimatedMicros = estimate.micros;
  else record.priceNote = estimate.reason;
  return record;
}

function estimateFor(endpoint: UsageEndpoint, result: unknown, record: UsageRecord, context: NormaliseContext): Estimate {
  if (BILLED_ONLY.has(endpoint)) return { status: 'unknown', reason: 'billed-only' };
  const priceContext = {
    model: record.model || null,
    day: record.day,
    batch: record.batch === 'batch',
    serviceTier: record.serviceTier,
    overrides: context.overrides,
  };
  if (endpoint === 'completions') return estimateTokenCost(result as UsageResult<'completions'>, priceContext);
  return estimateEmbeddingCost(record.inputTokens, priceContext); // embeddings, moderations
}

export function normaliseCost(bucketStart: number, result: CostsResult, orgId: string): CostRecord {
  const base = {
    orgId,
    day: bucketStart,
    projectId: result.project_id ?? '',
    apiKeyId: result.api_key_id ?? '',
    lineItem: result.line_item ?? '',
  };
  return {
    ...base,
    id: costId(base),
    micros: result.amount ? parseMicros(result.amount.value) : 0,
    currency: result.amount?.currency ?? 'usd',
    quantity: result.quantity ?? null,
    quantityUnit: result.quantity_unit ?? '',
  };
}
