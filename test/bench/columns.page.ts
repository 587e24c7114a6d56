/**
 * The bench page's own script (main world), bundled by esbuild (see columns.ts). It plays the
 * dashboard: renders a "Top API keys" card as a plain `<table>` (Name | Key | Requests), times
 * its own render (building + inserting the table), then watches with a MutationObserver for
 * the moment every body row carries Keymeter's cells ([data-keymeter-col]), and then for the
 * moment every one of those cells has its tooltip (Keymeter writes tooltips in idle time).
 */

export interface BenchKey {
  name: string;
  redacted: string;
}

export interface RenderResult {
  rows: number;
  /** The page's own render: building the table and inserting it, synchronous JS. */
  renderMs: number;
  /** From the end of that render to Keymeter's cells present on every body row. */
  columnsMs: number;
  /** From the end of that render to every one of Keymeter's body cells having its tooltip (title). */
  tooltipsMs: number;
  /** From the start of the render until the task (and every microtask after it) ended. */
  taskMs: number;
  /** Longest main-thread task (≥ 50 ms, Long Tasks API) from the render until 250 ms after the last tooltip; 0 = none. */
  longestTaskMs: number;
}

let keys: BenchKey[] = [];
let serial = 0;

function buildTable(rows: number): HTMLTableElement {
  serial += 1;
  const table = document.createElement('table');
  table.className = `table-module__t_${serial.toString(36)}`;
  const head = table.createTHead().insertRow();
  for (const title of ['Name', 'Key', 'Requests']) {
    const th = document.createElement('th');
    th.textContent = title;
    th.scope = 'col';
    head.append(th);
  }
  const body = table.createTBody();
  for (let i = 0; i < rows; i++) {
    const key = keys[i % keys.length]!;
    const tr = body.insertRow();
    const name = tr.insertCell();
    name.textContent = key.name;
    const redacted = tr.insertCell();
    redacted.textContent = key.redacted;
    const requests = tr.insertCell();
    requests.className = 'num';
    requests.textContent = ((i * 7919) % 100_000).toLocaleString('en-US');
  }
  return table;
}

const allDecorated = (table: HTMLTableElement) =>
  table.tBodies[0]!.rows.length > 0 && table.querySelector(':scope > tbody > tr > td:last-child:not([data-keymeter-col])') === null;
const allTooltips = (table: HTMLTableElement) => table.querySelector(':scope > tbody > tr > td[data-keymeter-col]:not([title])') === null;

/** Renders a fresh table (replacing the previous one) and resolves when Keymeter has decorated every row. */
function render(rows: number, timeoutMs: number): Promise<RenderResult> {
  const slot = document.getElementById('top-api-keys-slot')!;
  const card = slot.closest('section')!;
  return new Promise((resolve, reject) => {
    let longest = 0;
    let table: HTMLTableElement | null = null;
    let renderEnd = 0;
    let taskEnd = 0;
    let columnsAt = 0;
    let tooltipsAt = 0;
    const longTasks = PerformanceObserver.supportedEntryTypes.includes('longtask')
      ? new PerformanceObserver((list) => {
          for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
        })
      : null;
    longTasks?.observe({ type: 'longtask' });
    const finish = () => {
      const start = renderStart;
      setTimeout(() => {
        longTasks?.disconnect();
        resolve({
          rows,
          renderMs: renderEnd - start,
          columnsMs: columnsAt - renderEnd,
          tooltipsMs: tooltipsAt - renderEnd,
          taskMs: taskEnd - start,
          longestTaskMs: longest,
        });
      }, 250);
    };
    const timer = setTimeout(() => {
      observer.disconnect();
      longTasks?.disconnect();
      reject(
        new Error(
          columnsAt
            ? `Keymeter's tooltips were not on all ${rows} rows within ${timeoutMs} ms`
            : `Keymeter's columns did not appear on ${rows} rows within ${timeoutMs} ms`,
        ),
      );
    }, timeoutMs);
    const observer = new MutationObserver(() => {
      const now = performance.now();
      if (!table) return;
      if (!columnsAt) {
        if (!allDecorated(table)) return;
        columnsAt = now;
      }
      if (!allTooltips(table)) return;
      tooltipsAt = now;
      observer.disconnect();
      clearTimeout(timer);
      finish();
    });
    observer.observe(card, { childList: true, subtree: true, attributeFilter: ['title'] });
    // The render: what a dashboard does when its data arrives.
    const renderStart = performance.now();
    table = buildTable(rows);
    const previous = slot.querySelector('table');
    if (previous) previous.replaceWith(table);
    else slot.append(table);
    renderEnd = performance.now();
    // A message posted now runs as a new task: everything queued in this one (microtasks) is done by then.
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      taskEnd = performance.now();
      channel.port1.close();
    };
    channel.port2.postMessage(null);
  });
}

function setKeys(list: BenchKey[]) {
  keys = list;
}

declare global {
  interface Window {
    keymeterColumnsBench: { setKeys: typeof setKeys; render: typeof render };
  }
}

window.keymeterColumnsBench = { setKeys, render };
