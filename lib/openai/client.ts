import type { z } from 'zod';
import { AdminApiError } from './errors';
import {
  type BucketPage,
  bucketPage,
  costsResult,
  errorEnvelope,
  listPage,
  type Project,
  type ProjectApiKey,
  project,
  projectApiKey,
  type UsageEndpoint,
  type UsageResult,
  type User,
  usageResults,
  user,
} from './schemas';

export const API_BASE = 'https://api.openai.com/v1';

export type QueryValue = string | number | boolean | undefined | null | ReadonlyArray<string | number | boolean>;
export type Query = Record<string, QueryValue>;

export interface AdminClientOptions {
  apiKey: string;
  fetch?: typeof fetch;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Attempts per request, counting the first. */
  maxAttempts?: number;
  /** Longest single wait between attempts. */
  maxDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  signal?: AbortSignal;
  /** Called after each page is received; sync uses it for progress. */
  onPage?: (path: string) => void;
}

/** Array params go as repeated keys (`group_by=a&group_by=b`), the form the API is known to accept. */
export function buildUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) params.append(name, String(item));
    else params.append(name, String(value));
  }
  const search = params.toString();
  return `${API_BASE}${path}${search ? `?${search}` : ''}`;
}

/** Costs amounts may carry 30 decimals; quote them before JSON.parse so no digit is lost. */
export function parseJsonKeepingAmounts(text: string): unknown {
  return JSON.parse(text.replace(/("value"\s*:\s*)(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g, '$1"$2"'));
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAdminClient(options: AdminClientOptions) {
  const doFetch = options.fetch ?? ((...args: Parameters<typeof fetch>) => fetch(...args));
  const timeoutMs = options.timeoutMs ?? 30_000;
  const maxAttempts = options.maxAttempts ?? 4;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;

  /** Exponential backoff with full jitter, at least what Retry-After asks for. */
  function delayBefore(attempt: number, retryAfterSeconds: number | undefined): number {
    const backoff = Math.min(maxDelayMs, 1000 * 2 ** (attempt - 1)) * (0.5 + random() / 2);
    const asked = retryAfterSeconds !== undefined ? retryAfterSeconds * 1000 : 0;
    return Math.min(maxDelayMs, Math.max(backoff, asked));
  }

  async function once(url: string, path: string): Promise<{ response: Response; text: string }> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const onOuterAbort = () => timeout.abort();
    options.signal?.addEventListener('abort', onOuterAbort);
    try {
      const response = await doFetch(url, {
        headers: { Authorization: `Bearer ${options.apiKey}`, Accept: 'application/json' },
        signal: timeout.signal,
        credentials: 'omit',
      });
      const text = await response.text();
      return { response, text };
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (timeout.signal.aborted) throw new AdminApiError('timeout', `no answer within ${Math.round(timeoutMs / 1000)} s`, undefined, path);
      throw new AdminApiError('network', error instanceof Error ? error.message : String(error), undefined, path);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onOuterAbort);
    }
  }

  function errorFor(status: number, text: string, path: string): AdminApiError {
    const parsed = safeJson(text);
    const envelope = errorEnvelope.safeParse(parsed);
    const message = envelope.success ? envelope.data.error.message : text.slice(0, 200);
    const safeMessage = redactSecrets(message);
    if (status === 401) return new AdminApiError('unauthorized', safeMessage, status, path);
    if (status === 403) {
      return new AdminApiError(/missing scopes?/i.test(message) ? 'missing-scope' : 'unauthorized', safeMessage, status, path);
    }
    if (status === 429) return new AdminApiError('rate-limited', safeMessage, status, path);
    if (status === 404) return new AdminApiError('not-found', safeMessage, status, path);
    if (status >= 500) return new AdminApiError('server', safeMessage, status, path);
    return new AdminApiError('bad-request', safeMessage, status, path);
  }

  /** GET with retries on 429/5xx/timeouts/network errors; parses and validates the body. */
  async function get<S extends z.ZodType>(
    path: string,
    query: Query,
    schema: S,
    parse = JSON.parse as (text: string) => unknown,
  ): Promise<z.output<S>> {
    const url = buildUrl(path, query);
    let lastError: AdminApiError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      let retryAfter: number | undefined;
      try {
        const { response, text } = await once(url, path);
        if (response.ok) {
          let body: unknown;
          try {
            body = parse(text);
          } catch {
            throw new AdminApiError('unexpected-response', `invalid JSON from ${path}`, response.status, path);
          }
          const result = schema.safeParse(body);
          if (!result.success) {
            const issue = result.error.issues[0];
            throw new AdminApiError(
              'unexpected-response',
              `${path}: ${issue?.path.join('.') || 'body'} ${issue?.message ?? 'is invalid'}`,
              response.status,
              path,
            );
          }
          options.onPage?.(path);
          return result.data;
        }
        lastError = errorFor(response.status, text, path);
        if (lastError.kind !== 'rate-limited' && lastError.kind !== 'server') throw lastError;
        const header = response.headers.get('retry-after');
        retryAfter = header && /^\d+(\.\d+)?$/.test(header) ? Number(header) : undefined;
      } catch (error) {
        if (!(error instanceof AdminApiError) || (error.kind !== 'timeout' && error.kind !== 'network')) throw error;
        lastError = error;
      }
      if (attempt < maxAttempts) await sleep(delayBefore(attempt, retryAfter));
    }
    throw lastError ?? new AdminApiError('network', 'no attempt was made', undefined, path);
  }

  /** Follows `next_page` cursors to the end, refusing a cursor it has already seen. */
  async function* bucketPages<T>(
    path: string,
    query: Query,
    schema: z.ZodType<BucketPage<T>, unknown>,
    parse?: (text: string) => unknown,
  ): AsyncGenerator<BucketPage<T>> {
    const seen = new Set<string>();
    // A resumed sync starts from the cursor it had saved.
    let page = typeof query.page === 'string' ? query.page : undefined;
    for (;;) {
      const body = await get(path, { ...query, page }, schema, parse);
      yield body;
      if (!body.has_more || !body.next_page) return;
      if (seen.has(body.next_page))
        throw new AdminApiError('cursor-loop', `${path} repeated cursor ${body.next_page.slice(0, 24)}`, undefined, path);
      seen.add(body.next_page);
      page = body.next_page;
    }
  }

  /** Walks an `after`/`has_more` list to the end, paging by the last item's id. */
  async function listAll<T extends { id: string }>(path: string, query: Query, item: z.ZodType<T, unknown>): Promise<T[]> {
    const schema = listPage(item);
    const all: T[] = [];
    const seen = new Set<string>();
    let after: string | undefined;
    for (;;) {
      const body = (await get(path, { ...query, limit: 100, after }, schema)) as { data: T[]; has_more: boolean };
      all.push(...body.data);
      const last = body.data.at(-1)?.id;
      if (!body.has_more || !last) return all;
      if (seen.has(last)) throw new AdminApiError('cursor-loop', `${path} repeated ${last}`, undefined, path);
      seen.add(last);
      after = last;
    }
  }

  return {
    usagePages<E extends UsageEndpoint>(endpoint: E, query: Query) {
      return bucketPages<UsageResult<E>>(`/organization/usage/${endpoint}`, query, bucketPage(usageResults[endpoint]) as never);
    },
    costPages(query: Query) {
      return bucketPages<z.output<typeof costsResult>>(
        '/organization/costs',
        query,
        bucketPage(costsResult) as never,
        parseJsonKeepingAmounts,
      );
    },
    listProjects(): Promise<Project[]> {
      return listAll('/organization/projects', { include_archived: true }, project);
    },
    listProjectKeys(projectId: string): Promise<ProjectApiKey[]> {
      return listAll(`/organization/projects/${encodeURIComponent(projectId)}/api_keys`, { owner_project_access: 'any' }, projectApiKey);
    },
    listUsers(): Promise<User[]> {
      return listAll('/organization/users', {}, user);
    },
  };
}
export type AdminClient = ReturnType<typeof createAdminClient>;

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Error messages can echo the key ("Incorrect API key provided: sk-admin-…"); never pass it on. */
export function redactSecrets(text: string): string {
  return text.replace(/\bsk-[A-Za-z0-9_-]{6,}/g, (secret) => `${secret.slice(0, secret.indexOf('-', 3) + 1 || 3)}…${secret.slice(-4)}`);
}
