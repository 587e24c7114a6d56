// @vitest-environment node
// biome-ignore-all lint/suspicious/noExplicitAny: tests read untyped JSON bodies
import { describe, expect, it } from 'vitest';
import { createMockApi, FAULT_HEADER, type MockApi } from './api/index';
import { type Bucket, get, walkPages } from './api/testing';
import { DAY, type SimOrg } from './model';
import {
  createOrg,
  DEMO_ADMIN_KEY,
  decimalToPico,
  E2E_ADMIN_KEY,
  expectedKeyTotals,
  HOLIDAY_SPIKE,
  picoToDecimal,
  usageRows,
  utcDay,
} from './seed';

const NOW = utcDay('2026-03-20') + 10 * 3600 + 17 * 60; // a Friday, 10:17 UTC
const fresh = (now = NOW, options: Parameters<typeof createMockApi>[1] = {}): { org: SimOrg; api: MockApi } => {
  const org = createOrg();
  return { org, api: createMockApi(org, { now: () => now, ...options }) };
};

const sumBy = (buckets: Bucket[], field: string, pick: (r: Record<string, any>) => unknown = () => 'all') => {
  const out = new Map<unknown, number>();
  for (const b of buckets) for (const r of b.results) out.set(pick(r), (out.get(pick(r)) ?? 0) + (r[field] as number));
  return out;
};

