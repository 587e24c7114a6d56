import { describe, expect, it, vi } from 'vitest';
import { runWhenIdle } from '@/lib/dom/idle';
import { type CellContent, decorateTable } from '@/lib/dom/key-columns';
import { change, compactNumber, exactMoney, exactNumber, money } from '@/lib/format';
import { readDataTable } from '@/lib/openai/data-table';
import { keyColumns } from '@/lib/usage/columns';

/** Performance contracts of the columns (npm run bench): what a 2,000-row table must not cost. */

const columns = keyColumns('r');
const cellsOf = (i: number): CellContent[] =>
  columns.map((_, c) => ({ text: `${i}.${c}`, title: `row ${i} col ${c}`, tone: c === 5 ? 'up' : undefined }));

function tableHtml(rows: number): string {
  const body = Array.from({ length: rows }, (_, i) => `<tr><td>key-${i}</td><td class="num">${i}</td></tr>`).join('');
  return `<table><thead><tr><th>Name</th><th class="num">Requests</th></tr></thead><tbody>${body}</tbody></table>`;
}

function gridHtml(rows: number): string {
  // No inline grid template: the layout comes from style, so decorating must read it.
  const row = (cells: string) => `<div role="row" style="display: grid">${cells}</div>`;
  const body = Array.from({ length: rows }, (_, i) => row(`<div role="gridcell">key-${i}</div><div role="gridcell">${i}</div>`)).join('');
  return `<div role="grid">${row('<div role="columnheader">Name</div><div role="columnheader">Requests</div>')}${body}</div>`;
}

