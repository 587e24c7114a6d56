/**
 * Runs inside a Chromium page (bundled by esbuild, see history-db.ts): fills a fresh HistoryDB
 * with synthetic usage rows and times the per-key aggregate the columns use (keyTotals).
 * Exposed on `window.keymeterBench`; every function returns plain JSON.
 */
import { HistoryDB } from '../../lib/history/db';
import { keyTotals } from '../../lib/history/queries';
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

export interface QueryResult {
  ms: number;
  /** Time to open the database, on the first query after a page load only (else 0). */
  openMs: number;
  keys: number;
}

const DAY = 86_400;
const MODELS = [
  'gpt-4.1-2025-04-14',
  'gpt-4.1-mini-2025-04-14',
  'o3-mini-2025-01-31',
  'gpt-4o-2024-08-06',
  'text-embedding-3-small',
  'gpt-5-2025-08-07',
];

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
  const db = new HistoryDB(options.dbName);
  await db.open();
  const started = performance.now();
  let batch: UsageRecord[] = [];
  let rows = 0;
  let batches = 0;
  for (let d = 0; d < options.days; d++) {
    const day = options.firstDay + d * DAY;
    for (let k = 0; k < options.keys; k++) for (let m = 0; m < options.models; m++) batch.push(row(options.orgId, day, k, m));
    if (batch.length >= options.batchSize || d === options.days - 1) {
      await db.usage.bulkPut(batch);
      rows += batch.length;
      batches += 1;
      batch = [];
    }
  }
  const ms = performance.now() - started;
  db.close();
  return { rows, ms, batches };
}

let opened: HistoryDB | undefined;

/** Times keyTotals over [from, to); the first call after a page load opens the database (counted separately). */
async function query(options: { dbName: string; orgId: string; from: number; to: number }): Promise<QueryResult> {
  let openMs = 0;
  if (!opened) {
    const t = performance.now();
    opened = new HistoryDB(options.dbName);
    await opened.open();
    openMs = performance.now() - t;
  }
  const started = performance.now();
  const totals = await keyTotals(opened, options.orgId, options.from, options.to);
  const ms = performance.now() - started;
  return { ms, openMs, keys: totals.length };
}

async function count(options: { dbName: string }): Promise<number> {
  const db = new HistoryDB(options.dbName);
  const n = await db.usage.count();
  db.close();
  return n;
}

declare global {
  interface Window {
    keymeterBench: { fill: typeof fill; query: typeof query; count: typeof count };
  }
}

window.keymeterBench = { fill, query, count };
