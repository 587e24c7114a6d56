import { formatDay } from '../format';
import type { Micros } from '../money';
import type { PanelSpike } from './panel-data';

/**
 * Spike detection, pure. A day is a spike when its total cost is far above a robust baseline of the
 * days before it; the excess is then attributed to the (key, model) pairs whose own cost rose most.
 *
 * Baseline of day d (medians, so one earlier spike cannot lift it, and weekday-aware, so quiet
 * weekends do not make every Monday look like a spike):
 *  1. the median of the same weekday over the previous `weeks` weeks (d−7, d−14, …), when at least
 *     `minSameWeekday` of those days are known;
 *  2. else the median of the previous `recentDays` days, when at least `minRecentDays` are known;
 *  3. else no baseline: the day is not judged (too little history).
 * A day is "known" from `knownFrom` on (the first day with any synced data): a day before that is
 * missing history, not a day of zero spend.
 * A day is flagged when cost ≥ ratio × baseline and cost − baseline ≥ minExcessMicros (trigger 'total').
 * A day whose total stays under that is still flagged when one (key, model) pair alone is at ≥ ratio × its
 * own baseline and its rise is both ≥ minExcessMicros and ≥ pairMinShare of the day's usual total
 * (trigger 'pair'): one key tripling over a holiday week is news even when the organisation as a whole
 * is only 1.5× up, while small keys wobbling do not alarm.
 */

export const DAY = 86_400;
/** How far before the range the data must reach for every day in it to get a baseline. */
export const BASELINE_DAYS = 28;

export interface SpikeOptions {
  /** Flag when cost ≥ ratio × baseline … */
  ratio: number;
  /** … and the excess is at least this much (µ$): tiny amounts never alarm. */
  minExcessMicros: Micros;
  weeks: number;
  minSameWeekday: number;
  recentDays: number;
  minRecentDays: number;
  /** Largest number of (key, model) pairs named per spike … */
  maxDrivers: number;
  /** … each (after the first) explaining at least this share of the excess. */
  minDriverShare: number;
  /** A single pair flags a day when its rise is at least this share of the day's usual total. */
  pairMinShare: number;
}

export const DEFAULT_SPIKE_OPTIONS: SpikeOptions = {
  ratio: 2,
  minExcessMicros: 5_000_000,
  weeks: BASELINE_DAYS / 7,
  minSameWeekday: 3,
  recentDays: 14,
  minRecentDays: 7,
  maxDrivers: 3,
  minDriverShare: 0.1,
  pairMinShare: 0.1,
};

/** Cost of one (key, model) pair on one UTC day. `key` is opaque to this module. */
export interface SpikeCell {
  day: number;
  key: string;
  model: string;
  micros: Micros;
}

export interface Spike {
  day: number;
  micros: Micros;
  baselineMicros: Micros;
  baselineKind: 'weekday' | 'recent';
  /** 'total': the day's total crossed the rule; 'pair': only the drivers did, each on its own. */
  trigger: 'total' | 'pair';
  /** Pairs whose cost rose over their own baseline, largest rise first ('pair': only those that crossed the rule). */
  drivers: SpikeDriver[];
}

export interface SpikeDriver {
  key: string;
  model: string;
  micros: Micros;
  baselineMicros: Micros;
  deltaMicros: Micros;
}

export const startOfUtcDay = (seconds: number) => Math.floor(seconds / DAY) * DAY;

/** Median, rounded to a whole µ$ (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

/** The days a baseline of `day` is made of, or null when there is too little known history. */
export function baselineDays(day: number, knownFrom: number, options: SpikeOptions): { kind: 'weekday' | 'recent'; days: number[] } | null {
  const sameWeekday: number[] = [];
  for (let k = 1; k <= options.weeks; k++) if (day - 7 * k * DAY >= knownFrom) sameWeekday.push(day - 7 * k * DAY);
  if (sameWeekday.length >= options.minSameWeekday) return { kind: 'weekday', days: sameWeekday };
  const recent: number[] = [];
  for (let i = 1; i <= options.recentDays; i++) if (day - i * DAY >= knownFrom) recent.push(day - i * DAY);
  if (recent.length >= options.minRecentDays) return { kind: 'recent', days: recent };
  return null;
}

/**
 * Spikes among the days of [from, to), oldest first. `cells` should reach BASELINE_DAYS before `from`;
 * `knownFrom` is the first day with synced data (null: none at all).
 */
