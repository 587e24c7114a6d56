/**
 * Bounded waits for the page to change: a MutationObserver re-runs `check` after each batch of
 * changes (at most once per microtask), optionally also every `recheckMs` for conditions that
 * depend on time, and the wait always ends: with check's value, a TimeoutError, or an AbortError.
 * No busy loops; the main thread is free between checks.
 */

export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
}

function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  const error = new Error(typeof reason === 'string' ? reason : 'aborted');
  error.name = 'AbortError';
  return error;
}

export interface WaitOptions {
  timeoutMs: number;
  signal: AbortSignal;
  /** What to watch (default: the whole document). */
  root?: Node;
  /** Also check this often (for time-based conditions); bounded by timeoutMs. */
  recheckMs?: number;
  /** Description for the timeout error. */
  what?: string;
}

export function waitFor<T>(check: () => T | undefined, options: WaitOptions): Promise<T> {
  const { signal, timeoutMs } = options;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    let done = false;
    let scheduled = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      observer.disconnect();
      clearTimeout(timer);
      if (interval !== undefined) clearInterval(interval);
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const run = () => {
      scheduled = false;
      if (done) return;
      try {
        const value = check();
        if (value !== undefined) finish(() => resolve(value));
      } catch (error) {
        finish(() => reject(error));
      }
    };
    const schedule = () => {
      if (scheduled || done) return;
      scheduled = true;
      queueMicrotask(run);
    };
    const onAbort = () => finish(() => reject(abortError(signal)));
    const observer = new MutationObserver(schedule);
    observer.observe(options.root ?? document, { childList: true, subtree: true, characterData: true, attributes: true });
    const timer = setTimeout(
      () =>
        finish(() => reject(new WaitTimeoutError(`Timed out after ${timeoutMs} ms${options.what ? ` waiting for ${options.what}` : ''}`))),
      timeoutMs,
    );
    const interval = options.recheckMs ? setInterval(schedule, options.recheckMs) : undefined;
    signal.addEventListener('abort', onAbort, { once: true });
    run();
  });
}

/** Resolves after `ms`; rejects with an AbortError when `signal` aborts first. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal));
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
