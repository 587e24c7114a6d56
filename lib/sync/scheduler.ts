import { historyDb } from '../history/db';
import { createAdminClient } from '../openai/client';
import { adminKeysItem, orgsItem, priceOverridesItem, syncSettingsItem } from '../settings';
import { runSync, type SyncOutcome } from './run';

/**
 * Background only. One sync per organisation at a time: every tab and page asks the
 * background, which hands a second caller the sync already under way.
 */
const inflight = new Map<string, Promise<SyncOutcome>>();

export function syncOrg(orgId: string, options: { force?: boolean } = {}): Promise<SyncOutcome> {
  const running = inflight.get(orgId);
  if (running) return running;
  const promise = (async (): Promise<SyncOutcome> => {
    const adminKey = (await adminKeysItem.getValue())[orgId];
    if (!adminKey) return { status: 'failed', error: { kind: 'unauthorized', detail: 'no admin key stored for this organisation' } };
    const settings = await syncSettingsItem.getValue();
    return runSync(
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
  })().finally(() => inflight.delete(orgId));
  inflight.set(orgId, promise);
  return promise;
}

/** Whether a sync of this organisation is under way in this service worker right now. */
export function isSyncRunning(orgId: string): boolean {
  return inflight.has(orgId);
}

export async function syncAllOrgs(options: { force?: boolean } = {}): Promise<Record<string, SyncOutcome>> {
  const orgs = await orgsItem.getValue();
  const outcomes = await Promise.all(orgs.map(async (org) => [org.id, await syncOrg(org.id, options)] as const));
  return Object.fromEntries(outcomes);
}

export const SYNC_ALARM = 'keymeter-sync';
