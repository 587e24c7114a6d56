import Dexie from 'dexie';
import { DAY, REFETCH_DAYS, startOfUtcDay } from '../sync/plan';
import type { HistoryDB, SyncStateRecord } from './db';
import { type DeletedCounts, sumCounts } from './maintenance';

/**
 * Retention: with "keep N months", usage rows, billed costs and zero-setup snapshots older than
 * N calendar months are removed after each sync and on demand. Keys, projects and the audit log
 * are kept (they are small, and a key's name outlives its usage). Background only.
 */

/**
 * First UTC day kept (Unix seconds) when keeping `keepMonths` calendar months back from `now`'s
 * day, or null when everything is kept. A day that does not exist in the target month is clamped
 * to that month's last day (31 March − 1 month → 28/29 February).
 */
export function retentionCutoff(now: number, keepMonths: number | null): number | null {
  if (keepMonths === null) return null;
  const today = new Date(startOfUtcDay(now) * 1000);
  const year = today.getUTCFullYear();
  const month = today.getUTCMonth() - keepMonths;
  const lastDayOfMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return Date.UTC(year, month, Math.min(today.getUTCDate(), lastDayOfMonth)) / 1000;
}

/**
 * First day of the window a sync of this organisation is fetching (a sync under way) or will
 * fetch again next (the watermark less the refetch days), or null when it has none. Pruning
 * never reaches into it, so a prune never races a sync's writes or deletes what the next sync
 * would only write back.
 */
export function syncWindowStart(state: SyncStateRecord | undefined): number | null {
  if (!state) return null;
  const starts = [state.pending?.from, state.watermark === null ? undefined : state.watermark - REFETCH_DAYS * DAY].filter(
    (s): s is number => s !== undefined,
  );
  return starts.length ? Math.min(...starts) : null;
}

/** The cutoff for one organisation: the retention cutoff, moved back before its sync window. */
export function orgCutoff(cutoff: number, state: SyncStateRecord | undefined): number {
  const window = syncWindowStart(state);
  return window === null ? cutoff : Math.min(cutoff, window);
}

export interface PruneResult {
  /** First UTC day kept, or null when retention keeps everything (nothing was removed). */
  cutoff: number | null;
  deleted: DeletedCounts;
  total: number;
}

/** Removes rows older than the retention cutoff, in one transaction. */
export async function pruneHistory(db: HistoryDB, options: { now: number; keepMonths: number | null }): Promise<PruneResult> {
  const cutoff = retentionCutoff(options.now, options.keepMonths);
  if (cutoff === null) return { cutoff: null, deleted: {}, total: 0 };
  return db.transaction('rw', [db.usage, db.costs, db.dayTotals, db.snapshots, db.syncState], async () => {
    // Every organisation with rows, connected or not (a removed one whose history was kept, a restored one).
    const orgIdsOf = async (table: typeof db.usage | typeof db.costs) =>
      ((await table.orderBy('[orgId+day]').uniqueKeys()) as unknown as Array<[string, number]>).map(([orgId]) => orgId);
    const orgIds = [...new Set([...(await orgIdsOf(db.usage)), ...(await orgIdsOf(db.costs))])];
    const states = await db.syncState.bulkGet(orgIds);
    const deleted: DeletedCounts = { usage: 0, costs: 0, snapshots: 0 };
    for (const [i, orgId] of orgIds.entries()) {
      const before = orgCutoff(cutoff, states[i]);
      const range = [[orgId, Dexie.minKey], [orgId, before], true, false] as const;
      deleted.usage! += await db.usage
        .where('[orgId+day]')
        .between(...range)
        .delete();
      deleted.costs! += await db.costs
        .where('[orgId+day]')
        .between(...range)
        .delete();
      // Those days have no rows left, so their rollup goes too (derived: not counted as deleted).
      await db.dayTotals
        .where('[orgId+day]')
        .between(...range)
        .delete();
    }
    deleted.snapshots = await db.snapshots
      .where('at')
      .below(cutoff * 1000)
      .delete();
    return { cutoff, deleted, total: sumCounts(deleted) };
  });
}
