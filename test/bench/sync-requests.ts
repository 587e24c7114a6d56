import Dexie from 'dexie';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { HistoryDB } from '../../lib/history/db';
import { createAdminClient } from '../../lib/openai/client';
import { USAGE_ENDPOINTS } from '../../lib/openai/schemas';
import { runSync } from '../../lib/sync/run';
import { createMockApi } from '../sim/api/index';
import { mockFetch } from '../sim/fetch-adapter';
import { createOrg, DEMO_ADMIN_KEY, utcDay } from '../sim/seed';

/**
 * Benchmark 2: requests for a 90-day backfill against the mock Admin API (in-process, the real
 * client and sync, fake-indexeddb), compared with one request per day per data endpoint; then
 * the same sync again a minute later, when the data is fresh: it must make no request.
 */

export interface SyncRequestsBench {
  backfillDays: number;
  dataEndpoints: number;
  /** 90 days × (10 usage endpoints + costs). */
  oneRequestPerDay: number;
  dataRequests: number;
  metadataRequests: number;
  totalRequests: number;
  /** oneRequestPerDay ÷ dataRequests. */
  ratio: number;
  /** oneRequestPerDay ÷ every request (metadata included). */
  ratioAllRequests: number;
  perEndpoint: Record<string, number>;
  rowsWritten: number;
  syncMs: number;
  freshResyncStatus: string;
  freshResyncRequests: number;
}

const isData = (path: string) => /\/organization\/(usage\/|costs$)/.test(path);

export async function benchSyncRequests(backfillDays = 90): Promise<SyncRequestsBench> {
  // Node has no IndexedDB: Dexie uses fake-indexeddb's (set here, whatever imported Dexie first).
  Dexie.dependencies.indexedDB = indexedDB;
  Dexie.dependencies.IDBKeyRange = IDBKeyRange;
  // A fixed clock (midday, so today is partial) keeps the figures the same from run to run.
  const now = utcDay('2026-01-20') + 12 * 3600;
  const api = createMockApi(createOrg(), { now: () => now });
  const db = new HistoryDB(`bench-sync-${Date.now()}`);
  const client = createAdminClient({ apiKey: DEMO_ADMIN_KEY, fetch: mockFetch(api), sleep: async () => {}, maxAttempts: 2 });
  const deps = { db, client, orgId: 'org-bench', now, backfillDays };
  try {
    const started = performance.now();
    const outcome = await runSync(deps);
    const syncMs = performance.now() - started;
    if (outcome.status !== 'done') throw new Error(`backfill did not finish: ${JSON.stringify(outcome)}`);
    const log = [...api.log];
    const data = log.filter((e) => isData(e.path));
    const perEndpoint: Record<string, number> = {};
    for (const e of data) {
      const name = e.path.replace(/^.*\/organization\//, '');
      perEndpoint[name] = (perEndpoint[name] ?? 0) + 1;
    }
    const oneRequestPerDay = backfillDays * (USAGE_ENDPOINTS.length + 1);

    const before = api.log.length;
    const again = await runSync({ ...deps, now: now + 60 });
    return {
      backfillDays,
      dataEndpoints: USAGE_ENDPOINTS.length + 1,
      oneRequestPerDay,
      dataRequests: data.length,
      metadataRequests: log.length - data.length,
      totalRequests: log.length,
      ratio: oneRequestPerDay / data.length,
      ratioAllRequests: oneRequestPerDay / log.length,
      perEndpoint,
      rowsWritten: outcome.rows,
      syncMs,
      freshResyncStatus: again.status,
      freshResyncRequests: api.log.length - before,
    };
  } finally {
    db.close();
    await Dexie.delete(db.name);
  }
}
