import { registerOrgHandlers } from './org-handlers';

// Thin: wire handlers only. Logic lives in lib/.
export default defineBackground(() => {
  registerOrgHandlers();
});
