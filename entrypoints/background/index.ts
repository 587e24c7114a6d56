import { restrictToTrustedContexts } from '@/lib/storage-access';
import { registerBulkHandlers } from './bulk-handlers';
import { registerExportHandlers } from './export-handlers';
import { registerHistoryHandlers } from './history-handlers';
import { registerMaintenanceHandlers } from './maintenance-handlers';
import { registerOrgHandlers } from './org-handlers';
import { registerPanelHandlers } from './panel-handlers';
import { registerAlerts, registerReportHandlers } from './report-handlers';
import { registerSyncHandlers, scheduleSync } from './sync-handlers';

// Thin: wire handlers only. Logic lives in lib/.
export default defineBackground(() => {
  // First: storage.local (the admin keys) closed to content scripts, on every worker start.
  void restrictToTrustedContexts();
  registerOrgHandlers();
  registerSyncHandlers();
  registerPanelHandlers();
  registerHistoryHandlers();
  registerExportHandlers();
  registerBulkHandlers();
  registerReportHandlers();
  registerAlerts();
  registerMaintenanceHandlers();
  scheduleSync();
});
