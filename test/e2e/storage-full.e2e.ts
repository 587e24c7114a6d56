import type { CDPSession } from 'playwright-core';
import { afterAll, afterEach, describe, expect, inject, it } from 'vitest';
import { USAGE_ENDPOINTS } from '../../lib/openai/schemas';
import { USAGE_DAYS_PER_PAGE } from '../../lib/sync/plan';
import { DEMO_ADMIN_KEY, E2E_ADMIN_KEY } from '../sim/seed';
import { type KeymeterBrowser, launchWithExtension } from './browser';
import { type DbDump, dumpDb, missingOrChangedRows, naturalKeys, perKeyTotals } from './extension-db';
import { hostGuard } from './fixtures';
import { connectOrg, waitForDecoratedRows, waitForSync } from './helpers';
import { simControl } from './sim-control';

/**
 * Storage full, for real: Chromium itself refuses Keymeter's IndexedDB writes. The DevTools
 * protocol's Storage.overrideQuotaForOrigin sets the quota of the extension's origin; it is sent
 * from a page's session (it applies to the origin named, service worker included; the browser-level
 * session answers "Internal error").
 *
 * Two things of Chromium's decide how the test is built:
 * - IndexedDB lets writes through on a cached allowance that decays to nothing over 30 seconds
 *   (BucketContext::kBucketSpaceCacheTimeLimit), so a new quota bites within 30 s, not at once.
 * - The origin's usage goes down as well as up (LevelDB turns its log into compressed tables), so a
 *   quota just above today's usage can leave room for a whole backfill later. The quota is therefore
 *   set far below any usage: once it bites, every write is refused.
 * The second organisation's backfill is slowed by the simulator (each usage page answers after
 * HANG_MS), so it is still running when the quota bites, whatever the cache's age: it stops midway.
 */
const QUOTA_BITES_WITHIN_MS = 30_000;
const HANG_MS = 2_000;
const BACKFILL_DAYS = 90;
const DAY = 86_400;
const NO_ROOM = 1; // bytes

const SENTENCE =
  "Your browser's storage for Keymeter is full: the browser refused to save more data; remove old history (Retention) or free disk space. The last good data is kept.";

function recentRange() {
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
  return `start=${day(8)}&end=${day(2)}`;
}

type Row = Record<string, unknown>;
/** One organisation's rows of one store (and usage endpoint) with `from ≤ day < to`, as comparable text without the org. */
function rowsOf(dump: DbDump, orgId: string, store: 'usage' | 'costs', endpoint: string | null, from: number, to: number): string[] {
  return (dump.stores[store] ?? [])
    .map(([, row]) => row)
    .filter((row: Row) => row.orgId === orgId && (endpoint === null || row.endpoint === endpoint))
    .filter((row: Row) => (row.day as number) >= from && (row.day as number) < to)
    .map(({ orgId: _org, id: _id, ...rest }: Row) => JSON.stringify(rest, Object.keys(rest).sort()))
    .sort();
}

/** Per-key totals of one organisation (complete days), without the org prefix. */
function orgTotals(dump: DbDump, orgId: string, beforeDay: number) {
  return Object.fromEntries(
    Object.entries(perKeyTotals(dump, beforeDay))
      .filter(([key]) => key.startsWith(`${orgId}|`))
      .map(([key, value]) => [key.slice(orgId.length + 1), value]),
  );
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
  pending: { from: number; steps: Array<{ name: string; done: boolean; pagesDone: number }> } | null;
};
const syncStates = (dump: DbDump) =>
  new Map((dump.stores.syncState ?? []).map(([, row]) => [row.orgId as string, row as unknown as SyncStateRow]));

