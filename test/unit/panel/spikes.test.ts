import { describe, expect, it } from 'vitest';
import type { PanelSpike } from '@/lib/usage/panel-data';
import { DAY, describeSpike, detectSpikes, median, type SpikeCell } from '@/lib/usage/spikes';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const USD = 1_000_000;

/** Cells for every day of [first, last] from a function of the day (null: no cell). */
function daily(first: string, last: string, key: string, model: string, usd: (d: number, weekday: number) => number | null): SpikeCell[] {
  const cells: SpikeCell[] = [];
  for (let d = day(first); d <= day(last); d += DAY) {
    const value = usd(d, new Date(d * 1000).getUTCDay());
    if (value !== null) cells.push({ day: d, key, model, micros: Math.round(value * USD) });
  }
  return cells;
}

const RANGE = { from: day('2025-12-01'), to: day('2026-01-01'), knownFrom: day('2025-10-01') };

describe('median', () => {
  it('is the middle value, or the rounded mean of the middle two', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 100])).toBe(4); // (3 + 4) / 2 = 3.5 → 4; the 100 does not move it
    expect(median([])).toBe(0);
  });
});

describe('detectSpikes', () => {
  it('finds a planted spike on the right day, with the key and model behind it', () => {
    const cells = [
      ...daily('2025-10-01', '2025-12-31', 'org|key_support', 'gpt-4o-2024-08-06', () => 100),
      ...daily('2025-10-01', '2025-12-31', 'org|key_batch', 'gpt-4o-mini', () => 8),
      // The holiday: support-assistant-prod spends $200 more on Dec 24, and a little more on mini.
      { day: day('2025-12-24'), key: 'org|key_support', model: 'gpt-4o-2024-08-06', micros: 200 * USD },
      { day: day('2025-12-24'), key: 'org|key_support', model: 'gpt-4o-mini', micros: 4.4 * USD },
    ];
    const spikes = detectSpikes(cells, RANGE);
    expect(spikes).toHaveLength(1);
    const [spike] = spikes;
    expect(spike!.day).toBe(day('2025-12-24'));
    expect(spike!.micros).toBe(312.4 * USD);
    expect(spike!.baselineMicros).toBe(108 * USD);
    expect(spike!.baselineKind).toBe('weekday');
    // The $4.40 rise is named only when asked for every driver however small.
    expect(spike!.drivers.map((d) => [d.key, d.model, d.deltaMicros])).toEqual([['org|key_support', 'gpt-4o-2024-08-06', 200 * USD]]);
    expect(detectSpikes(cells, RANGE, { minDriverShare: 0 })[0]!.drivers.map((d) => [d.key, d.model, d.deltaMicros])).toEqual([
      ['org|key_support', 'gpt-4o-2024-08-06', 200 * USD],
      ['org|key_support', 'gpt-4o-mini', 4.4 * USD],
    ]);
  });

  it('raises no alarm for a steady weekly rhythm with weekends at 40%', () => {
    // Weekdays around $100 (±8% deterministic wobble), weekends at 40% of that.
    const cells = daily('2025-10-01', '2025-12-31', 'org|key_a', 'gpt-4o', (d, weekday) => {
      const wobble = 1 + (((d / DAY) * 7919) % 17) / 100 - 0.08;
      return (weekday === 0 || weekday === 6 ? 40 : 100) * wobble;
    });
    expect(detectSpikes(cells, RANGE)).toEqual([]);
  });

  it('compares a day with the same weekday: busy weekend batches are normal, a busy quiet-day is not', () => {
    // Weekend batch jobs at 2.5× the weekday spend: a baseline blind to weekdays would flag every weekend.
    const weekendHeavy = daily('2025-10-01', '2025-12-31', 'org|key_a', 'gpt-4o', (_, w) => (w === 0 || w === 6 ? 250 : 100));
    expect(detectSpikes(weekendHeavy, RANGE)).toEqual([]);

    // Weekends usually at $40: a Saturday at $110 is unusual even though a weekday spends as much.
    const quietWeekends = daily('2025-10-01', '2025-12-31', 'org|key_a', 'gpt-4o', (d, w) =>
      d === day('2025-12-13') ? 110 : w === 0 || w === 6 ? 40 : 100,
    );
    const spikes = detectSpikes(quietWeekends, RANGE);
    expect(spikes.map((s) => [s.day, s.baselineMicros])).toEqual([[day('2025-12-13'), 40 * USD]]);
  });

  it('does not let an earlier spike hide a later one on the same weekday', () => {
    // Wed Dec 10 at $400, Wed Dec 17 at $250: a mean of the previous Wednesdays (175) would hide the second.
    const cells = daily('2025-10-01', '2025-12-31', 'org|key_a', 'gpt-4o', (d) =>
      d === day('2025-12-10') ? 400 : d === day('2025-12-17') ? 250 : 100,
    );
    const spikes = detectSpikes(cells, RANGE);
    expect(spikes.map((s) => s.day)).toEqual([day('2025-12-10'), day('2025-12-17')]);
    expect(spikes[1]!.baselineMicros).toBe(100 * USD);
  });

  it('flags each day of a run of high days (a holiday), not just the first', () => {
    const holiday = [day('2025-12-24'), day('2025-12-25'), day('2025-12-26')];
    const cells = daily('2025-10-01', '2025-12-31', 'org|key_a', 'gpt-4o', (d) => (holiday.includes(d) ? 300 : 100));
    expect(detectSpikes(cells, RANGE).map((s) => s.day)).toEqual(holiday);
  });

  it('does not alarm on tiny amounts (the minimum excess is configurable)', () => {
    const cells = daily('2025-10-01', '2025-12-31', 'org|key_a', 'gpt-4o', (d) => (d === day('2025-12-18') ? 5 : 1));
    expect(detectSpikes(cells, RANGE)).toEqual([]); // 5× but only $4 more
    expect(detectSpikes(cells, RANGE, { minExcessMicros: 1 * USD }).map((s) => s.day)).toEqual([day('2025-12-18')]);
  });

  it('needs 2× the baseline by default (the ratio is configurable)', () => {
    const cells = daily('2025-10-01', '2025-12-31', 'org|key_a', 'gpt-4o', (d) => (d === day('2025-12-18') ? 190 : 100));
    expect(detectSpikes(cells, RANGE)).toEqual([]);
    expect(detectSpikes(cells, RANGE, { ratio: 1.5 })).toHaveLength(1);
  });

  it('treats days before the first synced day as unknown, not as zero spend', () => {
    // History starts on Dec 1: the first week has no baseline, then the previous days serve.
    const cells = daily('2025-12-01', '2025-12-31', 'org|key_a', 'gpt-4o', (d) => (d === day('2025-12-12') ? 300 : 100));
    const spikes = detectSpikes(cells, { ...RANGE, knownFrom: day('2025-12-01') });
    expect(spikes.map((s) => [s.day, s.baselineKind, s.baselineMicros])).toEqual([[day('2025-12-12'), 'recent', 100 * USD]]);
    expect(detectSpikes(cells, { ...RANGE, knownFrom: null })).toEqual([]);
  });

  it('attributes the excess to the pairs that rose most, ignoring the ones that fell', () => {
    const spikeDay = day('2025-12-18');
    const cells = [
      ...daily('2025-10-01', '2025-12-31', 'org|a', 'gpt-4o', (d) => (d === spikeDay ? 210 : 60)),
      ...daily('2025-10-01', '2025-12-31', 'org|b', 'o3', (d) => (d === spikeDay ? 100 : 40)),
      ...daily('2025-10-01', '2025-12-31', 'org|c', 'gpt-4o-mini', (d) => (d === spikeDay ? 0 : 20)),
      ...daily('2025-10-01', '2025-12-31', 'org|d', 'gpt-4.1', (d) => (d === spikeDay ? 12 : 10)),
    ];
    const [spike] = detectSpikes(cells, RANGE, { maxDrivers: 2 });
    expect(spike!.micros).toBe(322 * USD);
    expect(spike!.baselineMicros).toBe(130 * USD);
    expect(spike!.drivers.map((d) => [d.key, d.deltaMicros])).toEqual([
      ['org|a', 150 * USD],
      ['org|b', 60 * USD],
    ]);
  });
});

