// @vitest-environment node
/**
 * The simulated dashboard (test/sim/dashboard): its JSON endpoints against the seed's ground truth,
 * the enable-tracking behaviour (latency, failures, rate limit, log), pagination, config and reset,
 * and a smoke run of the SPA in happy-dom for each layout.
 */
import { Window } from 'happy-dom';
import { afterEach, describe, expect, test } from 'vitest';
import { createMockApi } from './api/index';
import { walkPages } from './api/testing';
import { picoToCents } from './dashboard/data';
import { appScript, createDashboard, type Dashboard, type DashboardOptions, DEFAULT_CONFIG, RATE_LIMIT_MESSAGE } from './dashboard/index';
import type { DashConfig, KeysPage, Layout, SummaryResponse, TopResponse } from './dashboard/types';
import type { SimOrg } from './model';
import {
  costRows,
  createOrg,
  decimalToPico,
  expectedKeyTotals,
  HOLIDAY_SPIKE,
  PROJECT_LEVEL_ENDPOINTS,
  USAGE_ENDPOINTS,
  usageRows,
  utcDay,
} from './seed';

const NOW = Date.parse('2026-01-05T12:00:00Z');
const TODAY = utcDay('2026-01-05');

function setup(opts: DashboardOptions & { at?: number } = {}) {
  const org = createOrg();
  let clock = (opts.at ?? NOW) / 1000; // the dashboard's clock is in Unix seconds, like the mock API's
  const sleeps: number[] = [];
  const dash = createDashboard(org, { now: () => clock, sleep: async (ms) => void sleeps.push(ms), ...opts });
  const advance = (ms: number) => {
    clock += ms / 1000;
  };
  return { org, dash, sleeps, advance };
}

