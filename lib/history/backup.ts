import { z } from 'zod';
import { bulkAuditInput } from '../message-inputs';
import { describeApiError, isQuotaError, toErrorInfo } from '../openai/errors';
import { USAGE_ENDPOINTS } from '../openai/schemas';
import { tagListSchema } from '../tags/tags';
import { costId, usageId } from '../usage/records';
import { refreshDaysOf } from './day-totals';
import type { AuditRecord, HistoryDB } from './db';

/**
 * Backup and restore of the history database as one versioned JSON document.
 *
 * A backup holds history only: usage rows, billed costs, keys (names and redacted values, as the
 * API lists them), projects, zero-setup snapshots, the bulk-enable audit log and cost-center tags,
 * plus each organisation's id and label. Never an admin key, never a setting.
 *
 * A restore is validated in full before anything is written; a file that is not a Keymeter
 * backup, is damaged or cut off, or comes from a newer Keymeter is refused with a sentence that
 * says which, and the database is untouched. A valid one is merged in one transaction by natural
 * ids (the same ids a sync writes), so restoring the same file twice is the same as once.
 */

export const BACKUP_FORMAT = 'keymeter-backup';
export const BACKUP_VERSION = 1;

const int = z.number().int();
const count = int.nonnegative();
const unixSeconds = int.nonnegative();
const text = z.string().max(100_000);

const usageRecordSchema = z
  .object({
    id: text,
    orgId: text.min(1),
    day: unixSeconds,
    endpoint: z.enum(USAGE_ENDPOINTS),
    projectId: text,
    apiKeyId: text,
    model: text,
    batch: z.enum(['', 'batch', 'standard']),
    serviceTier: text,
    extra: text,
    requests: count,
    inputTokens: count,
    cachedTokens: count,
    outputTokens: count,
    units: z.number().nonnegative(),
    estimatedMicros: int.nullable(),
    priceNote: text,
  })
  .refine((r) => r.id === usageId(r), {
    path: ['id'],
    message: 'the id does not match the row’s organisation, day, endpoint, project, key, model, batch, tier and detail',
  });

const costRecordSchema = z
  .object({
    id: text,
    orgId: text.min(1),
    day: unixSeconds,
    projectId: text,
    apiKeyId: text,
    lineItem: text,
    micros: int,
    currency: text,
    quantity: z.number().nullable(),
    quantityUnit: text,
  })
  .refine((r) => r.id === costId(r), {
    path: ['id'],
    message: 'the id does not match the row’s organisation, day, project, key and line item',
  });

const keyRecordSchema = z
  .object({
    id: text,
    orgId: text.min(1),
    keyId: text.min(1),
    name: text,
    redactedValue: text,
    projectId: text,
    ownerType: text,
    ownerName: text,
    ownerEmail: text,
    createdAt: z.number(),
    lastUsedAt: z.number().nullable(),
    firstSeenAt: z.number(),
    lastSeenAt: z.number(),
    deleted: z.boolean(),
  })
  .refine((r) => r.id === `${r.orgId}|${r.keyId}`, { path: ['id'], message: 'the id must be “organisation|key id”' });

const projectRecordSchema = z
  .object({ id: text, orgId: text.min(1), projectId: text.min(1), name: text, archived: z.boolean() })
  .refine((r) => r.id === `${r.orgId}|${r.projectId}`, { path: ['id'], message: 'the id must be “organisation|project id”' });

const snapshotRecordSchema = z.object({
  at: z.number().nonnegative(),
  rangeStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  rangeEnd: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  rangeLabel: text,
  rows: z.array(z.object({ label: text, redacted: text, project: text, requests: count })),
});

/** Bulk-enable runs: the same schema the background checks a `bulk:audit` message with. */
const auditRecordSchema = z.object({
  at: z.number().nonnegative(),
  kind: z.literal('bulk-enable'),
  summary: text,
  details: bulkAuditInput,
});

const tagRecordSchema = z
  .object({ id: text, orgId: text.min(1), apiKeyId: text.min(1), tags: tagListSchema, updatedAt: z.number().nonnegative() })
  .refine((r) => r.id === `${r.orgId}|${r.apiKeyId}`, { path: ['id'], message: 'the id must be “organisation|key id”' });

export const BACKUP_TABLES = ['usage', 'costs', 'keys', 'projects', 'snapshots', 'audit', 'tags'] as const;
export type BackupTable = (typeof BACKUP_TABLES)[number];

export const backupSchema = z
  .object({
    format: z.literal(BACKUP_FORMAT),
    version: z.literal(BACKUP_VERSION),
    exportedAt: z.iso.datetime(),
    /** Each organisation's id and label (no admin key, no key hint), to name them when restoring. */
    orgs: z.array(z.object({ id: text.min(1), label: text })),
    /** Rows per table, so a file cut short at a table boundary is still caught. */
    counts: z.record(z.string(), count),
    tables: z.object({
      usage: z.array(usageRecordSchema),
      costs: z.array(costRecordSchema),
      keys: z.array(keyRecordSchema),
      projects: z.array(projectRecordSchema),
      snapshots: z.array(snapshotRecordSchema),
      audit: z.array(auditRecordSchema).optional(),
      tags: z.array(tagRecordSchema).optional(),
    }),
  })
  .superRefine((backup, ctx) => {
    for (const name of BACKUP_TABLES) {
      const rows = backup.tables[name];
      if (!rows) continue;
      const said = backup.counts[name];
      if (said !== rows.length) {
        ctx.addIssue({
          code: 'custom',
          path: ['tables', name],
          message: `it should hold ${said ?? 'a stated number of'} rows but holds ${rows.length}, so it is incomplete`,
        });
      }
    }
  });
