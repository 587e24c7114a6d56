import { describe, expect, it } from 'vitest';
import { parsePanelHash } from '@/components/usage-panel';
import { allocate, buildPanelData, NO_KEY_LABEL, type PanelInput } from '@/lib/usage/panel';
import { OTHER_SERIES, panelHash } from '@/lib/usage/panel-data';
import { type CostRecord, costId, type UsageRecord, usageId } from '@/lib/usage/records';
import { DAY } from '@/lib/usage/spikes';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const USD = 1_000_000;
const ORG = 'org-1';

function usage(partial: Partial<UsageRecord> & { day: number; apiKeyId: string }): UsageRecord {
  const base = {
    orgId: ORG,
    endpoint: 'completions' as const,
    projectId: 'proj_1',
    model: 'gpt-4o',
    batch: 'standard' as const,
    serviceTier: 'default',
    extra: '',
    ...partial,
  };
  return {
    requests: 10,
    inputTokens: 1000,
    cachedTokens: 200,
    outputTokens: 300,
    units: 0,
    estimatedMicros: 1 * USD,
    priceNote: '',
    ...base,
    id: usageId(base),
  };
}

function cost(partial: Partial<CostRecord> & { day: number; apiKeyId: string; micros: number }): CostRecord {
  const base = { orgId: ORG, projectId: 'proj_1', lineItem: 'gpt-4o, input', ...partial };
  return { currency: 'usd', quantity: null, quantityUnit: '', ...base, id: costId(base) };
}

const key = (keyId: string, name: string) => ({ orgId: ORG, keyId, name, redactedValue: `sk-…${keyId.slice(-4)}`, deleted: false });

function input(partial: Partial<PanelInput>): PanelInput {
  return {
    from: day('2025-12-01'),
    to: day('2025-12-08'),
    orgs: [{ orgId: ORG, label: 'Acme', lastSuccessAt: null, lastError: null }],
    usage: [],
    costs: [],
    keys: [],
    ...partial,
  };
}

const weekDays = Array.from({ length: 7 }, (_, i) => day('2025-12-01') + i * DAY);

