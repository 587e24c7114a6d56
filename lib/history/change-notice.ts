import { storage } from 'wxt/utils/storage';
import { sendMessage } from '../messaging';

/**
 * Views showing history are told when it changes (a sync landed, a restore, a clear…) so they
 * refresh without a reload. Dashboard tabs are remembered when their columns ask for data (the
 * only way to reach a content script without the "tabs" permission); extension pages get a
 * broadcast. Session storage: the list outlives a service-worker restart but not the browser.
 */
const columnTabsItem = storage.defineItem<number[]>('session:columnTabs', { fallback: [] });

export async function rememberColumnTab(tabId: number): Promise<void> {
  const tabs = await columnTabsItem.getValue();
  if (!tabs.includes(tabId)) await columnTabsItem.setValue([...tabs, tabId]);
}

/**
 * Tells every remembered tab, and the extension pages, that history changed. A tab that no
 * longer answers (closed, navigated away) is forgotten.
 */
export async function announceHistoryChanged(send: {
  toTab: (tabId: number) => Promise<unknown>;
  toPages: () => Promise<unknown>;
}): Promise<void> {
  const tabs = await columnTabsItem.getValue();
  const answered = await Promise.all(
    tabs.map((tabId) =>
      send.toTab(tabId).then(
        () => true,
        () => false,
      ),
    ),
  );
  const alive = tabs.filter((_, i) => answered[i]);
  if (alive.length !== tabs.length) await columnTabsItem.setValue(alive);
  await send.toPages().catch(() => {}); // no extension page open: nobody to tell
}

/** Background: tell every view that history changed. */
export const notifyHistoryChanged = () =>
  announceHistoryChanged({
    // The top frame only: the usage panel framed in that tab hears the broadcast to extension pages.
    toTab: (tabId) => sendMessage('history:changed', undefined, { tabId, frameId: 0 }),
    toPages: () => sendMessage('history:changed', undefined),
  });
