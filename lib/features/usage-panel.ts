import { createIframeUi, type IframeContentScriptUi } from 'wxt/utils/content-script-ui/iframe';
import { onSubtreeChange } from '../dom/observe';
import { rangeLabel } from '../format';
import { normaliseText } from '../openai/data-table';
import { isUsagePage } from '../openai/pages';
import { readDashboardRange } from '../openai/range';
import { dataTable, heading, TOP_API_KEYS } from '../openai/selectors';
import { defineFeature } from './runner';

export const PANEL_PAGE = '/usage-panel.html';

/** The panel's iframe hash: the range the dashboard shows (or the 30-day default, flagged). */
export function panelHash(range: { from: number; to: number; source: string }): string {
  const params = new URLSearchParams({
    from: String(range.from),
    to: String(range.to),
    label: rangeLabel(range.from, range.to),
    source: range.source === 'default' ? 'default' : 'page',
  });
  return `#${params}`;
}

/**
 * The usage panel below "Top API keys": an extension page in an iframe, so its React and
 * chart code never load into the dashboard and page styles cannot reach it. The content script
 * only mounts it (following the card through re-renders and route changes), keeps its hash on
 * the dashboard's range, and sizes it to the height the panel reports.
 *
 * Not WXT's autoMount: it evaluates its anchor once per mutation *record* (attributes too), and
 * an XPath over the whole document each time made decorating 200 rows a 13-second task
 * (npm run bench). Here the card is looked up once per batch of changes, by selector.
 */
export const usagePanel = defineFeature({
  id: 'usage-panel',
  include: [isUsagePage],
  init(ctx, signal) {
    let ui: IframeContentScriptUi<void> | undefined;
    let shownHash = '';
    const currentHash = () => panelHash(readDashboardRange(new URL(location.href), document, Date.now() / 1000));
    let card: Element | undefined;
    ui = createIframeUi(ctx, {
      page: PANEL_PAGE,
      position: 'inline',
      anchor: () => card,
      append: 'after',
      // Before the wrapper enters the page: the iframe's first load must already carry the range hash.
      onBeforeMount(wrapper, iframe) {
        wrapper.setAttribute('data-keymeter-panel', '');
        // Full width wherever it lands: a block, a flex row, or a cell of the page's grid of cards.
        wrapper.style.cssText = 'margin:16px 0;width:100%;min-width:0;grid-column:1 / -1;flex:0 0 100%;box-sizing:border-box';
        iframe.title = 'Keymeter usage panel';
        iframe.style.cssText = 'width:100%;height:320px;border:0;display:block;color-scheme:light';
        shownHash = currentHash();
        iframe.src = browser.runtime.getURL(PANEL_PAGE) + shownHash;
      },
    });
    // Mount when the card shows up, unmount when it goes (route change, re-render without it).
    const follow = () => {
      if (!ui) return;
      card = findTopApiKeysCard(document);
      if (card && !ui.wrapper.isConnected) ui.mount();
      else if (!card && ui.wrapper.isConnected) ui.remove();
    };
    follow();

    // The panel reports its height; only messages from our own iframe are read, and only a number is taken.
    window.addEventListener(
      'message',
      (event) => {
        if (!ui?.iframe || event.source !== ui.iframe.contentWindow) return;
        const data = event.data as { type?: unknown; height?: unknown } | null;
        if (data?.type === 'keymeter:panel-height' && typeof data.height === 'number' && data.height > 0 && data.height < 10_000) {
          ui.iframe.style.height = `${Math.ceil(data.height)}px`;
        }
      },
      { signal },
    );

    onSubtreeChange(
      document.body,
      () => {
        follow();
        const iframe = ui?.iframe;
        if (!iframe?.isConnected) return;
        const hash = currentHash();
        if (hash === shownHash) return;
        shownHash = hash; // a hash-only change: the panel follows it without reloading
        iframe.src = browser.runtime.getURL(PANEL_PAGE) + hash;
      },
      signal,
    );
    signal.addEventListener('abort', () => {
      ui?.remove();
      ui = undefined;
    });
  },
});

/** The card holding "Top API keys": the nearest ancestor of that heading that also holds a table or grid. */
export function findTopApiKeysCard(root: ParentNode): Element | undefined {
  for (const head of root.querySelectorAll(heading)) {
    if (!TOP_API_KEYS.test(normaliseText(head.textContent))) continue;
    let card = head.parentElement;
    while (card && !card.querySelector(dataTable)) card = card.parentElement;
    if (card) return card;
  }
  return undefined;
}

/* Test pages: https://platform.openai.com/usage?layout=2024&start=2025-12-15&end=2026-01-10 (the holiday spike). */