describe('usage: buckets and pagination', () => {
  const { org, api } = fresh();
  const start = utcDay('2026-01-05');
  const end = utcDay('2026-03-06'); // 60 days

  it('walks pages without gaps or duplicates and matches expectedKeyTotals', async () => {
    const { buckets, pages, cursors } = await walkPages(api, 'usage/completions', {
      start_time: start,
      end_time: end,
      group_by: ['api_key_id', 'model'],
    });
    expect(pages).toBe(Math.ceil(60 / 7));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(buckets).toHaveLength(60);
    expect(buckets[0]?.start_time).toBe(start);
    expect(buckets.at(-1)?.end_time).toBe(end);
    buckets.forEach((b, i) => {
      expect(b.end_time - b.start_time).toBe(DAY);
      if (i > 0) expect(b.start_time).toBe(buckets[i - 1]?.end_time);
    });
    for (const t of expectedKeyTotals(org, start, end)) {
      const mine = buckets.flatMap((b) => b.results).filter((r) => r.api_key_id === t.api_key_id);
      expect(
        mine.reduce((s, r) => s + r.num_model_requests, 0),
        String(t.api_key_id),
      ).toBe(t.requests);
      expect(mine.reduce((s, r) => s + r.input_tokens, 0)).toBe(t.input_tokens);
      expect(mine.reduce((s, r) => s + r.input_cached_tokens, 0)).toBe(t.cached_tokens);
      expect(mine.reduce((s, r) => s + r.output_tokens, 0)).toBe(t.output_tokens);
    }
  });

  it('walks costs pages and matches each key’s billed cost exactly', async () => {
    const { buckets } = await walkPages(api, 'costs', { start_time: start, end_time: end, group_by: ['api_key_id'], limit: 30 });
    expect(buckets).toHaveLength(60);
    const pico = new Map<string | null, bigint>();
    for (const r of buckets.flatMap((b) => b.results)) {
      expect(r.amount.currency).toBe('usd');
      pico.set(r.api_key_id, (pico.get(r.api_key_id) ?? 0n) + decimalToPico(r.amount.value.toFixed(12)));
    }
    for (const t of expectedKeyTotals(org, start, end))
      expect(picoToDecimal(pico.get(t.api_key_id) ?? 0n), String(t.api_key_id)).toBe(t.cost);
  });

  it('writes cost amounts as exact decimals in the JSON text', async () => {
    const answer = await get(api, 'costs', { start_time: start, limit: 1 });
    expect(answer.body).toMatch(/"value":\d+\.\d{12},"currency":"usd"/);
  });

  it('starts the first bucket at start_time and aligns the rest to UTC midnight', async () => {
    const s = start + 5 * 3600 + 123;
    const answer = await get(api, 'usage/completions', { start_time: s, end_time: start + 3 * DAY + 3600, limit: 7 });
    const spans = answer.json.data.map((b: Bucket) => [b.start_time, b.end_time]);
    expect(spans).toEqual([
      [s, start + DAY],
      [start + DAY, start + 2 * DAY],
      [start + 2 * DAY, start + 3 * DAY],
      [start + 3 * DAY, start + 3 * DAY + 3600],
    ]);
    // The first bucket holds only the part of the day after start_time.
    const first = answer.json.data[0].results[0].num_model_requests;
    const wholeDay = usageRows(org, 'completions', start, start + DAY).reduce((n, r) => n + (r.metrics.num_model_requests ?? 0), 0);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThan(wholeDay);
  });

  it("with bucketAlignment 'start', buckets are [start + k·w, start + (k+1)·w)", async () => {
    const { api: shifted } = fresh(NOW, { bucketAlignment: 'start' });
    const s = start + 5 * 3600;
    const answer = await get(shifted, 'usage/completions', { start_time: s, limit: 2 });
    expect(answer.json.data.map((b: Bucket) => b.start_time)).toEqual([s, s + DAY]);
    expect(answer.json.data[0].end_time).toBe(s + DAY);
  });

  it('spreads a day over hours and minutes so that every width adds up to the same totals', async () => {
    const day = utcDay('2026-02-11');
    const total = (buckets: Bucket[]) => sumBy(buckets, 'input_tokens').get('all') ?? 0;
    const byDay = (await walkPages(api, 'usage/completions', { start_time: day, end_time: day + DAY })).buckets;
    const byHour = (await walkPages(api, 'usage/completions', { start_time: day, end_time: day + DAY, bucket_width: '1h' })).buckets;
    expect(byHour).toHaveLength(24);
    expect(total(byHour)).toBe(total(byDay));
    const expected = usageRows(org, 'completions', day, day + DAY).reduce((n, r) => n + (r.metrics.input_tokens ?? 0), 0);
    expect(total(byDay)).toBe(expected);
    const hour = day + 14 * 3600;
    const byMinute = (await walkPages(api, 'usage/completions', { start_time: hour, end_time: hour + 3600, bucket_width: '1m' })).buckets;
    expect(byMinute).toHaveLength(60);
    expect(total(byMinute)).toBe(total(byHour.filter((b) => b.start_time === hour)));
    // Office hours are busier than the night.
    expect(total(byHour.filter((b) => b.start_time === day + 3 * 3600))).toBeLessThan(total(byHour.filter((b) => b.start_time === hour)));
  });

  it('treats end_time as exclusive', async () => {
    const answer = await get(api, 'usage/completions', { start_time: start, end_time: start + 2 * DAY });
    expect(answer.json.data).toHaveLength(2);
    expect(answer.json.has_more).toBe(false);
    expect(answer.json.next_page).toBeNull();
    const requests = answer.json.data.flatMap((b: Bucket) => b.results).reduce((n: number, r: any) => n + r.num_model_requests, 0);
    const expected = usageRows(org, 'completions', start, start + 2 * DAY).reduce((n, r) => n + (r.metrics.num_model_requests ?? 0), 0);
    expect(requests).toBe(expected);
  });

  it('returns empty results for buckets at or after now, and ends at now by default', async () => {
    const today = utcDay('2026-03-20');
    const ahead = await get(api, 'usage/completions', { start_time: today - DAY, end_time: today + 5 * DAY });
    const [yesterday, current, ...future] = ahead.json.data as Bucket[];
    expect(yesterday?.results.length).toBeGreaterThan(0);
    expect(current?.results.length).toBeGreaterThan(0); // hours of today that are over
    expect(current?.results[0]?.num_model_requests).toBeLessThan(yesterday?.results[0]?.num_model_requests);
    expect(future).toHaveLength(4);
    for (const b of future) expect(b.results).toEqual([]);
    const byDefault = await get(api, 'usage/completions', { start_time: today - DAY });
    expect(byDefault.json.data.at(-1).end_time).toBe(NOW);
    const later = await get(api, 'usage/completions', { start_time: NOW + 3600 });
    expect([later.status, later.json.data, later.json.has_more]).toEqual([200, [], false]);
    const costs = await get(api, 'costs', { start_time: today - DAY, end_time: today + DAY });
    expect(costs.json.data[0].results.length).toBeGreaterThan(0);
    expect(costs.json.data[1].results).toEqual([]); // today's bill is not final yet
  });
});

