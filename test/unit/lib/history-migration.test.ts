import Dexie from 'dexie';
import { describe, expect, it } from 'vitest';
import { HistoryDB, SCHEMA_VERSIONS } from '@/lib/history/db';
import type { UsageRecord } from '@/lib/usage/records';

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
});