describe('detectSpikes: one key far above its own usual', () => {
  const spikeDay = day('2025-12-18');
  // The org spends $200 a day; key a ($50) triples on one day: the total is only 1.5×.
  const org = (aOnSpike: number, small = 0) => [
    ...daily('2025-10-01', '2025-12-31', 'org|a', 'gpt-4o', (d) => (d === spikeDay ? aOnSpike : 50)),
    ...daily('2025-10-01', '2025-12-31', 'org|b', 'o3', () => 150),
    ...daily('2025-10-01', '2025-12-31', 'org|c', 'gpt-4o-mini', (d) => (d === spikeDay ? small : 1)),
  ];

  it('flags the day and names only that key, with its own usual', () => {
    const spikes = detectSpikes(org(150), RANGE);
    expect(spikes.map((s) => [s.day, s.trigger])).toEqual([[spikeDay, 'pair']]);
    expect(spikes[0]!.micros).toBe(300 * USD);
    expect(spikes[0]!.baselineMicros).toBe(201 * USD);
    expect(spikes[0]!.drivers).toEqual([{ key: 'org|a', model: 'gpt-4o', micros: 150 * USD, baselineMicros: 50 * USD, deltaMicros: 100 * USD }]);
  });

  it('ignores a small key jumping many times over: its rise is under a tenth of the usual day', () => {
    expect(detectSpikes(org(50, 15), RANGE)).toEqual([]); // key c: 15× its usual, but +$14 on a $201 day
    expect(detectSpikes(org(50, 15), RANGE, { pairMinShare: 0.05 }).map((s) => s.trigger)).toEqual(['pair']);
  });

  it('needs the key itself at 2× its usual', () => {
    expect(detectSpikes(org(95), RANGE)).toEqual([]); // +$45 but 1.9×
  });

  it("keeps 'total' when the day's total crosses the rule", () => {
    expect(detectSpikes(org(300), RANGE).map((s) => s.trigger)).toEqual(['total']);
  });
});

