import { runWhenIdle } from '../dom/idle';
import { decorateTable, undecorateTable } from '../dom/key-columns';
import { onSubtreeChange } from '../dom/observe';
import { formatAgo, rangeLabel } from '../format';
import { type KeyTableResponse, onMessage, sendMessage } from '../messaging';
import { isUsagePage } from '../openai/pages';
import { type DashboardRange, readDashboardRange } from '../openai/range';
import { findTopApiKeysTables, readTopKeysView } from '../openai/top-api-keys';
import { cellTexts, cellTitles, keyColumns } from '../usage/columns';
import { type RowIdentity, type RowMatch, rowMatcher } from '../usage/match';
import { defineFeature } from './runner';
import './usage-columns.css';

/**
 * Token and cost columns in "Top API keys": finds the view in any layout, after late render
 * and re-renders, asks the background for the range's per-key totals, and adds six columns.
 */
export const usageColumns = defineFeature({
  id: 'usage-columns',
  include: [isUsagePage],
  init(_ctx, signal) {
    let data: Data | null = null;
    let versions = 0;
    let loading = '';

    const rangeKey = (r: DashboardRange) => `${r.from}-${r.to}`;

    const load = (range: DashboardRange) => {
      loading = rangeKey(range);
      void sendMessage('usage:keyTable', { from: range.from, to: range.to }).then((response) => {
        if (signal.aborted || loading !== rangeKey(range)) return;
        data = { range, response, version: ++versions, match: rowMatcher(response.rows) };
        pass();
      });
    };

    const pass = () => {
      const tables = findTopApiKeysTables(document);
      if (tables.length === 0) return;
      const range = readDashboardRange(new URL(location.href), document, Date.now() / 1000);
      if (!data || rangeKey(data.range) !== rangeKey(range)) {
        if (loading !== rangeKey(range)) load(range);
        return;
      }
      const { response } = data;
      document.documentElement.dataset.keymeterColumns = response.orgs.length > 0 ? 'on' : 'no-admin-key';
      for (const tableElement of tables) {
        if (response.orgs.length === 0) {
          undecorateTable(tableElement);
          continue;
        }
        decorate(tableElement, data, signal);
      }
    };

    // A sync landed (or history was restored, cleared…): fetch again; the current figures stay until then.
    const stopListening = onMessage('history:changed', () => {
      if (data) load(data.range);
    });
    signal.addEventListener('abort', stopListening);
    onSubtreeChange(document.body, pass, signal);
    signal.addEventListener('abort', () => {
      for (const table of findTopApiKeysTables(document)) undecorateTable(table);
      for (const note of document.querySelectorAll('[data-keymeter-note]')) note.remove();
    });
    pass();
  },
});

interface Data {
  range: DashboardRange;
  response: KeyTableResponse;
  /** Bumped on each fetch: part of every row's signature. */
  version: number;
  /** The response's keys, indexed once. */
  match: (row: RowIdentity) => RowMatch;
}

/**
 * A row's cells depend only on what the row shows and on the data fetched (`version`), so a row
 * whose signature is unchanged is neither matched nor formatted again. The text goes in at once,
 * in the page's task; the tooltips (half the formatting) follow in idle time.
 */
function decorate(tableElement: Element, { range, response, version, match }: Data, signal: AbortSignal) {
  const view = readTopKeysView(tableElement);
  const text = rangeLabel(range.from, range.to);
  const tooltips = decorateTable(view.table, keyColumns(text), {
    signature: (i) => {
      const row = view.rows[i]!;
      return `${version}|${row.label}|${row.suffix}|${row.project}`;
    },
    cells: (i) => cellTexts(match(view.rows[i]!)),
    titles: (i) => cellTitles(match(view.rows[i]!)),
  });
  // The exact figures are only read on hover: format and write them when the page is idle.
  void runWhenIdle(tooltips, signal);
  showRangeNote(tableElement, range, text, response);
}

/** One line above the table saying which range the columns show, and how fresh they are. */
function showRangeNote(tableElement: Element, range: DashboardRange, text: string, response: KeyTableResponse) {
  const synced = response.orgs.map((o) => o.lastSuccessAt).filter((t): t is number => t !== null);
  const freshness = synced.length ? `synced ${formatAgo(Date.now() / 1000 - Math.min(...synced))}` : 'not synced yet';
  const message =
    range.source === 'default'
      ? `Keymeter could not read the dashboard's date range, so its columns show the last 30 days (${text}, UTC) · ${freshness}`
      : `Keymeter columns: ${text} (UTC) · ${freshness}`;
  let note = tableElement.previousElementSibling;
  if (!note?.hasAttribute('data-keymeter-note')) {
    note = document.createElement('p');
    note.setAttribute('data-keymeter-note', '');
    note.className = 'keymeter-note';
    tableElement.before(note);
  }
  if (note.textContent !== message) note.textContent = message;
  note.setAttribute('data-keymeter-range-source', range.source);
}
