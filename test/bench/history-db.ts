import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { SCHEMA_VERSIONS } from '../../lib/history/db';
import { CHROMIUM, chromiumArgs } from '../e2e/browser';
import { bundleForPage, median, openPage, servePage } from './browser-page';
import type { FillOptions, QueryOptions, QueryResult } from './history-db.page';

/**
 * Benchmark 3: a 30-day per-key aggregate (keyTotals, what the columns ask the background
 * for) over 800,000 stored usage rows (500 keys × 4 models × 400 days) in Chromium's own
 * IndexedDB, through the real HistoryDB schema, in a page of an origin Playwright serves.
 * Cold = the first query after a browser restart (the OS file cache may still hold the data);
 * warm = the same query again. Also times a prototype of the proposed per-day rollup.
 *
 * The fill dominates the bench's time. BENCH_REUSE_DB=1 keeps the filled browser profile in
 * bench-results/idb-profile (gitignored) and reuses it while the schema and the data set are
 * the same; without it every run fills a fresh database.
 */

const DAY = 86_400;
const PAGE_URL = 'https://platform.openai.com/bench-db';

export interface QueryTimes {
  coldMs: number[];
  coldOpenMs: number[];
  warmMs: number[];
  coldMedianMs: number;
  warmMedianMs: number;
  warmMaxMs: number;
  keys: number;
  checksum: string;
}

