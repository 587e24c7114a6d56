/**
 * What each route accepts and returns, transcribed from reference/openai-admin-api.openapi.json
 * (the contract test checks this table against the spec, so drift shows up as a failure).
 */
import type { UsageEndpoint } from '../model';
import type { ParamTable } from './params';

export type Width = '1m' | '1h' | '1d';
export const WIDTH_SECONDS: Record<Width, number> = { '1m': 60, '1h': 3600, '1d': 86_400 };

/** Bucket limits per width (spec `limit` description). */
export const USAGE_LIMITS: Record<Width, { default: number; max: number }> = {
  '1d': { default: 7, max: 31 },
  '1h': { default: 24, max: 168 },
  '1m': { default: 60, max: 1440 },
};
export const COSTS_LIMIT = { default: 7, min: 1, max: 180 };
export const LIST_LIMIT = { default: 20, min: 1, max: 100 };

export interface UsageRoute {
  /** The result's `object`. */
  object: string;
  /** Metric fields, in the order the spec lists them. */
  metrics: readonly string[];
  /** Dimension fields of the result = allowed group_by values, in result order. */
  dims: readonly string[];
  /** Array filters besides project_ids, mapped to the dimension they filter. */
  filters: Readonly<Record<string, string>>;
  /** Allowed values for enum-typed filters. */
  filterEnums?: Readonly<Record<string, readonly string[]>>;
  /** completions only: the boolean `batch` filter. */
  batchFilter?: boolean;
  /** Gauges (bytes stored) are reported per day, never spread over hours. */
  gauge?: boolean;
}

const KEYED_FILTERS = { user_ids: 'user_id', api_key_ids: 'api_key_id', models: 'model' } as const;
const KEYED_DIMS = ['project_id', 'user_id', 'api_key_id', 'model'] as const;
const COMPLETIONS_METRICS = [
  'input_tokens',
  'input_cached_tokens',
  'input_cache_write_tokens',
  'input_uncached_tokens',
  'output_tokens',
  'input_text_tokens',
  'output_text_tokens',
  'input_cached_text_tokens',
  'input_audio_tokens',
  'input_cached_audio_tokens',
  'output_audio_tokens',
  'input_image_tokens',
  'input_cached_image_tokens',
  'output_image_tokens',
  'num_model_requests',
] as const;

export const USAGE_ROUTES: Record<UsageEndpoint, UsageRoute> = {
  completions: {
    object: 'organization.usage.completions.result',
    metrics: COMPLETIONS_METRICS,
    dims: [...KEYED_DIMS, 'batch', 'service_tier'],
    filters: KEYED_FILTERS,
    batchFilter: true,
  },
  embeddings: {
    object: 'organization.usage.embeddings.result',
    metrics: ['input_tokens', 'num_model_requests'],
    dims: KEYED_DIMS,
    filters: KEYED_FILTERS,
  },
  moderations: {
    object: 'organization.usage.moderations.result',
    metrics: ['input_tokens', 'num_model_requests'],
    dims: KEYED_DIMS,
    filters: KEYED_FILTERS,
  },
  images: {
    object: 'organization.usage.images.result',
    metrics: ['images', 'num_model_requests'],
    dims: ['size', 'source', ...KEYED_DIMS],
    filters: { ...KEYED_FILTERS, sources: 'source', sizes: 'size' },
    filterEnums: {
      sources: ['image.generation', 'image.edit', 'image.variation'],
      sizes: ['256x256', '512x512', '1024x1024', '1792x1792', '1024x1792'],
    },
  },
  audio_speeches: {
    object: 'organization.usage.audio_speeches.result',
    metrics: ['characters', 'num_model_requests'],
    dims: KEYED_DIMS,
    filters: KEYED_FILTERS,
  },
  audio_transcriptions: {
    object: 'organization.usage.audio_transcriptions.result',
    metrics: ['seconds', 'num_model_requests'],
    dims: KEYED_DIMS,
    filters: KEYED_FILTERS,
  },
  vector_stores: {
    object: 'organization.usage.vector_stores.result',
    metrics: ['usage_bytes'],
    dims: ['project_id'],
    filters: {},
    gauge: true,
  },
  code_interpreter_sessions: {
    object: 'organization.usage.code_interpreter_sessions.result',
    metrics: ['num_sessions'],
    dims: ['project_id'],
    filters: {},
  },
  file_search_calls: {
    object: 'organization.usage.file_searches.result',
    metrics: ['num_requests'],
    dims: ['project_id', 'user_id', 'api_key_id', 'vector_store_id'],
    filters: { user_ids: 'user_id', api_key_ids: 'api_key_id', vector_store_ids: 'vector_store_id' },
  },
  web_search_calls: {
    object: 'organization.usage.web_searches.result',
    metrics: ['num_model_requests', 'num_requests'],
    dims: [...KEYED_DIMS, 'context_level'],
    filters: { ...KEYED_FILTERS, context_levels: 'context_level' },
    filterEnums: { context_levels: ['low', 'medium', 'high'] },
  },
};

