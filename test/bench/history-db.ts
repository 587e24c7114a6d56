import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { SCHEMA_VERSIONS } from '../../lib/history/db';
import { CHROMIUM, chromiumArgs } from '../e2e/browser';
import { bundleForPage, median, openPage, servePage } from './browser-page';
import type { FillOptions, QueryOptions, QueryResult, WriteResult } from './history-db.page';

/**
 * Benchmark 3: a 30-day per-key aggregate (keyTotals, what the columns ask the background
 * for) over 800,000 stored usage rows (500 keys × 4 models × 400 days) in Chromium's own
 * IndexedDB, through Keymeter's HistoryDB and queries (bundled into a page of an origin
 * Playwright serves). The rows are filled under schema version 3, as an existing user has them;
 * opening with the current schema runs Keymeter's upgrade, which builds the per-day rollup that
 * keyTotals reads (timed). Cold = the first query after a browser restart (the OS file cache may
 * still hold the data); warm = the same query again. The same totals from the raw rows (how
 * keyTotals worked before the rollup) are timed as the comparison, and must be identical. Also
 * times the rollup's cost on writes (one sync page through putUsageRows vs a bare bulkPut).
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
  /** True when the filled profile of an earlier run was reused (BENCH_REUSE_DB=1): fillMs and upgradeMs are that run's. */
  reused: boolean;
  fillMs: number;
  fillRowsPerSecond: number;
  /** Schema upgrade 3 → current over the filled rows: builds the rollup. */
  upgradeMs: number;
  /** Rollup records (one per organisation and day) and how many the range reads. */
  rollupRecords: number;
  rollupRecordsInRange: number;
  /** Keymeter's keyTotals (reads the rollup). */
  keyTotals: QueryTimes;
  /** The same totals from the range's raw usage and cost rows (keyTotals before the rollup). */
  fromRows: QueryTimes;
  writeCost: WriteResult & { withRollupMedianMs: number; rowsOnlyMedianMs: number };
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
  // generator 2: filled under schema 3, then upgraded (the rollup is built by Keymeter's upgrade).
  const identity = { schemaVersion: SCHEMA_VERSIONS.at(-1)!.version, keys, models, days, firstDay, batchSize, generator: 2 };
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
  const times = async (fn: 'query' | 'queryRows'): Promise<QueryTimes> => {
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
    let upgraded: { ms: number; records: number };
    if (cached) {
      ({ filled, upgraded } = cached);
      log(`  reusing the HistoryDB filled on ${cached.filledAt} (BENCH_REUSE_DB=1; that fill took ${(filled.ms / 1000).toFixed(1)} s)`);
    } else {
      log(`  filling a fresh HistoryDB (schema 3) with ${int(expected)} usage rows (bulkPut, ${int(batchSize)} a batch)…`);
      filled = await page.evaluate((o) => window.keymeterBench.fill(o), fillOptions);
      log(`  filled in ${(filled.ms / 1000).toFixed(1)} s (${int(filled.rows / (filled.ms / 1000))} rows/s)`);
      upgraded = await page.evaluate((n) => window.keymeterBench.upgrade({ dbName: n }), dbName);
      log(`  upgraded to schema ${identity.schemaVersion} (rollup built) in ${(upgraded.ms / 1000).toFixed(1)} s`);
    }
    const stored = await page.evaluate((n) => window.keymeterBench.count({ dbName: n }), dbName);
    if (stored.usage !== expected) throw new Error(`expected ${expected} rows, found ${stored.usage}`);
    if (stored.dayTotals !== days) throw new Error(`expected ${days} rollup records, found ${stored.dayTotals}`);
    if (reuse && !cached) {
      const meta: CacheMeta = { identity, dbName, filledAt: new Date().toISOString(), filled, upgraded };
      writeFileSync(join(cacheDir, 'meta.json'), JSON.stringify(meta, null, 2));
    }

    const keyTotals = await times('query');
    log(`  keyTotals (rollup), 30 days: cold ${keyTotals.coldMedianMs.toFixed(1)} ms, warm ${keyTotals.warmMedianMs.toFixed(1)} ms`);
    const fromRows = await times('queryRows');
    if (fromRows.checksum !== keyTotals.checksum || fromRows.keys !== keyTotals.keys)
      throw new Error(`keyTotals (rollup) disagrees with the totals from rows: ${keyTotals.checksum} vs ${fromRows.checksum}`);
    log(`  same from raw rows, 30 days: cold ${fromRows.coldMedianMs.toFixed(1)} ms, warm ${fromRows.warmMedianMs.toFixed(1)} ms`);
    const writePage = await relaunch();
    const written = await writePage.evaluate((o) => window.keymeterBench.writeCost(o), { ...fillOptions, pageDays: 5, runs: 3 });
    const after = await writePage.evaluate((n) => window.keymeterBench.count({ dbName: n }), dbName);
    if (after.usage !== expected || after.dayTotals !== days) throw new Error('the write-cost runs left rows behind');
    const writeCost = { ...written, withRollupMedianMs: median(written.withRollupMs), rowsOnlyMedianMs: median(written.rowsOnlyMs) };
    log(
      `  one page of ${int(written.rows)} rows: ${writeCost.withRollupMedianMs.toFixed(0)} ms with the rollup, ${writeCost.rowsOnlyMedianMs.toFixed(0)} ms rows only`,
    );
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
      upgradeMs: upgraded.ms,
      rollupRecords: upgraded.records,
      rollupRecordsInRange: rangeDays,
      keyTotals,
      fromRows,
      writeCost,
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
  upgraded: { ms: number; records: number };
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
