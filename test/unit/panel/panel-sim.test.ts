// @vitest-environment node
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryDB } from '@/lib/history/db';
import { panelData } from '@/lib/history/panel-queries';
import { createAdminClient } from '@/lib/openai/client';
import { runSync } from '@/lib/sync/run';
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
    expect(data.spikes.length).toBeGreaterThan(0);
    for (const spike of data.spikes) {
      expect(spike.day).toBeGreaterThanOrEqual(HOLIDAY_SPIKE.from);
      expect(spike.day).toBeLessThan(HOLIDAY_SPIKE.to);
      expect(spike.drivers[0]).toMatchObject({ apiKeyId: HOLIDAY_SPIKE.keyId, keyName: spikeKey.name, model: HOLIDAY_SPIKE.model });
    }
    // Every day of the series adds up to the day's total.
    data.dailyCost.totals.forEach((total, i) => {
      expect(data.dailyCost.series.reduce((sum, s) => sum + s.micros[i]!, 0)).toBe(total);
    });
  });
});
