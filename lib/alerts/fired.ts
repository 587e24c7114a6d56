import type { Micros } from '../money';
import type { PanelSpike } from '../usage/panel-data';
import { DAY, describeSpike, startOfUtcDay } from '../usage/spikes';

/**
 * Alerts Keymeter has raised, one record each (Dexie `alertsFired`): the record's id says what it
 * was about, so the same budget threshold or spike day never notifies twice. They also form the
 * "Recent alerts" list on the report page.
 */
export interface AlertFiredRecord {
  /** `budget|<budgetId>|<YYYY-MM>|<threshold>` or `spike|<orgId>|<day>`. */
  id: string;
  kind: 'budget' | 'spike';
  /** Unix milliseconds. */
  at: number;
  title: string;
  message: string;
  /** Whether a browser notification was shown (false when notifications of this kind are off). */
  notified: boolean;
}

export const spikeAlertId = (orgId: string, day: number) => `spike|${orgId}|${day}`;

/** A spike found by a sync is news only when it is recent: a backfill does not notify about last year. */
export const SPIKE_NEWS_DAYS = 7;

/** Spikes of one organisation that should notify now: recent and not notified before; oldest first. */
export function newSpikes(
  orgId: string,
  spikes: readonly PanelSpike[],
  fired: ReadonlySet<string>,
  now: number,
  newsDays = SPIKE_NEWS_DAYS,
): Array<{ id: string; spike: PanelSpike }> {
  const since = startOfUtcDay(now) - newsDays * DAY;
  return spikes
    .filter((s) => s.day >= since && !fired.has(spikeAlertId(orgId, s.day)))
    .map((spike) => ({ id: spikeAlertId(orgId, spike.day), spike }));
}

export function spikeNotification(orgLabel: string, spike: PanelSpike): { title: string; message: string } {
  return { title: `Unusual spend in ${orgLabel}`, message: describeSpike(spike) };
}

export function budgetNotification(
  label: string,
  threshold: number,
  spent: Micros,
  budget: Micros,
  period: string,
  format: (micros: Micros) => string,
): { title: string; message: string } {
  return {
    title: `Budget ${threshold} % reached: ${label}`,
    message: `${format(spent)} of ${format(budget)} spent in ${period} (${Math.floor((spent / budget) * 100)} %). This is an alert only: OpenAI does not stop the key.`,
  };
}
