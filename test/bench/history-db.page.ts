/**
 * Runs inside a Chromium page (bundled by esbuild with Keymeter's own lib/, see history-db.ts):
 * fills a HistoryDB of schema version 3 (before the per-day rollup) with synthetic usage rows,
 * opens it with the current schema so Keymeter's upgrade builds the rollup, and times the per-key
 * aggregate the columns use (keyTotals, which reads the rollup) against the same totals computed
 * from the raw rows. Exposed on `window.keymeterBench`; every function returns plain JSON.
 */
import { putUsageRows } from '../../lib/history/day-totals';
import { HistoryDB } from '../../lib/history/db';
import { deleteOrgHistory } from '../../lib/history/maintenance';
import { costsInRange, keyTotals, usageInRange } from '../../lib/history/queries';
import { type KeyTotals, keyTotalsOfRows } from '../../lib/history/totals';
import { type UsageRecord, usageId } from '../../lib/usage/records';

export interface FillOptions {
  dbName: string;
  orgId: string;
  keys: number;
  models: number;
  days: number;
  firstDay: number;
  batchSize: number;
}

export interface FillResult {
  rows: number;
  ms: number;
  batches: number;
}

export interface QueryOptions {
  dbName: string;
  orgId: string;
  from: number;
  to: number;
}

export interface QueryResult {
  ms: number;
  /** Time to open the database, on the first query after a page load only (else 0). */
  openMs: number;
  keys: number;
  /** Hash of the whole result (every key's totals, in order): the two ways must agree exactly. */
  checksum: string;
}

/** The version before the rollup: the bench fills what an existing user's database holds. */
const PRE_ROLLUP_VERSION = 3;

const DAY = 86_400;
const MODELS = [
  'gpt-4.1-2025-04-14',
  'gpt-4.1-mini-2025-04-14',
  'o3-mini-2025-01-31',
  'gpt-4o-2024-08-06',
  'text-embedding-3-small',
  'gpt-5-2025-08-07',
];

/** One deterministic usage row: (day, key, model). */
function row(orgId: string, day: number, key: number, model: number): UsageRecord {
  const base = {
    orgId,
    day,
    endpoint: 'completions' as const,
    projectId: `proj_bench${String(key % 20).padStart(2, '0')}`,
    apiKeyId: `key_bench${String(key).padStart(4, '0')}`,
    model: MODELS[model % MODELS.length]!,
    batch: '' as const,
    serviceTier: 'default',
    extra: '',
  };
  const seed = (day / DAY + key * 7 + model * 13) % 97;
  const requests = 10 + seed * 3;
  return {
    id: usageId(base),
    ...base,
    requests,
    inputTokens: requests * 812,
    cachedTokens: requests * 101,
    outputTokens: requests * 230,
    units: 0,
    estimatedMicros: requests * 1_234,
    priceNote: '',
  };
}

async function fill(options: FillOptions): Promise<FillResult> {
  const db = new HistoryDB(options.dbName, PRE_ROLLUP_VERSION);
  await db.open();
  const started = performance.now();
  let batch: UsageRecord[] = [];
  let rows = 0;
  let batches = 0;
  const flush = async () => {
    await db.usage.bulkPut(batch);
    rows += batch.length;
    batches += 1;
    batch = [];
  };
  for (let d = 0; d < options.days; d++) {
    const day = options.firstDay + d * DAY;
    for (let k = 0; k < options.keys; k++) {
      for (let m = 0; m < options.models; m++) batch.push(row(options.orgId, day, k, m));
      if (batch.length >= options.batchSize) await flush();
    }
  }
  if (batch.length > 0) await flush();
  const ms = performance.now() - started;
  db.close();
  return { rows, ms, batches };
}

/** FNV-1a of the result's JSON: equal only when every figure and the order are equal. */
function checksum(totals: KeyTotals[]): string {
  const text = JSON.stringify(totals);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return `${(hash >>> 0).toString(16)}/${totals.reduce((n, t) => n + t.inputTokens, 0)}`;
}

