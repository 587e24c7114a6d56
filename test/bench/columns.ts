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
  /** Until every cell also has its tooltip (written in idle time after the columns). */
  tooltipsMedianMs: number;
  tooltipsMaxMs: number;
  renderMedianMs: number;
  /** columns ÷ page render, medians. */
  ratio: number;
  taskMedianMs: number;
  /** One more warm render under the CPU profiler (until its tooltips, + 250 ms): main-thread time by whose code was running. */
  profile: RenderProfile | null;
  /** Longest main-thread task from a render until 250 ms after its last tooltip, over the runs (0: none ≥ 50 ms). */
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
      const profile = await profileRender(browser, page, rows);
      await page.close();
      const columns = runs.map((r) => r.columnsMs);
      const tooltips = runs.map((r) => r.tooltipsMs);
      const render = runs.map((r) => r.renderMs);
      const c: ColumnsCase = {
        rows,
        firstMs: first.columnsMs,
        runs,
        columnsMedianMs: median(columns),
        columnsMaxMs: Math.max(...columns),
        tooltipsMedianMs: median(tooltips),
        tooltipsMaxMs: Math.max(...tooltips),
        renderMedianMs: median(render),
        ratio: median(columns) / median(render),
        taskMedianMs: median(runs.map((r) => r.taskMs)),
        longestTaskMs: Math.max(...runs.map((r) => r.longestTaskMs)),
        profile,
      };
      log(
        `  ${rows} rows: columns ${c.columnsMedianMs.toFixed(1)} ms (max ${c.columnsMaxMs.toFixed(1)}), tooltips ${c.tooltipsMedianMs.toFixed(1)} ms, page render ${c.renderMedianMs.toFixed(1)} ms, longest task ${c.longestTaskMs.toFixed(0)} ms`,
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
    tooltipsMedianMs: Number.NaN,
    tooltipsMaxMs: Number.NaN,
    renderMedianMs: Number.NaN,
    ratio: Number.NaN,
    taskMedianMs: Number.NaN,
    profile: null,
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

export interface RenderProfile {
  /** Samples with Keymeter's content script (content-scripts/dashboard.js) on the stack. */
  keymeterMs: number;
  /** Samples with the bench page's own render on the stack. */
  pageMs: number;
  /** Everything else the main thread did meanwhile: style, layout, paint, GC (no script on the stack). */
  otherMs: number;
  sampledMs: number;
}

interface ProfileNode {
  id: number;
  children?: number[];
  callFrame: { url: string; functionName: string };
}

type Owner = 'keymeter' | 'page' | 'idle' | 'other';

/** A warm render under the V8 sampling profiler (0.2 ms), split by whose script was on the stack. */
async function profileRender(browser: KeymeterBrowser, page: Page, rows: number): Promise<RenderProfile | null> {
  try {
    await settle(page);
    const cdp = await browser.context.newCDPSession(page);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await cdp.send('Profiler.start');
    await renderOnce(page, rows, 10_000);
    const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
      profile: { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    };
    await cdp.detach();
    const parent = new Map<number, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
    const owners = new Map<number, Owner>();
    const ownerOf = (id: number): Owner => {
      const known = owners.get(id);
      if (known) return known;
      const frame = byId.get(id)?.callFrame;
      const up = parent.get(id);
      let owner: Owner;
      if (frame?.url.includes('/content-scripts/dashboard.js')) owner = 'keymeter';
      else if (frame?.url.includes('.bench.js')) owner = 'page';
      else if (frame?.functionName === '(idle)') owner = 'idle';
      else owner = up === undefined ? 'other' : ownerOf(up);
      owners.set(id, owner);
      return owner;
    };
    const totals: Record<Owner, number> = { keymeter: 0, page: 0, idle: 0, other: 0 };
    profile.samples.forEach((id, i) => {
      totals[ownerOf(id)] += (profile.timeDeltas[i] ?? 0) / 1000;
    });
    return {
      keymeterMs: totals.keymeter,
      pageMs: totals.page,
      otherMs: totals.other,
      sampledMs: totals.keymeter + totals.page + totals.other + totals.idle,
    };
  } catch {
    return null;
  }
}