describe('usage: group_by and filters', () => {
  const { org, api } = fresh();
  const start = utcDay('2026-02-02');
  const q = { start_time: start, end_time: start + 3 * DAY };

  it('fills only the requested dimensions and nulls the rest', async () => {
    const none = await get(api, 'usage/completions', q);
    for (const b of none.json.data) {
      expect(b.results).toHaveLength(1);
      for (const d of ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier']) expect(b.results[0][d]).toBeNull();
    }
    const byModel = await get(api, 'usage/completions', { ...q, group_by: ['model'] });
    for (const r of byModel.json.data.flatMap((b: Bucket) => b.results)) {
      expect(r.model).toEqual(expect.any(String));
      expect([r.project_id, r.user_id, r.api_key_id, r.batch, r.service_tier]).toEqual([null, null, null, null, null]);
    }
    const total = (a: any) => a.json.data.flatMap((b: Bucket) => b.results).reduce((n: number, r: any) => n + r.output_tokens, 0);
    expect(total(byModel)).toBe(total(none));
    const bracketed = await api.handle({
      method: 'GET',
      url: new URL(
        `https://api.openai.com/v1/organization/usage/completions?start_time=${q.start_time}&end_time=${q.end_time}&group_by[]=model`,
      ),
      headers: { authorization: `Bearer ${DEMO_ADMIN_KEY}` },
    });
    expect(bracketed.body).toBe(byModel.body);
    const both = await get(api, 'usage/completions', { ...q, group_by: ['batch', 'service_tier'] });
    const combos = new Set(both.json.data.flatMap((b: Bucket) => b.results).map((r: any) => `${r.batch}/${r.service_tier}`));
    expect(combos).toEqual(new Set(['false/default', 'true/default', 'false/flex', 'false/priority']));
  });

  it('filters by key, model, project, user and batch', async () => {
    const key = org.keys.find((k) => k.name === 'api-gateway-prod');
    if (!key) throw new Error('no gateway key');
    const byKey = await get(api, 'usage/completions', { ...q, api_key_ids: [key.id], group_by: ['api_key_id', 'project_id'] });
    const rows = byKey.json.data.flatMap((b: Bucket) => b.results);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect([r.api_key_id, r.project_id]).toEqual([key.id, key.project_id]);

    const byModel = await get(api, 'usage/completions', { ...q, models: ['o3-mini-2025-01-31'], group_by: ['model'] });
    expect(new Set(byModel.json.data.flatMap((b: Bucket) => b.results).map((r: any) => r.model))).toEqual(new Set(['o3-mini-2025-01-31']));

    const user = org.users[0];
    const byUser = await get(api, 'usage/completions', { ...q, user_ids: [user?.id ?? ''], group_by: ['user_id'] });
    expect(new Set(byUser.json.data.flatMap((b: Bucket) => b.results).map((r: any) => r.user_id))).toEqual(new Set([user?.id]));

    const project = org.projects[2];
    const byProject = await get(api, 'usage/completions', { ...q, project_ids: [project?.id ?? ''], group_by: ['project_id'] });
    expect(new Set(byProject.json.data.flatMap((b: Bucket) => b.results).map((r: any) => r.project_id))).toEqual(new Set([project?.id]));

    const batchOnly = await get(api, 'usage/completions', { ...q, batch: true, group_by: ['batch'] });
    expect(new Set(batchOnly.json.data.flatMap((b: Bucket) => b.results).map((r: any) => r.batch))).toEqual(new Set([true]));

    const sizes = await get(api, 'usage/images', { ...q, sizes: ['1024x1792'], group_by: ['size', 'model'] });
    expect(new Set(sizes.json.data.flatMap((b: Bucket) => b.results).map((r: any) => `${r.size} ${r.model}`))).toEqual(
      new Set(['1024x1792 dall-e-3']),
    );
  });

  it('rejects filters and group_by values an endpoint does not have', async () => {
    expect((await get(api, 'usage/vector_stores', { ...q, models: ['x'] })).status).toBe(400);
    expect((await get(api, 'usage/embeddings', { ...q, batch: true })).status).toBe(400);
    expect((await get(api, 'usage/embeddings', { ...q, group_by: ['batch'] })).status).toBe(400);
    expect((await get(api, 'costs', { ...q, group_by: ['model'] })).status).toBe(400);
    expect((await get(api, 'costs', { ...q, models: ['gpt-4o'] })).status).toBe(400);
    expect((await get(api, 'usage/images', { ...q, sizes: ['640x480'] })).status).toBe(400);
    const answer = await get(api, 'usage/completions', { ...q, group_by: ['organization_id'] });
    expect(answer.status).toBe(400);
    expect(answer.json.error).toMatchObject({ type: 'invalid_request_error', param: 'group_by' });
  });

  it('validates time, width, limit and cursor', async () => {
    const bad = async (path: string, query: Record<string, any>, param: string) => {
      const answer = await get(api, path, query);
      expect(answer.status, JSON.stringify(query)).toBe(400);
      expect(answer.json.error.param).toBe(param);
    };
    await bad('usage/completions', { end_time: start }, 'start_time');
    await bad('usage/completions', { start_time: 'yesterday' }, 'start_time');
    await bad('usage/completions', { start_time: start, end_time: start }, 'end_time');
    await bad('usage/completions', { start_time: start, bucket_width: '1w' }, 'bucket_width');
    await bad('usage/completions', { start_time: start, limit: 32 }, 'limit');
    await bad('usage/completions', { start_time: start, bucket_width: '1h', limit: 169 }, 'limit');
    await bad('usage/completions', { start_time: start, bucket_width: '1m', limit: 1441 }, 'limit');
    await bad('usage/completions', { start_time: start, limit: 0 }, 'limit');
    await bad('costs', { start_time: start, bucket_width: '1h' }, 'bucket_width');
    await bad('costs', { start_time: start, limit: 181 }, 'limit');
    await bad('usage/completions', { start_time: start, page: 'page_AAAAAGdGxdEiJdKOAAAAAGcqsYA=' }, 'page');
    const first = await get(api, 'usage/completions', { start_time: start, limit: 1 });
    await bad('usage/embeddings', { start_time: start, limit: 1, page: first.json.next_page }, 'page');
    expect((await get(api, 'usage/completions', { start_time: start, bucket_width: '1h', limit: 168 })).status).toBe(200);
    expect((await get(api, 'costs', { start_time: start, limit: 1 })).status).toBe(200);
  });
});

describe('keys, projects, users', () => {
  it('lists projects without archived ones unless asked, as of now', async () => {
    const { org, api } = fresh();
    const archived = org.projects.find((p) => p.status === 'archived');
    const active = await get(api, 'projects');
    expect(active.json.data.map((p: any) => p.id)).not.toContain(archived?.id);
    const all = await get(api, 'projects', { include_archived: true });
    expect(all.json.data.find((p: any) => p.id === archived?.id)).toMatchObject({ status: 'archived', archived_at: archived?.archived_at });
    const before = await get(fresh(utcDay('2026-02-01')).api, 'projects');
    expect(before.json.data.find((p: any) => p.id === archived?.id)).toMatchObject({ status: 'active', archived_at: null });
  });

  it('pages keys with after/limit and filters by owner_project_access', async () => {
    const { org, api } = fresh();
    for (const project of org.projects) {
      const ids = (await get(api, `projects/${project.id}/api_keys`, { owner_project_access: 'any', limit: 100 })).json.data.map(
        (k: any) => k.id,
      );
      const walked: string[] = [];
      let after: string | undefined;
      for (;;) {
        const page = await get(api, `projects/${project.id}/api_keys`, { owner_project_access: 'any', limit: 2, after });
        expect(page.json.first_id).toBe(page.json.data[0]?.id ?? null);
        expect(page.json.last_id).toBe(page.json.data.at(-1)?.id ?? null);
        walked.push(...page.json.data.map((k: any) => k.id));
        if (!page.json.has_more) break;
        after = page.json.data.at(-1).id;
      }
      expect(walked).toEqual(ids);
      const active = (await get(api, `projects/${project.id}/api_keys`, { limit: 100 })).json.data;
      const inactive = (await get(api, `projects/${project.id}/api_keys`, { owner_project_access: 'inactive', limit: 100 })).json.data;
      for (const k of active) expect(k.owner_project_access).toBe('active');
      for (const k of inactive) expect(k.owner_project_access).toBe('inactive');
      expect(active.length + inactive.length).toBe(ids.length);
    }
    const inactiveTotal = org.keys.filter((k) => k.owner_project_access === 'inactive').length;
    expect(inactiveTotal).toBeGreaterThan(0);
  });

  it('describes owners as the spec does', async () => {
    const { org, api } = fresh();
    const platform = org.projects.find((p) => p.name === 'Platform API');
    const keys = (await get(api, `projects/${platform?.id}/api_keys`, { owner_project_access: 'any', limit: 100 })).json.data;
    const userKey = keys.find((k: any) => k.owner.type === 'user');
    const serviceKey = keys.find((k: any) => k.owner.type === 'service_account');
    expect(userKey.owner.user).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      email: expect.any(String),
      role: expect.any(String),
      created_at: expect.any(Number),
    });
    expect(serviceKey.owner.service_account).toEqual({
      id: expect.any(String),
      name: expect.any(String),
      created_at: expect.any(Number),
      role: expect.any(String),
    });
    expect(keys.map((k: any) => k.name)).toContain('<img src=x onerror=alert(1)>');
    expect(keys.filter((k: any) => k.name === 'ci-runner')).toHaveLength(2);
    for (const k of keys) if (k.last_used_at != null) expect(k.last_used_at).toBeLessThanOrEqual(NOW);
  });

  it('drops a deleted key from lists after its deletion but keeps its earlier usage', async () => {
    const { org, api } = fresh();
    const deleted = org.keys.find((k) => k.deleted_at != null);
    if (!deleted?.deleted_at) throw new Error('no deleted key');
    const list = async (mock: MockApi) =>
      (await get(mock, `projects/${deleted.project_id}/api_keys`, { owner_project_access: 'any', limit: 100 })).json.data.map(
        (k: any) => k.id,
      );
    expect(await list(api)).not.toContain(deleted.id);
    expect((await get(api, `projects/${deleted.project_id}/api_keys/${deleted.id}`)).status).toBe(404);
    const before = fresh(deleted.deleted_at - 3600).api;
    expect(await list(before)).toContain(deleted.id);
    expect((await get(before, `projects/${deleted.project_id}/api_keys/${deleted.id}`)).json.id).toBe(deleted.id);
    const usage = await get(api, 'usage/completions', { start_time: deleted.deleted_at - 10 * DAY, limit: 14, group_by: ['api_key_id'] });
    const days = usage.json.data.filter((b: Bucket) => b.results.some((r) => r.api_key_id === deleted.id)).map((b: Bucket) => b.start_time);
    expect(days.length).toBeGreaterThan(5);
    for (const d of days) expect(d + DAY).toBeLessThanOrEqual(deleted.deleted_at);
  });

  it('hides legacy user keys from the keys list unless listLegacyKeys is set', async () => {
    const { org, api } = fresh();
    const legacy = org.keys.find((k) => k.legacy);
    if (!legacy) throw new Error('no legacy key');
    const ids = async (mock: MockApi) =>
      (await get(mock, `projects/${legacy.project_id}/api_keys`, { owner_project_access: 'any', limit: 100 })).json.data.map(
        (k: any) => k.id,
      );
    expect(await ids(api)).not.toContain(legacy.id);
    const withLegacy = fresh(NOW, { listLegacyKeys: true }).api;
    expect(await ids(withLegacy)).toContain(legacy.id);
    const one = await get(withLegacy, `projects/${legacy.project_id}/api_keys/${legacy.id}`);
    expect(one.json.redacted_value).toMatch(/^sk-…/);
  });

  it('answers 404 in the error envelope for unknown projects, keys and paths', async () => {
    const { org, api } = fresh();
    const project = org.projects[0]?.id;
    for (const path of ['projects/proj_nope/api_keys', `projects/${project}/api_keys/key_nope`, 'usage/tokens', 'admin_api_keys', 'nope']) {
      const answer = await get(api, path);
      expect(answer.status, path).toBe(404);
      expect(Object.keys(answer.json.error).sort()).toEqual(['code', 'message', 'param', 'type']);
    }
    const post = await api.handle({
      method: 'POST',
      url: new URL('https://api.openai.com/v1/organization/projects'),
      headers: { authorization: `Bearer ${DEMO_ADMIN_KEY}` },
    });
    expect(post.status).toBe(404);
  });

  it('lists users, filtered by email, limit 1–100', async () => {
    const { org, api } = fresh();
    const all = await get(api, 'users', { limit: 100 });
    expect(all.json.data.map((u: any) => u.id)).toEqual(org.users.map((u) => u.id));
    const one = await get(api, 'users', { emails: [org.users[1]?.email ?? ''] });
    expect(one.json.data.map((u: any) => u.id)).toEqual([org.users[1]?.id]);
    expect((await get(api, 'users', { limit: 101 })).status).toBe(400);
    expect((await get(api, 'users', { limit: 0 })).status).toBe(400);
    const paged = await get(api, 'users', { limit: 2 });
    expect(paged.json).toMatchObject({ has_more: true, first_id: org.users[0]?.id, last_id: org.users[1]?.id });
  });
});

