/**
 * The simulated platform.openai.com dashboard, as a pure request handler (the HTTPS server in
 * ../server.ts adapts node's req/res to it). It serves:
 * - the SPA shell (empty #root + one script) for every app route; the SPA renders everything;
 * - the SPA's JS (bundled from ./app with esbuild at first request) and CSS (rewritten per layout);
 * - the simulator's own JSON endpoints under /_sim/dash/ (the real dashboard's are unknown);
 * - an event log of clicks on tracking and dangerous controls, for tests.
 * See README.md for the endpoints, config and the three layouts.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { lastUsedAt } from '../api/lists';
import type { SimOrg } from '../model';
import { rewriteCss } from './classes';
import { dayRange, keyItems, startOfUtcDay, summary, top } from './data';
import {
  type DashConfig,
  type DashEvent,
  EVENT_KINDS,
  type EventKind,
  type KeysPage,
  LAYOUTS,
  type Layout,
  type SessionInfo,
  type TopDimension,
} from './types';

export type {
  DashConfig,
  DashEvent,
  EventKind,
  KeyItem,
  KeysPage,
  Layout,
  SessionInfo,
  SummaryResponse,
  TopResponse,
  TopRow,
} from './types';
export { EVENT_KINDS, LAYOUTS } from './types';

export interface DashboardRequest {
  method: string;
  url: URL;
  headers: Record<string, string | undefined>;
  body?: string;
}

export interface DashboardResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface DashboardOptions {
  /**
   * The clock in Unix seconds, fractional allowed (default: the real clock), like createMockApi's `now`, so
   * one clock can drive both hosts. Drives "today", the keys list, rate limiting and log times; give it
   * sub-second resolution if the 400 ms rate limit matters.
   */
  now?: () => number;
  /** How the enable-tracking latency is waited out (tests may pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  /** Seed of the PRNG behind latency and random failures (reset() restarts it). */
  seed?: number;
  /** Config to start from (and to return to on reset()). */
  config?: Partial<DashConfig>;
}

export interface Dashboard {
  handle(req: DashboardRequest): Promise<DashboardResponse>;
  /** Clicks and outcomes, oldest first. The same array for the dashboard's lifetime (reset() empties it). */
  readonly log: DashEvent[];
  readonly config: Readonly<DashConfig>;
  /** Merges a partial config; throws on invalid values. Takes effect for the next page load (and for server-side behaviour at once). */
  setConfig(patch: Partial<DashConfig>): void;
  /** Back to the initial config, empty log, and each key's tracking as it was when the dashboard was created. */
  reset(): void;
}

export const DEFAULT_CONFIG: Readonly<DashConfig> = Object.freeze({
  layout: '2024',
  renderDelayMs: 600,
  enableLatencyMs: [300, 800],
  enableFailureRate: 0,
  enableFailKeyIds: [],
  confirmText: 'Enable tracking',
  keysPageSize: 20,
  rateLimitMs: 400,
  rerenderMs: 0,
  buildId: 'b1',
} satisfies DashConfig);

/** How to get each layout: add `?layout=<mode>` to any dashboard URL (kept for the tab), or setConfig({ layout }). */
export const renderModes: Readonly<Record<Layout, string>> = {
  '2024': 'cards with <h2>/<h3> headings, real <table>/<th>, readable BEM class names; Top API keys: Name | Key | Requests',
  '2026':
    'sidebar nav, role=grid/row/columnheader/gridcell divs, hashed CSS-module classes, <div role=heading>; Top API Keys first: Project | Name | Requests | Key',
  compact:
    '<section aria-labelledby> + <h3>, <table> without the key column: Name | Project | Requests; row actions behind a "Key actions" menu',
};

export const RATE_LIMIT_MESSAGE = "You're doing that too often. Try again in a moment.";
export const FAILURE_MESSAGES = [
  'Failed to enable tracking: upstream timeout',
  'Failed to enable tracking: internal server error',
  'Failed to enable tracking: please try again later',
];

// ---- assets -------------------------------------------------------------------------------------

