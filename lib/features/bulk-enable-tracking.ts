import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { startBulkEnable } from '../bulk-enable/controller';
import { isApiKeysPage } from '../openai/pages';
import { bulkEnableHost } from '../openai/selectors';
import css from './bulk-enable-tracking.css?inline';
import { defineFeature } from './runner';

/**
 * Bulk-enable usage tracking on legacy API keys (issue 5): a toolbar "Enable tracking on N keys",
 * a preview with checkboxes, then one key at a time through the dashboard's own Enable control and
 * confirmation, with progress, Cancel, a report and an audit log. Logic: lib/bulk-enable/.
 */

export const bulkEnableTracking = defineFeature({
  id: 'bulk-enable-tracking',
  include: [isApiKeysPage],
  async init(ctx, signal) {
    const ui = await createShadowRootUi(ctx, {
      name: bulkEnableHost,
      position: 'inline',
      anchor: 'body',
      append: 'last',
      css,
      // Typing in the panel must not reach the dashboard's shortcuts (Escape closes its dialogs).
      isolateEvents: true,
      onMount: (container) => container,
    });
    if (signal.aborted) return;
    ui.mount();
    // ctx removes the UI when the extension goes away; a route change only aborts `signal`.
    signal.addEventListener('abort', () => ui.remove(), { once: true });
    await startBulkEnable(ui.uiContainer, signal);
  },
});

/*
 Test pages (simulator: `npm run demo`, or platform.openai.com):
 - /api-keys?layout=2024 (and 2026, compact): "Find keys without usage tracking (2 pages)" bottom left;
   the legacy keys are on page 2. /api-keys#keymeter-bulk-enable opens the preview directly.
 - Reload during a run: the panel offers "Continue with N keys".
*/