describe('auth', () => {
  const path = 'usage/completions';
  const q = { start_time: utcDay('2026-03-01') };

  it('accepts both admin keys', async () => {
    const { api } = fresh();
    expect((await get(api, path, q, DEMO_ADMIN_KEY)).status).toBe(200);
    expect((await get(api, path, q, E2E_ADMIN_KEY)).status).toBe(200);
  });

  it('answers 401 without a key or with an unknown one, never echoing the secret', async () => {
    const { api } = fresh();
    const none = await get(api, path, q, null);
    expect(none.status).toBe(401);
    expect(none.json.error).toMatchObject({ type: 'invalid_request_error' });
    const secret = 'sk-admin-notreallyakey-123456789abcd';
    const wrong = await get(api, path, q, secret);
    expect(wrong.status).toBe(401);
    expect(wrong.json.error.message).toMatch(/^Incorrect API key provided: sk-admin\*+abcd\./);
    expect(wrong.body).not.toContain(secret);
    expect((await get(api, path, q, 'sess-abcdefghijklmnopqrstuvwxyz')).status).toBe(401);
  });

  it('answers 403 "Missing scopes: api.usage.read" for project and legacy user keys', async () => {
    const { api } = fresh();
    for (const key of ['sk-proj-abcdefghijklmnopqrstuvwxyz0123', 'sk-abcdefghijklmnopqrstuvwxyz0123456789']) {
      const answer = await get(api, path, q, key);
      expect(answer.status).toBe(403);
      expect(answer.json.error.message).toContain('Missing scopes: api.usage.read');
      expect((await get(api, 'costs', q, key)).json.error.message).toContain('Missing scopes: api.usage.read');
    }
    expect(api.log.map((e) => e.auth)).toEqual(['project', 'project', 'project', 'project']);
  });
});

