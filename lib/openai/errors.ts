/** Typed failures of the Admin API client; the UI turns each kind into one specific sentence. */
export const API_ERROR_KINDS = [
  'unauthorized',
  'missing-scope',
  'rate-limited',
  'server',
  'network',
  'timeout',
  'unexpected-response',
  'bad-request',
  'not-found',
  'cursor-loop',
  /** Not the API's: the browser refused a write to Keymeter's IndexedDB (QuotaExceededError). */
  'storage-full',
] as const;
export type ApiErrorKind = (typeof API_ERROR_KINDS)[number];

export class AdminApiError extends Error {
  override name = 'AdminApiError';
  constructor(
    readonly kind: ApiErrorKind,
    /** What went wrong, already safe to show (never contains the key). */
    readonly detail: string,
    readonly status?: number,
    readonly path?: string,
  ) {
    super(`${kind}: ${detail}`);
  }
}

/** A plain, serialisable form that crosses the message boundary to the UI. */
export interface ApiErrorInfo {
  kind: ApiErrorKind;
  detail: string;
  status?: number;
  path?: string;
}

export function toErrorInfo(error: unknown): ApiErrorInfo {
  if (error instanceof AdminApiError) return { kind: error.kind, detail: error.detail, status: error.status, path: error.path };
  if (isQuotaError(error)) return { kind: 'storage-full', detail: quotaDetail(error) };
  return { kind: 'unexpected-response', detail: error instanceof Error ? error.message : String(error) };
}

/** The sentence a person reads. */
export function describeApiError(info: ApiErrorInfo): string {
  switch (info.kind) {
    case 'unauthorized':
      return 'OpenAI rejected this admin key (401). Check that it was copied whole and has not been revoked.';
    case 'missing-scope':
      return 'This key is not an admin key: it lacks api.usage.read. Create an admin key under Organization settings → Admin keys.';
    case 'rate-limited':
      return 'OpenAI is rate-limiting usage requests (429). Keymeter waited and retried; it will try again at the next sync.';
    case 'server':
      return `OpenAI's API had a server error (${info.status ?? '5xx'}). Keymeter retried; your saved history is unchanged.`;
    case 'network':
      return 'Could not reach api.openai.com. Check your connection; your saved history is unchanged.';
    case 'timeout':
      return 'api.openai.com did not answer in time. Keymeter will try again at the next sync.';
    case 'cursor-loop':
      return 'The API kept returning the same page cursor, so Keymeter stopped paging to avoid a loop.';
    case 'bad-request':
      return `OpenAI refused the request: ${info.detail}`;
    case 'not-found':
      return `OpenAI answered "not found" for ${info.path ?? 'a request'}.`;
    case 'unexpected-response':
      return `OpenAI sent a response Keymeter could not read (${info.detail}). Your saved history is unchanged.`;
    case 'storage-full':
      return `Your browser's storage for Keymeter is full: ${info.detail}; remove old history (Retention) or free disk space. The last good data is kept.`;
  }
}

/**
 * Whether an error is the browser refusing an IndexedDB write for lack of space. Dexie passes a
 * QuotaExceededError through under that name, or wraps it (an aborted transaction's `inner`, a
 * BulkError's `failures`); the chain is followed a few levels.
 */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (depth > 4 || typeof error !== 'object' || error === null) return false;
  const e = error as { name?: unknown; inner?: unknown; cause?: unknown; failures?: unknown };
  if (e.name === 'QuotaExceededError') return true;
  if (Array.isArray(e.failures) && e.failures.some((f) => isQuotaError(f, depth + 1))) return true;
  return isQuotaError(e.inner, depth + 1) || isQuotaError(e.cause, depth + 1);
}

/** What the browser said (the innermost QuotaExceededError's first line, without a trailing period), or a plain fallback. */
function quotaDetail(error: unknown): string {
  let said = '';
  let current: unknown = error;
  for (let i = 0; i < 5 && typeof current === 'object' && current !== null; i++) {
    const e = current as { name?: unknown; message?: unknown; inner?: unknown };
    if (e.name === 'QuotaExceededError' && typeof e.message === 'string' && e.message.trim()) said = e.message;
    current = e.inner;
  }
  const firstLine = said.trim().split('\n', 1)[0]?.trim().replace(/\.$/, '') ?? '';
  return firstLine || 'the browser refused to save more data';
}