/** The metric that counts requests: hours and minutes get their share of the others in proportion to it. */
export const DRIVER_METRIC: Record<UsageEndpoint, string> = {
  completions: 'num_model_requests',
  embeddings: 'num_model_requests',
  moderations: 'num_model_requests',
  images: 'num_model_requests',
  audio_speeches: 'num_model_requests',
  audio_transcriptions: 'num_model_requests',
  vector_stores: 'usage_bytes',
  code_interpreter_sessions: 'num_sessions',
  file_search_calls: 'num_requests',
  web_search_calls: 'num_model_requests',
};

const TIME_PARAMS: ParamTable = {
  start_time: { kind: 'int', required: true },
  end_time: { kind: 'int' },
  bucket_width: { kind: 'string', enum: ['1m', '1h', '1d'] },
  limit: { kind: 'int' },
  page: { kind: 'string' },
};

export function usageParams(route: UsageRoute): ParamTable {
  const table: ParamTable = { ...TIME_PARAMS, project_ids: { kind: 'array' }, group_by: { kind: 'array', enum: route.dims } };
  for (const name of Object.keys(route.filters)) table[name] = { kind: 'array', enum: route.filterEnums?.[name] };
  if (route.batchFilter) table.batch = { kind: 'bool' };
  return table;
}

export const COSTS_DIMS = ['project_id', 'line_item', 'api_key_id'] as const;

export const COSTS_PARAMS: ParamTable = {
  ...TIME_PARAMS,
  bucket_width: { kind: 'string', enum: ['1d'] },
  project_ids: { kind: 'array' },
  api_key_ids: { kind: 'array' },
  group_by: { kind: 'array', enum: COSTS_DIMS },
};

export const PROJECTS_PARAMS: ParamTable = { limit: { kind: 'int' }, after: { kind: 'string' }, include_archived: { kind: 'bool' } };
export const KEYS_PARAMS: ParamTable = {
  limit: { kind: 'int' },
  after: { kind: 'string' },
  owner_project_access: { kind: 'string', enum: ['active', 'inactive', 'any'] },
};
export const USERS_PARAMS: ParamTable = { limit: { kind: 'int' }, after: { kind: 'string' }, emails: { kind: 'array' } };

/** Every route the mock serves, for documentation and tests. Paths are relative to /v1. */
export function describeRoutes(): Array<{ method: 'GET'; path: string; operationId: string }> {
  const usage = (Object.keys(USAGE_ROUTES) as UsageEndpoint[]).map((e) => ({
    method: 'GET' as const,
    path: `/organization/usage/${e}`,
    operationId: `usage-${e.replace(/_/g, '-')}`,
  }));
  return [
    ...usage,
    { method: 'GET', path: '/organization/costs', operationId: 'usage-costs' },
    { method: 'GET', path: '/organization/projects', operationId: 'list-projects' },
    { method: 'GET', path: '/organization/projects/{project_id}/api_keys', operationId: 'list-project-api-keys' },
    { method: 'GET', path: '/organization/projects/{project_id}/api_keys/{api_key_id}', operationId: 'retrieve-project-api-key' },
    { method: 'GET', path: '/organization/users', operationId: 'list-users' },
  ];
}
