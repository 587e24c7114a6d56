/** Typed failures of the Admin API client; the UI turns each kind into one specific sentence. */
export type ApiErrorKind =
  | 'unauthorized'
  | 'missing-scope'
  | 'rate-limited'
  | 'server'
  | 'network'
  | 'timeout'
  | 'unexpected-response'
  | 'bad-request'
  | 'not-found'
  | 'cursor-loop';

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
  }
}
