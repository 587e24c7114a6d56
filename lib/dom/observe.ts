/**
 * Calls `onMatch` for each element matching `selector` under `root`, now and whenever the
 * page adds one later (React re-renders, late data, route changes), once per element.
 * Stops when `signal` aborts. No polling: a MutationObserver batches the page's changes.
 */
export function observe<E extends Element = Element>(
  root: ParentNode & Node,
  selector: string,
  onMatch: (element: E) => void,
  signal: AbortSignal,
): void {
  if (signal.aborted) return;
  const seen = new WeakSet<Element>();
  const scan = () => {
    for (const element of root.querySelectorAll<E>(selector)) {
      if (seen.has(element)) continue;
      seen.add(element);
      onMatch(element);
    }
  };
  const observer = new MutationObserver(scan);
  observer.observe(root, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
  scan();
}

/**
 * Runs `onChange` once per batch of changes under `target` (in a microtask after the page's
 * own task). Changes `onChange` makes itself are dropped, so a feature never re-runs on its own writes.
 */
export function onSubtreeChange(
  target: Node,
  onChange: () => void,
  signal: AbortSignal,
  options: MutationObserverInit = { childList: true, subtree: true, characterData: true },
): void {
  if (signal.aborted) return;
  let scheduled = false;
  const observer = new MutationObserver(() => {
    if (scheduled) return;
    scheduled = true;
    queueMicrotask(() => {
      scheduled = false;
      if (signal.aborted) return;
      onChange();
      observer.takeRecords();
    });
  });
  observer.observe(target, options);
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}