describe('buildPanelData: daily cost', () => {
  it('keeps the top 5 keys and sums the rest into Other; every day adds up to its total', () => {
    const rows: UsageRecord[] = [];
    // 8 keys; key i spends (i + 1) dollars a day, with a twist on Wednesday so days differ.
    for (let i = 0; i < 8; i++) {
      for (const d of weekDays)
        rows.push(usage({ day: d, apiKeyId: `key_${i}`, estimatedMicros: (i + 1) * USD + (d === weekDays[2] ? 333_333 * i : 0) }));
    }
    const data = buildPanelData(input({ usage: rows, keys: Array.from({ length: 8 }, (_, i) => key(`key_${i}`, `name ${i}`)) }));
    const { series, totals, days } = data.dailyCost;
    expect(days).toEqual(weekDays);
    expect(series.map((s) => s.label)).toEqual(['name 7', 'name 6', 'name 5', 'name 4', 'name 3', 'Other (3 keys)']);
    expect(series.at(-1)!.apiKeyId).toBe(OTHER_SERIES);
    for (let i = 0; i < days.length; i++) {
      const sum = series.reduce((acc, s) => acc + s.micros[i]!, 0);
      expect(sum).toBe(totals[i]);
      expect(Number.isInteger(sum)).toBe(true);
    }
    expect(totals[0]).toBe(36 * USD);
    expect(totals[2]).toBe(36 * USD + 333_333 * 28);
    expect(data.totals.micros).toBe(totals.reduce((a, b) => a + b, 0));
    expect(data.dailyCost.basis).toBe('estimated');
  });

  it('has no Other series when five keys or fewer spent', () => {
    const data = buildPanelData(
      input({
        usage: [usage({ day: weekDays[0]!, apiKeyId: 'key_a', estimatedMicros: 2 * USD }), usage({ day: weekDays[1]!, apiKeyId: '' })],
      }),
    );
    expect(data.dailyCost.series.map((s) => s.label)).toEqual(['key_a', NO_KEY_LABEL]);
  });

  it('prefers billed cost where the Costs API has the day, else the estimate', () => {
    const rows = weekDays.map((d) => usage({ day: d, apiKeyId: 'key_a', estimatedMicros: 10 * USD }));
    // Costs for the first 5 days only (the Costs API lags): two line items on Monday.
    const costs = weekDays
      .slice(0, 5)
      .flatMap((d) =>
        d === weekDays[0]
          ? [
              cost({ day: d, apiKeyId: 'key_a', micros: 12_340_000 }),
              cost({ day: d, apiKeyId: 'key_a', lineItem: 'gpt-4o, output', micros: 1_000_001 }),
            ]
          : [cost({ day: d, apiKeyId: 'key_a', micros: 11 * USD })],
      );
    const data = buildPanelData(input({ usage: rows, costs, keys: [key('key_a', 'prod')] }));
    expect(data.dailyCost.series[0]!.micros).toEqual([13_340_001, 11 * USD, 11 * USD, 11 * USD, 11 * USD, 10 * USD, 10 * USD]);
    expect(data.dailyCost.dayBasis).toEqual(['billed', 'billed', 'billed', 'billed', 'billed', 'estimated', 'estimated']);
    expect(data.dailyCost.basis).toBe('mixed');
  });

  it('uses billed cost for keys the Costs API lists and drops estimates of that day (billed wins per day)', () => {
    const d = weekDays[0]!;
    const data = buildPanelData(
      input({
        usage: [
          usage({ day: d, apiKeyId: 'key_a', estimatedMicros: 5 * USD }),
          usage({ day: d, apiKeyId: 'key_b', estimatedMicros: 7 * USD }),
        ],
        costs: [
          cost({ day: d, apiKeyId: 'key_a', micros: 6 * USD }),
          cost({ day: d, apiKeyId: '', lineItem: 'Vector storage', micros: 1 * USD }),
        ],
      }),
    );
    const byLabel = Object.fromEntries(data.dailyCost.series.map((s) => [s.label, s.micros[0]]));
    expect(byLabel).toEqual({ key_a: 6 * USD, [NO_KEY_LABEL]: 1 * USD });
    expect(data.dailyCost.basis).toBe('billed');
  });

  it('falls back to estimates when the org’s Costs API has no per-key costs (pre-2026 spec)', () => {
    const d = weekDays[0]!;
    const data = buildPanelData(
      input({
        usage: [usage({ day: d, apiKeyId: 'key_a', estimatedMicros: 5 * USD })],
        costs: [cost({ day: d, apiKeyId: '', micros: 9 * USD })],
      }),
    );
    expect(data.dailyCost.series.map((s) => [s.label, s.micros[0]])).toEqual([['key_a', 5 * USD]]);
    expect(data.dailyCost.basis).toBe('estimated');
  });

  it('splits a billed key across its models by their estimated shares (for the spike drivers), exactly', () => {
    const rows: UsageRecord[] = [];
    const costs: CostRecord[] = [];
    for (let d = day('2025-11-01'); d < day('2025-12-08'); d += DAY) {
      const spike = d === day('2025-12-03');
      rows.push(usage({ day: d, apiKeyId: 'key_a', model: 'gpt-4o', estimatedMicros: spike ? 90 * USD : 9 * USD }));
      rows.push(usage({ day: d, apiKeyId: 'key_a', model: 'gpt-4o-mini', estimatedMicros: 1 * USD }));
      costs.push(cost({ day: d, apiKeyId: 'key_a', micros: spike ? 182 * USD : 20 * USD })); // billed = 2 × the estimate
    }
    const data = buildPanelData(input({ usage: rows, costs, keys: [key('key_a', 'support-assistant-prod')] }));
    expect(data.spikes).toHaveLength(1);
    const [spike] = data.spikes;
    expect(spike!.day).toBe(day('2025-12-03'));
    expect(spike!.micros).toBe(182 * USD);
    expect(spike!.baselineMicros).toBe(20 * USD);
    expect(spike!.drivers[0]).toMatchObject({
      keyName: 'support-assistant-prod',
      model: 'gpt-4o',
      deltaMicros: 162 * USD,
      apiKeyId: 'key_a',
      orgId: ORG,
    });
  });

  it('feeds the days before the range to the baseline but draws only the range', () => {
    const rows: UsageRecord[] = [];
    for (let d = day('2025-11-03'); d < day('2025-12-08'); d += DAY)
      rows.push(usage({ day: d, apiKeyId: 'key_a', estimatedMicros: (d === weekDays[3] ? 50 : 10) * USD }));
    const data = buildPanelData(input({ usage: rows }));
    expect(data.dailyCost.days).toHaveLength(7);
    expect(data.spikes.map((s) => s.day)).toEqual([weekDays[3]]);
    // Without history before the range there is no baseline for the first week: no spike claimed.
    expect(buildPanelData(input({ usage: rows.filter((r) => r.day >= weekDays[0]!) })).spikes).toEqual([]);
  });
});