describe('describeSpike', () => {
  const spike: PanelSpike = {
    day: day('2025-12-24'),
    micros: 312_400_000,
    baselineMicros: 108_000_000,
    baselineKind: 'weekday',
    trigger: 'total',
    drivers: [
      {
        orgId: 'o',
        apiKeyId: 'key_1',
        keyName: 'support-assistant-prod',
        model: 'gpt-4o-2024-08-06',
        micros: 0,
        baselineMicros: 0,
        deltaMicros: 190_200_000,
      },
    ],
  };
  it('says the day, the amount, the ratio and who did it', () => {
    expect(describeSpike(spike)).toBe(
      'Dec 24, 2025: $312.40, 2.9× the usual $108 — mostly support-assistant-prod on gpt-4o-2024-08-06 (+$190.20)',
    );
  });
  it('names further drivers and copes with a zero baseline', () => {
    const text = describeSpike({
      ...spike,
      baselineMicros: 0,
      drivers: [
        ...spike.drivers,
        { orgId: 'o', apiKeyId: '', keyName: 'No API key', model: '', micros: 0, baselineMicros: 0, deltaMicros: 5_000_000 },
      ],
    });
    expect(text).toBe(
      'Dec 24, 2025: $312.40, against a usual $0.00 — mostly support-assistant-prod on gpt-4o-2024-08-06 (+$190.20); also No API key (+$5.00)',
    );
  });
  it("says which key and model stood out, against its own usual, when only they crossed the rule", () => {
    const text = describeSpike({
      ...spike,
      micros: 300_000_000,
      baselineMicros: 201_000_000,
      trigger: 'pair',
      drivers: [{ ...spike.drivers[0]!, micros: 150_000_000, baselineMicros: 50_000_000, deltaMicros: 100_000_000 }],
    });
    expect(text).toBe(
      'Dec 24, 2025: support-assistant-prod on gpt-4o-2024-08-06 $150.00, 3.0× its usual $50 (+$100.00) — day total $300.00, 1.5× the usual $201',
    );
  });
});