describe('faults', () => {
  const q = { start_time: utcDay('2026-03-01'), limit: 2 };

  it('429 with Retry-After, limited by times, scoped to an endpoint', async () => {
    const { api } = fresh();
    api.setFault({ endpoint: 'usage/completions', kind: '429', times: 2, retryAfter: 7 });
    const first = await get(api, 'usage/completions', q);
    expect(first.status).toBe(429);
    expect(first.headers['retry-after']).toBe('7');
    expect(first.headers[FAULT_HEADER]).toBe('429');
    expect(first.json.error.code).toBe('rate_limit_exceeded');
    expect((await get(api, 'usage/embeddings', q)).status).toBe(200);
    expect((await get(api, 'usage/completions', q)).status).toBe(429);
    expect((await get(api, 'usage/completions', q)).status).toBe(200);
    api.setFault({ kind: '429', retryAfter: null });
    const bare = await get(api, 'costs', q);
    expect(bare.status).toBe(429);
    expect(bare.headers['retry-after']).toBeUndefined();
    api.clearFaults();
    expect((await get(api, 'costs', q)).status).toBe(200);
  });

  it('500, hang, malformed', async () => {
    const { api } = fresh();
    api.setFault({ endpoint: 'costs', kind: '500', times: 1 });
    const failed = await get(api, 'costs', q);
    expect(failed.status).toBe(500);
    expect(failed.json.error.type).toBe('server_error');
    api.setFault({ endpoint: 'projects', kind: 'hang', times: 1 });
    expect((await get(api, 'projects')).hangMs).toBe(120_000);
    expect((await get(api, 'projects')).hangMs).toBeUndefined();
    api.setFault({ endpoint: 'completions', kind: 'malformed', times: 1 });
    const broken = await get(api, 'usage/completions', q);
    expect(broken.status).toBe(200);
    expect(broken.headers[FAULT_HEADER]).toBe('malformed');
    expect(() => JSON.parse(broken.body)).toThrow();
  });

  it('unknown-fields adds properties at every level', async () => {
    const { api } = fresh();
    api.setFault({ endpoint: '*', kind: 'unknown-fields' });
    const answer = await get(api, 'usage/completions', { ...q, group_by: ['model'] });
    expect(answer.headers[FAULT_HEADER]).toBe('unknown-fields');
    expect(answer.json.x_sim_unknown_object).toBeDefined();
    expect(answer.json.x_sim_unknown_field).toBeDefined();
    expect(answer.json.data[0].x_sim_unknown_field).toBeDefined();
    expect(answer.json.data[0].results[0].x_sim_unknown_field).toBeDefined();
    expect(answer.json.data[0].results[0].model).toEqual(expect.any(String));
  });

  it('repeat-cursor keeps has_more and the same next_page forever', async () => {
    const { org, api } = fresh();
    api.setFault({ endpoint: 'usage/completions', kind: 'repeat-cursor' });
    const first = await get(api, 'usage/completions', { start_time: utcDay('2026-03-01'), end_time: utcDay('2026-03-02') });
    expect(first.json.has_more).toBe(true);
    let cursor = first.json.next_page;
    for (let i = 0; i < 5; i++) {
      const next = await get(api, 'usage/completions', { start_time: utcDay('2026-03-01'), end_time: utcDay('2026-03-02'), page: cursor });
      expect(next.status).toBe(200);
      expect(next.json.has_more).toBe(true);
      expect(next.json.next_page).toBe(cursor);
      cursor = next.json.next_page;
    }
    api.setFault({ endpoint: 'api_keys', kind: 'repeat-cursor' });
    const project = org.projects[1]?.id;
    const a = await get(api, `projects/${project}/api_keys`, { limit: 2 });
    const b = await get(api, `projects/${project}/api_keys`, { limit: 2, after: a.json.last_id });
    expect(b.json.has_more).toBe(true);
    expect(b.json.data).toEqual(a.json.data);
  });
});

