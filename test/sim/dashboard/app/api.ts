/** fetch wrappers for the simulator's own `/_sim/dash/…` endpoints (same origin). */
import type { ApiError, EventKind } from '../types';

export const API = '/_sim/dash';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function parse<T>(res: Response): Promise<T> {
  const text = await res.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: fall through with the status text
  }
  if (!res.ok) {
    const message = (body as ApiError | null)?.error?.message ?? `Request failed (${res.status})`;
    throw new HttpError(res.status, message);
  }
  return body as T;
}

export async function getJson<T>(path: string, signal?: AbortSignal): Promise<T> {
  return parse<T>(await fetch(`${API}${path}`, { signal, headers: { accept: 'application/json' } }));
}

export async function postJson<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
  return parse<T>(
    await fetch(`${API}${path}`, { method: 'POST', signal, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  );
}

let logQueue: Promise<unknown> = Promise.resolve();

/**
 * Click log for tests. Posts are chained so the server sees them in click order; callers that need an
 * entry logged before a following request (confirm → enable) can await the returned promise.
 */
export function logEvent(kind: EventKind, keyId?: string, outcome?: string): Promise<unknown> {
  const body = JSON.stringify({ kind, keyId, outcome });
  logQueue = logQueue.then(() =>
    fetch(`${API}/events`, { method: 'POST', keepalive: true, headers: { 'content-type': 'application/json' }, body }).catch(() => {}),
  );
  return logQueue;
}
