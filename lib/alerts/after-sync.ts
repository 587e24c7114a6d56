import { budgetAlerts, budgetLabel } from '../budgets/budgets';
import type { HistoryDB } from '../history/db';
import { panelData } from '../history/panel-queries';
import { budgetStatusesNow } from '../report/load';
import type { AlertSettings } from '../settings';
import { DAY, formatUsd, startOfUtcDay } from '../usage/spikes';
import { type AlertFiredRecord, budgetNotification, newSpikes, spikeNotification } from './fired';

/**
 * Background only: what Keymeter checks after each successful sync of an organisation.
 *  - a new spending spike in the last days of that organisation → one notification per spike day;
 *  - a budget threshold reached this month → one notification per budget, threshold and month.
 * What fired is recorded before anything is shown, in one transaction, so a threshold never
 * notifies twice (not even when two organisations finish syncing at once: checks run one at a time).
 */

export interface AfterSyncDeps {
  db: HistoryDB;
  /** Every connected organisation (tag budgets span them). */
  orgs: ReadonlyArray<{ id: string; label: string }>;
  /** The organisation that just synced. */
  orgId: string;
  /** Unix seconds. */
  now: number;
  settings: AlertSettings;
  /** Shows one browser notification. */
  notify: (id: string, note: { title: string; message: string }) => Promise<void>;
}

let queue: Promise<unknown> = Promise.resolve();

/** Runs the checks after those already queued; never rejects (a failed check is logged, the next sync tries again). */
export function checkAlertsAfterSync(deps: AfterSyncDeps): Promise<AlertFiredRecord[]> {
  const run = queue.then(() => check(deps));
  queue = run.catch(() => undefined);
  return run.catch((error: unknown) => {
    console.warn('Keymeter: alert check failed', error instanceof Error ? error.message : error);
    return [];
  });
}

async function check({ db, orgs, orgId, now, settings, notify }: AfterSyncDeps): Promise<AlertFiredRecord[]> {
  const org = orgs.find((o) => o.id === orgId);
  const at = now * 1000;
  const candidates: Array<Omit<AlertFiredRecord, 'notified'> & { wanted: boolean }> = [];

  if (org) {
    const today = startOfUtcDay(now);
    const recent = await panelData(db, [org], { from: today - 7 * DAY, to: today + DAY });
    for (const { id, spike } of newSpikes(org.id, recent.spikes, new Set(), now))
      candidates.push({ id, kind: 'spike', at, ...spikeNotification(org.label, spike), wanted: settings.spikeNotifications });
  }

  const statuses = await budgetStatusesNow(db, orgs, now);
  const keyNames = new Map((await db.keys.toArray()).map((k) => [`${k.orgId}|${k.keyId}`, k.name || k.redactedValue]));
  const projectNames = new Map((await db.projects.toArray()).map((p) => [`${p.orgId}|${p.projectId}`, p.name]));
  const names = {
    key: (o: string, k: string) => keyNames.get(`${o}|${k}`) ?? k,
    project: (o: string, p: string) => projectNames.get(`${o}|${p}`) ?? p,
  };

  // Decide and record in one transaction: only what has not fired yet is shown.
  const fresh = await db.transaction('rw', db.alertsFired, async () => {
    const budgetIds = statuses.flatMap((s) => s.reached.map((t) => `budget|${s.budget.id}|${s.period}|${t}`));
    const known = await db.alertsFired.bulkGet([...candidates.map((c) => c.id), ...budgetIds]);
    const fired = new Set(known.filter((r): r is AlertFiredRecord => r !== undefined).map((r) => r.id));
    const records: AlertFiredRecord[] = [];
    for (const candidate of candidates) {
      if (fired.has(candidate.id)) continue;
      const { wanted, ...record } = candidate;
      records.push({ ...record, notified: wanted });
    }
    for (const alert of budgetAlerts(statuses, fired)) {
      const { budget, spentMicros, period } = alert.status;
      const note = budgetNotification(budgetLabel(budget, names), alert.threshold, spentMicros, budget.monthlyMicros, period, formatUsd);
      // Every threshold reached is recorded; the notification names the highest.
      for (const id of alert.ids) {
        const threshold = Number(id.split('|').at(-1));
        records.push({ id, kind: 'budget', at, ...note, notified: settings.budgetNotifications && threshold === alert.threshold });
      }
    }
    await db.alertsFired.bulkPut(records);
    return records;
  });

  for (const record of fresh) {
    if (!record.notified) continue;
    try {
      await notify(record.id, { title: record.title, message: record.message });
    } catch (error) {
      console.warn('Keymeter: notification failed', error instanceof Error ? error.message : error);
    }
  }
  return fresh;
}
