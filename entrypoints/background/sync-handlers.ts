import { notifyHistoryChanged, rememberColumnTab } from '@/lib/history/change-notice';
import { historyDb } from '@/lib/history/db';
import { keyTable } from '@/lib/history/key-table';
import { handleMessage } from '@/lib/message-inputs';
import type { SyncStatus } from '@/lib/messaging';
import { orgsItem, syncSettingsItem } from '@/lib/settings';
import { progressOf } from '@/lib/sync/plan';
import { isSyncRunning, onSyncDone, SYNC_ALARM, syncAllOrgs, syncOrg } from '@/lib/sync/scheduler';

export function registerSyncHandlers() {
  onSyncDone(() => notifyHistoryChanged());
  handleMessage('sync:now', async ({ orgId }) =>
    orgId ? { [orgId]: await syncOrg(orgId, { force: true }) } : syncAllOrgs({ force: true }),
  );
  handleMessage('sync:status', async () => {
    const orgs = await orgsItem.getValue();
    const states = await historyDb().syncState.bulkGet(orgs.map((o) => o.id));
    return orgs.map((org, i): SyncStatus => {
      const state = states[i];
      return {
        orgId: org.id,
        label: org.label,
        lastSuccessAt: state?.lastSuccessAt ?? null,
        lastAttemptAt: state?.lastAttemptAt ?? null,
        lastError: state?.lastError ? { ...state.lastError, kind: state.lastError.kind as never } : null,
        // A failed sync keeps its place (pending) for the next attempt, but it is not running.
        running: state?.pending && isSyncRunning(org.id) ? progressOf(state.pending) : null,
      };
    });
  });
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