describe('decorating many rows', () => {
  it('inserts each new row its six cells, filled, in one insertion: no per-cell text or attribute writes on the page', () => {
    document.body.innerHTML = tableHtml(50);
    const element = document.querySelector('table')!;
    const observer = new MutationObserver(() => {});
    observer.observe(element, { childList: true, subtree: true, characterData: true, attributes: true });
    decorateTable(readDataTable(element), columns, { signature: (i) => `s${i}`, cells: cellsOf });
    const records = observer.takeRecords();
    observer.disconnect();
    // Only insertions into the rows (body and header), six cells each, never a write to a cell
    // already on the page. (Chromium reports one record per row; happy-dom one per cell.)
    expect(records.every((r) => r.type === 'childList' && (r.target as Element).tagName === 'TR')).toBe(true);
    expect(new Set(records.map((r) => r.target)).size).toBe(51);
    expect(records.reduce((n, r) => n + r.addedNodes.length, 0)).toBe(51 * 6);
    const row = element.querySelectorAll('tbody tr')[7]!;
    const ours = [...row.querySelectorAll('[data-keymeter-col]')];
    expect(ours.map((c) => c.textContent)).toEqual(['7.0', '7.1', '7.2', '7.3', '7.4', '7.5']);
    expect(ours.map((c) => c.getAttribute('title'))).toEqual(cellsOf(7).map((c) => c.title));
    expect(ours[5]!.getAttribute('data-keymeter-tone')).toBe('up');
    expect(ours[0]!.hasAttribute('data-keymeter-tone')).toBe(false);
    expect(ours[0]!.className).toBe('num keymeter-cell');
  });

  it('reads every row (our cells, grid layout) before it writes to any: no style recalculation per row', () => {
    document.body.innerHTML = gridHtml(30);
    const element = document.querySelector('[role="grid"]')!;
    const observer = new MutationObserver(() => {});
    observer.observe(element, { childList: true, subtree: true, attributes: true });
    let readsAfterWrites = 0;
    let reads = 0;
    const getComputedStyle = window.getComputedStyle.bind(window);
    vi.spyOn(window, 'getComputedStyle').mockImplementation((el, pseudo) => {
      reads++;
      if (observer.takeRecords().length > 0) readsAfterWrites++;
      return getComputedStyle(el, pseudo);
    });
    decorateTable(readDataTable(element), columns, { signature: (i) => `s${i}`, cells: cellsOf });
    observer.disconnect();
    expect(reads).toBeGreaterThan(0);
    expect(readsAfterWrites).toBe(0);
    // Every row, header included, got six tracks of its own.
    for (const row of element.querySelectorAll<HTMLElement>('[role="row"]')) {
      expect(row.style.gridTemplateColumns).toMatch(/repeat\(6, ?minmax\(4\.75rem, ?auto\)\)$/);
      expect(row.querySelectorAll('[data-keymeter-col]')).toHaveLength(6);
    }
  });

  it('leaves rows whose signature is unchanged untouched', () => {
    document.body.innerHTML = tableHtml(20);
    const element = document.querySelector('table')!;
    decorateTable(readDataTable(element), columns, { signature: (i) => `s${i}`, cells: cellsOf });
    const observer = new MutationObserver(() => {});
    observer.observe(element, { childList: true, subtree: true, characterData: true, attributes: true });
    const cells = vi.fn(cellsOf);
    decorateTable(readDataTable(element), columns, { signature: (i) => (i === 3 ? 'changed' : `s${i}`), cells });
    expect(cells.mock.calls.map(([i]) => i)).toEqual([3]);
    const targets = new Set(observer.takeRecords().map((r) => (r.target.nodeType === Node.TEXT_NODE ? r.target.parentElement : r.target)));
    observer.disconnect();
    for (const target of targets) expect((target as Element).closest('tr')).toBe(element.querySelectorAll('tbody tr')[3]);
  });

  it('writes the text at once and leaves the tooltips to tasks, which skip a row that shows another key by then', () => {
    document.body.innerHTML = tableHtml(10);
    const element = document.querySelector('table')!;
    const titles = vi.fn((i: number) => cellsOf(i).map((c) => c.title!));
    const texts = (i: number) => cellsOf(i).map(({ text, tone }) => ({ text, tone }));
    const tasks = decorateTable(readDataTable(element), columns, { signature: (i) => `s${i}`, cells: texts, titles });
    const rows = element.querySelectorAll('tbody tr');
    const ours = (i: number) => [...rows[i]!.querySelectorAll('[data-keymeter-col]')];
    expect(tasks).toHaveLength(10);
    expect(ours(2).map((c) => c.textContent)).toEqual(['2.0', '2.1', '2.2', '2.3', '2.4', '2.5']);
    expect(element.querySelector('td[title]')).toBeNull();
    expect(titles).not.toHaveBeenCalled();
    // Row 4 is re-used for another key before the tooltips are written: it gets the new key's, at once.
    decorateTable(readDataTable(element), columns, { signature: (i) => (i === 4 ? 'other' : `s${i}`), cells: texts, titles });
    expect(titles.mock.calls.map(([i]) => i)).toEqual([4]);
    for (const task of tasks) task();
    expect(ours(2).map((c) => c.getAttribute('title'))).toEqual(cellsOf(2).map((c) => c.title));
    expect(titles).toHaveBeenCalledTimes(10); // 9 tasks + the re-used row; its stale task wrote nothing
    expect(element.querySelectorAll('tbody td[data-keymeter-col]:not([title])')).toHaveLength(0);
  });

  it('runs tasks in idle slices, all of them, and stops on abort', async () => {
    const done: number[] = [];
    const slow = (i: number) => () => {
      const end = performance.now() + 1;
      while (performance.now() < end);
      done.push(i);
    };
    await runWhenIdle(
      Array.from({ length: 30 }, (_, i) => slow(i)),
      new AbortController().signal,
      { sliceMs: 5 },
    );
    expect(done).toEqual(Array.from({ length: 30 }, (_, i) => i));

    done.length = 0;
    const controller = new AbortController();
    const run = runWhenIdle(
      Array.from({ length: 30 }, (_, i) => slow(i)),
      controller.signal,
      { sliceMs: 5 },
    );
    await new Promise((resolve) => setTimeout(resolve, 0));
    controller.abort();
    await run;
    const count = done.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(done.length).toBe(count);
    expect(count).toBeLessThan(30);
  });

  it('reads a table without taking the rows of a table nested in a cell', () => {
    document.body.innerHTML =
      '<table id="outer"><tr><th>Name</th></tr><tr><td>a<table><tr><td>nested</td></tr></table></td></tr><tr><td>b</td></tr></table>';
    const outer = readDataTable(document.getElementById('outer')!);
    expect(outer.rows.map((r) => r.cells[0]!.firstChild?.textContent)).toEqual(['a', 'b']);
  });
});

describe('number formats', () => {
  it('are built once per kind and reused for every figure', () => {
    const NumberFormat = Intl.NumberFormat;
    compactNumber(1);
    exactNumber(1);
    money(1);
    money(1e12);
    exactMoney(1);
    change(2, 1);
    const built = vi.spyOn(Intl, 'NumberFormat').mockImplementation((...args) => new NumberFormat(...args));
    for (let i = 0; i < 1000; i++) {
      compactNumber(i * 1234);
      exactNumber(i);
      money(i * 1e9);
      exactMoney(i);
      change(i, 7);
    }
    expect(built).not.toHaveBeenCalled();
  });

  it('follow a change of the browser language', () => {
    const language = vi.spyOn(navigator, 'language', 'get').mockReturnValue('en-US');
    window.dispatchEvent(new Event('languagechange'));
    expect(exactNumber(1234567)).toBe('1,234,567');
    language.mockReturnValue('de-DE');
    expect(exactNumber(1234567)).toBe('1,234,567'); // read once, not per figure
    window.dispatchEvent(new Event('languagechange'));
    expect(exactNumber(1234567)).toBe('1.234.567');
    language.mockReturnValue('en-US');
    window.dispatchEvent(new Event('languagechange'));
  });
});
