import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { SimOrg } from '../sim/model';
import { useKeymeter } from './fixtures';

/**
 * Bulk-enable usage tracking against the simulated dashboard, in real Chromium: failures, slow
 * answers, the rate limit, another confirm label, an unticked key, pagination (legacy keys are on
 * page 2), Cancel, a reload and a navigation away mid-run, on all three layouts. After each run the
 * simulator's own log must show no click on anything but tracking controls, their confirmation and
 * the pager, and no enable of a key that was not ticked.
 */

/** Log kinds Keymeter must never cause. */
const FORBIDDEN = [
  'edit',
  'edit-saved',
  'permissions',
  'revoke',
  'revoke-confirmed',
  'create',
  'create-confirmed',
  'delete',
  'decoy',
  'cancel',
];
const PACING_MS = 100;
// Timings are recorded here for the closing note, never asserted: speed is measured, not tested (a loaded CI box would flake).
const FIGURES = resolve(import.meta.dirname, '../../test-results/bulk-enable-figures.json');

type LogEntry = { kind: string; keyId?: string; outcome?: string; at?: number };

describe('bulk-enable usage tracking on legacy keys', () => {
  const k = useKeymeter();
  const figures: Record<string, unknown> = {};

  async function legacyUntracked(): Promise<Array<{ id: string; name: string }>> {
    const org: SimOrg = await k.sim.org();
    return org.keys
      .filter((key) => key.legacy && key.tracking_since === null && key.deleted_at === null)
      .map((key) => ({ id: key.id, name: key.name }));
  }

  async function log(): Promise<LogEntry[]> {
    return (await k.sim.state()).dashboard as LogEntry[];
  }

  /** Writes the extension's storage.local from its service worker (as the options page would). */
  async function setStorage(values: Record<string, unknown>, remove: string[] = []) {
    await k.browser.serviceWorker.evaluate(
      async ({ values, remove }) => {
        type Local = { set(v: object): Promise<void>; remove(keys: string[]): Promise<void> };
        const local = (globalThis as unknown as { chrome: { storage: { local: Local } } }).chrome.storage.local;
        if (remove.length > 0) await local.remove(remove);
        await local.set(values);
      },
      { values, remove },
    );
  }
  const pacing = (pacingMs: number) => setStorage({ bulkEnableSettings: { pacingMs, maxAttempts: 3 } });

  /** Fresh org and log, short pacing, no run left over from the previous test. */
  async function freshStart(config: Record<string, unknown>) {
    await k.sim.reset();
    await k.sim.dashboardConfig({ renderDelayMs: 150, ...config });
    await setStorage({ bulkEnableSettings: { pacingMs: PACING_MS, maxAttempts: 3 } }, ['bulkEnableRun']);
  }

  const panelOf = (page: Page): Locator => page.getByRole('region', { name: 'Keymeter: enable usage tracking' });

  async function expectOnlyAllowedClicks(entries: LogEntry[], notTicked: string[] = []) {
    expect(entries.filter((e) => FORBIDDEN.includes(e.kind))).toEqual([]);
    expect(entries.filter((e) => notTicked.includes(e.keyId ?? '') && e.kind !== 'navigate')).toEqual([]);
    // Every "enable" click was followed by a confirm of the same key (never left a dialog behind).
    const enables = entries.filter((e) => e.kind === 'enable').map((e) => e.keyId);
    const confirms = entries.filter((e) => e.kind === 'confirm').map((e) => e.keyId);
    expect(confirms).toEqual(enables);
  }

  /** Long tasks on the page's main thread (content script included), recorded from page start. */
  async function watchLongTasks(page: Page) {
    await page.addInitScript(() => {
      const w = window as unknown as { __longTasks: Array<{ start: number; duration: number }> };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const entry of list.getEntries()) w.__longTasks.push({ start: entry.startTime, duration: entry.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
  }

  const longestTaskSince = (page: Page, since: number) =>
    page.evaluate((t0) => {
      const tasks = (window as unknown as { __longTasks: Array<{ start: number; duration: number }> }).__longTasks;
      return {
        longest: Math.max(0, ...tasks.filter((t) => t.start >= t0).map((t) => t.duration)),
        count: tasks.filter((t) => t.start >= t0).length,
      };
    }, since);

  it('2024 layout: walks to page 2, enables the ticked keys, retries and reports the failing one, never touches an unticked key', async () => {
    const keys = await legacyUntracked();
    expect(keys.map((key) => key.name).sort()).toEqual(['eval-scripts', 'jupyter', 'marketing-copy', 'old-notebook', 'zapier-integration']);
    const failing = keys.find((key) => key.name === 'jupyter')!;
    const unticked = keys.find((key) => key.name === 'zapier-integration')!;
    await freshStart({ enableFailKeyIds: [failing.id], enableLatencyMs: [50, 250], confirmText: 'Turn on tracking', rateLimitMs: 600 });

    const page = await k.browser.context.newPage();
    await watchLongTasks(page);
    await page.goto('https://platform.openai.com/api-keys?layout=2024');
    const panel = panelOf(page);
    // Page 1 holds only tracked keys; the table has 2 pages.
    await panel.getByRole('button', { name: 'Find keys without usage tracking (2 pages)' }).click();
    await panel.getByRole('heading', { name: 'Enable usage tracking on 5 keys' }).waitFor();
    const boxes = panel.getByRole('checkbox');
    expect(await boxes.count()).toBe(5);
    for (const box of await boxes.all()) expect(await box.isChecked()).toBe(true);
    await panel.getByRole('checkbox', { name: /zapier-integration/ }).uncheck();

    // Nothing happened before Start but page turns.
    expect((await log()).filter((e) => !['navigate', 'page'].includes(e.kind))).toEqual([]);

    const t0 = await page.evaluate(() => performance.now());
    const started = Date.now();
    await panel.getByRole('button', { name: 'Start: enable 4 keys' }).click();
    const report = panel.locator('[data-view="report"]');
    await report.waitFor({ timeout: 45_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(await report.getAttribute('data-status')).toBe('done');
    expect(await panel.getByTestId('km-counts').textContent()).toBe('Enabled: 3 · Already on: 0 · Failed: 1 · Skipped: 1');
    const failedText = await panel.locator('.km-error').first().textContent();
    expect(failedText).toMatch(/^(Failed to enable tracking: .+|You're doing that too often\. Try again in a moment\.)$/);

    const entries = await log();
    await expectOnlyAllowedClicks(entries, [unticked.id]);
    const outcomes = (id: string) => entries.filter((e) => e.kind === 'enable-tracking' && e.keyId === id).map((e) => e.outcome);
    for (const key of keys.filter((key) => key !== failing && key !== unticked))
      expect(outcomes(key.id).filter((o) => o === 'enabled')).toHaveLength(1);
    expect(outcomes(failing.id).every((o) => o === 'failed' || o === 'rate-limited')).toBe(true);
    expect(outcomes(failing.id)).toHaveLength(3);
    expect(entries.some((e) => e.kind === 'page' && e.outcome === '2')).toBe(true);
    // The page agrees: three more rows show "Enabled", jupyter and zapier still offer "Enable".
    const table = page.locator('table');
    expect(await table.getByRole('button', { name: 'Enable', exact: true }).count()).toBe(2);

    // The report downloads as text.
    const [download] = await Promise.all([page.waitForEvent('download'), panel.getByRole('button', { name: 'Download report' }).click()]);
    const text = readFileSync((await download.path())!, 'utf8');
    expect(text).toContain('Enabled: 3 · Already on: 0 · Failed: 1 · Skipped: 1');
    expect(text).toContain('  - zapier-integration (sk-…');
    expect(download.suggestedFilename()).toMatch(/^keymeter-enable-tracking-\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}\.txt$/);

    // The audit log (Dexie, in the background) has the run.
    const audit = await k.browser.serviceWorker.evaluate(
      () =>
        new Promise<Array<{ kind: string; summary: string; details: { status: string } }>>((done, fail) => {
          const open = indexedDB.open('keymeter');
          open.onerror = () => fail(open.error);
          open.onsuccess = () => {
            const request = open.result.transaction('audit').objectStore('audit').getAll();
            request.onsuccess = () => done(request.result);
          };
        }),
    );
    expect(audit.map((r) => [r.kind, r.details.status, r.summary])).toEqual([
      ['bulk-enable', 'done', 'done: 3 enabled, 0 already on, 1 failed, 1 skipped'],
    ]);

    const longTasks = await longestTaskSince(page, t0);
    const enables = entries.filter((e) => e.kind === 'enable-tracking');
    figures.layout2024 = {
      keysTicked: 4,
      attempts: enables.length,
      rateLimited: enables.filter((e) => e.outcome === 'rate-limited').length,
      seconds,
      secondsPerTickedKey: seconds / 4,
      longestTaskMs: longTasks.longest,
      longTasks: longTasks.count,
      sim: { enableLatencyMs: [50, 250], rateLimitMs: 600, pacingMs: PACING_MS },
    };
    await page.close();
  });

  it('2026 layout: opened from #keymeter-bulk-enable, survives a reload mid-run and continues', async () => {
    const keys = await legacyUntracked();
    await freshStart({ enableLatencyMs: [150, 300] });
    // A longer pause between keys, so the reload lands between two keys (what this test is about),
    // not after too many are done or between one key's Enable and its confirmation.
    await pacing(1500);
    const page = await k.browser.context.newPage();
    await watchLongTasks(page);
    // The usage panel's untracked-usage warning links here.
    await page.goto('https://platform.openai.com/api-keys?layout=2026#keymeter-bulk-enable');
    const panel = panelOf(page);
    await panel.getByRole('heading', { name: 'Enable usage tracking on 5 keys' }).waitFor({ timeout: 20_000 });
    const started = Date.now();
    await panel.getByRole('button', { name: 'Start: enable 5 keys' }).click();
    await expect
      .poll(async () => (await log()).filter((e) => e.outcome === 'enabled').length, { timeout: 20_000, interval: 50 })
      .toBeGreaterThanOrEqual(2);
    await page.reload();

    await panel.locator('[data-view="resume"]').waitFor({ timeout: 20_000 });
    expect(await panel.textContent()).toContain('The page was reloaded or closed while Keymeter was enabling tracking.');
    const t0 = await page.evaluate(() => performance.now());
    await panel.getByRole('button', { name: /^Continue with [1-3] keys?$/ }).click();
    const report = panel.locator('[data-view="report"]');
    await report.waitFor({ timeout: 45_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(await panel.getByTestId('km-counts').textContent()).toBe('Enabled: 5 · Already on: 0 · Failed: 0 · Skipped: 0');

    const entries = await log();
    await expectOnlyAllowedClicks(entries);
    for (const key of keys)
      expect(entries.filter((e) => e.kind === 'enable-tracking' && e.keyId === key.id && e.outcome === 'enabled')).toHaveLength(1);
    expect((await legacyUntracked()).length).toBe(0);
    const longTasks = await longestTaskSince(page, t0);
    figures.layout2026Reload = {
      keys: 5,
      secondsIncludingReload: seconds,
      longestTaskMs: longTasks.longest,
      sim: { enableLatencyMs: [150, 300], rateLimitMs: 400, pacingMs: PACING_MS },
    };
    await page.close();
  });

  it('compact layout: leaving the page mid-run stops it and says why; continued, then cancelled after the current key', async () => {
    await freshStart({ enableLatencyMs: [150, 300] });
    // A longer pause between keys, so the navigation lands between two keys.
    await pacing(1500);
    const page = await k.browser.context.newPage();
    await page.goto('https://platform.openai.com/api-keys?layout=compact');
    const panel = panelOf(page);
    await panel.getByRole('button', { name: 'Find keys without usage tracking (2 pages)' }).click();
    await panel.getByRole('button', { name: 'Start: enable 5 keys' }).click();
    await expect.poll(async () => (await log()).filter((e) => e.outcome === 'enabled').length, { timeout: 20_000, interval: 50 }).toBe(1);

    // Client-side navigation away (the dashboard's own nav), then back.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /usage/i }).click();
    await expect.poll(() => page.locator('html').getAttribute('data-keymeter-route')).toBe('/usage');
    await page.goBack();
    await panel.locator('[data-view="resume"]').waitFor({ timeout: 20_000 });
    expect(await panel.textContent()).toContain('You left the API-keys page during the run.');
    expect(await panel.textContent()).toContain('1 of 5 done');

    // The continued run keeps its own pacing (1.5 s).
    await panel.getByRole('button', { name: 'Continue with 4 keys' }).click();
    await expect.poll(async () => (await log()).filter((e) => e.outcome === 'enabled').length, { timeout: 20_000, interval: 50 }).toBe(2);
    await panel.getByRole('button', { name: 'Cancel' }).click();
    const report = panel.locator('[data-view="report"]');
    await report.waitFor({ timeout: 20_000 });
    expect(await report.getAttribute('data-status')).toBe('cancelled');

    const entries = await log();
    await expectOnlyAllowedClicks(entries);
    const enabled = entries.filter((e) => e.kind === 'enable-tracking' && e.outcome === 'enabled').length;
    expect(enabled === 2 || enabled === 3).toBe(true); // the key under way when Cancel was pressed finishes
    expect(await panel.getByTestId('km-counts').textContent()).toBe(
      `Enabled: ${enabled} · Already on: 0 · Failed: 0 · Skipped: ${5 - enabled}`,
    );
    expect(entries.filter((e) => e.kind === 'enable')).toHaveLength(enabled);
    await page.close();
  });

  it('measures: default latency, rate limit and pacing (1 s), all five keys', async () => {
    await freshStart({});
    await pacing(1000);
    const page = await k.browser.context.newPage();
    await watchLongTasks(page);
    await page.goto('https://platform.openai.com/api-keys?layout=2026#keymeter-bulk-enable');
    const panel = panelOf(page);
    await panel.getByRole('button', { name: 'Start: enable 5 keys' }).click({ timeout: 20_000 });
    const t0 = await page.evaluate(() => performance.now());
    const started = Date.now();
    await panel.locator('[data-view="report"]').waitFor({ timeout: 45_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(await panel.getByTestId('km-counts').textContent()).toBe('Enabled: 5 · Already on: 0 · Failed: 0 · Skipped: 0');
    const entries = await log();
    await expectOnlyAllowedClicks(entries);
    const longTasks = await longestTaskSince(page, t0);
    figures.defaults2026 = {
      keys: 5,
      seconds,
      secondsPerKey: seconds / 5,
      projected100KeysMinutes: ((seconds / 5) * 100) / 60,
      rateLimited: entries.filter((e) => e.outcome === 'rate-limited').length,
      longestTaskMs: longTasks.longest,
      longTasks: longTasks.count,
      sim: { enableLatencyMs: [300, 800], rateLimitMs: 400, pacingMs: 1000 },
    };
    await page.close();

    mkdirSync(resolve(FIGURES, '..'), { recursive: true });
    writeFileSync(FIGURES, `${JSON.stringify(figures, null, 2)}\n`);
    console.log('[bulk-enable figures]', JSON.stringify(figures));
  });
});