export type Backup = z.infer<typeof backupSchema>;
/** What buildBackup writes: a Backup, with audit details as stored (they are checked on restore). */
export type BackupDocument = Omit<Backup, 'tables'> & {
  tables: Omit<Backup['tables'], 'audit'> & { audit: Array<Omit<AuditRecord, 'id'>> };
};

export type BackupRefusal = { reason: 'not-backup' | 'newer-version'; message: string };
export type ParsedBackup = { ok: true; backup: Backup } | ({ ok: false } & BackupRefusal);

const NOTHING_CHANGED = 'Nothing was changed.';
const notBackup = (why: string): ParsedBackup => ({
  ok: false,
  reason: 'not-backup',
  message: `This file is not a Keymeter backup: ${why}. ${NOTHING_CHANGED}`,
});

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const [first] = issues;
  if (!first) return 'it does not match the backup format';
  const path = first.path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`))
    .join('')
    .replace(/^tables\./, '');
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  return `${path ? `${path}: ` : ''}${first.message}${more}`;
}

/** Checks a file's text in full; nothing is written here. */
export function parseBackup(fileText: string): ParsedBackup {
  const trimmed = fileText.trim(); // also drops a byte-order mark
  if (!trimmed) return notBackup('it is empty');
  let data: unknown;
  try {
    data = JSON.parse(trimmed);
  } catch (error) {
    if (!/^[[{]/.test(trimmed)) {
      const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? '';
      return notBackup(firstLine.includes(',') ? 'it is a CSV file (a Keymeter export or a spreadsheet), not a backup' : 'it is not JSON');
    }
    return notBackup(`it is not valid JSON, so it is damaged or cut off (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return notBackup('it holds no backup document');
  const doc = data as Record<string, unknown>;
  if (doc.format !== BACKUP_FORMAT) {
    if (doc.generator === 'keymeter' && 'schemaVersion' in doc)
      return notBackup('it is a Keymeter JSON export (a report for finance), not a backup');
    return notBackup(`it has no "format": "${BACKUP_FORMAT}" field`);
  }
  const { version } = doc;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) return notBackup('its version is missing or invalid');
  if (version > BACKUP_VERSION) {
    return {
      ok: false,
      reason: 'newer-version',
      message: `This backup was written by a newer Keymeter (version ${version}); this Keymeter reads version ${BACKUP_VERSION}. Update Keymeter, then restore it. ${NOTHING_CHANGED}`,
    };
  }
  const parsed = backupSchema.safeParse(doc);
  if (!parsed.success) return notBackup(`it is damaged: ${describeIssues(parsed.error.issues)}`);
  return { ok: true, backup: parsed.data };
}

/** Everything in the history tables a backup covers, in one read transaction. */
export async function buildBackup(
  db: HistoryDB,
  options: { now: Date; orgs: ReadonlyArray<{ id: string; label: string }> },
): Promise<BackupDocument> {
  return db.transaction('r', [db.usage, db.costs, db.keys, db.projects, db.snapshots, db.audit, db.tags], async () => {
    const tables = {
      usage: await db.usage.toArray(),
      costs: await db.costs.toArray(),
      keys: await db.keys.toArray(),
      projects: await db.projects.toArray(),
      snapshots: (await db.snapshots.toArray()).map(({ id: _id, ...rest }) => rest),
      audit: (await db.audit.toArray()).map(({ id: _id, ...rest }) => rest),
      tags: await db.tags.toArray(),
    };
    return {
      format: BACKUP_FORMAT,
      version: BACKUP_VERSION,
      exportedAt: options.now.toISOString(),
      orgs: options.orgs.map(({ id, label }) => ({ id, label })),
      counts: Object.fromEntries(BACKUP_TABLES.map((name) => [name, tables[name].length])),
      tables,
    };
  });
}

export function backupFilename(now: Date): string {
  return `keymeter-backup-${now.toISOString().slice(0, 10)}.json`;
}

export interface RestoreSummary {
  /** Rows in the file per table, and how many of them were not in the database before. */
  tables: Record<BackupTable, { rows: number; added: number }>;
  rows: number;
  added: number;
  /** Organisations the restored rows belong to. */
  orgIds: string[];
}

/** The answer to a `history:restore` message. */
export type RestoreResponse =
  | {
      ok: true;
      rows: number;
      added: number;
      tables: RestoreSummary['tables'];
      /** Labels of organisations in the backup that are not connected in this browser (their rows are kept, not shown). */
      notConnected: string[];
    }
  | { ok: false; reason: BackupRefusal['reason'] | 'storage-full' | 'failed'; message: string };

