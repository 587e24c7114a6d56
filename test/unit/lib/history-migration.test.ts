import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { HistoryDB, SCHEMA_VERSIONS } from '@/lib/history/db';
import { keyTotals } from '@/lib/history/queries';
import { type CostRecord, costId, type UsageRecord } from '@/lib/usage/records';
import { expectRollupMatchesRows, keyTotalsFromRows } from '../day-totals-check';

const row = (i: number): UsageRecord => ({
  id: `org|${i}`,
  orgId: 'org',
  day: 1_767_225_600 + (i % 30) * 86_400,
  endpoint: 'completions',
  projectId: 'proj_a',
  apiKeyId: `key_${i % 7}`,
  model: 'gpt-4o',
  batch: '',
  serviceTier: 'default',
  extra: '',
  requests: i,
  inputTokens: i * 10,
  cachedTokens: i,
  outputTokens: i * 2,
  units: 0,
  estimatedMicros: i * 3,
  priceNote: '',
});

describe('history schema migrations', () => {
  it('has consecutive versions', () => {
    expect(SCHEMA_VERSIONS.map((v) => v.version)).toEqual(SCHEMA_VERSIONS.map((_, i) => i + 1));
  });

  it.each(SCHEMA_VERSIONS.slice(1).map((v) => v.version))(
    'a database written by version %i − 1 opens under %i with every row intact',
    async (next) => {
      const name = `migration-${next}-${Math.random()}`;
      const old = new HistoryDB(name, next - 1);
      const rows = Array.from({ length: 500 }, (_, i) => row(i));
      await old.usage.bulkAdd(rows);
      await old.keys.add({
        id: 'org|key_1',
        orgId: 'org',
        keyId: 'key_1',
        name: 'kept',
        redactedValue: 'sk-…abcd',
        projectId: 'p',
        ownerType: 'user',
        ownerName: 'A',
        ownerEmail: '',
        createdAt: 1,
        lastUsedAt: null,
        firstSeenAt: 1,
        lastSeenAt: 1,
        deleted: true,
      });
      old.close();

      const upgraded = new HistoryDB(name, next);
      await upgraded.open();
      expect(upgraded.verno).toBe(next);
      expect(await upgraded.usage.orderBy('id').toArray()).toEqual([...rows].sort((a, b) => a.id.localeCompare(b.id)));
      expect(await upgraded.keys.get('org|key_1')).toMatchObject({ name: 'kept', deleted: true });
      // Indexes added by the new version work on the old rows.
      const inWindow = await upgraded.usage
        .where('[orgId+apiKeyId+day]')
        .between(['org', 'key_1', Dexie.minKey], ['org', 'key_1', Dexie.maxKey])
        .count();
      expect(inWindow).toBe(rows.filter((r) => r.apiKeyId === 'key_1').length);
      upgraded.close();
      await Dexie.delete(name);
    },
  );

  it('version 4 builds the per-day rollup from the rows a version 3 database holds', async () => {
    const name = `migration-rollup-${Math.random()}`;
    const old = new HistoryDB(name, 3);
    const usage = [
      ...Array.from({ length: 500 }, (_, i) => row(i)),
      ...Array.from({ length: 40 }, (_, i) => ({ ...row(i), id: `other|${i}`, orgId: 'other' })),
      { ...row(1000), id: 'org|keyless', apiKeyId: '' },
      { ...row(1001), id: 'org|unpriced', estimatedMicros: null, priceNote: 'unknown-model' },
    ];
    const costs: CostRecord[] = Array.from({ length: 60 }, (_, i) => {
      const fields = { orgId: 'org', day: 1_767_225_600 + (i % 35) * 86_400, projectId: 'proj_a', apiKeyId: `key_${i % 9}`, lineItem: 'x' };
      return { ...fields, id: costId(fields), micros: i * 1000, currency: 'usd', quantity: null, quantityUnit: '' };
    });
    await old.usage.bulkAdd(usage);
    await old.costs.bulkAdd(costs);
    old.close();

    const upgraded = new HistoryDB(name);
    await upgraded.open();
    expect(upgraded.verno).toBe(4);
    const rollup = await expectRollupMatchesRows(upgraded);
    expect(rollup.length).toBe(35 + 30); // org: 30 days of usage, 5 more of costs only; other: 30 days
    for (const [from, to] of [
      [0, 2e9],
      [1_767_225_600 + 10 * 86_400, 1_767_225_600 + 33 * 86_400],
    ] as const) {
      expect(await keyTotals(upgraded, 'org', from, to)).toEqual(await keyTotalsFromRows(upgraded, 'org', from, to));
    }
    upgraded.close();
    await Dexie.delete(name);
  });
});
