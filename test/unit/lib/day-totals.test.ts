import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { dayTotalsOf, putCostRows, putUsageRows, refreshDayTotals } from '@/lib/history/day-totals';
import { HistoryDB } from '@/lib/history/db';
import { keyTotals } from '@/lib/history/queries';
import { type CostRecord, costId, type UsageRecord } from '@/lib/usage/records';
import { DAY } from '@/lib/usage/spikes';
import { expectRollupMatchesRows, keyTotalsFromRows } from '../day-totals-check';
import { day, USD, usageRecord } from '../db-fixtures';

const opened: HistoryDB[] = [];
afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});
const newDb = () => {
  const db = new HistoryDB(`day-totals-${Math.random()}`);
  opened.push(db);
  return db;
};

const FIRST = day('2025-11-01');
const DAYS = 40;

/** A small deterministic generator (mulberry32), so a failure can be replayed: an integer in [0, n). */
function random(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return Math.floor((((t ^ (t >>> 14)) >>> 0) / 2 ** 32) * n);
  };
}

function cost(fields: Pick<CostRecord, 'orgId' | 'day' | 'apiKeyId' | 'micros'> & Partial<CostRecord>): CostRecord {
  const row = { projectId: 'proj_a', lineItem: 'gpt-4o, input', currency: 'usd', quantity: null, quantityUnit: '', ...fields };
  return { ...row, id: costId(row) };
}

/**
 * Two organisations over 40 days with what makes per-key totals tricky: usage without a key (''),
 * a key with billed cost only, days with no cost rows (billed stays null), rows without a price
 * and billed-only rows, a credit (negative cost), a zero cost, and many keys of equal cost.
 */
function dataset(seed = 7): { usage: UsageRecord[]; costs: CostRecord[] } {
  const r = random(seed);
  const usage: UsageRecord[] = [];
  const costs: CostRecord[] = [];
  const keys = ['', 'key_a', 'key_b', 'key_c', 'key_d', 'key_e', 'key_f'];
  for (const orgId of ['org1', 'org2']) {
    for (let i = 0; i < DAYS; i++) {
      const d = FIRST + i * DAY;
      for (const apiKeyId of keys) {
        if (r(4) === 0) continue;
        for (const model of ['gpt-4o', 'gpt-4o-mini', 'o3']) {
          if (r(3) === 0) continue;
          const kind = r(10);
          usage.push(
            usageRecord({
              orgId,
              day: d,
              projectId: `proj_${r(2)}`,
              apiKeyId,
              model,
              requests: r(50),
              inputTokens: r(10_000),
              cachedTokens: r(1_000),
              outputTokens: r(3_000),
              // Equal estimates on purpose (ties), some unpriced, some billed only.
              estimatedMicros: kind === 0 || kind === 1 ? null : (r(3) + 1) * USD,
              priceNote: kind === 0 ? 'unknown-model' : kind === 1 ? 'billed-only' : '',
              endpoint: kind === 1 ? 'images' : 'completions',
            }),
          );
        }
        if (i % 3 !== 0 && r(2) === 0) costs.push(cost({ orgId, day: d, apiKeyId, micros: r(5) * USD }));
      }
      if (i % 5 === 0) costs.push(cost({ orgId, day: d, apiKeyId: 'key_billed_only', lineItem: 'fine-tuning', micros: 3 * USD }));
      if (i === 11) costs.push(cost({ orgId, day: d, apiKeyId: 'key_a', lineItem: 'credit', micros: -2 * USD }));
    }
  }
  return { usage, costs };
}

async function filled(seed = 7) {
  const db = newDb();
  const { usage, costs } = dataset(seed);
  // Through the write path a sync uses, in pages, costs first for some days and last for others.
  const half = Math.floor(costs.length / 2);
  await putCostRows(db, costs.slice(0, half));
  for (let i = 0; i < usage.length; i += 250) await putUsageRows(db, usage.slice(i, i + 250));
  await putCostRows(db, costs.slice(half));
  return { db, usage, costs };
}

