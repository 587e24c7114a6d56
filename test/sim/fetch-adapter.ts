import type { MockApi } from './api/types';

/**
 * Lets unit tests call the mock Admin API in-process through a `fetch`, so the real client
 * code (timeouts, retries, parsing) runs against the real mock without a server.
 * A "hang" fault waits until the caller's signal aborts.
 */
export function mockFetch(api: MockApi): typeof fetch {
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const headers: Record<string, string | undefined> = {};
    new Headers(init?.headers).forEach((value, name) => {
      headers[name] = value;
    });
    const answer = await api.handle({ method: init?.method ?? 'GET', url, headers });
    if (answer.hangMs) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(resolve, answer.hangMs);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(new DOMException('The operation was aborted.', 'AbortError'));
        });
      });
    }
    return new Response(answer.body, { status: answer.status, headers: answer.headers });
  };
}
