import { registerOrgHandlers } from './org-handlers';
import { registerSyncHandlers, scheduleSync } from './sync-handlers';

// Thin: wire handlers only. Logic lives in lib/.
export default defineBackground(() => {
  registerOrgHandlers();
  registerSyncHandlers();
  scheduleSync();
});