/** Opens the filled database with the current schema: Keymeter's v4 upgrade builds the rollup. */
async function upgrade(options: { dbName: string }): Promise<{ ms: number; records: number }> {
  const started = performance.now();
  const db = new HistoryDB(options.dbName);
  await db.open();
  const ms = performance.now() - started;
  const records = await db.dayTotals.count();
  db.close();
  return { ms, records };
}

let opened: HistoryDB | undefined;

async function timed(options: QueryOptions, run: (db: HistoryDB) => Promise<KeyTotals[]>): Promise<QueryResult> {
  let openMs = 0;
  if (!opened) {
    const t = performance.now();
    opened = new HistoryDB(options.dbName);
    await opened.open();
    openMs = performance.now() - t;
  }
  const started = performance.now();
  const totals = await run(opened);
  const ms = performance.now() - started;
  return { ms, openMs, keys: totals.length, checksum: checksum(totals) };
}

/** Keymeter's keyTotals over [from, to) (the rollup); the first call after a page load opens the database (timed separately). */
function query(options: QueryOptions): Promise<QueryResult> {
  return timed(options, (db) => keyTotals(db, options.orgId, options.from, options.to));
}

/** The same totals from every usage and cost row of the range: how keyTotals worked before the rollup. */
function queryRows(options: QueryOptions): Promise<QueryResult> {
  return timed(options, async (db) => {
    const [usage, costs] = await Promise.all([
      usageInRange(db, options.orgId, options.from, options.to),
      costsInRange(db, options.orgId, options.from, options.to),
    ]);
    return keyTotalsOfRows(usage, costs);
  });
}

export interface WriteResult {
  rows: number;
  /** One sync page's write through Keymeter (putUsageRows: rows + rollup of their days), per run. */
  withRollupMs: number[];
  /** The same rows with a bare bulkPut, as before the rollup. */
  rowsOnlyMs: number[];
}

/**
 * The rollup's price on writes: a page of `days` days of rows (what one sync page of a busy
 * organisation holds) written through Keymeter vs a bare bulkPut, into scratch organisations that
 * are removed afterwards (deleteOrgHistory), so the measured data set is left as it was.
 */
async function writeCost(options: FillOptions & { pageDays: number; runs: number }): Promise<WriteResult> {
  const db = new HistoryDB(options.dbName);
  await db.open();
  const page = (orgId: string) => {
    const rows: UsageRecord[] = [];
    for (let d = 0; d < options.pageDays; d++)
      for (let k = 0; k < options.keys; k++)
        for (let m = 0; m < options.models; m++) rows.push(row(orgId, options.firstDay + d * DAY, k, m));
    return rows;
  };
  const result: WriteResult = { rows: 0, withRollupMs: [], rowsOnlyMs: [] };
  for (let i = 0; i < options.runs; i++) {
    const withRollup = page('org-bench-write');
    const rowsOnly = page('org-bench-write-raw');
    result.rows = withRollup.length;
    let t = performance.now();
    await putUsageRows(db, withRollup);
    result.withRollupMs.push(performance.now() - t);
    t = performance.now();
    await db.transaction('rw', db.usage, () => db.usage.bulkPut(rowsOnly));
    result.rowsOnlyMs.push(performance.now() - t);
    await deleteOrgHistory(db, 'org-bench-write');
    await deleteOrgHistory(db, 'org-bench-write-raw');
  }
  db.close();
  return result;
}

async function count(options: { dbName: string }): Promise<{ usage: number; dayTotals: number }> {
  const db = new HistoryDB(options.dbName);
  const n = { usage: await db.usage.count(), dayTotals: await db.dayTotals.count() };
  db.close();
  return n;
}

declare global {
  interface Window {
    keymeterBench: {
      fill: typeof fill;
      upgrade: typeof upgrade;
      query: typeof query;
      queryRows: typeof queryRows;
      writeCost: typeof writeCost;
      count: typeof count;
    };
  }
}

window.keymeterBench = { fill, upgrade, query, queryRows, writeCost, count };
