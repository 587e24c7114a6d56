import { historyDb } from '../history/db';
import { createAdminClient } from '../openai/client';
import { adminKeysItem, orgsItem, priceOverridesItem, syncSettingsItem } from '../settings';
import { runSync, type SyncOutcome } from './run';
import { recordSyncOutcome } from './status';

/**
 * Background only. One sync per organisation at a time: every tab and page asks the
 * background, which hands a second caller the sync already under way.
 */
const inflight = new Map<string, Promise<SyncOutcome>>();

type SyncDoneListener = (orgId: string, outcome: SyncOutcome) => unknown;
const syncDoneListeners = new Set<SyncDoneListener>();

/**
 * Runs `listener` after every successful sync of an organisation (alerts, for one), before the
 * sync's promise settles, so "Sync now" answers once the checks are done. Returns its remover.
 */
export function onSyncDone(listener: SyncDoneListener): () => void {
  syncDoneListeners.add(listener);
  return () => syncDoneListeners.delete(listener);
}

async function afterSync(orgId: string, outcome: SyncOutcome): Promise<void> {
  if (outcome.status !== 'done') return;
  await Promise.all(
    [...syncDoneListeners].map(async (listener) => {
      try {
        await listener(orgId, outcome);
      } catch (error) {
        console.warn('Keymeter: after-sync check failed', error instanceof Error ? error.message : error);
      }
    }),
  );
}

export function syncOrg(orgId: string, options: { force?: boolean } = {}): Promise<SyncOutcome> {
  const running = inflight.get(orgId);
  if (running) return running;
  const promise = (async (): Promise<SyncOutcome> => {
    const adminKey = (await adminKeysItem.getValue())[orgId];
    if (!adminKey) return { status: 'failed', error: { kind: 'unauthorized', detail: 'no admin key stored for this organisation' } };
    const settings = await syncSettingsItem.getValue();
    const outcome = await runSync(
      {
        db: historyDb(),
        client: createAdminClient({ apiKey: adminKey }),
        orgId,
        now: Math.floor(Date.now() / 1000),
        backfillDays: settings.backfillDays,
        overrides: await priceOverridesItem.getValue(),
      },
      options,
    );
    await recordSyncOutcome(orgId, outcome);
    await afterSync(orgId, outcome);
    return outcome;
  })().finally(() => inflight.delete(orgId));
  inflight.set(orgId, promise);
  return promise;
}

/** Whether a sync of this organisation is under way in this service worker right now. */
export function isSyncRunning(orgId: string): boolean {
  return inflight.has(orgId);
}

/** Settles when the sync of this organisation under way (if any) has ended, however it ended. */
export function syncSettled(orgId: string): Promise<void> {
  const running = inflight.get(orgId);
  return running
    ? running.then(
        () => undefined,
        () => undefined,
      )
    : Promise.resolve();
}

export async function syncAllOrgs(options: { force?: boolean } = {}): Promise<Record<string, SyncOutcome>> {
  const orgs = await orgsItem.getValue();
  const outcomes = await Promise.all(orgs.map(async (org) => [org.id, await syncOrg(org.id, options)] as const));
  return Object.fromEntries(outcomes);
}

export const SYNC_ALARM = 'keymeter-sync';
