import type { BulkRunAuditEntry } from '../bulk-enable/report';
import type { AuditRecord, HistoryDB } from './db';

/**
 * The audit log of bulk-enable runs (Dexie `audit` table, kind "bulk-enable"): one record per run,
 * updated as the run goes on (started, interrupted, finished), so a run cut off by a closed tab
 * still shows up. Background only.
 */

export interface BulkAuditLogEntry extends BulkRunAuditEntry {
  id: number;
  summary: string;
}

function summaryOf(entry: BulkRunAuditEntry): string {
  const count = (status: BulkRunAuditEntry['items'][number]['status']) => entry.items.filter((i) => i.status === status).length;
  const pending = count('pending');
  return `${entry.status}: ${count('enabled')} enabled, ${count('already')} already on, ${count('failed')} failed, ${count('skipped')} skipped${pending ? `, ${pending} left` : ''}`;
}

function isEntry(details: unknown): details is BulkRunAuditEntry {
  return typeof details === 'object' && details !== null && typeof (details as { runId?: unknown }).runId === 'string';
}

/** Adds or updates the run's record; an older update arriving late never overwrites a newer one. */
export async function recordBulkRun(db: HistoryDB, entry: BulkRunAuditEntry): Promise<number> {
  return db.transaction('rw', db.audit, async () => {
    const existing = await db.audit
      .where('kind')
      .equals('bulk-enable')
      .filter((r) => isEntry(r.details) && r.details.runId === entry.runId)
      .first();
    if (existing?.id !== undefined && isEntry(existing.details) && existing.details.updatedAt > entry.updatedAt) return existing.id;
    const record: AuditRecord = { at: entry.startedAt, kind: 'bulk-enable', summary: summaryOf(entry), details: entry };
    if (existing?.id !== undefined) {
      await db.audit.put({ ...record, id: existing.id });
      return existing.id;
    }
    return db.audit.add(record);
  });
}

/** Runs, newest first. */
export async function listBulkRuns(db: HistoryDB, limit = 100): Promise<BulkAuditLogEntry[]> {
  const records = await db.audit.where('kind').equals('bulk-enable').toArray();
  return records
    .filter((r): r is AuditRecord & { id: number; details: BulkRunAuditEntry } => r.id !== undefined && isEntry(r.details))
    .sort((a, b) => b.at - a.at || b.id - a.id)
    .slice(0, limit)
    .map((r) => ({ ...r.details, id: r.id, summary: r.summary }));
}
