import { describe, expect, it } from 'vitest';
import { forecastMonth, monthOf, quantile, weekdayOf, weekdayWeights } from '@/lib/usage/forecast';
import { DAY } from '@/lib/usage/spikes';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const USD = 1_000_000;
const isWeekend = (d: number) => weekdayOf(d) === 0 || weekdayOf(d) === 6;

/** µ$ per day from `from` to `to` (exclusive), by a rule. */
function series(from: string, to: string, rule: (d: number) => number): Map<number, number> {
  const out = new Map<number, number>();
  for (let d = day(from); d < day(to); d += DAY) out.set(d, Math.round(rule(d) * USD));
  return out;
}
const sumOver = (from: string, to: string, rule: (d: number) => number) => {
  let total = 0;
  for (let d = day(from); d < day(to); d += DAY) total += Math.round(rule(d) * USD);
  return total;
};

describe('forecastMonth', () => {
  it('a flat $10 a day projects exactly the month, with no spread', () => {
    const daily = series('2026-05-01', '2026-06-11', () => 10);
    daily.set(day('2026-06-11'), 4 * USD); // today, partial
    const f = forecastMonth(daily, { now: day('2026-06-11') + 12 * 3600, knownFrom: day('2026-05-01') });
    expect(f).toMatchObject({
      period: '2026-06',
      completeDays: 10,
      daysInMonth: 30,
      spentMicros: 104 * USD,
      projectedMicros: 300 * USD,
      lowMicros: 300 * USD,
      highMicros: 300 * USD,
      basis: 'month-so-far',
      sampleDays: 10,
    });
    expect(f.weights).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it.each([
    ['weekdays $10, weekends $4', (d: number) => (isWeekend(d) ? 4 : 10)],
    ['weekdays $25, weekends nothing (a key idle at weekends)', (d: number) => (isWeekend(d) ? 0 : 25)],
    ['a Monday peak', (d: number) => (weekdayOf(d) === 1 ? 40 : 8)],
  ])('a steady weekly rhythm (%s) is projected day by day, not as a straight line', (_, rule) => {
    const daily = series('2026-04-01', '2026-06-11', rule);
    const f = forecastMonth(daily, { now: day('2026-06-11') + 60, knownFrom: day('2026-04-01') });
    const truth = sumOver('2026-06-01', '2026-07-01', rule);
    expect(Math.abs(f.projectedMicros - truth)).toBeLessThanOrEqual(1);
    expect(f.lowMicros).toBe(f.projectedMicros);
    expect(f.highMicros).toBe(f.projectedMicros);
    // A straight line from the month so far would be wrong for this rhythm.
    const straight = Math.round((f.spentMicros / f.completeDays) * f.daysInMonth);
    expect(Math.abs(straight - truth)).toBeGreaterThan(1);
  });

  it('a young month borrows the most recent days before it (basis "recent-days")', () => {
    // Eight days of history: too few for a weekly rhythm, so every weekday weighs 1.
    const daily = series('2026-05-25', '2026-06-02', (d) => (d < day('2026-06-01') ? 10 : 12));
    const f = forecastMonth(daily, { now: day('2026-06-02') + 3600, knownFrom: day('2026-05-25') });
    expect(f.weights).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(f.basis).toBe('recent-days');
    expect(f.sampleDays).toBe(7);
    expect(f.completeDays).toBe(1);
    // June 1 ($12) + 29 days at the sample's mean ((6 × 10 + 12) / 7).
    expect(f.projectedMicros).toBe(Math.round(12 * USD + ((6 * 10 + 12) / 7) * USD * 29));
    expect(f.lowMicros).toBeLessThan(f.projectedMicros);
    expect(f.highMicros).toBeGreaterThan(f.projectedMicros);
  });

  it('noisy days give a range around the point, never below what is already spent', () => {
    const noisy = (d: number) => 5 + (((d / DAY) * 7919) % 13);
    const daily = series('2026-03-01', '2026-06-21', noisy);
    daily.set(day('2026-06-21'), 30 * USD);
    const f = forecastMonth(daily, { now: day('2026-06-21') + 100, knownFrom: day('2026-03-01') });
    expect(f.lowMicros).toBeLessThan(f.projectedMicros);
    expect(f.highMicros).toBeGreaterThan(f.projectedMicros);
    expect(f.lowMicros).toBeGreaterThanOrEqual(f.spentMicros);
    expect(f.spentMicros).toBe(sumOver('2026-06-01', '2026-06-21', noisy) + 30 * USD);
  });

  it.each([
    ['no history at all', null, new Map<number, number>()],
    ['history starting today', day('2026-06-11'), new Map([[day('2026-06-11'), 7 * USD]])],
  ])('%s: only what is spent, basis "none"', (_, knownFrom, daily) => {
    const f = forecastMonth(daily, { now: day('2026-06-11') + 10, knownFrom });
    expect(f).toMatchObject({ basis: 'none', projectedMicros: f.spentMicros, lowMicros: f.spentMicros, highMicros: f.spentMicros });
  });

  it('the last day of the month projects what is spent plus the rest of today', () => {
    const daily = series('2026-05-01', '2026-07-01', () => 10);
    const f = forecastMonth(daily, { now: day('2026-06-30') + 3600, knownFrom: day('2026-05-01') });
    expect(f.projectedMicros).toBe(300 * USD);
  });
});

describe('forecast helpers', () => {
  it.each([
    ['2026-02-14', '2026-02', 28],
    ['2028-02-29', '2028-02', 29],
    ['2026-12-31', '2026-12', 31],
  ])('monthOf(%s)', (iso, period, days) => {
    const m = monthOf(day(iso) + 5000);
    expect(m.period).toBe(period);
    expect((m.end - m.start) / DAY).toBe(days);
  });

  it('weekday weights are relative to the mean, and 1 everywhere without two of each weekday', () => {
    const rhythm = series('2026-05-04', '2026-05-18', (d) => (isWeekend(d) ? 2 : 9));
    const w = weekdayWeights(rhythm, day('2026-05-04'), day('2026-05-18'), 0);
    const mean = (5 * 9 + 2 * 2) / 7;
    expect(w[0]).toBeCloseTo(2 / mean);
    expect(w[3]).toBeCloseTo(9 / mean);
    expect(weekdayWeights(rhythm, day('2026-05-04'), day('2026-05-15'), 0)).toEqual([1, 1, 1, 1, 1, 1, 1]);
  });

  it('quantile interpolates', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([10, 20], 0.1)).toBe(11);
  });
});
