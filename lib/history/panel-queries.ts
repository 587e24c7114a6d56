import Dexie from 'dexie';
import type { ApiErrorInfo } from '../openai/errors';
import { buildPanelData } from '../usage/panel';
import type { PanelData } from '../usage/panel-data';
import type { SnapshotRecord } from '../usage/records';
import { BASELINE_DAYS, DAY, startOfUtcDay } from '../usage/spikes';
import type { HistoryDB } from './db';
import { costsInRange, usageInRange } from './queries';

/** Background only: reads what the usage panel needs and hands plain arrays to the pure builder. */
export async function panelData(
  db: HistoryDB,
  orgs: ReadonlyArray<{ id: string; label: string }>,
  range: { from: number; to: number },
): Promise<PanelData> {
  // The spike baselines need the four weeks before the range as well.
  const windowStart = startOfUtcDay(range.from) - BASELINE_DAYS * DAY;
  const perOrg = await Promise.all(
    orgs.map(async (org) => {
      const [usage, costs, keys, state, firstUsage, firstCost] = await Promise.all([
        usageInRange(db, org.id, windowStart, range.to),
        costsInRange(db, org.id, windowStart, range.to),
        db.keys.where('orgId').equals(org.id).toArray(),
        db.syncState.get(org.id),
        db.usage.where('[orgId+day]').between([org.id, Dexie.minKey], [org.id, Dexie.maxKey]).first(),
        db.costs.where('[orgId+day]').between([org.id, Dexie.minKey], [org.id, Dexie.maxKey]).first(),
      ]);
      const first = [firstUsage?.day, firstCost?.day].filter((d): d is number => d !== undefined);
      return {
        org: {
          orgId: org.id,
          label: org.label,
          lastSuccessAt: state?.lastSuccessAt ?? null,
          lastError: state?.lastError ? ({ ...state.lastError, kind: state.lastError.kind } as ApiErrorInfo) : null,
        },
        usage,
        costs,
        keys,
        knownFrom: first.length ? Math.min(...first) : null,
      };
    }),
  );
  const known = perOrg.map((o) => o.knownFrom).filter((d): d is number => d !== null);
  return buildPanelData({
    from: range.from,
    to: range.to,
    orgs: perOrg.map((o) => o.org),
    usage: perOrg.flatMap((o) => o.usage),
    costs: perOrg.flatMap((o) => o.costs),
    keys: perOrg.flatMap((o) => o.keys),
    // History is known from the earliest synced day of any organisation.
    knownFrom: known.length ? Math.min(...known) : null,
  });
}

export const MAX_SNAPSHOTS = 200;

/** Zero-setup snapshots, newest first. */
export function recentSnapshots(db: HistoryDB, limit = MAX_SNAPSHOTS): Promise<SnapshotRecord[]> {
  return db.snapshots.orderBy('at').reverse().limit(limit).toArray();
}