describe('storage full: Chromium refuses Keymeter’s writes; the sentence says so, nothing is lost or half-written, and it heals', () => {
  const sim = simControl(inject('controlPort'));
  const simPort = inject('simPort');
  const guard = hostGuard(sim);
  let browser: KeymeterBrowser | undefined;

  // One test, from a fresh profile and simulator: its steps build on each other, so a retry reruns them all.
  afterEach(async () => {
    await browser?.close();
    browser = undefined;
  });
  afterAll(() => guard.check());

  it('a backfill runs out of room midway: every view says so, pages are whole or absent, and the next sync with room heals', {
    timeout: 300_000,
  }, async () => {
    await sim.reset();
    browser = await launchWithExtension(simPort);
    guard.watch(browser);
    const k = browser;
    const origin = `chrome-extension://${k.extensionId}`;
    const cdp: CDPSession = await k.context.newCDPSession(await k.context.newPage());

    // 1. One organisation synced while there is room.
    const options = await connectOrg(k, E2E_ADMIN_KEY, { backfillDays: BACKFILL_DAYS, label: 'Acme (e2e)' });
    const orgItem = (label: string) =>
      options.getByRole('list', { name: 'Connected organisations' }).getByRole('listitem').filter({ hasText: label });
    await waitForSync(options);
    const before = (await dumpDb(k))!;
    const completeDays = Math.floor(Date.now() / 1000 / DAY) * DAY; // today's rows grow while the day runs
    const first = [...syncStates(before).keys()][0]!;
    const page = await k.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2024&${recentRange()}`);
    await waitForDecoratedRows(page);
    const panel = page.frameLocator('[data-keymeter-panel] iframe');
    await panel.getByTestId('usage-panel').waitFor();

    // 2. A second organisation (the simulator's second admin key: another organisation to Keymeter)
    // starts its backfill slowly; once a few pages are in, the storage fills up.
    for (const endpoint of USAGE_ENDPOINTS)
      await sim.fault({ endpoint: `usage/${endpoint}`, kind: 'hang', hangMs: HANG_MS, times: Math.ceil(BACKFILL_DAYS / USAGE_DAYS_PER_PAGE) });
    await connectOrg(k, DEMO_ADMIN_KEY, { label: 'Acme (second key)' }).then((p) => p.close());
    await options.reload();
    const secondState = orgItem('Acme (second key)').getByTestId('sync-state');
    await expect.poll(async () => Number(/Syncing… (\d+) \//.exec((await secondState.textContent()) ?? '')?.[1] ?? 0), { timeout: 60_000 }).toBeGreaterThanOrEqual(3);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: NO_ROOM });
    expect((await cdp.send('Storage.getUsageAndQuota', { origin })).overrideActive).toBe(true);

    // The options page says storage is full, in those words.
    await expect.poll(() => secondState.getAttribute('data-state'), { timeout: QUOTA_BITES_WITHIN_MS + 30_000 }).toBe('error');
    expect(await secondState.textContent()).toBe(SENTENCE);

    const during = (await dumpDb(k))!;
    const second = [...syncStates(during).keys()].find((id) => id !== first)!;
    // The first organisation's history is untouched.
    expect(missingOrChangedRows(before, during)).toEqual({ count: 0, examples: [] });
    // The second one's: each page was written whole with its cursor, or not at all. A step with n pages
    // done holds exactly the first organisation's rows of its first n pages' days (the same data).
    const pending = syncStates(during).get(second)?.pending;
    expect(pending, 'the backfill is still pending').toBeTruthy();
    const { from } = pending!;
    /** The end of the days a step's finished pages cover (costs come in one page). */
    const pagesEnd = (step: { name: string; done: boolean; pagesDone: number }) => {
      if (step.pagesDone === 0) return from;
      if (step.done || step.name === 'costs') return completeDays;
      return Math.min(from + step.pagesDone * USAGE_DAYS_PER_PAGE * DAY, completeDays);
    };
    const steps = pending!.steps.filter((s) => s.name !== 'metadata');
    for (const step of steps) {
      const [store, endpoint] = step.name === 'costs' ? (['costs', null] as const) : (['usage', step.name.slice('usage:'.length)] as const);
      expect(rowsOf(during, second, store, endpoint, 0, completeDays), `${step.name}: ${step.pagesDone} page(s) written whole, nothing else`).toEqual(
        rowsOf(before, first, store, endpoint, from, pagesEnd(step)),
      );
    }
    expect(
      steps.filter((s) => s.pagesDone > 0 && s.name !== 'costs').length,
      'some pages were written before the storage filled up',
    ).toBeGreaterThan(0);
    expect(
      steps.some((s) => !s.done),
      'the backfill stopped before its end',
    ).toBe(true);

    // 3. "Sync now" in the dashboard's panel says so too, and the history stays as it was.
    await sim.clearFaults();
    await panel.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => (await panel.getByRole('alert').allTextContents()).join('\n'), { timeout: 60_000 }).toContain(SENTENCE);
    const after = (await dumpDb(k))!;
    expect(missingOrChangedRows(finishedDays(during, completeDays), finishedDays(after, completeDays))).toEqual({ count: 0, examples: [] });

    // 4. Room again: the next sync heals. Both organisations complete, nothing doubled.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    const since = Math.floor(Date.now() / 1000);
    const button = panel.getByRole('button', { name: 'Sync now' });
    await expect.poll(() => button.isEnabled(), { timeout: 30_000 }).toBe(true);
    await button.click();
    await expect
      .poll(
        async () => {
          const states = syncStates((await dumpDb(k))!);
          return [first, second].every((id) => states.get(id)?.pending === null && (states.get(id)?.lastSuccessAt ?? 0) >= since);
        },
        { timeout: 90_000, interval: 1000 },
      )
      .toBe(true);
    await expect.poll(() => panel.getByRole('alert').count(), { timeout: 30_000 }).toBe(0);
    await options.reload();
    for (const label of ['Acme (e2e)', 'Acme (second key)'])
      await expect.poll(() => orgItem(label).getByTestId('sync-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');

    const healed = (await dumpDb(k))!;
    const natural = naturalKeys(healed);
    expect(new Set(natural.usage).size).toBe(natural.usage.length);
    expect(new Set(natural.costs).size).toBe(natural.costs.length);
    expect(orgTotals(healed, first, completeDays)).toEqual(orgTotals(before, first, completeDays));
    // The same organisation under two keys: the healed second copy equals the first, row for row.
    for (const store of ['usage', 'costs'] as const)
      expect(rowsOf(healed, second, store, null, from, completeDays)).toEqual(rowsOf(healed, first, store, null, from, completeDays));
  });
});
