import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HistoryDB } from '@/lib/history/db';
import { createAdminClient } from '@/lib/openai/client';
import { describeApiError, isQuotaError, toErrorInfo } from '@/lib/openai/errors';
import { runSync } from '@/lib/sync/run';
import { recordSyncOutcome, syncStatuses } from '@/lib/sync/status';
import { createMockApi } from '../../sim/api/index';
import { mockFetch } from '../../sim/fetch-adapter';
import { createOrg, DEMO_ADMIN_KEY, utcDay } from '../../sim/seed';

const NOW = utcDay('2026-01-20') + 12 * 3600;
const opened: HistoryDB[] = [];

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

function setup() {
  const db = new HistoryDB(`status-${Math.random()}`);
  opened.push(db);
  const client = createAdminClient({
    apiKey: DEMO_ADMIN_KEY,
    fetch: mockFetch(createMockApi(createOrg(), { now: () => NOW })),
    sleep: async () => {},
    maxAttempts: 2,
  });
  return { db, deps: { db, client, orgId: 'org1', now: NOW, backfillDays: 30 } };
}

/**
 * What Chromium 156 gives Keymeter when the origin's quota is used up (seen in the storage-full e2e):
 * the transaction aborts, Dexie rejects with its AbortError (message "QuotaExceededError ") whose
 * inner error is the browser's QuotaExceededError, with an empty message.
 */
const chromiumQuotaAbort = () => new Dexie.AbortError(new DOMException('', 'QuotaExceededError') as never);

describe('storage full, as Chromium and Dexie report it', () => {
  it('maps Dexie’s AbortError around an empty-message QuotaExceededError to the storage-full sentence', () => {
    const error = chromiumQuotaAbort();
    expect(error.name).toBe('AbortError');
    expect(error.message).toBe('QuotaExceededError ');
    expect(isQuotaError(error)).toBe(true);
    expect(describeApiError(toErrorInfo(error))).toBe(
      "Your browser's storage for Keymeter is full: the browser refused to save more data; remove old history (Retention) or free disk space. The last good data is kept.",
    );
  });

  it('maps Dexie’s own QuotaExceededError and a BulkError of them too', () => {
    const dom = new DOMException('Quota exceeded.', 'QuotaExceededError');
    expect(toErrorInfo(new Dexie.QuotaExceededError(dom as never))).toEqual({ kind: 'storage-full', detail: 'Quota exceeded' });
    expect(toErrorInfo(new Dexie.BulkError('bulkPut failed', { 0: dom }))).toEqual({
      kind: 'storage-full',
      detail: 'the browser refused to save more data',
    });
    expect(toErrorInfo(new Dexie.AbortError(new DOMException('Version change', 'AbortError') as never)).kind).toBe('unexpected-response');
  });
});

describe('sync status when the database cannot even record the failure', { timeout: 60_000 }, () => {
  it('still says storage full, and forgets it after the next good sync', async () => {
    const { db, deps } = setup();
    const orgs = [{ id: 'org1', label: 'Acme' }];
    // Every write is refused, the sync's own record of its failure as well.
    const put = vi.spyOn(db.syncState, 'put').mockRejectedValue(chromiumQuotaAbort());
    const update = vi.spyOn(db.syncState, 'update').mockRejectedValue(chromiumQuotaAbort());
    const failed = await runSync(deps, { force: true });
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'storage-full' } });
    expect(await db.syncState.get('org1')).toBeUndefined();
    await recordSyncOutcome('org1', failed);
    const [status] = await syncStatuses(db, orgs, () => false);
    expect(status?.lastError).toEqual({ kind: 'storage-full', detail: 'the browser refused to save more data' });

    put.mockRestore();
    update.mockRestore();
    const done = await runSync(deps, { force: true });
    expect(done.status).toBe('done');
    await recordSyncOutcome('org1', done);
    const [healed] = await syncStatuses(db, orgs, () => false);
    expect(healed).toMatchObject({ lastError: null, lastSuccessAt: NOW, running: null });
  });

  it('shows the saved error after a browser restart (session storage empty), and ignores a malformed session record', async () => {
    const { db } = setup();
    await db.syncState.put({
      orgId: 'org1',
      watermark: null,
      lastSuccessAt: null,
      lastAttemptAt: NOW,
      lastError: { kind: 'server', detail: 'HTTP 500', status: 500 },
      pending: null,
    });
    const orgs = [{ id: 'org1', label: 'Acme' }];
    expect((await syncStatuses(db, orgs, () => false))[0]?.lastError).toEqual({ kind: 'server', detail: 'HTTP 500', status: 500 });
    await browser.storage.session.set({ 'syncFailure.org1': { kind: 'timeout', detail: 'no answer' } });
    expect((await syncStatuses(db, orgs, () => false))[0]?.lastError).toEqual({ kind: 'timeout', detail: 'no answer' });
    await browser.storage.session.set({ 'syncFailure.org1': { kind: 'no-such-kind', detail: 1 } });
    expect((await syncStatuses(db, orgs, () => false))[0]?.lastError).toMatchObject({ kind: 'server' });
  });
});