export interface HistoryDbBench {
  rows: number;
  keys: number;
  models: number;
  days: number;
  rangeDays: number;
  rowsInRange: number;
  batchSize: number;
  /** True when the filled profile of an earlier run was reused (BENCH_REUSE_DB=1): fillMs is that run's. */
  reused: boolean;
  fillMs: number;
  fillRowsPerSecond: number;
  keyTotals: QueryTimes;
  /** Prototype of the proposed rollup (one record per org-day with per-key arrays); not in Keymeter. */
  rollupPrototype: QueryTimes & { records: number; recordsInRange: number; fillMs: number };
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
  const batchSize = 2_000;
  const firstDay = Date.UTC(2025, 0, 1) / 1000;
  const orgId = 'org-bench';
  const reuse = process.env.BENCH_REUSE_DB === '1';
  const cacheDir = resolve(import.meta.dirname, '../../bench-results/idb-profile');
  const identity = { schemaVersion: SCHEMA_VERSIONS.at(-1)!.version, keys, models, days, firstDay, batchSize, generator: 1 };
  const cached = reuse ? readCache(cacheDir, identity) : null;
  const dbName = cached?.dbName ?? `keymeter-bench-${Date.now()}`;
  const from = firstDay + (days - rangeDays) * DAY; // the last 30 days
  const q: QueryOptions = { dbName, orgId, from, to: from + rangeDays * DAY };
  const script = await bundleForPage(resolve(import.meta.dirname, 'history-db.page.ts'));
  if (reuse && !cached) {
    rmSync(cacheDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
  }
  const profile = reuse ? join(cacheDir, 'profile') : mkdtempSync(join(tmpdir(), 'keymeter-bench-db-'));

  let context: BrowserContext | undefined;
  const relaunch = async (): Promise<Page> => {
    await context?.close();
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: chromiumArgs(options.simPort, null),
    });
    await servePage(context, PAGE_URL, { title: 'Keymeter IndexedDB bench', script });
    return openPage(context, PAGE_URL);
  };
  const times = async (fn: 'query' | 'queryRollup'): Promise<QueryTimes> => {
    const cold: QueryResult[] = [];
    const warm: QueryResult[] = [];
    let page: Page | undefined;
    for (let i = 0; i < (options.coldRuns ?? 3); i++) {
      page = await relaunch();
      cold.push(await page.evaluate(([f, o]) => window.keymeterBench[f](o), [fn, q] as const));
    }
    for (let i = 0; i < (options.warmRuns ?? 7); i++)
      warm.push(await page!.evaluate(([f, o]) => window.keymeterBench[f](o), [fn, q] as const));
    const checksums = new Set([...cold, ...warm].map((r) => r.checksum));
    if (checksums.size !== 1) throw new Error(`${fn} gave different totals from run to run: ${[...checksums].join(', ')}`);
    return {
      coldMs: cold.map((r) => r.ms),
      coldOpenMs: cold.map((r) => r.openMs),
      warmMs: warm.map((r) => r.ms),
      coldMedianMs: median(cold.map((r) => r.ms)),
      warmMedianMs: median(warm.map((r) => r.ms)),
      warmMaxMs: Math.max(...warm.map((r) => r.ms)),
      keys: cold[0]!.keys,
      checksum: cold[0]!.checksum,
    };
  };

  try {
    const page = await relaunch();
    const fillOptions: FillOptions = { dbName, orgId, keys, models, days, firstDay, batchSize };
    const expected = keys * models * days;
    let filled: { rows: number; ms: number };
    let rollupFill: { rows: number; ms: number };
    if (cached) {
      ({ filled, rollupFill } = cached);
      log(`  reusing the HistoryDB filled on ${cached.filledAt} (BENCH_REUSE_DB=1; that fill took ${(filled.ms / 1000).toFixed(1)} s)`);
    } else {
      log(`  filling a fresh HistoryDB with ${int(expected)} usage rows (bulkPut, ${int(batchSize)} a batch)…`);
      filled = await page.evaluate((o) => window.keymeterBench.fill(o), fillOptions);
      log(`  filled in ${(filled.ms / 1000).toFixed(1)} s (${int(filled.rows / (filled.ms / 1000))} rows/s)`);
      rollupFill = await page.evaluate((o) => window.keymeterBench.fillRollup(o), fillOptions);
    }
    const stored = await page.evaluate((n) => window.keymeterBench.count({ dbName: n }), dbName);
    if (stored !== expected) throw new Error(`expected ${expected} rows, found ${stored}`);
    if (reuse && !cached) {
      const meta: CacheMeta = { identity, dbName, filledAt: new Date().toISOString(), filled, rollupFill };
      writeFileSync(join(cacheDir, 'meta.json'), JSON.stringify(meta, null, 2));
    }

    const keyTotals = await times('query');
    log(`  keyTotals, 30 days: cold ${keyTotals.coldMedianMs.toFixed(1)} ms, warm ${keyTotals.warmMedianMs.toFixed(1)} ms`);
    const rollup = await times('queryRollup');
    if (rollup.checksum !== keyTotals.checksum || rollup.keys !== keyTotals.keys)
      throw new Error(`rollup prototype disagrees with keyTotals: ${rollup.checksum} vs ${keyTotals.checksum}`);
    log(`  rollup prototype, 30 days: cold ${rollup.coldMedianMs.toFixed(1)} ms, warm ${rollup.warmMedianMs.toFixed(1)} ms`);
    return {
      rows: filled.rows,
      keys,
      models,
      days,
      rangeDays,
      rowsInRange: keys * models * rangeDays,
      batchSize,
      reused: cached !== null,
      fillMs: filled.ms,
      fillRowsPerSecond: filled.rows / (filled.ms / 1000),
      keyTotals,
      rollupPrototype: { ...rollup, records: rollupFill.rows, recordsInRange: rangeDays, fillMs: rollupFill.ms },
    };
  } finally {
    await context?.close();
    if (!reuse) rmSync(profile, { recursive: true, force: true });
  }
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

interface CacheMeta {
  identity: Record<string, number>;
  dbName: string;
  filledAt: string;
  filled: { rows: number; ms: number };
  rollupFill: { rows: number; ms: number };
}

/** The kept profile's description, if it holds this very data set under this schema. */
function readCache(dir: string, identity: Record<string, number>): CacheMeta | null {
  const file = join(dir, 'meta.json');
  if (!existsSync(file) || !existsSync(join(dir, 'profile'))) return null;
  try {
    const meta = JSON.parse(readFileSync(file, 'utf8')) as CacheMeta;
    return JSON.stringify(meta.identity) === JSON.stringify(identity) ? meta : null;
  } catch {
    return null;
  }
}
