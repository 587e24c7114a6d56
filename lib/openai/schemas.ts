import { z } from 'zod';

/**
 * zod schemas for every Admin API response Keymeter reads, after
 * ../shared/reference/openai-admin-api.openapi.json (2026-08 spec). Required fields are
 * enforced; everything the older specs lacked is optional; unknown fields are tolerated
 * (zod objects drop them). Breakdown fields are kept as given: never summed into totals.
 */

const count = z.number().int().nonnegative();
const optionalCount = count.nullish();
const dimension = z.string().nullish();

export const completionsResult = z.object({
  object: z.literal('organization.usage.completions.result'),
  input_tokens: count,
  output_tokens: count,
  num_model_requests: count,
  input_cached_tokens: optionalCount,
  input_cache_write_tokens: optionalCount,
  input_uncached_tokens: optionalCount,
  input_text_tokens: optionalCount,
  input_cached_text_tokens: optionalCount,
  input_audio_tokens: optionalCount,
  input_cached_audio_tokens: optionalCount,
  input_image_tokens: optionalCount,
  input_cached_image_tokens: optionalCount,
  output_text_tokens: optionalCount,
  output_audio_tokens: optionalCount,
  output_image_tokens: optionalCount,
  project_id: dimension,
  user_id: dimension,
  api_key_id: dimension,
  model: dimension,
  batch: z.boolean().nullish(),
  service_tier: dimension,
});

const keyedDimensions = { project_id: dimension, user_id: dimension, api_key_id: dimension, model: dimension };

export const embeddingsResult = z.object({
  object: z.literal('organization.usage.embeddings.result'),
  input_tokens: count,
  num_model_requests: count,
  ...keyedDimensions,
});
export const moderationsResult = z.object({
  object: z.literal('organization.usage.moderations.result'),
  input_tokens: count,
  num_model_requests: count,
  ...keyedDimensions,
});
export const imagesResult = z.object({
  object: z.literal('organization.usage.images.result'),
  images: count,
  num_model_requests: count,
  size: dimension,
  source: dimension,
  ...keyedDimensions,
});
export const audioSpeechesResult = z.object({
  object: z.literal('organization.usage.audio_speeches.result'),
  characters: count,
  num_model_requests: count,
  ...keyedDimensions,
});
export const audioTranscriptionsResult = z.object({
  object: z.literal('organization.usage.audio_transcriptions.result'),
  seconds: count,
  num_model_requests: count,
  ...keyedDimensions,
});
export const vectorStoresResult = z.object({
  object: z.literal('organization.usage.vector_stores.result'),
  usage_bytes: count,
  project_id: dimension,
});
export const codeInterpreterSessionsResult = z.object({
  object: z.literal('organization.usage.code_interpreter_sessions.result'),
  num_sessions: count,
  project_id: dimension,
});
export const fileSearchCallsResult = z.object({
  object: z.literal('organization.usage.file_searches.result'),
  num_requests: count,
  project_id: dimension,
  user_id: dimension,
  api_key_id: dimension,
  vector_store_id: dimension,
});
export const webSearchCallsResult = z.object({
  object: z.literal('organization.usage.web_searches.result'),
  num_model_requests: count,
  num_requests: optionalCount,
  context_level: dimension,
  ...keyedDimensions,
});

/** Amounts may carry more digits than a double holds: the client quotes them before JSON.parse. */
export const decimalAmount = z.union([z.string().regex(/^-?\d+(\.\d+)?([eE][+-]?\d+)?$/), z.number()]).transform(String);

export const costsResult = z.object({
  object: z.literal('organization.costs.result'),
  amount: z.object({ value: decimalAmount, currency: z.string() }).nullish(),
  line_item: dimension,
  project_id: dimension,
  api_key_id: dimension,
  quantity: z.number().nullish(),
  quantity_unit: z.string().nullish(),
});

export const usageResults = {
  completions: completionsResult,
  embeddings: embeddingsResult,
  moderations: moderationsResult,
  images: imagesResult,
  audio_speeches: audioSpeechesResult,
  audio_transcriptions: audioTranscriptionsResult,
  vector_stores: vectorStoresResult,
  code_interpreter_sessions: codeInterpreterSessionsResult,
  file_search_calls: fileSearchCallsResult,
  web_search_calls: webSearchCallsResult,
} as const;

export type UsageEndpoint = keyof typeof usageResults;
export const USAGE_ENDPOINTS = Object.keys(usageResults) as UsageEndpoint[];
export type UsageResult<E extends UsageEndpoint> = z.infer<(typeof usageResults)[E]>;
export type CostsResult = z.infer<typeof costsResult>;

export function bucketPage<T extends z.ZodType>(result: T) {
  return z.object({
    object: z.literal('page'),
    data: z.array(
      z.object({
        object: z.literal('bucket'),
        start_time: z.number().int(),
        end_time: z.number().int(),
        results: z.array(result),
      }),
    ),
    has_more: z.boolean(),
    next_page: z.string().nullable(),
  });
}
export type BucketPage<T> = {
  data: Array<{ start_time: number; end_time: number; results: T[] }>;
  has_more: boolean;
  next_page: string | null;
};

export function listPage<T extends z.ZodType>(item: T) {
  return z.object({
    object: z.literal('list'),
    data: z.array(item),
    first_id: z.string().nullish(),
    last_id: z.string().nullish(),
    has_more: z.boolean(),
  });
}

export const project = z.object({
  id: z.string(),
  object: z.literal('organization.project'),
  name: z.string().nullable(),
  created_at: z.number().int(),
  archived_at: z.number().int().nullish(),
  status: z.string(),
});
export type Project = z.infer<typeof project>;

const ownerUser = z.object({ id: z.string(), name: z.string().nullish(), email: z.string().nullish(), role: z.string().nullish() });
const ownerServiceAccount = z.object({ id: z.string(), name: z.string().nullish(), role: z.string().nullish() });

export const projectApiKey = z.object({
  object: z.literal('organization.project.api_key'),
  id: z.string(),
  name: z.string(),
  redacted_value: z.string(),
  created_at: z.number().int(),
  last_used_at: z.number().int().nullable(),
  owner_project_access: z.string().nullish(),
  owner: z.object({
    type: z.string().nullish(),
    user: ownerUser.nullish(),
    service_account: ownerServiceAccount.nullish(),
  }),
});
export type ProjectApiKey = z.infer<typeof projectApiKey>;

export const user = z.object({
  object: z.literal('organization.user'),
  id: z.string(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  role: z.string().nullish(),
  added_at: z.number().int().nullish(),
});
export type User = z.infer<typeof user>;

export const errorEnvelope = z.object({
  error: z.object({ message: z.string(), type: z.string().nullish(), code: z.union([z.string(), z.number()]).nullish() }),
});
