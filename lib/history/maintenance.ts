import Dexie from 'dexie';
import type { HistoryDB } from './db';

/**
 * Housekeeping of the history database (background only): delete one organisation's history,
 * clear all history, report the storage used. Each deletion is one transaction: all or nothing.
 */

/** Rows deleted per table. */
export type DeletedCounts = Record<string, number>;

export const sumCounts = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);

/**
 * Deletes one organisation's usage, billed costs, keys, projects and sync state, and the
 * cost-center tags and spike alerts that name it (they mean nothing once it is gone). Rows of
 * every other organisation, the zero-setup snapshots, the audit log and budgets are kept.
 */
export async function deleteOrgHistory(db: HistoryDB, orgId: string): Promise<DeletedCounts> {
  const ofOrg = [orgId, Dexie.minKey] as const;
  const toOrgEnd = [orgId, Dexie.maxKey] as const;
  const scope = [db.usage, db.costs, db.dayTotals, db.keys, db.projects, db.syncState, db.tags, db.alertsFired];
  return db.transaction('rw', scope, async () => {
    // The rollup is derived from the rows below: removed with them, not counted.
    await db.dayTotals.where('[orgId+day]').between(ofOrg, toOrgEnd, true, true).delete();
    const counts: DeletedCounts = {
      usage: await db.usage.where('[orgId+day]').between(ofOrg, toOrgEnd, true, true).delete(),
      costs: await db.costs.where('[orgId+day]').between(ofOrg, toOrgEnd, true, true).delete(),
      keys: await db.keys.where('orgId').equals(orgId).delete(),
      projects: await db.projects.where('orgId').equals(orgId).delete(),
      tags: await db.tags.where('orgId').equals(orgId).delete(),
      alertsFired: await db.alertsFired.where(':id').startsWith(`spike|${orgId}|`).delete(),
      syncState: (await db.syncState.get(orgId)) ? 1 : 0,
    };
    await db.syncState.delete(orgId);
    return counts;
  });
}

/** The tables "Clear history" empties. */
export const CLEARED_TABLES = ['usage', 'costs', 'keys', 'projects', 'snapshots', 'syncState'] as const;

/**
 * Clears the history of every organisation: usage, costs, keys, projects, zero-setup snapshots,
 * and the sync state, so the next sync backfills again instead of leaving a hole behind its
 * watermark. Settings, tags, budgets, the alerts already raised and the audit log stay.
 */
export async function clearHistory(db: HistoryDB): Promise<DeletedCounts> {
  const tables = CLEARED_TABLES.map((name) => db.table(name));
  return db.transaction('rw', [...tables, db.dayTotals], async () => {
    await db.dayTotals.clear(); // derived from usage and costs: cleared with them, not counted
    const counts: DeletedCounts = {};
    for (const table of tables) {
      counts[table.name] = await table.count();
      await table.clear();
    }
    return counts;
  });
}

export interface StorageReport {
  /** Bytes this extension's origin uses and may use (navigator.storage.estimate), when the browser says. */
  usageBytes: number | null;
  quotaBytes: number | null;
  /** Row count of every table, in schema order. */
  tables: Array<{ name: string; rows: number }>;
  totalRows: number;
}

export async function storageReport(
  db: HistoryDB,
  estimate: (() => Promise<StorageEstimate>) | undefined = typeof navigator !== 'undefined' && navigator.storage
    ? () => navigator.storage.estimate()
    : undefined,
): Promise<StorageReport> {
  const tables = await Promise.all(db.tables.map(async (t) => ({ name: t.name, rows: await t.count() })));
  let usageBytes: number | null = null;
  let quotaBytes: number | null = null;
  try {
    const result = await estimate?.();
    usageBytes = result?.usage ?? null;
    quotaBytes = result?.quota ?? null;
  } catch {
    // No estimate in this browser: the row counts still tell the story.
  }
  return { usageBytes, quotaBytes, tables, totalRows: sumCounts(Object.fromEntries(tables.map((t) => [t.name, t.rows]))) };
}
