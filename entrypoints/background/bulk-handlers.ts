import { readRun, readRunSettings, saveRun, saveRunSettings } from '@/lib/bulk-enable/storage';
import { listBulkRuns, recordBulkRun } from '@/lib/history/audit';
import { historyDb } from '@/lib/history/db';
import { handleMessage } from '@/lib/message-inputs';

/** Registers the bulk-enable handlers; returns their remover. */
export function registerBulkHandlers(): () => void {
  const removers = [
    handleMessage('bulk:audit', async (entry) => {
      await recordBulkRun(historyDb(), entry);
    }),
    handleMessage('bulk:auditLog', () => listBulkRuns(historyDb())),
    // The content script's bulk-enable state: storage.local is closed to it, so the background keeps it.
    handleMessage('bulk:settings', () => readRunSettings()),
    handleMessage('bulk:saveSettings', (change) => saveRunSettings(change)),
    handleMessage('bulk:run', () => readRun()),
    handleMessage('bulk:saveRun', (run) => saveRun(run)),
    handleMessage('bulk:clearRun', () => saveRun(null)),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}