const CHUNK = 5_000;

/**
 * Merges a validated backup in one transaction. Usage, costs, keys, projects and tags are put by
 * their natural ids (a row already there is replaced by the file's); snapshots and audit records
 * have no natural id in the database, so one already present (same content, or the same
 * bulk-enable run) is skipped. The per-day rollup of the days restored is recomputed. Either
 * every row is written or, on any error (a full disk included), none is.
 */
export async function restoreBackup(db: HistoryDB, backup: Backup): Promise<RestoreSummary> {
  const { tables } = backup;
  const scope = [db.usage, db.costs, db.dayTotals, db.keys, db.projects, db.snapshots, db.audit, db.tags];
  return db.transaction('rw', scope, async () => {
    const byId = async <T extends { id: string }>(
      table: { bulkGet(ids: string[]): Promise<Array<T | undefined>>; bulkPut(rows: T[]): Promise<unknown> },
      rows: readonly T[],
    ) => {
      let added = 0;
      for (let i = 0; i < rows.length; i += CHUNK) {
        const chunk = rows.slice(i, i + CHUNK);
        added += (await table.bulkGet(chunk.map((r) => r.id))).filter((r) => r === undefined).length;
        await table.bulkPut(chunk);
      }
      return { rows: rows.length, added };
    };

    /** Keeps the items whose key is not in `seen` (nor earlier in the list), adding their keys to it. */
    const unseen = <T>(items: readonly T[], seen: Set<string>, keyOf: (item: T) => string) =>
      items.filter((item) => {
        const key = keyOf(item);
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });

    const snapshotKey = (s: (typeof tables.snapshots)[number]) => JSON.stringify([s.at, s.rangeStart, s.rangeEnd, s.rangeLabel, s.rows]);
    const ats = [...new Set(tables.snapshots.map((s) => s.at))];
    const existingSnapshots = ats.length ? await db.snapshots.where('at').anyOf(ats).toArray() : [];
    const newSnapshots = unseen(tables.snapshots, new Set(existingSnapshots.map(snapshotKey)), snapshotKey);
    await db.snapshots.bulkAdd(newSnapshots);

    const auditKey = (a: Pick<AuditRecord, 'kind' | 'at' | 'summary' | 'details'>) => {
      const runId = (a.details as { runId?: unknown } | null)?.runId;
      return typeof runId === 'string' ? `${a.kind}|run|${runId}` : `${a.kind}|${a.at}|${a.summary}`;
    };
    const audit = tables.audit ?? [];
    const newAudit = unseen(audit, new Set((await db.audit.toArray()).map(auditKey)), auditKey);
    await db.audit.bulkAdd(newAudit);

    const summary: RestoreSummary['tables'] = {
      usage: await byId(db.usage, tables.usage),
      costs: await byId(db.costs, tables.costs),
      keys: await byId(db.keys, tables.keys),
      projects: await byId(db.projects, tables.projects),
      snapshots: { rows: tables.snapshots.length, added: newSnapshots.length },
      audit: { rows: audit.length, added: newAudit.length },
      tags: await byId(db.tags, tables.tags ?? []),
    };
    // The rollup is not in the file: recompute the days the restored rows fall on.
    await refreshDaysOf(db, [...tables.usage, ...tables.costs]);
    const all = Object.values(summary);
    const orgIds = new Set([...tables.usage, ...tables.costs, ...tables.keys, ...tables.projects].map((r) => r.orgId));
    return {
      tables: summary,
      rows: all.reduce((n, t) => n + t.rows, 0),
      added: all.reduce((n, t) => n + t.added, 0),
      orgIds: [...orgIds],
    };
  });
}

/**
 * A restore as the options page asks for it: the file's text is checked in full, then merged;
 * a refusal, a full disk or any other failure comes back as a sentence, with nothing written.
 */
export async function restoreFromText(
  db: HistoryDB,
  fileText: string,
  connectedOrgs: ReadonlyArray<{ id: string }>,
): Promise<RestoreResponse> {
  const parsed = parseBackup(fileText);
  if (!parsed.ok) return { ok: false, reason: parsed.reason, message: parsed.message };
  try {
    const summary = await restoreBackup(db, parsed.backup);
    const connected = new Set(connectedOrgs.map((o) => o.id));
    const labels = new Map(parsed.backup.orgs.map((o) => [o.id, o.label]));
    const notConnected = summary.orgIds.filter((id) => !connected.has(id)).map((id) => labels.get(id) ?? id);
    return { ok: true, rows: summary.rows, added: summary.added, tables: summary.tables, notConnected };
  } catch (error) {
    // The transaction rolled back: the database is as it was before the restore.
    if (isQuotaError(error)) return { ok: false, reason: 'storage-full', message: describeApiError(toErrorInfo(error)) };
    return {
      ok: false,
      reason: 'failed',
      message: `Keymeter could not restore the backup (${error instanceof Error ? error.message : String(error)}). Nothing was changed.`,
    };
  }
}
