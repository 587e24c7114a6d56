import { notifyHistoryChanged } from '@/lib/history/change-notice';
import { historyDb } from '@/lib/history/db';
import { deleteOrgHistory } from '@/lib/history/maintenance';
import { handleMessage } from '@/lib/message-inputs';
import { addOrg, removeOrg } from '@/lib/orgs';
import { orgsItem } from '@/lib/settings';
import { isSyncRunning, syncOrg, syncSettled } from '@/lib/sync/scheduler';

export function registerOrgHandlers() {
  handleMessage('orgs:list', () => orgsItem.getValue());
  // A new organisation starts its backfill at once; the panel shows its progress.
  handleMessage('orgs:add', (input) => addOrg(input, { onAdded: (org) => void syncOrg(org.id) }));
  handleMessage('orgs:remove', async ({ orgId, deleteHistory }) => {
    await removeOrg(orgId);
    if (deleteHistory) {
      await deleteOrgHistory(historyDb(), orgId);
      // A sync of it under way still writes its current page: delete again once it has ended.
      if (isSyncRunning(orgId)) void syncSettled(orgId).then(() => deleteOrgHistory(historyDb(), orgId));
    }
    void notifyHistoryChanged(); // the organisation's columns go, with or without its history
  });
}
