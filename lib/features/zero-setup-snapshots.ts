import { onSubtreeChange } from '../dom/observe';
import { sendMessage } from '../messaging';
import { isUsagePage } from '../openai/pages';
import { isoDay, readDashboardRange } from '../openai/range';
import { findTopApiKeysTables, readTopKeysView } from '../openai/top-api-keys';
import { defineFeature } from './runner';

/**
 * Zero-setup history: without an admin key, what "Top API keys" shows (labels, redacted keys,
 * projects, requests and the range) is recorded on each visit, so history builds up anyway.
 * Nothing else from the page is read. The background keeps it only while no organisation is
 * connected, and skips a visit that shows exactly what the last one did.
 */
export const zeroSetupSnapshots = defineFeature({
  id: 'zero-setup-snapshots',
  include: [isUsagePage],
  async init(_ctx, signal) {
    // With an admin key the Admin API is the record: don't read the table on every page change.
    if ((await sendMessage('orgs:list', undefined)).length > 0 || signal.aborted) return;
    let lastSent = '';
    const pass = () => {
      const [table] = findTopApiKeysTables(document);
      if (!table) return;
      const view = readTopKeysView(table);
      // The loading skeleton has rows without labels or counts: wait for the real ones.
      if (view.rows.length === 0 || view.rows.some((r) => !r.label || r.requests === null)) return;
      const range = readDashboardRange(new URL(location.href), document, Date.now() / 1000);
      if (range.source === 'default') return; // we would not know what range the numbers are for
      const snapshot = {
        rangeStart: isoDay(range.from),
        rangeEnd: isoDay(range.to - 86_400),
        rangeLabel: `${isoDay(range.from)} – ${isoDay(range.to - 86_400)}`,
        rows: view.rows.map((r) => ({ label: r.label, redacted: r.redacted, project: r.project, requests: r.requests ?? 0 })),
      };
      const fingerprint = JSON.stringify(snapshot);
      if (fingerprint === lastSent) return;
      lastSent = fingerprint;
      void sendMessage('history:recordSnapshot', snapshot);
    };
    onSubtreeChange(document.body, pass, signal);
    pass();
  },
});

/* Test pages: https://platform.openai.com/usage (any layout) with no admin key in Keymeter's settings. */