describe('per-day rollup (dayTotals)', () => {
  it('keyTotals from the rollup equals keyTotals from the rows, order included, for every kind of range', async () => {
    const { db } = await filled();
    await expectRollupMatchesRows(db);
    const last = FIRST + DAYS * DAY;
    const ranges: Array<[number, number]> = [
      [FIRST, last],
      [FIRST - 30 * DAY, last + 30 * DAY],
      [last - 30 * DAY, last],
      [FIRST + 3 * DAY, FIRST + 4 * DAY],
      [FIRST + 12 * DAY, FIRST + 12 * DAY], // empty
      [last + DAY, last + 9 * DAY], // no data
      [FIRST + 5 * DAY + 3600, FIRST + 20 * DAY - 1], // not on day starts: same days as the row query
    ];
    const r = random(3);
    for (let i = 0; i < 20; i++) {
      const from = FIRST + r(DAYS) * DAY;
      ranges.push([from, from + (1 + r(DAYS)) * DAY]);
    }
    for (const orgId of ['org1', 'org2', 'nobody']) {
      for (const [from, to] of ranges) {
        const expected = await keyTotalsFromRows(db, orgId, from, to);
        expect(await keyTotals(db, orgId, from, to), `${orgId} ${from}–${to}`).toEqual(expected);
      }
    }
    // The dataset really has the cases it is meant to have.
    const all = await keyTotals(db, 'org1', FIRST, last);
    expect(all.find((t) => t.apiKeyId === '')).toBeDefined();
    expect(all.find((t) => t.apiKeyId === 'key_billed_only')).toMatchObject({ requests: 0, billedMicros: 24 * USD });
    expect(all.some((t) => t.unpricedRows > 0)).toBe(true);
    const oneDay = await keyTotals(db, 'org1', FIRST, FIRST + DAY);
    expect(oneDay.some((t) => t.billedMicros === null)).toBe(true);
    const costsOf = oneDay.map((t) => t.billedMicros ?? t.estimatedMicros);
    expect(new Set(costsOf).size).toBeLessThan(costsOf.length); // ties, whose order must match too
  });

  it('a rewrite of existing rows (a refetched day) replaces that day’s totals, not adds to them', async () => {
    const { db, usage, costs } = await filled();
    const changedDay = FIRST + 7 * DAY;
    const before = await keyTotals(db, 'org1', changedDay, changedDay + DAY);
    await putUsageRows(
      db,
      usage.filter((u) => u.orgId === 'org1' && u.day === changedDay).map((u) => ({ ...u, inputTokens: u.inputTokens * 2 })),
    );
    await putCostRows(
      db,
      costs.filter((c) => c.orgId === 'org1' && c.day === changedDay).map((c) => ({ ...c, micros: 0 })),
    );
    await expectRollupMatchesRows(db);
    const after = await keyTotals(db, 'org1', changedDay, changedDay + DAY);
    expect(after).toEqual(await keyTotalsFromRows(db, 'org1', changedDay, changedDay + DAY));
    const input = (ts: typeof before) => ts.reduce((n, t) => n + t.inputTokens, 0);
    expect(input(after)).toBe(2 * input(before));
  });

  it('a day whose rows are all gone loses its record; a day is recomputed, never patched', async () => {
    const db = newDb();
    const d = day('2026-01-05');
    const row = usageRecord({ orgId: 'o', day: d, projectId: 'p', apiKeyId: 'k', estimatedMicros: 5 });
    await putUsageRows(db, [row]);
    expect(await db.dayTotals.get(['o', d])).toMatchObject({ keys: ['k'], usageKeys: 1, estimatedMicros: [5], billedMicros: [null] });
    await db.transaction('rw', [db.usage, db.costs, db.dayTotals], async () => {
      await db.usage.delete(row.id);
      await refreshDayTotals(db, 'o', [d]);
    });
    expect(await db.dayTotals.count()).toBe(0);
  });

  it('refuses to refresh outside a transaction (the rollup must commit with the rows)', async () => {
    const db = newDb();
    await expect(refreshDayTotals(db, 'o', [day('2026-01-05')])).rejects.toThrow(/inside the transaction/);
  });

  it('dayTotalsOf: usage keys first in row order, then billed-only keys; null when the day is empty', () => {
    const d = day('2026-01-05');
    const u = (apiKeyId: string, estimatedMicros: number | null) =>
      usageRecord({ orgId: 'o', day: d, projectId: 'p', apiKeyId, estimatedMicros, model: `m${estimatedMicros}` });
    const record = dayTotalsOf('o', d, [u('b', 1), u('a', null), u('b', 2)], [cost({ orgId: 'o', day: d, apiKeyId: 'z', micros: 9 })]);
    expect(record).toEqual({
      orgId: 'o',
      day: d,
      keys: ['b', 'a', 'z'],
      usageKeys: 2,
      requests: [2, 1, 0],
      inputTokens: [20, 10, 0],
      cachedTokens: [0, 0, 0],
      outputTokens: [10, 5, 0],
      estimatedMicros: [3, 0, 0],
      unpricedRows: [0, 1, 0],
      billedMicros: [null, null, 9],
    });
    expect(dayTotalsOf('o', d, [], [])).toBeNull();
  });
});
