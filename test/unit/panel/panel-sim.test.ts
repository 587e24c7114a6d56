// @vitest-environment node
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryDB } from '@/lib/history/db';
import { panelData } from '@/lib/history/panel-queries';
import { createAdminClient } from '@/lib/openai/client';
import { runSync } from '@/lib/sync/run';
import { describeSpike } from '@/lib/usage/spikes';
import { createMockApi } from '../../sim/api/index';
import { mockFetch } from '../../sim/fetch-adapter';
import { createOrg, DEMO_ADMIN_KEY, HOLIDAY_SPIKE, utcDay } from '../../sim/seed';

const NOW = utcDay('2026-01-20') + 12 * 3600;
let db: HistoryDB | undefined;
afterEach(async () => {
  db?.close();
  if (db) await Dexie.delete(db.name);
});

describe('the panel over a synced simulated org', { timeout: 60_000 }, () => {
  it('finds the holiday spike and names the key and model behind it', async () => {
    const org = createOrg();
    const api = createMockApi(org, { now: () => NOW });
    db = new HistoryDB(`panel-sim-${Math.random()}`);
    const client = createAdminClient({ apiKey: DEMO_ADMIN_KEY, fetch: mockFetch(api), sleep: async () => {}, maxAttempts: 2 });
    const outcome = await runSync({ db, client, orgId: 'org1', now: NOW, backfillDays: 90 });
    expect(outcome.status).toBe('done');

    const data = await panelData(db, [{ id: 'org1', label: 'Sim' }], { from: utcDay('2025-12-15'), to: utcDay('2026-01-11') });
    const spikeKey = org.keys.find((k) => k.id === HOLIDAY_SPIKE.keyId)!;
    // Every holiday day, weekdays included (the org as a whole is only ~1.5× up on those), and no other day.
    const holidayDays = Array.from({ length: (HOLIDAY_SPIKE.to - HOLIDAY_SPIKE.from) / 86_400 }, (_, i) => HOLIDAY_SPIKE.from + i * 86_400);
    expect(data.spikes.map((s) => s.day)).toEqual(holidayDays);
    expect(data.spikes.some((s) => s.trigger === 'pair')).toBe(true);
    for (const spike of data.spikes) {
      expect(spike.day).toBeGreaterThanOrEqual(HOLIDAY_SPIKE.from);
      expect(spike.day).toBeLessThan(HOLIDAY_SPIKE.to);
      expect(describeSpike(spike)).toContain(`${spikeKey.name} on ${HOLIDAY_SPIKE.model}`);
      expect(spike.drivers[0]).toMatchObject({ apiKeyId: HOLIDAY_SPIKE.keyId, keyName: spikeKey.name, model: HOLIDAY_SPIKE.model });
    }
    // Every day of the series adds up to the day's total.
    data.dailyCost.totals.forEach((total, i) => {
      expect(data.dailyCost.series.reduce((sum, s) => sum + s.micros[i]!, 0)).toBe(total);
    });
  });

  it('flags no day outside the holiday over a whole year of the seed (weekly rhythm, growth, noise, idle keys)', async () => {
    const org = createOrg();
    const api = createMockApi(org, { now: () => NOW });
    db = new HistoryDB(`panel-sim-${Math.random()}`);
    const client = createAdminClient({ apiKey: DEMO_ADMIN_KEY, fetch: mockFetch(api), sleep: async () => {}, maxAttempts: 2 });
    expect((await runSync({ db, client, orgId: 'org1', now: NOW, backfillDays: 365 })).status).toBe('done');

    const data = await panelData(db, [{ id: 'org1', label: 'Sim' }], { from: utcDay('2025-02-01'), to: utcDay('2026-01-20') });
    const outside = data.spikes.filter((s) => s.day < HOLIDAY_SPIKE.from || s.day >= HOLIDAY_SPIKE.to).map((s) => describeSpike(s));
    expect(outside).toEqual([]);
    expect(data.spikes).toHaveLength((HOLIDAY_SPIKE.to - HOLIDAY_SPIKE.from) / 86_400);
  });
});
