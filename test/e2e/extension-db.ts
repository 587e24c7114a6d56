import type { Worker } from 'playwright-core';
import type { KeymeterBrowser } from './browser';

// Reads Keymeter's IndexedDB as the browser holds it, with the plain IndexedDB API evaluated in the
// extension's service worker: no app code runs in the browser on the test's behalf.

export const DB_NAME = 'keymeter';

export interface DbDump {
  /** IndexedDB's own version number (Dexie stores its version × 10). */
  nativeVersion: number;
  stores: Record<string, Array<[IDBValidKey, Record<string, unknown>]>>;
}

/** The extension's service worker, woken (by opening one of its pages) if Chromium has stopped it. */
export async function liveWorker(browser: KeymeterBrowser): Promise<Worker> {
  const prefix = `chrome-extension://${browser.extensionId}/`;
  const running = browser.context.serviceWorkers().find((w) => w.url().startsWith(prefix));
  if (running) return running;
  const started = browser.context.waitForEvent('serviceworker', { predicate: (w) => w.url().startsWith(prefix), timeout: 20_000 });
  const page = await browser.openExtensionPage('popup.html');
  const worker = await started;
  await page.close();
  return worker;
}

/** Every row of every store, or null when the database does not exist. Opens and closes its own connection. */
export async function dumpDb(browser: KeymeterBrowser): Promise<DbDump | null> {
  const worker = await liveWorker(browser);
  return worker.evaluate(async (name) => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes(name)) return null;
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open(name); // no version: the one on disk, never an upgrade
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
      open.onblocked = () => reject(new Error('open blocked'));
    });
    try {
      const storeNames = [...db.objectStoreNames];
      const stores: Record<string, Array<[IDBValidKey, Record<string, unknown>]>> = {};
      if (storeNames.length) {
        const tx = db.transaction(storeNames, 'readonly');
        const request = <T>(r: IDBRequest<T>) =>
          new Promise<T>((resolve, reject) => {
            r.onsuccess = () => resolve(r.result);
            r.onerror = () => reject(r.error);
          });
        for (const storeName of storeNames) {
          const store = tx.objectStore(storeName);
          const [keys, values] = await Promise.all([request(store.getAllKeys()), request(store.getAll())]);
          stores[storeName] = keys.map((k, i) => [k, values[i]]);
        }
      }
      return { nativeVersion: db.version, stores };
    } finally {
      db.close(); // never hold up Keymeter's own upgrade
    }
  }, DB_NAME);
}

export const rowCounts = (dump: DbDump) => Object.fromEntries(Object.entries(dump.stores).map(([name, rows]) => [name, rows.length]));

const USAGE_FIELDS = ['requests', 'inputTokens', 'cachedTokens', 'outputTokens', 'units', 'estimatedMicros'] as const;

/**
 * Per (org, API key): the sums of every usage figure and of billed cost, over the days before
 * `beforeDay` (Unix seconds; default all). Today's rows grow while the day runs, so comparisons
 * across a sync leave them out.
 */
export function perKeyTotals(dump: DbDump, beforeDay = Number.POSITIVE_INFINITY): Record<string, Record<string, number>> {
  const totals: Record<string, Record<string, number>> = {};
  const add = (key: string, field: string, value: unknown) => {
    totals[key] ??= {};
    totals[key][field] = (totals[key][field] ?? 0) + (typeof value === 'number' ? value : 0);
  };
  for (const [, row] of dump.stores.usage ?? []) {
    if ((row.day as number) >= beforeDay) continue;
    const key = `${row.orgId}|${row.apiKeyId}`;
    add(key, 'rows', 1);
    for (const field of USAGE_FIELDS) add(key, field, row[field]);
  }
  for (const [, row] of dump.stores.costs ?? []) {
    if ((row.day as number) >= beforeDay) continue;
    const key = `${row.orgId}|${row.apiKeyId}`;
    add(key, 'costRows', 1);
    add(key, 'billedMicros', row.micros);
  }
  return totals;
}

/** The natural key of a usage or cost row (what its id is made of): two rows with one natural key are a duplicate. */
export function naturalKeys(dump: DbDump): { usage: string[]; costs: string[] } {
  const of = (store: string, fields: string[]) => (dump.stores[store] ?? []).map(([, row]) => JSON.stringify(fields.map((f) => row[f])));
  return {
    usage: of('usage', ['orgId', 'day', 'endpoint', 'projectId', 'apiKeyId', 'model', 'batch', 'serviceTier', 'extra']),
    costs: of('costs', ['orgId', 'day', 'projectId', 'apiKeyId', 'lineItem']),
  };
}

/**
 * Rows of `before` that `after` lost or changed: each must still be there under its key with every
 * field it had, equal (a new version may add fields). Returns a few examples of what went wrong.
 */
export function missingOrChangedRows(before: DbDump, after: DbDump): { count: number; examples: string[] } {
  let count = 0;
  const examples: string[] = [];
  for (const [store, rows] of Object.entries(before.stores)) {
    const now = new Map((after.stores[store] ?? []).map(([k, v]) => [JSON.stringify(k), v]));
    for (const [key, row] of rows) {
      const later = now.get(JSON.stringify(key));
      const changed = later ? Object.keys(row).filter((f) => JSON.stringify(row[f]) !== JSON.stringify(later[f])) : null;
      if (changed === null || changed.length > 0) {
        count += 1;
        if (examples.length < 5)
          examples.push(`${store} ${JSON.stringify(key)}: ${changed === null ? 'gone' : `changed ${changed.join(', ')}`}`);
      }
    }
  }
  return { count, examples };
}

const ROLLUP_FIELDS = ['requests', 'inputTokens', 'cachedTokens', 'outputTokens', 'estimatedMicros'] as const;

/**
 * The same per-key sums read from the derived per-day store (`dayTotals`, one record per org and
 * day with index-aligned columns), when the schema has one; for checking an upgrade built it.
 */
export function perKeyTotalsFromRollup(dump: DbDump): Record<string, Record<string, number>> {
  const totals: Record<string, Record<string, number>> = {};
  for (const [, day] of dump.stores.dayTotals ?? []) {
    const keys = day.keys as string[];
    keys.forEach((apiKeyId, i) => {
      const key = `${day.orgId}|${apiKeyId}`;
      totals[key] ??= {};
      const sums = totals[key];
      for (const field of ROLLUP_FIELDS) sums[field] = (sums[field] ?? 0) + (day[field] as number[])[i]!;
      const billed = (day.billedMicros as Array<number | null>)[i];
      if (billed !== null && billed !== undefined) sums.billedMicros = (sums.billedMicros ?? 0) + billed;
    });
  }
  return totals;
}

/** perKeyTotals narrowed to the figures the rollup keeps (0 where a key had no usage rows). */
export function rollupFieldsOf(totals: Record<string, Record<string, number>>): Record<string, Record<string, number>> {
  return Object.fromEntries(
    Object.entries(totals).map(([key, sums]) => [
      key,
      Object.fromEntries([
        ...ROLLUP_FIELDS.map((f) => [f, sums[f] ?? 0]),
        ...('billedMicros' in sums ? [['billedMicros', sums.billedMicros!]] : []),
      ]),
    ]),
  );
}
