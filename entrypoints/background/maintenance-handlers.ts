import { backupFilename, buildBackup, restoreFromText } from '@/lib/history/backup';
import { notifyHistoryChanged } from '@/lib/history/change-notice';
import { historyDb } from '@/lib/history/db';
import { clearHistory, storageReport, sumCounts } from '@/lib/history/maintenance';
import { repriceHistory } from '@/lib/history/reprice';
import { pruneHistory } from '@/lib/history/retention';
import { handleMessage } from '@/lib/message-inputs';
import {
  orgsItem,
  priceOverridesItem,
  priceOverridesSchema,
  readValid,
  retentionSettingsItem,
  retentionSettingsSchema,
} from '@/lib/settings';
import { onSyncDone } from '@/lib/sync/scheduler';

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function prune() {
  const { keepMonths } = await readValid(retentionSettingsItem, retentionSettingsSchema);
  return pruneHistory(historyDb(), { now: nowSeconds(), keepMonths });
}

/** Runs a change to history, then tells the open views (even when it failed part-way: they re-read what is there). */
async function changing<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } finally {
    void notifyHistoryChanged();
  }
}

/** Options page: storage used, retention, clear, backup and restore, re-pricing. Logic lives in lib/history/. */
export function registerMaintenanceHandlers() {
  handleMessage('history:storage', () => storageReport(historyDb()));
  handleMessage('history:prune', () => changing(prune));
  handleMessage('history:clear', () => changing(async () => ({ deleted: sumCounts(await clearHistory(historyDb())) })));
  handleMessage('history:backup', async () => {
    const now = new Date();
    const backup = await buildBackup(historyDb(), { now, orgs: await orgsItem.getValue() });
    return {
      filename: backupFilename(now),
      text: JSON.stringify(backup),
      rows: Object.values(backup.counts).reduce((a, b) => a + b, 0),
    };
  });
  handleMessage('history:restore', ({ text }) => changing(async () => restoreFromText(historyDb(), text, await orgsItem.getValue())));
  handleMessage('history:reprice', () =>
    changing(async () => repriceHistory(historyDb(), await readValid(priceOverridesItem, priceOverridesSchema))),
  );

  // Retention after every successful sync (the sync's own window is never pruned).
  onSyncDone(async () => {
    await prune();
  });
}
