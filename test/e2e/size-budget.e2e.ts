import { describe, expect, it } from 'vitest';
import { builtSizes, DASHBOARD_BUDGET_BYTES, DASHBOARD_SCRIPT, kb } from '../bench/sizes';
import { EXTENSION_DIR } from './browser';

// Runs after `wxt build` (npm run test:e2e): the content script injected on every dashboard
// page stays small (the panel's React and charts load in their own iframe page). `npm run bench`
// prints every file's size.
describe('size budget', () => {
  it(`${DASHBOARD_SCRIPT} is at most ${kb(DASHBOARD_BUDGET_BYTES)} gzip`, () => {
    const { dashboard } = builtSizes(EXTENSION_DIR);
    expect(dashboard.gzipBytes, `${DASHBOARD_SCRIPT}: ${kb(dashboard.gzipBytes)} gzip (${kb(dashboard.bytes)} raw)`).toBeLessThanOrEqual(
      DASHBOARD_BUDGET_BYTES,
    );
  });
});
