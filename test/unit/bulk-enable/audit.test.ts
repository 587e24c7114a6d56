import { describe, expect, it } from 'vitest';
import { auditEntryOf } from '@/lib/bulk-enable/report';
import { createRun, finishRun } from '@/lib/bulk-enable/run';
import { listBulkRuns, recordBulkRun } from '@/lib/history/audit';
import { HistoryDB } from '@/lib/history/db';
import { bulkAuditInput } from '@/lib/message-inputs';

const run = (id: string, startedAt: number) =>
  createRun({
    id,
    owner: 'tab',
    path: '/api-keys',
    now: startedAt,
    candidates: [
      { key: { name: 'jupyter', redacted: 'sk-…abcd', created: 'May 5, 2023' }, lastUsed: 'Never', page: 2 },
      { key: { name: 'eval', redacted: 'sk-…efgh', created: 'Oct 2, 2023' }, lastUsed: 'Never', page: 2 },
    ],
    selected: new Set([0, 1]),
    settings: { pacingMs: 1000, maxAttempts: 3 },
    pagination: 'walked',
    pageCount: 2,
  });

describe('bulk-enable audit log', () => {
  it('keeps one record per run, updated as it goes, never overwritten by an older update, newest run first', async () => {
    const db = new HistoryDB(`audit-${Math.random()}`);
    const started = run('run-a', 1_000);
    await recordBulkRun(db, bulkAuditInput.parse(auditEntryOf(started)));
    const done = finishRun(
      { ...started, items: [{ ...started.items[0]!, status: 'enabled', attempts: 1 }, started.items[1]!] },
      'done',
      null,
      2_000,
    );
    await recordBulkRun(db, bulkAuditInput.parse(auditEntryOf(done)));
    await recordBulkRun(db, auditEntryOf(started)); // a late "running" update
    await recordBulkRun(db, auditEntryOf(run('run-b', 5_000)));
    const log = await listBulkRuns(db);
    expect(log.map((r) => [r.runId, r.status])).toEqual([
      ['run-b', 'running'],
      ['run-a', 'done'],
    ]);
    expect(log[1]!.summary).toBe('done: 1 enabled, 0 already on, 0 failed, 1 skipped');
    expect(log[1]!.items.map((i) => [i.name, i.status, i.skipReason])).toEqual([
      ['jupyter', 'enabled', null],
      ['eval', 'skipped', 'stopped'],
    ]);
    db.close();
  });

  it('rejects an audit message that is not a run', () => {
    expect(bulkAuditInput.safeParse({ runId: 'x' }).success).toBe(false);
    expect(bulkAuditInput.safeParse({ ...auditEntryOf(run('r', 1)), status: 'exploded' }).success).toBe(false);
  });
});
