import { listBulkRuns, recordBulkRun } from '@/lib/history/audit';
import { historyDb } from '@/lib/history/db';
import { handleMessage } from '@/lib/message-inputs';

export function registerBulkHandlers() {
  handleMessage('bulk:audit', async (entry) => {
    await recordBulkRun(historyDb(), entry);
  });
  handleMessage('bulk:auditLog', () => listBulkRuns(historyDb()));
}
