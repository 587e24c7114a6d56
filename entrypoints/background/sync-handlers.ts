import { notifyHistoryChanged, rememberColumnTab } from '@/lib/history/change-notice';
import { historyDb } from '@/lib/history/db';
import { keyTable } from '@/lib/history/key-table';
import { handleMessage } from '@/lib/message-inputs';
import { orgsItem, syncSettingsItem } from '@/lib/settings';
import { isSyncRunning, onSyncDone, SYNC_ALARM, syncAllOrgs, syncOrg } from '@/lib/sync/scheduler';
import { syncStatuses } from '@/lib/sync/status';

export function registerSyncHandlers() {
  onSyncDone(() => notifyHistoryChanged());
  handleMessage('sync:now', async ({ orgId }) =>
    orgId ? { [orgId]: await syncOrg(orgId, { force: true }) } : syncAllOrgs({ force: true }),
  );
  handleMessage('sync:status', async () => syncStatuses(historyDb(), await orgsItem.getValue(), isSyncRunning));
  handleMessage('usage:keyTable', async ({ orgId, from, to }, sender) => {
    if (sender.tab?.id !== undefined) void rememberColumnTab(sender.tab.id);
    const orgs = await orgsItem.getValue();
    const chosen = orgId ? orgs.filter((o) => o.id === orgId) : orgs;
    const db = historyDb();
    const states = await db.syncState.bulkGet(chosen.map((o) => o.id));
    const rows = (await Promise.all(chosen.map((o) => keyTable(db, o.id, from, to)))).flat();
    return { rows, orgs: chosen.map((o, i) => ({ orgId: o.id, label: o.label, lastSuccessAt: states[i]?.lastSuccessAt ?? null })) };
  });
}

/**
 * Hourly (by default) sync; also resumes a sync the service worker was stopped in the middle of.
 * The listener is added synchronously so the alarm that wakes the worker is not missed.
 */
export function scheduleSync() {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name === SYNC_ALARM) void syncAllOrgs();
  });
  syncSettingsItem.watch((settings) => void browser.alarms.create(SYNC_ALARM, { periodInMinutes: settings.intervalMinutes }));
  void (async () => {
    const { intervalMinutes } = await syncSettingsItem.getValue();
    const existing = await browser.alarms.get(SYNC_ALARM);
    if (existing?.periodInMinutes !== intervalMinutes)
      await browser.alarms.create(SYNC_ALARM, { periodInMinutes: intervalMinutes, delayInMinutes: 1 });
    await syncAllOrgs(); // resumes pending syncs; fresh organisations are skipped
  })();
}
