import { createIframeUi, type IframeContentScriptUi } from 'wxt/utils/content-script-ui/iframe';
import { onSubtreeChange } from '../dom/observe';
import { rangeLabel } from '../format';
import { isUsagePage } from '../openai/pages';
import { readDashboardRange } from '../openai/range';
import { findTopApiKeysCard, isStillTopApiKeysCard } from '../openai/top-api-keys';
import { panelHash } from '../usage/panel-data';
import { defineFeature } from './runner';

export const PANEL_PAGE = '/usage-panel.html';

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
    const currentHash = () => {
      const range = readDashboardRange(new URL(location.href), document, Date.now() / 1000);
      return panelHash({
        from: range.from,
        to: range.to,
        label: rangeLabel(range.from, range.to),
        source: range.source === 'default' ? 'default' : 'page',
      });
    };
    let found: { heading: Element; card: Element } | undefined;
    ui = createIframeUi(ctx, {
      page: PANEL_PAGE,
      position: 'inline',
      anchor: () => found?.card,
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
      // Most batches of changes leave the card where it was (rows re-rendered, Keymeter's columns).
      if (!found || !isStillTopApiKeysCard(found)) found = findTopApiKeysCard(document);
      if (found && !ui.wrapper.isConnected) ui.mount();
      else if (!found && ui.wrapper.isConnected) ui.remove();
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

/* Test pages: https://platform.openai.com/usage?layout=2024&start=2025-12-15&end=2026-01-10 (the holiday spike). */