describe('request log', () => {
  it('records calls without secrets and resets', async () => {
    const { api } = fresh();
    await get(api, 'usage/completions', { start_time: utcDay('2026-03-01') });
    await get(api, 'projects', {}, null);
    await get(api, 'projects', {}, 'sk-admin-someone-elses-key-9999');
    await get(api, 'projects', { note: 'sk-proj-leakedleakedleaked1234' });
    expect(api.log.map((e) => [e.auth, e.status, e.keyHint])).toEqual([
      ['admin', 200, '0000'],
      ['none', 401, null],
      ['unknown', 401, '9999'],
      ['admin', 400, '0000'],
    ]);
    expect(api.log[0]).toMatchObject({
      at: NOW,
      method: 'GET',
      path: '/v1/organization/usage/completions',
      query: `start_time=${utcDay('2026-03-01')}`,
    });
    const text = JSON.stringify(api.log);
    for (const secret of [DEMO_ADMIN_KEY, 'sk-admin-someone-elses-key-9999', 'sk-proj-leakedleakedleaked1234'])
      expect(text).not.toContain(secret);
    expect(text).not.toContain('leakedleaked');
    api.setFault({ kind: '500' });
    api.reset();
    expect(api.log).toEqual([]);
    expect(api.faults).toEqual([]);
  });
});

