/**
 * Time buckets and how a day's usage lands in them.
 *
 * Layout ('utc', like OpenAI's real output): bucket 0 = [start_time, next width boundary), then
 * boundary-aligned buckets; the last one is cut at end_time. ('start': [start + k·w, start + (k+1)·w).)
 *
 * Attribution: a day's usage is spread over its 24 hours with a fixed office-hours curve, and an
 * hour's over its 60 minutes, both in whole numbers that add up exactly. Only the portions that
 * are needed are computed: a day wholly inside one bucket is taken whole. A portion counts once it
 * has ended (t + length ≤ now), so buckets at/after now are empty. Gauges (vector store bytes)
 * are not spread: a day's value sits at the day's 00:00.
 */
import { DAY, type SimUsageRow, type UsageEndpoint } from '../model';
import { completionsMetrics, hash32 } from '../seed';
import { DRIVER_METRIC } from './routes';

export interface Layout {
  start: number;
  end: number;
  width: number;
  /** Start of bucket 1 minus one width (bucket k ≥ 1 starts at base + k·width). */
  base: number;
}

export function makeLayout(start: number, end: number, width: number, alignment: 'utc' | 'start'): Layout {
  return { start, end, width, base: alignment === 'utc' ? Math.floor(start / width) * width : start };
}

export const bucketStart = (l: Layout, k: number): number => (k === 0 ? l.start : l.base + k * l.width);
export const bucketEnd = (l: Layout, k: number): number => Math.min(bucketStart(l, k + 1), l.end);
export const bucketExists = (l: Layout, k: number): boolean => k >= 0 && bucketStart(l, k) < l.end;

/** Index of the bucket holding instant t, or -1 outside [start, end). */
export function bucketIndexOf(l: Layout, t: number): number {
  if (t < l.start || t >= l.end) return -1;
  const k = Math.floor((t - l.base) / l.width);
  return Math.max(0, k);
}

/** Split total into integers proportional to weights that sum exactly to total (largest remainder). */
export function splitInt(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0 || total === 0) return weights.map(() => 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = weights.map((w, i) => ({ i, rest: (total * w) % sum })).sort((a, b) => b.rest - a.rest || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] = (parts[i] ?? 0) + 1;
    left--;
  }
  return parts;
}

/** Relative traffic per UTC hour: quiet nights, busy office hours. */
const HOUR_WEIGHTS = [2, 1, 1, 1, 1, 2, 3, 5, 8, 10, 11, 11, 10, 11, 11, 10, 9, 8, 6, 5, 4, 3, 3, 2];
/** Minutes within an hour: mildly uneven, fixed per hour. */
const minuteWeights = (hourStart: number): number[] => Array.from({ length: 60 }, (_, m) => 8 + (hash32(`minute|${hourStart}|${m}`) % 5));

/** Splits a row's metrics over sub-periods: requests by the weights, every other metric by the requests. */
function splitMetrics(endpoint: UsageEndpoint, metrics: Record<string, number>, weights: readonly number[]): Array<Record<string, number>> {
  const driver = DRIVER_METRIC[endpoint];
  const counts = splitInt(metrics[driver] ?? 0, weights);
  if (endpoint === 'completions') {
    // Split the independent parts, then rebuild the derived fields so cached ≤ input holds everywhere.
    const cached = splitInt(metrics.input_cached_tokens ?? 0, counts);
    const uncached = splitInt((metrics.input_tokens ?? 0) - (metrics.input_cached_tokens ?? 0), counts);
    const output = splitInt(metrics.output_tokens ?? 0, counts);
    return counts.map((n, i) => completionsMetrics(n, uncached[i] ?? 0, cached[i] ?? 0, output[i] ?? 0));
  }
  const shares = Object.fromEntries(
    Object.entries(metrics).map(([name, value]) => [name, name === driver ? counts : splitInt(value, counts)]),
  );
  return counts.map((_, i) => Object.fromEntries(Object.keys(metrics).map((name) => [name, shares[name]?.[i] ?? 0])));
}

export interface Portion {
  bucket: number;
  row: SimUsageRow;
}

/**
 * Where one day-row's usage falls: whole, or split into hours/minutes where a bucket edge, the
 * page's edge or `now` cuts through it. `range` is the page's [from, to).
 */
export function portionsOf(row: SimUsageRow, layout: Layout, range: readonly [number, number], now: number, gauge: boolean): Portion[] {
  const [from, to] = range;
  if (gauge) {
    const k = bucketIndexOf(layout, row.day);
    return row.day >= from && row.day < to && row.day < now && k >= 0 ? [{ bucket: k, row }] : [];
  }
  const out: Portion[] = [];
  const visit = (t: number, length: number, metrics: Record<string, number>) => {
    if (t + length <= from || t >= to || t >= now) return;
    const k = bucketIndexOf(layout, t);
    const whole = t >= from && t + length <= to && t + length <= now && k >= 0 && bucketIndexOf(layout, t + length - 1) === k;
    if (whole) {
      out.push({ bucket: k, row: { ...row, metrics } });
      return;
    }
    if (length <= 60) {
      // A minute is not split further: it belongs to the bucket holding its start, once it is over.
      if (t >= from && t + length <= now && k >= 0) out.push({ bucket: k, row: { ...row, metrics } });
      return;
    }
    const childLength = length === DAY ? 3600 : 60;
    const weights = length === DAY ? HOUR_WEIGHTS : minuteWeights(t);
    splitMetrics(row.endpoint, metrics, weights).forEach((part, i) => {
      if ((part[DRIVER_METRIC[row.endpoint]] ?? 0) > 0) visit(t + i * childLength, childLength, part);
    });
  };
  visit(row.day, DAY, row.metrics);
  return out;
}
