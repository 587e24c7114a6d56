import type { PendingSync, SyncStep } from '../history/db';
import { USAGE_ENDPOINTS, type UsageEndpoint } from '../openai/schemas';

export const DAY = 86_400;
/** Usage can arrive late: every sync refetches the last two synced days. */
export const REFETCH_DAYS = 2;
/** Largest page the API allows, so a 90-day backfill is a handful of requests per endpoint. */
export const USAGE_DAYS_PER_PAGE = 31;
export const COST_DAYS_PER_PAGE = 180;

/** Every dimension each endpoint can be grouped by that Keymeter keeps (user_id is not: keys carry owners). */
export const USAGE_GROUP_BY: Record<UsageEndpoint, string[]> = {
  completions: ['project_id', 'api_key_id', 'model', 'batch', 'service_tier'],
  embeddings: ['project_id', 'api_key_id', 'model'],
  moderations: ['project_id', 'api_key_id', 'model'],
  images: ['project_id', 'api_key_id', 'model', 'size', 'source'],
  audio_speeches: ['project_id', 'api_key_id', 'model'],
  audio_transcriptions: ['project_id', 'api_key_id', 'model'],
  vector_stores: ['project_id'],
  code_interpreter_sessions: ['project_id'],
  file_search_calls: ['project_id', 'api_key_id', 'vector_store_id'],
  web_search_calls: ['project_id', 'api_key_id', 'model', 'context_level'],
};
export const COST_GROUP_BY = ['project_id', 'api_key_id', 'line_item'];

export const startOfUtcDay = (seconds: number) => Math.floor(seconds / DAY) * DAY;

/** Which days and steps a sync covers: a backfill on first run, else from the watermark less two days. */
export function planSync(input: { now: number; watermark: number | null; backfillDays: number }): PendingSync {
  const today = startOfUtcDay(input.now);
  const to = today + DAY; // today so far is included; it is refetched next time
  const from = input.watermark === null ? today - (input.backfillDays - 1) * DAY : Math.min(input.watermark - REFETCH_DAYS * DAY, today);
  const days = (to - from) / DAY;
  const steps: SyncStep[] = [
    { name: 'metadata', done: false, pagesDone: 0, pagesPlanned: 1 },
    ...USAGE_ENDPOINTS.map((endpoint) => ({
      name: `usage:${endpoint}`,
      done: false,
      pagesDone: 0,
      pagesPlanned: Math.ceil(days / USAGE_DAYS_PER_PAGE),
    })),
    { name: 'costs', done: false, pagesDone: 0, pagesPlanned: Math.ceil(days / COST_DAYS_PER_PAGE) },
  ];
  return { from, to, startedAt: input.now, steps };
}

export function progressOf(pending: PendingSync): { pagesDone: number; pagesPlanned: number } {
  return pending.steps.reduce(
    (acc, s) => ({ pagesDone: acc.pagesDone + s.pagesDone, pagesPlanned: acc.pagesPlanned + Math.max(s.pagesPlanned, s.pagesDone) }),
    { pagesDone: 0, pagesPlanned: 0 },
  );
}
