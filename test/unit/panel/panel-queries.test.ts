import { afterEach, describe, expect, it } from 'vitest';
import { HistoryDB } from '@/lib/history/db';
import { MAX_SNAPSHOTS, panelData, recentSnapshots } from '@/lib/history/panel-queries';
import { costId, type UsageRecord } from '@/lib/usage/records';
import { DAY } from '@/lib/usage/spikes';
import { day, USD, usageRecord } from '../db-fixtures';

let db: HistoryDB;
let n = 0;
afterEach(async () => {
  db.close();
  await db.delete();
});
const open = () => {
  db = new HistoryDB(`panel-queries-${n++}`);
  return db;
};

const usage = (orgId: string, d: number, apiKeyId: string, micros: number) =>
  usageRecord({ orgId, day: d, projectId: 'p', apiKeyId, estimatedMicros: micros });

describe('panelData (background query)', () => {
  it('reads the range and the 28 days before it, for every chosen organisation, with names and sync state', async () => {
    const db = open();
    const rows: UsageRecord[] = [];
    // Org A: $10 a day from Oct 1, $60 on Dec 10. Org B: $1 a day. Plus a row far in the past and one after the range.
    for (let d = day('2025-10-01'); d < day('2025-12-15'); d += DAY) {
      rows.push(usage('A', d, 'key_a', (d === day('2025-12-10') ? 60 : 10) * USD));
      rows.push(usage('B', d, 'key_b', 1 * USD));
    }
    rows.push(usage('A', day('2026-01-05'), 'key_a', 999 * USD));
    await db.usage.bulkPut(rows);
    await db.keys.bulkPut([
      {
        id: 'A|key_a',
        orgId: 'A',
        keyId: 'key_a',
        name: 'prod',
        redactedValue: 'sk-…aaaa',
        projectId: 'p',
        ownerType: '',
        ownerName: '',
        ownerEmail: '',
        createdAt: 0,
        lastUsedAt: null,
        firstSeenAt: 0,
        lastSeenAt: 0,
        deleted: false,
      },
    ]);
    await db.syncState.put({
      orgId: 'B',
      watermark: null,
      lastSuccessAt: 1234,
      lastAttemptAt: 1300,
      lastError: { kind: 'rate-limited', detail: 'x', status: 429 },
      pending: null,
    });
    const range = { from: day('2025-12-08'), to: day('2025-12-15') };

    const data = await panelData(
      db,
      [
        { id: 'A', label: 'Alpha' },
        { id: 'B', label: 'Beta' },
      ],
      range,
    );
    expect(data.orgs).toEqual([
      { orgId: 'A', label: 'Alpha', lastSuccessAt: null, lastError: null },
      { orgId: 'B', label: 'Beta', lastSuccessAt: 1234, lastError: { kind: 'rate-limited', detail: 'x', status: 429 } },
    ]);
    expect(data.dailyCost.days).toHaveLength(7);
    expect(data.dailyCost.totals).toEqual([11, 11, 61, 11, 11, 11, 11].map((x) => x * USD));
    expect(data.dailyCost.series.map((s) => s.label)).toEqual(['prod · Alpha', 'key_b · Beta']);
    expect(data.spikes.map((s) => [s.day, s.baselineMicros, s.drivers[0]?.keyName])).toEqual([
      [day('2025-12-10'), 11 * USD, 'prod · Alpha'],
    ]);

    const onlyB = await panelData(db, [{ id: 'B', label: 'Beta' }], range);
    expect(onlyB.dailyCost.totals).toEqual(Array(7).fill(1 * USD));
    expect(onlyB.spikes).toEqual([]);
  });

  it('prefers billed cost rows stored for the day', async () => {
    const db = open();
    const d = day('2025-12-08');
    await db.usage.put(usage('A', d, 'key_a', 10 * USD));
    const cost = { orgId: 'A', day: d, projectId: 'p', apiKeyId: 'key_a', lineItem: 'gpt-4o, input' };
    await db.costs.put({ ...cost, id: costId(cost), micros: 12_500_000, currency: 'usd', quantity: null, quantityUnit: '' });
    const data = await panelData(db, [{ id: 'A', label: 'Alpha' }], { from: d, to: d + DAY });
    expect(data.dailyCost.totals).toEqual([12_500_000]);
    expect(data.dailyCost.basis).toBe('billed');
  });

  it('returns nothing to draw without organisations (zero-setup)', async () => {
    const data = await panelData(open(), [], { from: day('2025-12-08'), to: day('2025-12-15') });
    expect(data.orgs).toEqual([]);
    expect(data.dailyCost.series).toEqual([]);
    expect(data.untracked).toBeNull();
  });
});

describe('recentSnapshots', () => {
  it('returns the latest snapshots first, at most 200', async () => {
    const db = open();
    await db.snapshots.bulkAdd(
      Array.from({ length: 230 }, (_, i) => ({
        at: 1_700_000_000 + ((i * 7919) % 230) * 60,
        rangeStart: '2025-12-01',
        rangeEnd: '2025-12-31',
        rangeLabel: '',
        rows: [],
      })),
    );
    const list = await recentSnapshots(db);
    expect(list).toHaveLength(MAX_SNAPSHOTS);
    expect(list[0]!.at).toBe(1_700_000_000 + 229 * 60);
    expect(list.every((s, i) => i === 0 || list[i - 1]!.at >= s.at)).toBe(true);
  });
});
