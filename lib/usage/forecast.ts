import type { Micros } from '../money';
import { DAY, startOfUtcDay } from './spikes';

/**
 * Month-end forecast, pure. From the cost of the month so far and the weekly rhythm of the weeks
 * before, it projects the calendar month (UTC) as a range, not one falsely precise number:
 *
 *  1. Weekday weights: each weekday's mean cost over the `rhythmWeeks` weeks before today, relative
 *     to the mean of all those days (1 everywhere when fewer than two of each weekday are known, or
 *     nothing was spent). A key never used at weekends gets weight 0 there and is projected 0 there.
 *  2. Daily rate: every complete day of the month, divided by its weekday's weight (so a quiet
 *     Sunday and a busy Monday say the same thing about the level). With fewer than `minSampleDays`
 *     such days the most recent days before the month fill the sample up (basis "recent-days").
 *  3. Month end = spent on complete days + rate × the weights of the days left (today included,
 *     because today is not over). Point: the mean rate; low/high: the `lowQuantile` / `highQuantile`
 *     of the daily rates. Nothing is ever projected below what is already spent (today's part included).
 *
 * Money stays in integer µ$; days are UTC day starts (Unix seconds).
 */

export interface ForecastOptions {
  rhythmWeeks: number;
  minSampleDays: number;
  /** How far before the month the sample may reach when the month is young. */
  lookbackDays: number;
  lowQuantile: number;
  highQuantile: number;
}

export const DEFAULT_FORECAST_OPTIONS: ForecastOptions = {
  rhythmWeeks: 8,
  minSampleDays: 7,
  lookbackDays: 28,
  lowQuantile: 0.1,
  highQuantile: 0.9,
};

export interface Forecast {
  /** 'YYYY-MM' (UTC). */
  period: string;
  monthStart: number;
  /** Exclusive. */
  monthEnd: number;
  /** Start of today (UTC): days before it are complete. */
  today: number;
  /** Month so far, today's partial figure included. */
  spentMicros: Micros;
  projectedMicros: Micros;
  lowMicros: Micros;
  highMicros: Micros;
  completeDays: number;
  daysInMonth: number;
  /** How the daily rate was formed; 'none': no history at all, the projection is what is spent. */
  basis: 'month-so-far' | 'recent-days' | 'none';
  /** Days the rate was taken from. */
  sampleDays: number;
  /** Weekday weights, Sunday first (1 = an average day). */
  weights: number[];
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export const weekdayOf = (day: number) => (Math.floor(day / DAY) + 4) % 7;

export function monthOf(seconds: number): { period: string; start: number; end: number } {
  const date = new Date(seconds * 1000);
  const y = date.getUTCFullYear();
  const m = date.getUTCMonth();
  return {
    period: `${y}-${String(m + 1).padStart(2, '0')}`,
    start: Date.UTC(y, m, 1) / 1000,
    end: Date.UTC(y, m + 1, 1) / 1000,
  };
}

/** Linear-interpolated quantile of a non-empty list. */
export function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Weekday weights from the days of [from, to) at or after knownFrom. */
export function weekdayWeights(daily: ReadonlyMap<number, Micros>, from: number, to: number, knownFrom: number): number[] {
  const sums = Array.from({ length: 7 }, () => 0);
  const counts = Array.from({ length: 7 }, () => 0);
  for (let day = Math.max(from, knownFrom); day < to; day += DAY) {
    const w = weekdayOf(day);
    sums[w]! += daily.get(day) ?? 0;
    counts[w]! += 1;
  }
  const total = sums.reduce((a, b) => a + b, 0);
  const days = counts.reduce((a, b) => a + b, 0);
  if (counts.some((c) => c < 2) || total <= 0) return Array.from({ length: 7 }, () => 1);
  const mean = total / days;
  return sums.map((s, i) => s / counts[i]! / mean);
}

export function forecastMonth(
  daily: ReadonlyMap<number, Micros>,
  window: { now: number; knownFrom: number | null },
  overrides: Partial<ForecastOptions> = {},
): Forecast {
  const options = { ...DEFAULT_FORECAST_OPTIONS, ...overrides };
  const today = startOfUtcDay(window.now);
  const month = monthOf(today);
  const daysInMonth = Math.round((month.end - month.start) / DAY);
  const completeDays = Math.round((today - month.start) / DAY);
  let spentComplete = 0;
  for (let day = month.start; day < today; day += DAY) spentComplete += daily.get(day) ?? 0;
  const spent = spentComplete + (daily.get(today) ?? 0);
  const base = {
    period: month.period,
    monthStart: month.start,
    monthEnd: month.end,
    today,
    spentMicros: spent,
    completeDays,
    daysInMonth,
  };
  const flat = {
    ...base,
    projectedMicros: spent,
    lowMicros: spent,
    highMicros: spent,
    basis: 'none' as const,
    sampleDays: 0,
    weights: Array(7).fill(1),
  };
  if (window.knownFrom === null) return flat;
  const knownFrom = startOfUtcDay(window.knownFrom);

  const weights = weekdayWeights(daily, today - options.rhythmWeeks * 7 * DAY, today, knownFrom);
  const rate = (day: number): number | null => {
    const w = weights[weekdayOf(day)]!;
    return w > 0 ? (daily.get(day) ?? 0) / w : null;
  };

  const sample: number[] = [];
  for (let day = Math.max(month.start, knownFrom); day < today; day += DAY) {
    const r = rate(day);
    if (r !== null) sample.push(r);
  }
  const fromMonth = sample.length;
  for (
    let day = month.start - DAY;
    sample.length < options.minSampleDays && day >= month.start - options.lookbackDays * DAY && day >= knownFrom;
    day -= DAY
  ) {
    const r = rate(day);
    if (r !== null) sample.push(r);
  }
  if (sample.length === 0) return { ...flat, weights };

  let remainingWeight = 0;
  for (let day = today; day < month.end; day += DAY) remainingWeight += weights[weekdayOf(day)]!;
  const mean = sample.reduce((a, b) => a + b, 0) / sample.length;
  const project = (dailyRate: number) => Math.max(spent, Math.round(spentComplete + dailyRate * remainingWeight));
  const projected = project(mean);
  return {
    ...base,
    projectedMicros: projected,
    lowMicros: Math.min(projected, project(quantile(sample, options.lowQuantile))),
    highMicros: Math.max(projected, project(quantile(sample, options.highQuantile))),
    basis: fromMonth >= options.minSampleDays ? 'month-so-far' : 'recent-days',
    sampleDays: sample.length,
    weights,
  };
}

/** Sums cost cells into one daily series (µ$ per UTC day start). */
export function dailySeries(cells: Iterable<{ day: number; micros: Micros }>): Map<number, Micros> {
  const out = new Map<number, Micros>();
  for (const cell of cells) {
    const day = startOfUtcDay(cell.day);
    out.set(day, (out.get(day) ?? 0) + cell.micros);
  }
  return out;
}
