import { historyDb } from '@/lib/history/db';
import { recordSnapshot } from '@/lib/history/snapshots';
import { handleMessage } from '@/lib/message-inputs';
import { orgsItem } from '@/lib/settings';

export function registerHistoryHandlers() {
  // Zero-setup history is for browsers without an admin key; with one, the Admin API is the record.
  handleMessage('history:recordSnapshot', async (snapshot) => {
    if ((await orgsItem.getValue()).length > 0) return;
    await recordSnapshot(historyDb(), snapshot);
  });
}