describe('buildPanelData: tokens, untracked, names', () => {
  it('detects usage without a key on endpoints that report keys, and only there', () => {
    const d = weekDays[0]!;
    const tracked = buildPanelData(
      input({
        usage: [usage({ day: d, apiKeyId: 'key_a' }), usage({ day: d, apiKeyId: '', endpoint: 'vector_stores', requests: 0, units: 5 })],
      }),
    );
    expect(tracked.untracked).toBeNull();
    const untracked = buildPanelData(
      input({
        usage: [
          usage({ day: d, apiKeyId: 'key_a' }),
          usage({ day: d, apiKeyId: '', requests: 41, inputTokens: 5000, outputTokens: 700 }),
          usage({
            day: weekDays[1]!,
            apiKeyId: '',
            endpoint: 'embeddings',
            model: 'text-embedding-3-small',
            requests: 1,
            inputTokens: 10,
            outputTokens: 0,
          }),
          usage({ day: day('2025-11-20'), apiKeyId: '', requests: 1000 }), // before the range: not counted
        ],
      }),
    );
    expect(untracked.untracked).toEqual({ requests: 42, inputTokens: 5010, outputTokens: 700 });
  });

  it('sums tokens per model, largest first', () => {
    const d = weekDays[0]!;
    const data = buildPanelData(
      input({
        usage: [
          usage({ day: d, apiKeyId: 'a', model: 'gpt-4o-mini', inputTokens: 100, cachedTokens: 0, outputTokens: 10 }),
          usage({ day: d, apiKeyId: 'a', model: 'gpt-4o', inputTokens: 1000, cachedTokens: 400, outputTokens: 500 }),
          usage({ day: weekDays[1]!, apiKeyId: 'b', model: 'gpt-4o', inputTokens: 1000, cachedTokens: 100, outputTokens: 0 }),
        ],
      }),
    );
    expect(data.tokensByModel).toEqual([
      { model: 'gpt-4o', requests: 20, inputTokens: 2000, cachedTokens: 500, outputTokens: 500 },
      { model: 'gpt-4o-mini', requests: 10, inputTokens: 100, cachedTokens: 0, outputTokens: 10 },
    ]);
    expect(data.totals).toMatchObject({ requests: 30, inputTokens: 2100, cachedTokens: 500, outputTokens: 510 });
  });

  it('counts unpriced rows on estimated days', () => {
    const d = weekDays[0]!;
    const data = buildPanelData(
      input({ usage: [usage({ day: d, apiKeyId: 'a', model: 'mystery-1', estimatedMicros: null, priceNote: 'unknown model' })] }),
    );
    expect(data.unpricedRows).toBe(1);
  });

  it('names keys from the key lists, marks deleted ones and tells same-named keys apart; markup stays text', () => {
    const d = weekDays[0]!;
    const data = buildPanelData(
      input({
        usage: [
          usage({ day: d, apiKeyId: 'key_1111', estimatedMicros: 3 * USD }),
          usage({ day: d, apiKeyId: 'key_2222', estimatedMicros: 2 * USD }),
          usage({ day: d, apiKeyId: 'key_3333', estimatedMicros: 1 * USD }),
        ],
        keys: [key('key_1111', 'prod'), key('key_2222', 'prod'), { ...key('key_3333', '<img src=x onerror=alert(1)>'), deleted: true }],
      }),
    );
    expect(data.dailyCost.series.map((s) => s.label)).toEqual([
      'prod (sk-…1111)',
      'prod (sk-…2222)',
      '<img src=x onerror=alert(1)> (deleted)',
    ]);
  });
});

describe('allocate', () => {
  it('splits exactly, in proportion, whatever the sizes', () => {
    expect(allocate(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(allocate(-10, [3, 1])).toEqual([-8, -2]);
    expect(allocate(7, [0, 0])).toEqual([7, 0]);
    const big = allocate(9_000_000_000_001, [2 ** 40, 3 ** 20, 12_345]);
    expect(big.reduce((a, b) => a + b, 0)).toBe(9_000_000_000_001);
  });
});

describe('the iframe hash', () => {
  it('round-trips through panelHash and parsePanelHash', () => {
    const range = { from: day('2025-12-15'), to: day('2026-01-11'), label: 'Dec 15, 2025 – Jan 10, 2026 & more', source: 'page' as const };
    expect(parsePanelHash(panelHash(range))).toEqual({ ok: true, range });
    expect(parsePanelHash(`#from=${range.from}&to=${range.to}&label=Last%2030%20days&source=default`)).toEqual({
      ok: true,
      range: { from: range.from, to: range.to, label: 'Last 30 days', source: 'default' },
    });
  });

  it('explains what is wrong with a bad hash', () => {
    expect(parsePanelHash('')).toMatchObject({ ok: false, error: expect.stringContaining('the start (from) is missing') });
    expect(parsePanelHash('#from=abc&to=1')).toMatchObject({ ok: false, error: expect.stringContaining('Unix time in seconds') });
    expect(parsePanelHash('#from=200&to=100')).toMatchObject({ ok: false, error: 'the range must end after it starts' });
    expect(parsePanelHash('#from=100&to=200&source=evil')).toMatchObject({ ok: false, error: expect.stringContaining('source must be') });
  });
});
