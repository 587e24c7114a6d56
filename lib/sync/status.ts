import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import type { HistoryDB } from '../history/db';
import type { SyncStatus } from '../messaging';
import { API_ERROR_KINDS, type ApiErrorInfo } from '../openai/errors';
import { progressOf } from './plan';
import type { SyncOutcome } from './run';

/**
 * Background only. Each organisation's last failed sync in this browser session is also kept in
 * session storage (in memory, not IndexedDB): when the database is full, the sync's own record of
 * its failure (syncState.lastError) cannot be written either, and every view must still say why
 * the history stopped growing, not "Synced" with the last good time.
 */
const failureKey = (orgId: string) => `session:syncFailure.${orgId}` as const;

const errorInfoSchema: z.ZodType<ApiErrorInfo> = z.object({
  kind: z.enum(API_ERROR_KINDS),
  detail: z.string(),
  status: z.number().optional(),
  path: z.string().optional(),
});

/** After every sync: a failure is remembered for the session, a success forgets it. */
export async function recordSyncOutcome(orgId: string, outcome: SyncOutcome): Promise<void> {
  try {
    if (outcome.status === 'failed') await storage.setItem(failureKey(orgId), outcome.error);
    else if (outcome.status === 'done') await storage.removeItem(failureKey(orgId));
  } catch (error) {
    // No session storage: the outcome still reaches whoever asked for the sync.
    console.warn('Keymeter: could not keep the sync outcome', error instanceof Error ? error.message : error);
  }
}

/**
 * What `sync:status` answers. The error shown is the session's record of the last failed sync when
 * there is one (it is the newest, and the only one when the database was too full to take it),
 * else the one in the database (which outlives a browser restart).
 */
export async function syncStatuses(
  db: HistoryDB,
  orgs: ReadonlyArray<{ id: string; label: string }>,
  isRunning: (orgId: string) => boolean,
): Promise<SyncStatus[]> {
  const ids = orgs.map((o) => o.id);
  const [states, items] = await Promise.all([
    db.syncState.bulkGet(ids),
    // A browser without session storage: the database's record is all there is.
    storage.getItems(ids.map(failureKey)).catch(() => []),
  ]);
  const failures = new Map(items.map(({ key, value }) => [key, value]));
  return orgs.map((org, i): SyncStatus => {
    const state = states[i];
    const failure = errorInfoSchema.safeParse(failures.get(failureKey(org.id)));
    const saved = state?.lastError ? ({ ...state.lastError, kind: state.lastError.kind } as ApiErrorInfo) : null;
    return {
      orgId: org.id,
      label: org.label,
      lastSuccessAt: state?.lastSuccessAt ?? null,
      lastAttemptAt: state?.lastAttemptAt ?? null,
      lastError: failure.success ? failure.data : saved,
      // A failed sync keeps its place (pending) for the next attempt, but it is not running.
      running: state?.pending && isRunning(org.id) ? progressOf(state.pending) : null,
    };
  });
}