export function detectSpikes(
  cells: readonly SpikeCell[],
  window: { from: number; to: number; knownFrom: number | null },
  overrides: Partial<SpikeOptions> = {},
): Spike[] {
  const options = { ...DEFAULT_SPIKE_OPTIONS, ...overrides };
  if (window.knownFrom === null) return [];
  const knownFrom = startOfUtcDay(window.knownFrom);

  const totals = new Map<number, Micros>();
  const pairs = new Map<string, { key: string; model: string; byDay: Map<number, Micros> }>();
  for (const cell of cells) {
    const day = startOfUtcDay(cell.day);
    totals.set(day, (totals.get(day) ?? 0) + cell.micros);
    const id = `${cell.key}\u0000${cell.model}`;
    let pair = pairs.get(id);
    if (!pair) {
      pair = { key: cell.key, model: cell.model, byDay: new Map() };
      pairs.set(id, pair);
    }
    pair.byDay.set(day, (pair.byDay.get(day) ?? 0) + cell.micros);
  }

  const spikes: Spike[] = [];
  for (let day = Math.max(startOfUtcDay(window.from), knownFrom); day < window.to; day += DAY) {
    const base = baselineDays(day, knownFrom, options);
    if (!base) continue;
    const micros = totals.get(day) ?? 0;
    const baselineMicros = median(base.days.map((d) => totals.get(d) ?? 0));
    const excess = micros - baselineMicros;
    const totalCrossed = excess >= options.minExcessMicros && micros >= options.ratio * baselineMicros;

    const risen: SpikeDriver[] = [];
    for (const pair of pairs.values()) {
      const value = pair.byDay.get(day) ?? 0;
      if (value <= 0) continue;
      const pairBaseline = median(base.days.map((d) => pair.byDay.get(d) ?? 0));
      const delta = value - pairBaseline;
      if (delta > 0) risen.push({ key: pair.key, model: pair.model, micros: value, baselineMicros: pairBaseline, deltaMicros: delta });
    }
    risen.sort((a, b) => b.deltaMicros - a.deltaMicros || a.key.localeCompare(b.key) || a.model.localeCompare(b.model));

    if (totalCrossed) {
      const drivers = risen.filter((d, i) => i === 0 || d.deltaMicros >= options.minDriverShare * excess).slice(0, options.maxDrivers);
      spikes.push({ day, micros, baselineMicros, baselineKind: base.kind, trigger: 'total', drivers });
      continue;
    }
    const minPairRise = Math.max(options.minExcessMicros, options.pairMinShare * baselineMicros);
    const crossed = risen.filter((d) => d.deltaMicros >= minPairRise && d.micros >= options.ratio * d.baselineMicros);
    if (crossed.length) {
      spikes.push({ day, micros, baselineMicros, baselineKind: base.kind, trigger: 'pair', drivers: crossed.slice(0, options.maxDrivers) });
    }
  }
  return spikes;
}

// ---- Wording (English, USD, UTC dates, like the dashboard) ----

const USD = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
const USD_WHOLE = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  maximumFractionDigits: 0,
  minimumFractionDigits: 0,
});

/** "$312.40" (to the cent). */
export const formatUsd = (micros: Micros) => USD.format(Math.round(micros / 10_000) / 100);
/** "$108" for amounts of $10 or more, else to the cent: for "the usual …". */
export const formatUsdRough = (micros: Micros) =>
  Math.abs(micros) >= 10_000_000 ? USD_WHOLE.format(micros / 1_000_000) : formatUsd(micros);

type Driver = PanelSpike['drivers'][number];
const who = (driver: Driver) => `${driver.keyName}${driver.model ? ` on ${driver.model}` : ''}`;

/** "2.9× the usual $108", or "against a usual $0.00" when there was nothing before. */
function versusUsual(micros: Micros, baselineMicros: Micros, whose: 'the' | 'its'): string {
  return baselineMicros > 0
    ? `${(micros / baselineMicros).toFixed(1)}× ${whose} usual ${formatUsdRough(baselineMicros)}`
    : `against a usual ${formatUsdRough(baselineMicros)}`;
}

/**
 * Total trigger: "Dec 24, 2025: $312.40, 2.9× the usual $108 — mostly support-assistant-prod on gpt-4o-2024-08-06 (+$190.20)".
 * Pair trigger: "Dec 29, 2025: support-assistant-prod on gpt-4o-2024-08-06 $150.00, 3.0× its usual $50 (+$100.00) — day total $312.40, 1.4× the usual $220".
 */
export function describeSpike(spike: PanelSpike): string {
  const day = formatDay(spike.day);
  const total = `${formatUsd(spike.micros)}, ${versusUsual(spike.micros, spike.baselineMicros, 'the')}`;
  if (spike.trigger === 'pair') {
    const pairs = spike.drivers.map(
      (d) => `${who(d)} ${formatUsd(d.micros)}, ${versusUsual(d.micros, d.baselineMicros, 'its')} (+${formatUsd(d.deltaMicros)})`,
    );
    return `${day}: ${pairs.join('; ')} — day total ${total}`;
  }
  const rise = (d: Driver) => `${who(d)} (+${formatUsd(d.deltaMicros)})`;
  const [first, ...rest] = spike.drivers;
  let text = `${day}: ${total}`;
  if (first) text += ` — mostly ${rise(first)}`;
  if (rest.length) text += `; also ${rest.map(rise).join(', ')}`;
  return text;
}
