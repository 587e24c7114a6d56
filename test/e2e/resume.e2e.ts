import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { useKeymeter } from './fixtures';
import { connectOrg, expectedInputBySuffix, readColumns, waitForDecoratedRows, waitForSync } from './helpers';

describe('a sync cut off by the service worker stopping', () => {
  const k = useKeymeter();

  it('resumes where it was, with no duplicate and no missing row', async () => {
    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 400 });
    // Let the backfill get going, then stop the service worker, as Chrome does to idle workers.
    await options.getByText(/Syncing… ([5-9]|\d\d+) \//).waitFor({ timeout: 30_000 });
    const cdp = await k.browser.context.newCDPSession(options);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const { api: before } = await k.sim.state();
    const requestsBefore = before.length;

    // Any message wakes the worker again; on start it resumes the pending sync.
    await waitForSync(options, 120_000);
    const { api } = await k.sim.state();
    const afterRestart = api.slice(requestsBefore);
    // Resumed, not restarted: finished steps were not fetched again, and the step under way went on from its saved cursor.
    expect(afterRestart.some((e) => e.path.endsWith('/organization/projects'))).toBe(false);
    const firstUsage = afterRestart.find((e) => e.path.includes('/usage/'));
    expect(new URLSearchParams(firstUsage?.query).get('page'), 'first request after the restart carries a cursor').toMatch(/^page_/);

    const org = await k.sim.org();
    const page = await k.browser.context.newPage();
    await page.goto('https://platform.openai.com/usage?layout=2024&start=2025-12-15&end=2026-01-10');
    await waitForDecoratedRows(page);
    const expected = expectedInputBySuffix(org, '2025-12-15', '2026-01-10');
    const rows = (await readColumns(page)).filter((r) => expected.has(r.suffix));
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) expect(row.title.replace(/\D/g, ''), `key …${row.suffix}`).toBe(String(expected.get(row.suffix)));
    await page.close();
    await options.close();
  });
});
