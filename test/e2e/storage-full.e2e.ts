import type { CDPSession, FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { DEMO_ADMIN_KEY, E2E_ADMIN_KEY } from '../sim/seed';
import { type DbDump, dumpDb, missingOrChangedRows, naturalKeys, perKeyTotals } from './extension-db';
import { useKeymeter } from './fixtures';
import { connectOrg, waitForDecoratedRows, waitForSync } from './helpers';

/**
 * Storage full, for real: Chromium itself refuses Keymeter's IndexedDB writes. The DevTools
 * protocol's Storage.overrideQuotaForOrigin sets the quota of the extension's origin; it is sent
 * from a page's session (any page: it applies to the origin named, and it reaches the service
 * worker's IndexedDB; the browser-level session answers "Internal error"). IndexedDB lets writes through on a cached allowance that decays over 30 seconds
 * (Chromium's BucketContext::kBucketSpaceCacheTimeLimit), so the new quota bites after that.
 */
const QUOTA_CACHE_MS = 31_000;
const DAY = 86_400;

const SENTENCE =
  "Your browser's storage for Keymeter is full: the browser refused to save more data; remove old history (Retention) or free disk space. The last good data is kept.";

function recentRange() {
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
  return `start=${day(8)}&end=${day(2)}`;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One organisation's rows: per-key totals (complete days) without the org prefix, and row counts per usage endpoint. */
function orgFigures(dump: DbDump, orgId: string, beforeDay: number) {
  const totals = Object.fromEntries(
    Object.entries(perKeyTotals(dump, beforeDay))
      .filter(([key]) => key.startsWith(`${orgId}|`))
      .map(([key, value]) => [key.slice(orgId.length + 1), value]),
  );
  const perStep: Record<string, number> = {};
  for (const [, row] of dump.stores.usage ?? [])
    if (row.orgId === orgId && (row.day as number) < beforeDay)
      perStep[`usage:${row.endpoint}`] = (perStep[`usage:${row.endpoint}`] ?? 0) + 1;
  for (const [, row] of dump.stores.costs ?? [])
    if (row.orgId === orgId && (row.day as number) < beforeDay) perStep.costs = (perStep.costs ?? 0) + 1;
  return { totals, perStep };
}

/** Only the usage and cost rows of days before `beforeDay`: those a sync rewrites unchanged. */
const finishedDays = (dump: DbDump, beforeDay: number): DbDump => ({
  nativeVersion: dump.nativeVersion,
  stores: Object.fromEntries(
    ['usage', 'costs'].map((store) => [store, (dump.stores[store] ?? []).filter(([, row]) => (row.day as number) < beforeDay)]),
  ),
});

type SyncStateRow = {
  orgId: string;
  lastSuccessAt: number | null;
  lastError: unknown;
  pending: { steps: Array<{ name: string; done: boolean; pagesDone: number }> } | null;
};
const syncStates = (dump: DbDump) =>
  new Map((dump.stores.syncState ?? []).map(([, row]) => [row.orgId as string, row as unknown as SyncStateRow]));

describe('storage full: Chromium refuses Keymeter’s writes; the sentence says so, nothing is lost or half-written, and it heals', () => {
  const k = useKeymeter();
  let options: Page;
  let page: Page;
  let panel: FrameLocator;
  let cdp: CDPSession;
  let before: DbDump;
  let completeDays = 0;
  let first = '';
  let second = '';
  const origin = () => `chrome-extension://${k.browser.extensionId}`;
  const orgItem = (label: string) =>
    options.getByRole('list', { name: 'Connected organisations' }).getByRole('listitem').filter({ hasText: label });

  it('syncs one organisation while there is room', { timeout: 120_000 }, async () => {
    const quotaPage = await k.browser.context.newPage();
    cdp = await k.browser.context.newCDPSession(quotaPage);
    const empty = (await cdp.send('Storage.getUsageAndQuota', { origin: origin() })).usage;
    options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 30, label: 'Acme (e2e)' });
    await waitForSync(options);
    before = (await dumpDb(k.browser))!;
    completeDays = Math.floor(Date.now() / 1000 / DAY) * DAY;
    first = [...syncStates(before).keys()][0]!;
    const used = await cdp.send('Storage.getUsageAndQuota', { origin: origin() });
    page = await k.browser.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2024&${recentRange()}`);
    await waitForDecoratedRows(page);
    panel = page.frameLocator('[data-keymeter-panel] iframe');
    await panel.getByTestId('usage-panel').waitFor();
    // Room for part of a second organisation's backfill, not all of it.
    const headroom = Math.round((used.usage - empty) / 3);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: origin(), quotaSize: used.usage + headroom });
    expect((await cdp.send('Storage.getUsageAndQuota', { origin: origin() })).overrideActive).toBe(true);
    await sleep(QUOTA_CACHE_MS);
  });

  it('a second organisation’s backfill runs out of room: the options page says storage is full', { timeout: 120_000 }, async () => {
    // The simulator has one organisation; its second admin key is another organisation to Keymeter.
    await connectOrg(k.browser, DEMO_ADMIN_KEY, { label: 'Acme (second key)' }).then((p) => p.close());
    await options.reload();
    const state = orgItem('Acme (second key)').getByTestId('sync-state');
    await expect.poll(() => state.getAttribute('data-state'), { timeout: 60_000 }).toBe('error');
    expect(await state.textContent()).toBe(SENTENCE);

    const during = (await dumpDb(k.browser))!;
    second = [...syncStates(during).keys()].find((id) => id !== first)!;
    // The first organisation's history is untouched.
    expect(missingOrChangedRows(before, during)).toEqual({ count: 0, examples: [] });
    // The second one's: each page was written whole with its cursor, or not at all. With 30 days,
    // every endpoint is one page, so its rows are either all there (as many as the first org has) or none.
    const full = orgFigures(before, first, completeDays).perStep;
    const partial = orgFigures(during, second, completeDays).perStep;
    const steps = syncStates(during).get(second)?.pending?.steps ?? [];
    for (const step of steps.filter((s) => s.name !== 'metadata')) {
      const rows = partial[step.name] ?? 0;
      expect(rows, `${step.name}: rows of a page written whole or not at all`).toBe(step.pagesDone > 0 ? (full[step.name] ?? 0) : 0);
    }
    expect(
      steps.some((s) => !s.done),
      'the backfill stopped before its end',
    ).toBe(true);
  });

  it('“Sync now” in the panel says storage is full, and the history stays as it was', { timeout: 120_000 }, async () => {
    const button = panel.getByRole('button', { name: 'Sync now' });
    await button.click();
    await expect.poll(async () => (await panel.getByRole('alert').allTextContents()).join('\n'), { timeout: 60_000 }).toContain(SENTENCE);
    const after = (await dumpDb(k.browser))!;
    // Whatever little room was left may have taken a page that rewrote the same rows; no finished day changed.
    expect(missingOrChangedRows(finishedDays(before, completeDays), finishedDays(after, completeDays))).toEqual({ count: 0, examples: [] });
    expect(orgFigures(after, first, completeDays).totals).toEqual(orgFigures(before, first, completeDays).totals);
  });

  it('once there is room again, the next sync heals: both organisations complete, nothing doubled', { timeout: 120_000 }, async () => {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: origin() });
    const since = Math.floor(Date.now() / 1000);
    const button = panel.getByRole('button', { name: 'Sync now' });
    await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true);
    await button.click();
    await expect
      .poll(
        async () => {
          const states = syncStates((await dumpDb(k.browser))!);
          return [first, second].every((id) => states.get(id)?.pending === null && (states.get(id)?.lastSuccessAt ?? 0) >= since);
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
    await expect.poll(() => panel.getByRole('alert').count(), { timeout: 30_000 }).toBe(0);
    await options.reload();
    for (const label of ['Acme (e2e)', 'Acme (second key)'])
      await expect.poll(() => orgItem(label).getByTestId('sync-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');

    const healed = (await dumpDb(k.browser))!;
    const natural = naturalKeys(healed);
    expect(new Set(natural.usage).size).toBe(natural.usage.length);
    expect(new Set(natural.costs).size).toBe(natural.costs.length);
    const firstFigures = orgFigures(healed, first, completeDays);
    expect(firstFigures.totals).toEqual(orgFigures(before, first, completeDays).totals);
    // The same organisation under two keys: the healed second copy equals the first, key by key.
    expect(orgFigures(healed, second, completeDays)).toEqual(firstFigures);
    await page.close();
  });
});
