import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { type KeymeterBrowser, launchWithExtension } from '../e2e/browser';
import { connectOrg, waitForSync } from '../e2e/helpers';
import { createOrg, DEMO_ADMIN_KEY } from '../sim/seed';
import { bundleForPage, median, servePage } from './browser-page';
import type { BenchKey, RenderResult } from './columns.page';

/**
 * Benchmark 1: Keymeter's columns on "Top API keys", warm data. Chromium with the built
 * extension, the demo org connected and synced (90 days) against the simulator; a bench page
 * served by Playwright at a usage URL (the simulator is not involved) renders the table with
 * the seed's key names and redacted values, repeated to N rows, and times its own render and
 * the moment Keymeter's cells are on every row.
 */

const DAY = 86_400;

export interface ColumnsCase {
  rows: number;
  /** Set when Keymeter's columns did not appear in time: the case has no figures then. */
  error?: string;
  /** First render of the page: Keymeter asks the background for the range's totals. */
  firstMs: number;
  runs: RenderResult[];
  columnsMedianMs: number;
  columnsMaxMs: number;
  renderMedianMs: number;
  /** columns ÷ page render, medians. */
  ratio: number;
  taskMedianMs: number;
  longestTaskMs: number;
}

export interface ColumnsBench {
  range: { start: string; end: string };
  keysInSeed: number;
  syncMs: number;
  cases: ColumnsCase[];
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);

export async function benchColumns(options: {
  simPort: number;
  rowCounts?: number[];
  repeats?: number;
  log?: (line: string) => void;
}): Promise<ColumnsBench> {
  const log = options.log ?? (() => {});
  const org = createOrg();
  const keys: BenchKey[] = org.keys.map((k) => ({ name: k.name, redacted: k.redacted_value }));
  // The last 30 whole UTC days: inside the 90 days the background syncs.
  const today = Math.floor(Date.now() / 1000 / DAY) * DAY;
  const range = { start: iso(today - 30 * DAY), end: iso(today - DAY) };
  const script = await bundleForPage(resolve(import.meta.dirname, 'columns.page.ts'));

  const browser: KeymeterBrowser = await launchWithExtension(options.simPort);
  try {
    const t = performance.now();
    const optionsPage = await connectOrg(browser, DEMO_ADMIN_KEY, { backfillDays: 90, label: 'Acme (bench)' });
    await waitForSync(optionsPage);
    const syncMs = performance.now() - t;
    await optionsPage.close();
    log(`  demo org connected and synced (90 days) in ${(syncMs / 1000).toFixed(1)} s`);

    const cases: ColumnsCase[] = [];
    for (const rows of options.rowCounts ?? [200, 2000]) {
      const url = `https://platform.openai.com/usage?bench=columns-${rows}&start=${range.start}&end=${range.end}`;
      await servePage(browser.context, url, {
        title: 'Usage – OpenAI API (Keymeter bench)',
        body: '<main><section class="card-module__c_1x"><h2>Top API keys</h2><div id="top-api-keys-slot"></div></section></main>',
        script,
      });
      const page = await browser.context.newPage();
      await page.goto(url);
      await waitForFeatures(page);
      await page.evaluate((list) => window.keymeterColumnsBench.setKeys(list), keys);
      let first: RenderResult;
      const runs: RenderResult[] = [];
      try {
        first = await renderOnce(page, rows, 30_000);
        for (let i = 0; i < (options.repeats ?? 9); i++) {
          await settle(page);
          runs.push(await renderOnce(page, rows, 10_000));
        }
      } catch (error) {
        // Not a timed test: a render that never gets its columns is reported as a miss, not a crash.
        const message = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        log(`  ${rows} rows: ${message}`);
        cases.push({ ...emptyCase(rows), error: message });
        await page.close();
        continue;
      }
      await page.close();
      const columns = runs.map((r) => r.columnsMs);
      const render = runs.map((r) => r.renderMs);
      const c: ColumnsCase = {
        rows,
        firstMs: first.columnsMs,
        runs,
        columnsMedianMs: median(columns),
        columnsMaxMs: Math.max(...columns),
        renderMedianMs: median(render),
        ratio: median(columns) / median(render),
        taskMedianMs: median(runs.map((r) => r.taskMs)),
        longestTaskMs: Math.max(...runs.map((r) => r.longestTaskMs)),
      };
      log(
        `  ${rows} rows: columns ${c.columnsMedianMs.toFixed(1)} ms (max ${c.columnsMaxMs.toFixed(1)}), page render ${c.renderMedianMs.toFixed(1)} ms`,
      );
      cases.push(c);
    }
    return { range, keysInSeed: keys.length, syncMs, cases };
  } finally {
    await browser.close();
  }
}

function emptyCase(rows: number): ColumnsCase {
  return {
    rows,
    firstMs: Number.NaN,
    runs: [],
    columnsMedianMs: Number.NaN,
    columnsMaxMs: Number.NaN,
    renderMedianMs: Number.NaN,
    ratio: Number.NaN,
    taskMedianMs: Number.NaN,
    longestTaskMs: Number.NaN,
  };
}

function renderOnce(page: Page, rows: number, timeoutMs: number): Promise<RenderResult> {
  return page.evaluate(([n, ms]) => window.keymeterColumnsBench.render(n, ms), [rows, timeoutMs] as const);
}

/** Keymeter's content script runs at document_idle: wait until its features have started here. */
async function waitForFeatures(page: Page): Promise<void> {
  await page.waitForFunction(() => (document.documentElement.dataset.keymeterFeatures ?? '').split(' ').includes('usage-columns'), null, {
    timeout: 15_000,
  });
}

/** Lets the previous render's follow-up work (late passes, the panel iframe) finish before the next one. */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((done) => {
        requestAnimationFrame(() => setTimeout(() => done(), 150));
      }),
  );
}
