import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';
import { CHROMIUM, chromiumArgs } from '../e2e/browser';
import { bundleForPage, median, openPage, servePage } from './browser-page';
import type { FillOptions, FillResult, QueryResult } from './history-db.page';

/**
 * Benchmark 3: a 30-day per-key aggregate (keyTotals, what the columns ask the background
 * for) over 800,000 stored usage rows (500 keys × 4 models × 400 days) in Chromium's own
 * IndexedDB, through the real HistoryDB schema. Cold = first query after a browser restart.
 */

const DAY = 86_400;
const PAGE_URL = 'https://platform.openai.com/bench-db';

export interface HistoryDbBench {
  rows: number;
  keys: number;
  models: number;
  days: number;
  rangeDays: number;
  rowsInRange: number;
  fillMs: number;
  fillRowsPerSecond: number;
  coldMs: number[];
  coldOpenMs: number[];
  warmMs: number[];
  coldMedianMs: number;
  warmMedianMs: number;
  warmMaxMs: number;
  keysReturned: number;
}

export async function benchHistoryDb(options: {
  simPort: number;
  keys?: number;
  models?: number;
  days?: number;
  coldRuns?: number;
  warmRuns?: number;
  log?: (line: string) => void;
}): Promise<HistoryDbBench> {
  const log = options.log ?? (() => {});
  const keys = options.keys ?? 500;
  const models = options.models ?? 4;
  const days = options.days ?? 400;
  const rangeDays = 30;
  const firstDay = Date.UTC(2025, 0, 1) / 1000;
  const orgId = 'org-bench';
  const dbName = `keymeter-bench-${Date.now()}`;
  const from = firstDay + (days - rangeDays) * DAY; // the last 30 days
  const to = from + rangeDays * DAY;
  const script = await bundleForPage(resolve(import.meta.dirname, 'history-db.page.ts'));
  const profile = mkdtempSync(join(tmpdir(), 'keymeter-bench-db-'));

  const launch = async (): Promise<BrowserContext> => {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs(options.simPort, null),
    });
    await servePage(context, PAGE_URL, { title: 'Keymeter IndexedDB bench', script });
    return context;
  };

  try {
    let context = await launch();
    let page = await openPage(context, PAGE_URL);
    const fillOptions: FillOptions = { dbName, orgId, keys, models, days, firstDay, batchSize: 20_000 };
    log(`  filling IndexedDB with ${(keys * models * days).toLocaleString('en-US')} rows…`);
    const filled = (await page.evaluate((o) => window.keymeterBench.fill(o), fillOptions)) as FillResult;
    const stored = await page.evaluate((n) => window.keymeterBench.count({ dbName: n }), dbName);
    if (stored !== keys * models * days) throw new Error(`expected ${keys * models * days} rows, found ${stored}`);
    log(`  filled in ${(filled.ms / 1000).toFixed(1)} s`);

    const coldMs: number[] = [];
    const coldOpenMs: number[] = [];
    const warmMs: number[] = [];
    let keysReturned = 0;
    const q = { dbName, orgId, from, to };
    for (let i = 0; i < (options.coldRuns ?? 3); i++) {
      await context.close();
      context = await launch();
      page = await openPage(context, PAGE_URL);
      const cold = (await page.evaluate((o) => window.keymeterBench.query(o), q)) as QueryResult;
      coldMs.push(cold.ms);
      coldOpenMs.push(cold.openMs);
      keysReturned = cold.keys;
    }
    for (let i = 0; i < (options.warmRuns ?? 7); i++) {
      const warm = (await page.evaluate((o) => window.keymeterBench.query(o), q)) as QueryResult;
      warmMs.push(warm.ms);
    }
    await context.close();
    return {
      rows: filled.rows,
      keys,
      models,
      days,
      rangeDays,
      rowsInRange: keys * models * rangeDays,
      fillMs: filled.ms,
      fillRowsPerSecond: filled.rows / (filled.ms / 1000),
      coldMs,
      coldOpenMs,
      warmMs,
      coldMedianMs: median(coldMs),
      warmMedianMs: median(warmMs),
      warmMaxMs: Math.max(...warmMs),
      keysReturned,
    };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