async function call<T = unknown>(dash: Dashboard, method: string, path: string, body?: unknown) {
  const res = await dash.handle({
    method,
    url: new URL(path, 'https://platform.openai.com'),
    headers: {},
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const isJson = res.headers['content-type']?.startsWith('application/json');
  return { ...res, json: (isJson ? JSON.parse(res.body) : undefined) as T };
}

/** Requests per api_key_id over whole days [fromDay, toDay), straight from usageRows. */
function requestsByKey(org: SimOrg, fromDay: number, toDay: number, projectId?: string): Map<string | null, number> {
  const out = new Map<string | null, number>();
  for (const endpoint of USAGE_ENDPOINTS) {
    if (PROJECT_LEVEL_ENDPOINTS.has(endpoint)) continue;
    for (const row of usageRows(org, endpoint, fromDay, toDay)) {
      if (projectId && row.project_id !== projectId) continue;
      out.set(row.api_key_id, (out.get(row.api_key_id) ?? 0) + (row.metrics.num_model_requests ?? row.metrics.num_requests ?? 0));
    }
  }
  return out;
}

const topKeys = (dash: Dashboard, start: string, end: string, project?: string) =>
  call<TopResponse>(dash, 'GET', `/_sim/dash/usage/top/api_keys?start=${start}&end=${end}${project ? `&project_id=${project}` : ''}`);

describe('usage endpoints', () => {
  test('top API keys: requests per key equal usageRows for the range, end date inclusive', async () => {
    const { org, dash } = setup();
    const res = await topKeys(dash, '2025-12-24', '2026-01-02');
    expect(res.status).toBe(200);
    // "Dec 24 – Jan 2" inclusive = whole days [Dec 24, Jan 3) = the holiday spike.
    const expected = requestsByKey(org, HOLIDAY_SPIKE.from, HOLIDAY_SPIKE.to);
    const shown = new Map(res.json.rows.map((r) => [r.id, r.requests]));
    expect(shown).toEqual(new Map([...expected].filter(([, n]) => n > 0)));
    // No top-N cut, sorted by requests (desc).
    const requests = res.json.rows.map((r) => r.requests);
    expect(requests).toEqual([...requests].sort((a, b) => b - a));
    expect(res.json.total_requests).toBe([...expected.values()].reduce((a, b) => a + b, 0));
  });

  test('keys that only make completions match expectedKeyTotals', async () => {
    const { org, dash } = setup();
    const res = await topKeys(dash, '2025-12-24', '2026-01-02');
    const otherEndpoints = new Set<string | null>();
    for (const endpoint of USAGE_ENDPOINTS) {
      if (endpoint === 'completions') continue;
      for (const row of usageRows(org, endpoint, HOLIDAY_SPIKE.from, HOLIDAY_SPIKE.to)) otherEndpoints.add(row.api_key_id);
    }
    const truth = expectedKeyTotals(org, HOLIDAY_SPIKE.from, HOLIDAY_SPIKE.to).filter((t) => !otherEndpoints.has(t.api_key_id));
    expect(truth.length).toBeGreaterThan(5);
    for (const t of truth) expect(res.json.rows.find((r) => r.id === t.api_key_id)?.requests).toBe(t.requests);
  });

  test('usage of untracked keys is one "Untracked" row', async () => {
    const { org, dash } = setup();
    const res = await topKeys(dash, '2025-12-24', '2026-01-02');
    const untracked = res.json.rows.filter((r) => r.untracked);
    expect(untracked).toHaveLength(1);
    expect(untracked[0]).toMatchObject({ id: null, name: 'Untracked', redacted_value: null });
    expect(untracked[0]?.requests).toBe(requestsByKey(org, HOLIDAY_SPIKE.from, HOLIDAY_SPIKE.to).get(null));
    expect(untracked[0]?.requests).toBeGreaterThan(0);
  });

  test('a one-day range is exactly that day; days after today have no data', async () => {
    const { org, dash } = setup();
    const day = await topKeys(dash, '2025-12-25', '2025-12-25');
    expect(day.json.total_requests).toBe(
      [...requestsByKey(org, utcDay('2025-12-25'), utcDay('2025-12-26')).values()].reduce((a, b) => a + b, 0),
    );
    const future = await topKeys(dash, '2026-01-01', '2026-02-28');
    const untilToday = await topKeys(dash, '2026-01-01', '2026-01-05');
    expect(future.json.rows).toEqual(untilToday.json.rows);
    expect((await topKeys(dash, '2026-01-10', '2026-01-20')).json.rows).toEqual([]);
  });

  test('a range ending today agrees with the mock Admin API: today counts as far as it has happened', async () => {
    const at = Date.parse('2026-01-05T14:37:30Z');
    const { org, dash } = setup({ at });
    const api = createMockApi(org, { now: () => at / 1000 });
    const fromApi = new Map<string | null, number>();
    for (const endpoint of USAGE_ENDPOINTS) {
      if (PROJECT_LEVEL_ENDPOINTS.has(endpoint)) continue;
      const query = { start_time: utcDay('2026-01-01'), bucket_width: '1d', group_by: ['api_key_id'], limit: 31 };
      for (const bucket of (await walkPages(api, `usage/${endpoint}`, query)).buckets) {
        for (const r of bucket.results) {
          const id = (r.api_key_id as string | null) ?? null;
          fromApi.set(id, (fromApi.get(id) ?? 0) + (r.num_model_requests ?? r.num_requests ?? 0));
        }
      }
    }
    const res = await topKeys(dash, '2026-01-01', '2026-01-05');
    expect(new Map(res.json.rows.map((r) => [r.id, r.requests]))).toEqual(new Map([...fromApi].filter(([, n]) => n > 0)));

    const today = (await topKeys(dash, '2026-01-05', '2026-01-05')).json.total_requests;
    const wholeDay = [...requestsByKey(org, utcDay('2026-01-05'), utcDay('2026-01-06')).values()].reduce((a, b) => a + b, 0);
    expect(today).toBeGreaterThan(0);
    expect(today).toBeLessThan(wholeDay);
  });

  test('the project filter keeps that project only; users and organizations add up to the same total', async () => {
    const { org, dash } = setup();
    const research = org.projects.find((p) => p.name === 'Research')?.id ?? '';
    const res = await topKeys(dash, '2025-12-01', '2025-12-31', research);
    expect(res.json.rows.length).toBeGreaterThan(2);
    expect(res.json.rows.every((r) => r.project_id === research)).toBe(true);
    const expected = requestsByKey(org, utcDay('2025-12-01'), utcDay('2026-01-01'), research);
    expect(res.json.total_requests).toBe([...expected.values()].reduce((a, b) => a + b, 0));
    for (const dim of ['users', 'organizations']) {
      const other = await call<TopResponse>(
        dash,
        'GET',
        `/_sim/dash/usage/top/${dim}?start=2025-12-01&end=2025-12-31&project_id=${research}`,
      );
      expect(other.json.total_requests).toBe(res.json.total_requests);
    }
    const orgs = await call<TopResponse>(dash, 'GET', '/_sim/dash/usage/top/organizations?start=2025-12-01&end=2025-12-31');
    expect(orgs.json.rows).toEqual([{ id: org.id, name: org.name, requests: expect.any(Number) }]);
  });

  test('summary: requests as in Top API keys, spend = costRows rounded to cents', async () => {
    const { org, dash } = setup();
    const res = await call<SummaryResponse>(dash, 'GET', '/_sim/dash/usage/summary?start=2025-12-24&end=2026-01-02');
    const keys = await topKeys(dash, '2025-12-24', '2026-01-02');
    expect(res.json.requests).toBe(keys.json.total_requests);
    const pico = costRows(org, HOLIDAY_SPIKE.from, HOLIDAY_SPIKE.to).reduce((s, r) => s + decimalToPico(r.amount), 0n);
    expect(res.json.spend_usd).toBe(picoToCents(pico));
    expect(res.json.tokens).toBeGreaterThan(0);
  });

  test('bad ranges and unknown projects are refused', async () => {
    const { dash } = setup();
    expect((await topKeys(dash, '2026-01-05', '2026-01-01')).status).toBe(400);
    expect((await topKeys(dash, '2026-02-30', '2026-03-01')).status).toBe(400);
    expect((await call(dash, 'GET', '/_sim/dash/usage/top/api_keys')).status).toBe(400);
    expect((await topKeys(dash, '2026-01-01', '2026-01-02', 'proj_nope')).status).toBe(404);
    expect((await call(dash, 'GET', '/_sim/dash/usage/top/models?start=2026-01-01&end=2026-01-02')).status).toBe(404);
  });

  test('picoToCents rounds half up', () => {
    expect(picoToCents(0n)).toBe('0.00');
    expect(picoToCents(4_999_999_999n)).toBe('0.00');
    expect(picoToCents(5_000_000_000n)).toBe('0.01');
    expect(picoToCents(1_234_567_000_000_000n)).toBe('1234.57');
  });
});

describe('API-keys list', () => {
  test('lists live keys newest first, legacy ones included, in pages of keysPageSize', async () => {
    const { org, dash } = setup();
    const first = await call<KeysPage>(dash, 'GET', '/_sim/dash/api-keys');
    const live = org.keys.filter((k) => k.created_at * 1000 <= NOW && (k.deleted_at === null || k.deleted_at * 1000 > NOW));
    expect(first.json).toMatchObject({ page: 1, page_size: 20, total: live.length, page_count: Math.ceil(live.length / 20) });
    expect(first.json.page_count).toBeGreaterThan(1);
    const all = [];
    for (let page = 1; page <= first.json.page_count; page++)
      all.push(...(await call<KeysPage>(dash, 'GET', `/_sim/dash/api-keys?page=${page}`)).json.data);
    expect(all.map((k) => k.id).sort()).toEqual(live.map((k) => k.id).sort());
    expect(all.map((k) => k.created_at)).toEqual([...all.map((k) => k.created_at)].sort((a, b) => b - a));
    // Legacy keys (the ones with an Enable button) sit on the last page.
    const last = await call<KeysPage>(dash, 'GET', `/_sim/dash/api-keys?page=${first.json.page_count}`);
    expect(last.json.data.filter((k) => k.legacy && !k.tracking).length).toBe(
      org.keys.filter((k) => k.legacy && k.tracking_since === null).length,
    );
    // Out-of-range pages clamp.
    expect((await call<KeysPage>(dash, 'GET', '/_sim/dash/api-keys?page=99')).json.page).toBe(first.json.page_count);

    dash.setConfig({ keysPageSize: 5 });
    const small = await call<KeysPage>(dash, 'GET', '/_sim/dash/api-keys?page=2');
    expect(small.json).toMatchObject({ page: 2, page_size: 5, page_count: Math.ceil(live.length / 5) });
    expect(small.json.data).toHaveLength(5);
  });

  test('deleted keys drop out once deleted; keys appear once created', async () => {
    const before = setup({ at: Date.parse('2026-01-05T12:00:00Z') });
    const after = setup({ at: Date.parse('2026-07-01T12:00:00Z') });
    const deleted = before.org.keys.find((k) => k.deleted_at !== null);
    const late = before.org.keys.find((k) => k.created_at > NOW / 1000);
    expect(deleted && late).toBeTruthy();
    const ids = async (s: ReturnType<typeof setup>) => {
      const out: string[] = [];
      const first = await call<KeysPage>(s.dash, 'GET', '/_sim/dash/api-keys');
      for (let p = 1; p <= first.json.page_count; p++)
        out.push(...(await call<KeysPage>(s.dash, 'GET', `/_sim/dash/api-keys?page=${p}`)).json.data.map((k) => k.id));
      return out;
    };
    expect(await ids(before)).toContain(deleted?.id);
    expect(await ids(before)).not.toContain(late?.id);
    expect(await ids(after)).not.toContain(deleted?.id);
    expect(await ids(after)).toContain(late?.id);
  });
});

describe('enable tracking', () => {
  const untrackedKey = (org: SimOrg) => {
    const key = org.keys.find((k) => k.legacy && k.tracking_since === null);
    if (!key) throw new Error('seed has no untracked legacy key');
    return key;
  };
  const enable = (dash: Dashboard, id: string) =>
    call<{ ok?: boolean; error?: { message: string } }>(dash, 'POST', `/_sim/dash/api-keys/${id}/tracking`, { enabled: true });

  test('turns tracking on from the start of today, after a 300–800 ms latency, and logs it', async () => {
    const { org, dash, sleeps } = setup();
    const key = untrackedKey(org);
    const beforeToday = await topKeys(dash, '2026-01-05', '2026-01-05');
    expect(beforeToday.json.rows.some((r) => r.id === key.id)).toBe(false);

    const res = await enable(dash, key.id);
    expect(res.status).toBe(200);
    expect(key.tracking_since).toBe(TODAY);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(300);
    expect(sleeps[0]).toBeLessThanOrEqual(800);
    expect(dash.log.at(-1)).toEqual({ at: NOW, kind: 'enable-tracking', keyId: key.id, outcome: 'enabled' });

    // Not retroactive: today's usage moves from "Untracked" to the key; yesterday's does not.
    const afterToday = await topKeys(dash, '2026-01-05', '2026-01-05');
    const moved = afterToday.json.rows.find((r) => r.id === key.id)?.requests ?? 0;
    const untracked = (rows: TopResponse['rows']) => rows.find((r) => r.untracked)?.requests ?? 0;
    expect(untracked(afterToday.json.rows)).toBe(untracked(beforeToday.json.rows) - moved);
    expect((await topKeys(dash, '2026-01-04', '2026-01-04')).json.rows.some((r) => r.id === key.id)).toBe(false);
    const list = await call<KeysPage>(dash, 'GET', '/_sim/dash/api-keys?page=2');
    expect(list.json.data.find((k) => k.id === key.id)).toMatchObject({ tracking: true, tracking_since: TODAY });
  });

  test('configured failures: a toast-ready message, nothing changed, logged', async () => {
    const { org, dash, advance } = setup();
    const key = untrackedKey(org);
    dash.setConfig({ enableFailKeyIds: [key.id] });
    const res = await enable(dash, key.id);
    expect(res.status).toBe(500);
    expect(res.json.error?.message).toMatch(/^Failed to enable tracking: /);
    expect(key.tracking_since).toBeNull();
    expect(dash.log.at(-1)).toMatchObject({ kind: 'enable-tracking', keyId: key.id, outcome: 'failed', detail: res.json.error?.message });

    dash.setConfig({ enableFailKeyIds: [], enableFailureRate: 1 });
    advance(1000);
    expect((await enable(dash, key.id)).status).toBe(500);
    dash.setConfig({ enableFailureRate: 0 });
    advance(1000);
    expect((await enable(dash, key.id)).status).toBe(200);
    expect(key.tracking_since).toBe(TODAY);
  });

  test('a failure rate fails about that fraction, deterministically per seed', async () => {
    const run = async () => {
      const { org, dash, advance } = setup({ seed: 7 });
      dash.setConfig({ enableFailureRate: 0.3 });
      const key = org.keys.find((k) => !k.legacy);
      const statuses: number[] = [];
      for (let i = 0; i < 200; i++) {
        advance(1000);
        statuses.push((await enable(dash, key?.id ?? '')).status);
      }
      return statuses;
    };
    const a = await run();
    expect(await run()).toEqual(a);
    const failures = a.filter((s) => s === 500).length;
    expect(failures).toBeGreaterThan(35);
    expect(failures).toBeLessThan(85);
  });

  test('clicks closer than rateLimitMs get 429 with the toast text; later ones pass', async () => {
    const { org, dash, advance } = setup();
    const [a, b] = org.keys.filter((k) => k.legacy && k.tracking_since === null);
    expect((await enable(dash, a?.id ?? '')).status).toBe(200);
    advance(399);
    const limited = await enable(dash, b?.id ?? '');
    expect(limited.status).toBe(429);
    expect(limited.json.error?.message).toBe(RATE_LIMIT_MESSAGE);
    expect(limited.headers['retry-after']).toBe('1');
    expect(b?.tracking_since).toBeNull();
    expect(dash.log.at(-1)).toMatchObject({ kind: 'enable-tracking', keyId: b?.id, outcome: 'rate-limited' });
    advance(1); // 400 ms after the last accepted request
    expect((await enable(dash, b?.id ?? '')).status).toBe(200);
  });

  test('already tracked keys answer ok; unknown keys 404', async () => {
    const { org, dash, advance } = setup();
    const tracked = org.keys.find((k) => k.tracking_since !== null);
    const res = await enable(dash, tracked?.id ?? '');
    expect(res.json).toMatchObject({ ok: true, already: true });
    advance(1000);
    expect((await enable(dash, 'key_doesnotexist')).status).toBe(404);
    expect(dash.log.map((e) => e.outcome)).toEqual(['already-enabled', 'not-found']);
  });
});

describe('event log, config, reset, shell', () => {
  test('the SPA posts clicks to the log; unknown kinds are refused', async () => {
    const { dash } = setup();
    expect((await call(dash, 'POST', '/_sim/dash/events', { kind: 'revoke-confirmed', keyId: 'key_x' })).status).toBe(200);
    expect((await call(dash, 'POST', '/_sim/dash/events', { kind: 'launch-missiles' })).status).toBe(400);
    expect(dash.log).toEqual([{ at: NOW, kind: 'revoke-confirmed', keyId: 'key_x' }]);
    expect((await call(dash, 'GET', '/_sim/dash/log')).json).toEqual(dash.log);
  });

  test('setConfig validates; POST /config too; the session carries the config', async () => {
    const { dash } = setup();
    expect(dash.config).toEqual(DEFAULT_CONFIG);
    const bad: Array<Partial<DashConfig>> = [
      { layout: 'x' as Layout },
      { enableFailureRate: 2 },
      { keysPageSize: 0 },
      { enableLatencyMs: [5, 1] },
      { confirmText: ' ' },
      { renderDelayMs: -1 },
    ];
    for (const patch of bad) expect(() => dash.setConfig(patch)).toThrow(/dashboard config/);
    expect((await call(dash, 'POST', '/_sim/dash/config', { keysPageSize: -3 })).status).toBe(400);
    const ok = await call<DashConfig>(dash, 'POST', '/_sim/dash/config', { layout: '2026', confirmText: 'Turn on' });
    expect(ok.json).toMatchObject({ layout: '2026', confirmText: 'Turn on' });
    const session = await call<{ config: DashConfig; now: number; org: { id: string } }>(dash, 'GET', '/_sim/dash/session');
    expect(session.json).toMatchObject({ config: { layout: '2026', confirmText: 'Turn on' }, now: NOW, org: { id: 'org-keymetersim' } });
  });

  test('reset restores config, empties the same log array and restores tracking', async () => {
    const { org, dash } = setup({ config: { renderDelayMs: 0 } });
    const log = dash.log;
    const key = org.keys.find((k) => k.legacy && k.tracking_since === null);
    await call(dash, 'POST', `/_sim/dash/api-keys/${key?.id}/tracking`, {});
    dash.setConfig({ layout: 'compact' });
    expect(key?.tracking_since).toBe(TODAY);
    expect((await call(dash, 'POST', '/_sim/dash/reset')).status).toBe(200);
    expect(dash.config).toEqual({ ...DEFAULT_CONFIG, renderDelayMs: 0 });
    expect(dash.log).toBe(log);
    expect(log).toEqual([]);
    expect(key?.tracking_since).toBeNull();
  });

  test('app routes get the empty SPA shell; / redirects; assets are served per layout', async () => {
    const { dash } = setup();
    for (const path of ['/usage', '/usage/activity', '/api-keys', '/settings/organization/general', '/usage?layout=2026']) {
      const res = await call(dash, 'GET', path);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toMatch(/<body><div id="root"><\/div><\/body>/);
    }
    const root = await call(dash, 'GET', '/?layout=compact');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/usage?layout=compact');
    expect((await call(dash, 'GET', '/_sim/dash/nope')).status).toBe(404);
    const js = await call(dash, 'GET', '/_sim/dash/app.js');
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.body).not.toMatch(/^\s*(import|export)\s/m);
    const css2026 = (await call(dash, 'GET', '/_sim/dash/app.css?layout=2026&build=b1')).body;
    expect(css2026).toMatch(/\.Table-module__row--[0-9A-Za-z]{5}\b/);
    expect(css2026).not.toMatch(/\.table__row\b/);
    expect((await call(dash, 'GET', '/_sim/dash/app.css?layout=2024')).body).toMatch(/\.table__row\b/);
  });
});

// ---- SPA smoke in happy-dom -------------------------------------------------------------------

const windows: Window[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

/** Loads the SPA at `path` with fetch routed straight to the handler (no network). */
async function loadSpa(dash: Dashboard, path: string): Promise<Window> {
  const window = new Window({
    url: `https://platform.openai.com${path}`,
    settings: {
      enableJavaScriptEvaluation: true,
      suppressInsecureJavaScriptEnvironmentWarning: true,
      disableCSSFileLoading: true,
      disableJavaScriptFileLoading: true,
      handleDisabledFileLoadingAsSuccess: true,
    },
  });
  windows.push(window);
  Object.assign(window, {
    fetch: async (input: string, init?: { method?: string; body?: string }) => {
      const res = await dash.handle({
        method: init?.method ?? 'GET',
        url: new URL(String(input), 'https://platform.openai.com'),
        headers: {},
        body: init?.body,
      });
      return new Response(res.body, { status: res.status, headers: res.headers });
    },
  });
  window.document.body.innerHTML = '<div id="root"></div>';
  const script = window.document.createElement('script');
  script.textContent = appScript();
  window.document.body.appendChild(script);
  return window;
}

async function until<T>(probe: () => T | null | undefined | false, what: string, ms = 3000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const text = (el: { textContent: string | null } | null | undefined) => (el?.textContent ?? '').trim();

describe('SPA (happy-dom smoke)', () => {
  const range = 'start=2025-12-24&end=2026-01-02';

  test.each(['2024', '2026', 'compact'] as const)(
    'layout %s renders Top API keys late, from the endpoint, with text-only names',
    async (layout) => {
      const { dash } = setup({ config: { renderDelayMs: 0 } });
      const expected = (await topKeys(dash, '2025-12-24', '2026-01-02')).json.rows;
      const window = await loadSpa(dash, `/usage?layout=${layout}&${range}`);
      const doc = window.document;
      const busy = () => doc.querySelector('[aria-busy="true"]');
      await until(() => doc.querySelector('main') && !busy() && doc.querySelectorAll('main [role="row"], main tr').length > 20, 'rows');

      let rows: string[][];
      let headers: string[];
      if (layout === '2026') {
        const heading = [...doc.querySelectorAll('[role="heading"][aria-level="3"]')].find((h) => text(h) === 'Top API Keys');
        expect(heading).toBeTruthy();
        const grid = doc.querySelector('[role="grid"][aria-label="Top API Keys"]');
        headers = [...(grid?.querySelectorAll('[role="columnheader"]') ?? [])].map(text);
        rows = [...(grid?.querySelectorAll('[role="rowgroup"]:last-child [role="row"]') ?? [])].map((r) =>
          [...r.querySelectorAll('[role="gridcell"]')].map(text),
        );
        expect(headers).toEqual(['Project', 'Name', 'Requests', 'Key']);
        expect(rows.map((r) => r[1])).toEqual(expected.map((r) => r.name));
        expect(doc.querySelector('main table')).toBeNull();
        // Every class is a hashed CSS-module name.
        const classes = [...doc.querySelectorAll('main [class]')].flatMap((el) => [...el.classList]);
        expect(classes.length).toBeGreaterThan(50);
        for (const c of classes) expect(c).toMatch(/^[A-Z][A-Za-z]*-module__[A-Za-z]+--[0-9A-Za-z]{5}$/);
      } else {
        const section =
          layout === 'compact'
            ? [...doc.querySelectorAll('section[aria-labelledby]')].find(
                (s) => text(doc.getElementById(s.getAttribute('aria-labelledby') ?? '')) === 'Top API keys',
              )
            : [...doc.querySelectorAll('h3')].find((h) => text(h) === 'Top API keys')?.closest('div[class^="card__root"]');
        expect(section).toBeTruthy();
        if (layout === 'compact') expect(section?.querySelector('h3')).toBeTruthy();
        const table = section?.querySelector('table');
        headers = [...(table?.querySelectorAll('thead th') ?? [])].map(text);
        rows = [...(table?.querySelectorAll('tbody tr') ?? [])].map((r) => [...r.querySelectorAll('td')].map(text));
        expect(headers).toEqual(layout === '2024' ? ['Name', 'Key', 'Requests'] : ['Name', 'Project', 'Requests']);
        expect(rows.map((r) => r[0])).toEqual(expected.map((r) => r.name));
      }
      const requestsCol = headers.indexOf('Requests');
      expect(rows.map((r) => Number((r[requestsCol] ?? '').replace(/,/g, '')))).toEqual(expected.map((r) => r.requests));
      expect(rows.flat()).toContain('Untracked');
      // Key names with markup are shown as text, never parsed.
      expect(rows.flat()).toContain('<img src=x onerror=alert(1)>');
      expect(doc.querySelector('main img')).toBeNull();
      // Range shown as text and kept in the URL.
      expect(text(doc.querySelector('main button[aria-haspopup]'))).toBe('Dec 24, 2025 – Jan 2, 2026');
      expect(window.location.search).toContain(range);
      expect(window.sessionStorage.getItem('sim-dash-layout')).toBe(layout);
    },
  );

  test('API keys: Enable → confirm dialog → request → "Enabled"; Revoke only logs', async () => {
    const { org, dash } = setup({ config: { renderDelayMs: 0, enableLatencyMs: [0, 0], confirmText: 'Yes, track it' } });
    const window = await loadSpa(dash, '/api-keys?layout=2024');
    const doc = window.document;
    const next = await until(() => [...doc.querySelectorAll('button')].find((b) => text(b) === 'Next'), 'Next');
    expect(text(await until(() => [...doc.querySelectorAll('span')].find((s) => /^Page \d of \d$/.test(text(s))), 'pager'))).toBe(
      'Page 1 of 2',
    );
    next.click();
    await until(
      () =>
        [...doc.querySelectorAll('span')].some((s) => text(s) === 'Page 2 of 2') &&
        doc.querySelectorAll('tbody tr').length > 0 &&
        !doc.querySelector('[aria-busy="true"]'),
      'page 2',
    );
    expect([...doc.querySelectorAll('thead th')].map(text)).toEqual([
      'Name',
      'Secret key',
      'Tracking',
      'Created',
      'Last used',
      'Permissions',
      'Actions',
    ]);

    const row = [...doc.querySelectorAll('tbody tr')].find((tr) => [...tr.querySelectorAll('button')].some((b) => text(b) === 'Enable'));
    const name = text(row?.querySelector('td'));
    const key = org.keys.find((k) => k.name === name);
    expect(key?.tracking_since).toBeNull();
    [...(row?.querySelectorAll('button') ?? [])].find((b) => text(b) === 'Enable')?.click();
    const dialog = await until(() => doc.querySelector('[role="dialog"][aria-modal="true"]'), 'dialog');
    expect(text(doc.getElementById(dialog.getAttribute('aria-labelledby') ?? ''))).toBe('Enable usage tracking?');
    expect(text(dialog)).toMatch(/tracked per API key going forward/);
    [...dialog.querySelectorAll('button')].find((b) => text(b) === 'Yes, track it')?.click();
    await until(() => text(row).includes('Enabled'), 'Enabled');
    expect(key?.tracking_since).toBe(TODAY);
    await until(() => doc.querySelector('[role="status"]'), 'toast');

    (row?.querySelector('button[aria-label="Revoke key"]') as HTMLElement | null)?.click();
    const revoke = await until(() => doc.querySelector('[role="dialog"]'), 'revoke dialog');
    expect(text(revoke)).toMatch(/^Revoke secret key/);
    [...revoke.querySelectorAll('button')].find((b) => text(b) === 'Revoke key')?.click();
    await until(() => dash.log.some((e) => e.kind === 'revoke-confirmed'), 'revoke-confirmed');
    expect(org.keys.find((k) => k.id === key?.id)?.deleted_at).toBeNull();
    expect(dash.log.map((e) => e.kind)).toEqual(['navigate', 'page', 'enable', 'confirm', 'enable-tracking', 'revoke', 'revoke-confirmed']);
  });

  test('failed enable shows the server message as an alert toast and keeps the Enable button', async () => {
    const { dash } = setup({ config: { renderDelayMs: 0, enableLatencyMs: [0, 0], enableFailureRate: 1, keysPageSize: 100 } });
    const window = await loadSpa(dash, '/api-keys?layout=2026');
    const doc = window.document;
    const button = await until(
      () => doc.querySelector('[role="grid"] button[aria-label="Enable usage tracking"]') as HTMLElement | null,
      'Enable',
    );
    button.click();
    const dialog = await until(() => doc.querySelector('[role="dialog"]'), 'dialog');
    // 2026 puts the primary action first.
    expect([...dialog.querySelectorAll('button')].map(text)).toEqual(['Enable tracking', 'Cancel']);
    dialog.querySelector('button')?.click();
    const alert = await until(() => doc.querySelector('[role="alert"]'), 'alert');
    expect(text(alert)).toMatch(/^Failed to enable tracking: /);
    await until(
      () =>
        doc.querySelectorAll('[role="grid"] button[aria-label="Enable usage tracking"]').length > 0 &&
        !doc.querySelector('[aria-busy="true"]'),
      'Enable back',
    );
  });

  test('client-side navigation keeps the layout and logs routes', async () => {
    const { dash } = setup({ config: { renderDelayMs: 0 } });
    const window = await loadSpa(dash, '/usage?layout=compact');
    const doc = window.document;
    const link = await until(
      () => [...doc.querySelectorAll('nav a')].find((a) => text(a) === 'Settings') as HTMLElement | undefined,
      'nav',
    );
    link.click();
    await until(() => [...doc.querySelectorAll('h2')].some((h) => text(h) === 'Organization settings'), 'settings');
    expect(window.location.pathname).toBe('/settings/organization/general');
    expect(doc.documentElement.getAttribute('data-sim-layout')).toBe('compact');
    expect(text(doc.querySelector('code'))).toBe('org-keymetersim');
    await until(() => dash.log.filter((e) => e.kind === 'navigate').length === 2, 'navigate log');
    expect(dash.log.filter((e) => e.kind === 'navigate').map((e) => e.outcome)).toEqual(['/usage', '/settings/organization/general']);
  });
});
