// @vitest-environment node
import 'fake-indexeddb/auto';
import Dexie from 'dexie';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryDB } from '@/lib/history/db';
import { keyTotals } from '@/lib/history/queries';
import { parseMicros } from '@/lib/money';
import { createAdminClient } from '@/lib/openai/client';
import { USAGE_ENDPOINTS } from '@/lib/openai/schemas';
import { DAY } from '@/lib/sync/plan';
import { runSync } from '@/lib/sync/run';
import { createMockApi } from '../../sim/api/index';
import { mockFetch } from '../../sim/fetch-adapter';
import { createOrg, DEMO_ADMIN_KEY, expectedKeyTotals, usageRows, utcDay } from '../../sim/seed';

const NOW = utcDay('2026-01-20') + 12 * 3600; // midday: today is partial
const TODAY = utcDay('2026-01-20');
const opened: HistoryDB[] = [];

function setup(now = NOW) {
  const api = createMockApi(createOrg(), { now: () => now });
  const db = new HistoryDB(`sync-${Math.random()}`);
  opened.push(db);
  const client = createAdminClient({ apiKey: DEMO_ADMIN_KEY, fetch: mockFetch(api), sleep: async () => {}, maxAttempts: 2 });
  const deps = { db, client, orgId: 'org1', now, backfillDays: 90 };
  return { api, db, deps };
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

async function snapshot(db: HistoryDB) {
  return { usage: await db.usage.orderBy('id').toArray(), costs: await db.costs.orderBy('id').toArray() };
}

describe('sync against the mock Admin API', { timeout: 60_000 }, () => {
  it('backfills 90 days; per-key totals equal the seed (tokens exactly, billed cost to the cent)', async () => {
    const { db, deps, api } = setup();
    expect(await runSync(deps)).toMatchObject({ status: 'done' });
    const from = TODAY - 89 * DAY;
    const to = TODAY; // whole days only: the seed's ground truth is per whole day
    const truth = expectedKeyTotals(api.org, from, to);
    // The seed's truth counts completions tokens; Keymeter's columns add embeddings and moderations input.
    for (const endpoint of ['embeddings', 'moderations'] as const) {
      for (const row of usageRows(api.org, endpoint, from, to)) {
        const entry = truth.find((t) => t.api_key_id === row.api_key_id);
        if (entry) entry.input_tokens += row.metrics.input_tokens ?? 0;
      }
    }
    const ours = new Map((await keyTotals(db, 'org1', from, to)).map((t) => [t.apiKeyId || null, t]));
    expect(truth.length).toBeGreaterThan(10);
    for (const expected of truth) {
      const got = ours.get(expected.api_key_id);
      expect(got, `key ${expected.api_key_id}`).toBeDefined();
      expect({ input: got?.inputTokens, cached: got?.cachedTokens, output: got?.outputTokens }).toEqual({
        input: expected.input_tokens,
        cached: expected.cached_tokens,
        output: expected.output_tokens,
      });
      // Each stored amount is rounded to the micro-dollar: totals agree to well under a cent.
      expect(Math.abs((got?.billedMicros ?? 0) - parseMicros(expected.cost))).toBeLessThan(5_000);
    }
  });

  it('makes a handful of requests per endpoint, ≥25× fewer than one per day', async () => {
    const { deps, api } = setup();
    await runSync(deps);
    const dataRequests = api.log.filter((e) => /usage|costs/.test(e.path)).length;
    const perDay = 90 * (USAGE_ENDPOINTS.length + 1);
    expect(dataRequests).toBeLessThanOrEqual(3 * USAGE_ENDPOINTS.length + 1);
    expect(perDay / api.log.length).toBeGreaterThanOrEqual(25);
  });

  it('makes no request when synced less than 5 minutes ago, unless forced', async () => {
    const { deps, api } = setup();
    await runSync(deps);
    const before = api.log.length;
    expect(await runSync({ ...deps, now: NOW + 60 })).toEqual({ status: 'skipped-fresh' });
    expect(api.log.length).toBe(before);
    await runSync({ ...deps, now: NOW + 60 }, { force: true });
    expect(api.log.length).toBeGreaterThan(before);
  });

  it('gives the same rows when run twice', async () => {
    const { db, deps } = setup();
    await runSync(deps);
    const first = await snapshot(db);
    await runSync(deps, { force: true });
    expect(await snapshot(db)).toEqual(first);
  });

  it('fetches only from the watermark less two days on the next run', async () => {
    const { deps, api } = setup();
    await runSync(deps);
    api.reset();
    await runSync({ ...deps, now: NOW + DAY });
    const starts = api.log.filter((e) => e.path.includes('/usage/')).map((e) => Number(new URLSearchParams(e.query).get('start_time')));
    expect(new Set(starts)).toEqual(new Set([TODAY - 2 * DAY]));
  });

  it('a sync stopped half-way and resumed gives the same rows as one uninterrupted sync', async () => {
    const reference = setup();
    await runSync(reference.deps);
    const expected = await snapshot(reference.db);

    const { db, deps, api } = setup();
    api.setFault({ endpoint: 'usage/audio_speeches', kind: '500' });
    const failed = await runSync(deps);
    expect(failed).toMatchObject({ status: 'failed', error: { kind: 'server' } });
    const state = await db.syncState.get('org1');
    expect(state?.pending?.steps.filter((s) => s.done).length).toBeGreaterThan(2);
    expect(state?.lastError?.kind).toBe('server');

    api.clearFaults();
    api.reset();
    expect(await runSync(deps)).toMatchObject({ status: 'done' });
    // Resumed: completed endpoints were not fetched again.
    expect(api.log.some((e) => e.path.endsWith('/usage/completions'))).toBe(false);
    expect(await snapshot(db)).toEqual(expected);
  });

  it('keeps a deleted key with its name, marked deleted', async () => {
    const { db, deps, api } = setup();
    await runSync(deps);
    const victim = api.org.keys.find((k) => k.deleted_at === null && !k.legacy)!;
    victim.deleted_at = NOW;
    await runSync({ ...deps, now: NOW + 600 });
    expect(await db.keys.get(`org1|${victim.id}`)).toMatchObject({ name: victim.name, deleted: true });
  });
});