const APP_DIR = fileURLToPath(new URL('./app/', import.meta.url));
let bundleCache: string | null = null;

/** The SPA as one classic script (esbuild, bundled once per process). */
export function appScript(): string {
  bundleCache ??=
    buildSync({
      entryPoints: [`${APP_DIR}main.ts`],
      bundle: true,
      format: 'iife',
      target: 'es2022',
      write: false,
      charset: 'utf8',
      legalComments: 'none',
      tsconfigRaw: { compilerOptions: {} },
    }).outputFiles[0]?.text ?? '';
  return bundleCache;
}

function appCss(layout: Layout, buildId: string): string {
  return rewriteCss(readFileSync(`${APP_DIR}styles.css`, 'utf8'), layout, buildId);
}

const SHELL = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>OpenAI Platform</title>
<link rel="icon" href="data:,">
<script src="/_sim/dash/app.js" defer></script>
</head>
<body><div id="root"></div></body>
</html>
`;

// ---- helpers --------------------------------------------------------------------------------------

const NO_STORE = { 'cache-control': 'no-store' };

function json(status: number, value: unknown, extra: Record<string, string> = {}): DashboardResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...NO_STORE, ...extra }, body: JSON.stringify(value) };
}

function error(status: number, message: string, code?: string, extra: Record<string, string> = {}): DashboardResponse {
  return json(status, { error: { message, ...(code ? { code } : {}) } }, extra);
}

/** mulberry32: small deterministic PRNG for latency and failure draws. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parseBody(body: string | undefined): Record<string, unknown> | null {
  if (!body) return {};
  try {
    const value: unknown = JSON.parse(body);
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isNonNegative = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;

/** Checks a config patch; returns the merged config or throws with the offending field. */
export function mergeConfig(base: DashConfig, patch: Partial<DashConfig>): DashConfig {
  const next: DashConfig = { ...base, ...patch };
  const fail = (field: keyof DashConfig, what: string) => {
    throw new Error(`dashboard config: ${field} ${what}`);
  };
  if (!LAYOUTS.includes(next.layout)) fail('layout', `must be one of ${LAYOUTS.join(', ')}`);
  if (!isNonNegative(next.renderDelayMs)) fail('renderDelayMs', 'must be a number ≥ 0');
  const [min, max] = Array.isArray(next.enableLatencyMs) ? next.enableLatencyMs : [];
  if (!isNonNegative(min) || !isNonNegative(max) || min > max) fail('enableLatencyMs', 'must be [min, max] with 0 ≤ min ≤ max');
  if (!isNonNegative(next.enableFailureRate) || next.enableFailureRate > 1) fail('enableFailureRate', 'must be between 0 and 1');
  if (!Array.isArray(next.enableFailKeyIds) || !next.enableFailKeyIds.every((id) => typeof id === 'string'))
    fail('enableFailKeyIds', 'must be an array of key ids');
  if (typeof next.confirmText !== 'string' || next.confirmText.trim() === '') fail('confirmText', 'must be a non-empty string');
  if (!Number.isInteger(next.keysPageSize) || next.keysPageSize < 1) fail('keysPageSize', 'must be an integer ≥ 1');
  if (!isNonNegative(next.rateLimitMs)) fail('rateLimitMs', 'must be a number ≥ 0');
  if (!isNonNegative(next.rerenderMs)) fail('rerenderMs', 'must be a number ≥ 0');
  if (typeof next.buildId !== 'string' || next.buildId === '') fail('buildId', 'must be a non-empty string');
  return { ...next, enableLatencyMs: [min as number, max as number], enableFailKeyIds: [...next.enableFailKeyIds] };
}

// ---- the dashboard --------------------------------------------------------------------------------

export function createDashboard(org: SimOrg, opts: DashboardOptions = {}): Dashboard {
  const now = opts.now ?? (() => Date.now() / 1000);
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const initialConfig = mergeConfig(
    { ...DEFAULT_CONFIG, enableLatencyMs: [...DEFAULT_CONFIG.enableLatencyMs], enableFailKeyIds: [] },
    opts.config ?? {},
  );
  const initialTracking = new Map(org.keys.map((k) => [k.id, k.tracking_since]));

  let config = initialConfig;
  let random = prng(opts.seed ?? 1);
  /** When the last accepted enable-tracking request arrived (seconds), for the rate limit. */
  let lastEnableAt = Number.NEGATIVE_INFINITY;
  const log: DashEvent[] = [];

  function record(kind: EventKind, keyId?: string, outcome?: string, detail?: string): void {
    const event: DashEvent = { at: Math.round(now() * 1000), kind };
    if (keyId !== undefined) event.keyId = keyId;
    if (outcome !== undefined) event.outcome = outcome;
    if (detail !== undefined) event.detail = detail;
    log.push(event);
  }

  function session(): SessionInfo {
    const user = org.users.find((u) => u.role === 'owner') ?? org.users[0];
    return {
      org: { id: org.id, name: org.name },
      user: { name: user?.name ?? 'Owner', email: user?.email ?? 'owner@example.com' },
      projects: org.projects.map((p) => ({ id: p.id, name: p.name, status: p.status })),
      now: Math.round(now() * 1000),
      config,
    };
  }

  /** Reads ?start&end&project_id; an error response when they are unusable. */
  function rangeQuery(url: URL) {
    const start = url.searchParams.get('start') ?? '';
    const end = url.searchParams.get('end') ?? '';
    const range = dayRange(start, end, now());
    if ('error' in range) return { failure: error(400, range.error, 'invalid_range') };
    const projectId = url.searchParams.get('project_id') || null;
    if (projectId && !org.projects.some((p) => p.id === projectId))
      return { failure: error(404, `No project ${projectId}`, 'project_not_found') };
    return { range, projectId };
  }

  function keysPage(url: URL): KeysPage {
    const at = now();
    // last_used_at exactly as the mock Admin API reports it.
    const items = keyItems(org, at, (key) => lastUsedAt(org, key, at));
    const size = config.keysPageSize;
    const pageCount = Math.max(1, Math.ceil(items.length / size));
    const asked = Number.parseInt(url.searchParams.get('page') ?? '1', 10);
    const page = Math.min(Math.max(Number.isFinite(asked) ? asked : 1, 1), pageCount);
    return { data: items.slice((page - 1) * size, page * size), page, page_count: pageCount, page_size: size, total: items.length };
  }

  async function enableTracking(keyId: string): Promise<DashboardResponse> {
    const at = now();
    // Rounded to 0.01 ms: seconds near 1.7e9 carry float noise in the last digits.
    const sinceLastMs = Math.round((at - lastEnableAt) * 1e5) / 100;
    if (sinceLastMs < config.rateLimitMs) {
      record('enable-tracking', keyId, 'rate-limited');
      const retryMs = Math.ceil(config.rateLimitMs - sinceLastMs);
      return error(429, RATE_LIMIT_MESSAGE, 'rate_limited', { 'retry-after': String(Math.max(1, Math.ceil(retryMs / 1000))) });
    }
    lastEnableAt = at;
    const key = org.keys.find((k) => k.id === keyId && k.created_at <= at && (k.deleted_at === null || k.deleted_at > at));
    if (!key) {
      record('enable-tracking', keyId, 'not-found');
      return error(404, 'API key not found', 'not_found');
    }
    const [min, max] = config.enableLatencyMs;
    const latency = min + random() * (max - min);
    const failDraw = random();
    const messageDraw = random();
    await sleep(latency);
    if (config.enableFailKeyIds.includes(keyId) || failDraw < config.enableFailureRate) {
      const message = FAILURE_MESSAGES[Math.floor(messageDraw * FAILURE_MESSAGES.length)] ?? 'Failed to enable tracking';
      record('enable-tracking', keyId, 'failed', message);
      return error(500, message, 'enable_failed');
    }
    if (key.tracking_since !== null) {
      record('enable-tracking', keyId, 'already-enabled');
      return json(200, { ok: true, already: true, tracking_since: key.tracking_since });
    }
    // Tracking is not retroactive: it starts with the current UTC day.
    key.tracking_since = startOfUtcDay(now());
    record('enable-tracking', keyId, 'enabled');
    return json(200, { ok: true, already: false, tracking_since: key.tracking_since });
  }

  async function api(req: DashboardRequest, path: string): Promise<DashboardResponse> {
    const { method, url } = req;
    if (method === 'GET' && path === '/session') return json(200, session());
    if (method === 'GET' && path === '/usage/summary') {
      const q = rangeQuery(url);
      return q.failure ?? json(200, summary(org, q.range, q.projectId));
    }
    const topMatch = /^\/usage\/top\/(api_keys|users|organizations)$/.exec(path);
    if (method === 'GET' && topMatch) {
      const q = rangeQuery(url);
      return q.failure ?? json(200, top(org, topMatch[1] as TopDimension, q.range, q.projectId));
    }
    if (method === 'GET' && path === '/api-keys') return json(200, keysPage(url));
    const enableMatch = /^\/api-keys\/([^/]+)\/tracking$/.exec(path);
    if (method === 'POST' && enableMatch) return enableTracking(decodeURIComponent(enableMatch[1] ?? ''));
    if (method === 'POST' && path === '/events') {
      const body = parseBody(req.body);
      const kind = body?.kind;
      if (typeof kind !== 'string' || !(EVENT_KINDS as readonly string[]).includes(kind))
        return error(400, `kind must be one of ${EVENT_KINDS.join(', ')}`);
      const keyId = typeof body?.keyId === 'string' ? body.keyId : undefined;
      const outcome = typeof body?.outcome === 'string' ? body.outcome : undefined;
      record(kind as EventKind, keyId, outcome);
      return json(200, { ok: true });
    }
    if (method === 'GET' && path === '/log') return json(200, log);
    if (method === 'GET' && path === '/config') return json(200, config);
    if (method === 'POST' && path === '/config') {
      const body = parseBody(req.body);
      if (!body) return error(400, 'body must be a JSON object');
      try {
        dashboard.setConfig(body as Partial<DashConfig>);
      } catch (e) {
        return error(400, e instanceof Error ? e.message : String(e));
      }
      return json(200, config);
    }
    if (method === 'POST' && path === '/reset') {
      dashboard.reset();
      return json(200, { ok: true });
    }
    if (method === 'GET' && path === '/app.js')
      return { status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', ...NO_STORE }, body: appScript() };
    if (method === 'GET' && path === '/app.css') {
      const asked = url.searchParams.get('layout');
      const layout = LAYOUTS.find((l) => l === asked) ?? config.layout;
      return {
        status: 200,
        headers: { 'content-type': 'text/css; charset=utf-8', ...NO_STORE },
        body: appCss(layout, url.searchParams.get('build') || config.buildId),
      };
    }
    return error(404, `No simulator route ${method} /_sim/dash${path}`);
  }

  const dashboard: Dashboard = {
    log,
    get config() {
      return config;
    },
    setConfig(patch) {
      config = mergeConfig(config, patch);
    },
    reset() {
      config = initialConfig;
      random = prng(opts.seed ?? 1);
      lastEnableAt = Number.NEGATIVE_INFINITY;
      log.length = 0;
      for (const key of org.keys) if (initialTracking.has(key.id)) key.tracking_since = initialTracking.get(key.id) ?? null;
    },
    async handle(req) {
      const path = req.url.pathname;
      if (path.startsWith('/_sim/dash/')) return api(req, path.slice('/_sim/dash'.length));
      if (req.method !== 'GET' && req.method !== 'HEAD') return error(405, 'Method not allowed');
      if (path === '/' || path === '') return { status: 302, headers: { location: `/usage${req.url.search}`, ...NO_STORE }, body: '' };
      if (path === '/favicon.ico') return { status: 204, headers: {}, body: '' };
      // Any other extension-less path is an app route: the SPA decides (and shows "Page not found" itself).
      if (!/\.[a-z0-9]+$/i.test(path) && !path.startsWith('/_sim/'))
        return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...NO_STORE }, body: SHELL };
      return { status: 404, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'Not found' };
    },
  };
  return dashboard;
}
