/**
 * Runs `tasks` in order in the browser's idle periods, at most `sliceMs` at a time, so work no
 * one is waiting for (the columns' tooltips) neither lengthens the page's own task nor delays
 * its frames. `timeoutMs` bounds the wait on a page that is never idle. Stops when `signal`
 * aborts. Without requestIdleCallback (unit tests), slices run on timeouts. Resolves when every
 * task has run, or on abort.
 */
export function runWhenIdle(
  tasks: ReadonlyArray<() => void>,
  signal: AbortSignal,
  options: { sliceMs?: number; timeoutMs?: number } = {},
): Promise<void> {
  const sliceMs = options.sliceMs ?? 8;
  const timeoutMs = options.timeoutMs ?? 1000;
  return new Promise((resolve) => {
    if (tasks.length === 0 || signal.aborted) return resolve();
    let next = 0;
    let cancel = () => {};
    const stop = () => {
      cancel();
      resolve();
    };
    signal.addEventListener('abort', stop, { once: true });
    const slice = (deadline?: IdleDeadline) => {
      if (signal.aborted) return;
      const budget = deadline && !deadline.didTimeout ? Math.min(sliceMs, deadline.timeRemaining()) : sliceMs;
      const end = performance.now() + Math.max(budget, 1);
      do {
        const task = tasks[next++]!;
        try {
          task();
        } catch (error) {
          // One broken task must not strand the others: report it as an uncaught error would be.
          queueMicrotask(() => {
            throw error;
          });
        }
      } while (next < tasks.length && performance.now() < end);
      if (next < tasks.length) schedule();
      else {
        signal.removeEventListener('abort', stop);
        resolve();
      }
    };
    const schedule = () => {
      if (typeof requestIdleCallback === 'function') {
        const handle = requestIdleCallback(slice, { timeout: timeoutMs });
        cancel = () => cancelIdleCallback(handle);
      } else {
        const handle = setTimeout(slice, 0);
        cancel = () => clearTimeout(handle);
      }
    };
    schedule();
  });
}