describe('the story in the data', () => {
  it('is deterministic across orgs and mocks', async () => {
    const q = { start_time: utcDay('2026-01-10'), limit: 5, group_by: ['api_key_id', 'model'] };
    const a = await get(fresh().api, 'usage/completions', q);
    const b = await get(fresh().api, 'usage/completions', q);
    expect(a.body).toBe(b.body);
  });

  it('shows the holiday spike in per-key costs', async () => {
    const { api } = fresh();
    const spend = async (from: number) => {
      const { buckets } = await walkPages(api, 'costs', {
        start_time: from,
        end_time: from + 10 * DAY,
        api_key_ids: [HOLIDAY_SPIKE.keyId],
        group_by: ['api_key_id'],
      });
      return buckets.flatMap((b) => b.results).reduce((s, r) => s + decimalToPico(r.amount.value.toFixed(12)), 0n);
    };
    expect(await spend(HOLIDAY_SPIKE.from)).toBeGreaterThanOrEqual(2n * (await spend(HOLIDAY_SPIKE.from - 35 * DAY)));
  });

  it('reports untracked legacy keys as api_key_id null', async () => {
    const { org, api } = fresh();
    const start = utcDay('2026-02-01');
    const end = start + 14 * DAY;
    const { buckets } = await walkPages(api, 'usage/completions', { start_time: start, end_time: end, group_by: ['api_key_id'] });
    const ids = new Set(buckets.flatMap((b) => b.results).map((r) => r.api_key_id));
    for (const k of org.keys.filter((key) => key.tracking_since == null)) expect(ids.has(k.id)).toBe(false);
    const untracked = expectedKeyTotals(org, start, end).find((t) => t.api_key_id === null);
    expect(sumBy(buckets, 'num_model_requests', (r) => r.api_key_id).get(null)).toBe(untracked?.requests);
  });
});
