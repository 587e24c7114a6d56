/**
 * Runs inside a Chromium page (bundled by esbuild, see history-db.ts): fills a fresh HistoryDB
 * with synthetic usage rows and times the per-key aggregate the columns use (keyTotals).
 * Also a prototype of a proposed per-day rollup (not part of Keymeter), timed the same way.
 * Exposed on `window.keymeterBench`; every function returns plain JSON.
 */
import Dexie, { type Table } from 'dexie';
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
  /** Sum of input tokens and estimated micros over all keys: the two ways must agree. */
  checksum: string;
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
  const db = new HistoryDB(options.dbName);
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

const checksum = (totals: Array<{ inputTokens: number; estimatedMicros: number }>) =>
  `${totals.reduce((n, t) => n + t.inputTokens, 0)}/${totals.reduce((n, t) => n + t.estimatedMicros, 0)}`;

let opened: HistoryDB | undefined;

/** Times keyTotals over [from, to); the first call after a page load opens the database (timed separately). */
async function query(options: QueryOptions): Promise<QueryResult> {
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
  return { ms, openMs, keys: totals.length, checksum: checksum(totals) };
}

async function count(options: { dbName: string }): Promise<number> {
  const db = new HistoryDB(options.dbName);
  const n = await db.usage.count();
  db.close();
  return n;
}

// ---------------------------------------------------------------------------------------------
// Prototype of the proposed rollup (NOT in Keymeter): one record per (org, UTC day) holding
// that day's per-key totals as parallel arrays, so a 30-day per-key aggregate reads 30 records.
// ---------------------------------------------------------------------------------------------

interface DayTotals {
  id: string; // `${orgId}|${day}`
  orgId: string;
  day: number;
  keys: string[];
  requests: number[];
  inputTokens: number[];
  cachedTokens: number[];
  outputTokens: number[];
  estimatedMicros: number[];
  unpricedRows: number[];
}

class RollupDB extends Dexie {
  dayTotals!: Table<DayTotals, string>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ dayTotals: 'id' });
  }
}

async function fillRollup(options: FillOptions): Promise<FillResult> {
  const db = new RollupDB(`${options.dbName}-rollup`);
  await db.open();
  const started = performance.now();
  const records: DayTotals[] = [];
  for (let d = 0; d < options.days; d++) {
    const day = options.firstDay + d * DAY;
    const r: DayTotals = {
      id: `${options.orgId}|${day}`,
      orgId: options.orgId,
      day,
      keys: [],
      requests: [],
      inputTokens: [],
      cachedTokens: [],
      outputTokens: [],
      estimatedMicros: [],
      unpricedRows: [],
    };
    for (let k = 0; k < options.keys; k++) {
      const sum = { requests: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0, estimatedMicros: 0 };
      let apiKeyId = '';
      for (let m = 0; m < options.models; m++) {
        const u = row(options.orgId, day, k, m);
        apiKeyId = u.apiKeyId;
        sum.requests += u.requests;
        sum.inputTokens += u.inputTokens;
        sum.cachedTokens += u.cachedTokens;
        sum.outputTokens += u.outputTokens;
        sum.estimatedMicros += u.estimatedMicros ?? 0;
      }
      r.keys.push(apiKeyId);
      r.requests.push(sum.requests);
      r.inputTokens.push(sum.inputTokens);
      r.cachedTokens.push(sum.cachedTokens);
      r.outputTokens.push(sum.outputTokens);
      r.estimatedMicros.push(sum.estimatedMicros);
      r.unpricedRows.push(0);
    }
    records.push(r);
  }
  await db.dayTotals.bulkPut(records);
  const ms = performance.now() - started;
  db.close();
  return { rows: records.length, ms, batches: 1 };
}

let openedRollup: RollupDB | undefined;

async function queryRollup(options: QueryOptions): Promise<QueryResult> {
  let openMs = 0;
  if (!openedRollup) {
    const t = performance.now();
    openedRollup = new RollupDB(`${options.dbName}-rollup`);
    await openedRollup.open();
    openMs = performance.now() - t;
  }
  const started = performance.now();
  const days = await openedRollup.dayTotals
    .where('id')
    .between(`${options.orgId}|${options.from}`, `${options.orgId}|${options.to}`, true, false)
    .toArray();
  const byKey = new Map<
    string,
    { inputTokens: number; cachedTokens: number; outputTokens: number; requests: number; estimatedMicros: number; unpricedRows: number }
  >();
  for (const d of days) {
    for (let i = 0; i < d.keys.length; i++) {
      let t = byKey.get(d.keys[i]!);
      if (!t) {
        t = { inputTokens: 0, cachedTokens: 0, outputTokens: 0, requests: 0, estimatedMicros: 0, unpricedRows: 0 };
        byKey.set(d.keys[i]!, t);
      }
      t.requests += d.requests[i]!;
      t.inputTokens += d.inputTokens[i]!;
      t.cachedTokens += d.cachedTokens[i]!;
      t.outputTokens += d.outputTokens[i]!;
      t.estimatedMicros += d.estimatedMicros[i]!;
      t.unpricedRows += d.unpricedRows[i]!;
    }
  }
  const totals = [...byKey.values()].sort((a, b) => b.estimatedMicros - a.estimatedMicros);
  const ms = performance.now() - started;
  return { ms, openMs, keys: totals.length, checksum: checksum(totals) };
}

declare global {
  interface Window {
    keymeterBench: {
      fill: typeof fill;
      query: typeof query;
      count: typeof count;
      fillRollup: typeof fillRollup;
      queryRollup: typeof queryRollup;
    };
  }
}

window.keymeterBench = { fill, query, count, fillRollup, queryRollup };
