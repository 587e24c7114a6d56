/**
 * The mock OpenAI Admin API: one pure async handler over a SimOrg, serving GET /v1/organization/…
 * with the spec's shapes, plus switchable faults and a request log without secrets.
 *
 * Order of checks: auth (401/403) → route (404) → injected 429/500 → parameters (400) → data.
 */
import type { SimOrg, UsageEndpoint } from '../model';
import { type ApiError, errorBody, errors } from './errors';
import { keyObject, keysOf, type ListPage, paginate, userObject, visibleProjects } from './lists';
import { isError, type ParamTable, type Parsed, parseQuery } from './params';
import { COSTS_PARAMS, KEYS_PARAMS, PROJECTS_PARAMS, USAGE_ROUTES, USERS_PARAMS, usageParams } from './routes';
import {
  type AuthKind,
  FAULT_HEADER,
  type FaultKind,
  type FaultSpec,
  type LogEntry,
  type MockApi,
  type MockApiOptions,
  type SimRequest,
  type SimResponse,
} from './types';
import { costsPage, type PageContext, RawNumber, repeatCursor, type UsagePage, usagePage } from './usage';

export { describeRoutes } from './routes';
export * from './types';

const PREFIX = '/v1/organization/';
const DEFAULT_HANG_MS = 120_000;

type Route =
  | { kind: 'usage'; endpoint: UsageEndpoint }
  | { kind: 'costs' }
  | { kind: 'projects' }
  | { kind: 'keys'; projectId: string }
  | { kind: 'key'; projectId: string; keyId: string }
  | { kind: 'users' };

/** Path → route, or null for anything the mock does not serve. */
export function matchRoute(path: string): Route | null {
  if (!path.startsWith(PREFIX)) return null;
  const parts = path.slice(PREFIX.length).replace(/\/$/, '').split('/').map(decodeURIComponent);
  const [a, b, c, d, ...rest] = parts;
  if (rest.length > 0) return null;
  if (a === 'usage' && b && b in USAGE_ROUTES && c === undefined) return { kind: 'usage', endpoint: b as UsageEndpoint };
  if (a === 'costs' && b === undefined) return { kind: 'costs' };
  if (a === 'users' && b === undefined) return { kind: 'users' };
  if (a === 'projects' && b === undefined) return { kind: 'projects' };
  if (a === 'projects' && b && c === 'api_keys')
    return d === undefined ? { kind: 'keys', projectId: b } : { kind: 'key', projectId: b, keyId: d };
  return null;
}

const paramsOf = (route: Route): ParamTable => {
  switch (route.kind) {
    case 'usage':
      return usageParams(USAGE_ROUTES[route.endpoint]);
    case 'costs':
      return COSTS_PARAMS;
    case 'projects':
      return PROJECTS_PARAMS;
    case 'keys':
      return KEYS_PARAMS;
    case 'key':
      return {};
    case 'users':
      return USERS_PARAMS;
  }
};

/** The bearer token and what kind of caller it is. */
function authenticate(org: SimOrg, headers: SimRequest['headers']): { kind: AuthKind; token: string | null } {
  const header = headers.authorization ?? headers.Authorization;
  const token = header ? (/^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] ?? null) : null;
  if (!header) return { kind: 'none', token: null };
  if (!token) return { kind: 'unknown', token: header };
  if (org.adminKeys.includes(token)) return { kind: 'admin', token };
  if (token.startsWith('sk-') && !token.startsWith('sk-admin-')) return { kind: 'project', token };
  return { kind: 'unknown', token };
}

/** Anything in a query string that looks like a secret keeps only its last 4 characters. */
const redactQuery = (query: string): string => query.replace(/(sk-|sess-)[A-Za-z0-9_-]+/g, (s) => `…${s.slice(-4)}`);

/** Does a fault's endpoint pattern cover this relative path ('usage/completions', 'projects/p/api_keys', …)? */
const faultMatches = (fault: FaultSpec, rel: string): boolean =>
  fault.endpoint === undefined || fault.endpoint === '*' || rel === fault.endpoint || rel.endsWith(`/${fault.endpoint}`);

/** JSON text; RawNumber values are written verbatim so amounts keep all their decimals. */
function serialize(value: unknown): string {
  const marker = '\u0000raw:';
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof RawNumber ? `${marker}${v.text}` : v));
  return text.replace(/"\\u0000raw:([-0-9.eE+]+)"/g, '$1');
}

/** The unknown-fields fault: every object gains properties no spec version has. */
function addUnknownFields(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) return value.map((v) => addUnknownFields(v, depth + 1));
  if (value === null || typeof value !== 'object' || value instanceof RawNumber) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = addUnknownFields(v, depth + 1);
  out.x_sim_unknown_field = 'added by the simulator: clients must ignore unknown fields';
  if (depth === 0) out.x_sim_unknown_object = { kind: 'future', values: [1, 2, 3], flag: true };
  return out;
}

export function createMockApi(org: SimOrg, options: MockApiOptions = {}): MockApi {
  const clock = options.now ?? (() => Math.floor(Date.now() / 1000));
  const alignment = options.bucketAlignment ?? 'utc';
  const listLegacy = options.listLegacyKeys ?? false;
  const faults: FaultSpec[] = [];
  const log: LogEntry[] = [];
  let requestCount = 0;

  /** Takes one use of the first active fault matching the path, dropping it when used up. */
  function takeFault(rel: string): FaultSpec | undefined {
    const index = faults.findIndex((f) => faultMatches(f, rel));
    const fault = faults[index];
    if (!fault) return undefined;
    if (fault.times !== undefined) {
      fault.times -= 1;
      if (fault.times <= 0) faults.splice(index, 1);
    }
    return fault;
  }

  function respond(status: number, body: string, extra: Record<string, string> = {}): SimResponse {
    requestCount++;
    return {
      status,
      headers: {
        'content-type': 'application/json',
        'openai-organization': org.id,
        'openai-version': '2020-10-01',
        'openai-processing-ms': String(20 + (requestCount % 37)),
        'x-request-id': `req_${requestCount.toString(16).padStart(24, '0')}`,
        ...extra,
      },
      body,
    };
  }

  const errorResponse = (e: ApiError, extra: Record<string, string> = {}): SimResponse =>
    respond(e.status, serialize(errorBody(e)), { ...(e.headers ?? {}), ...extra });

  /** The body of a successful answer (before output faults), or an error. */
  function answer(route: Route, ctx: PageContext, repeat: boolean): unknown | ApiError {
    const q = ctx.query;
    switch (route.kind) {
      case 'usage':
      case 'costs': {
        const page = route.kind === 'usage' ? usagePage(ctx, route.endpoint) : costsPage(ctx);
        if ('status' in page) return page;
        return repeat ? repeatCursor(page as UsagePage, ctx) : page;
      }
      case 'projects':
        return paginate(visibleProjects(org, ctx.now, q.include_archived === true), q, repeat);
      case 'keys': {
        if (!org.projects.some((p) => p.id === route.projectId && p.created_at <= ctx.now)) {
          return errors.notFound('project', route.projectId, 'project_id');
        }
        const access = (q.owner_project_access as string | undefined) ?? 'active';
        const keys = keysOf(org, route.projectId, ctx.now, listLegacy).filter((k) => access === 'any' || k.owner_project_access === access);
        const page = paginate(keys, q, repeat);
        if ('status' in page) return page;
        return { ...page, data: (page as ListPage<(typeof keys)[number]>).data.map((k) => keyObject(org, k, ctx.now)) };
      }
      case 'key': {
        if (!org.projects.some((p) => p.id === route.projectId && p.created_at <= ctx.now)) {
          return errors.notFound('project', route.projectId, 'project_id');
        }
        const key = keysOf(org, route.projectId, ctx.now, listLegacy).find((k) => k.id === route.keyId);
        return key ? keyObject(org, key, ctx.now) : errors.notFound('API key', route.keyId, 'api_key_id');
      }
      case 'users': {
        const emails = q.emails as string[] | undefined;
        const users = org.users.filter((u) => u.added_at <= ctx.now && (!emails || emails.includes(u.email))).map(userObject);
        return paginate(users, q, repeat);
      }
    }
  }

  async function handle(req: SimRequest): Promise<SimResponse> {
    const now = clock();
    const path = req.url.pathname;
    const auth = authenticate(org, req.headers);
    const entry: LogEntry = {
      at: now,
      method: req.method,
      path,
      query: redactQuery(req.url.search.replace(/^\?/, '')),
      auth: auth.kind,
      keyHint: auth.token ? auth.token.slice(-4) : null,
      status: 0,
    };
    const finish = (response: SimResponse, fault?: FaultKind): SimResponse => {
      entry.status = response.status;
      if (fault) entry.fault = fault;
      log.push(entry);
      return response;
    };

    if (auth.kind === 'none') return finish(errorResponse(errors.missingKey()));
    if (auth.kind === 'unknown') return finish(errorResponse(errors.incorrectKey(auth.token ?? '')));
    const route = req.method.toUpperCase() === 'GET' ? matchRoute(path) : null;
    if (auth.kind === 'project') {
      const scope = route?.kind === 'usage' || route?.kind === 'costs' || !route ? 'api.usage.read' : 'api.management.read';
      return finish(errorResponse(errors.missingScope(scope)));
    }
    if (!route) return finish(errorResponse(errors.invalidUrl(req.method.toUpperCase(), path)));

    const rel = path.slice(PREFIX.length).replace(/\/$/, '');
    const fault = takeFault(rel);
    const marked: Record<string, string> = fault ? { [FAULT_HEADER]: fault.kind } : {};
    if (fault?.kind === '429')
      return finish(errorResponse(errors.rateLimited(fault.retryAfter === undefined ? 1 : fault.retryAfter), marked), '429');
    if (fault?.kind === '500') return finish(errorResponse(errors.serverError(), marked), '500');

    const query: Parsed | ApiError = parseQuery(req.url.searchParams, paramsOf(route));
    if (isError(query)) return finish(errorResponse(query), fault?.kind);
    const ctx: PageContext = { org, now, alignment, path, params: req.url.searchParams, query };
    const result = answer(route, ctx, fault?.kind === 'repeat-cursor');
    if (isError(result)) return finish(errorResponse(result), fault?.kind);

    let body = serialize(fault?.kind === 'unknown-fields' ? addUnknownFields(result) : result);
    // A prefix of a JSON object is never valid JSON.
    if (fault?.kind === 'malformed') body = body.slice(0, Math.max(1, Math.floor(body.length / 2)));
    const response = respond(200, body, marked);
    if (fault?.kind === 'hang') response.hangMs = fault.hangMs ?? DEFAULT_HANG_MS;
    return finish(response, fault?.kind);
  }

  return {
    org,
    handle,
    setFault: (fault) => {
      faults.push({ ...fault });
    },
    clearFaults: () => {
      faults.length = 0;
    },
    get faults() {
      return faults;
    },
    log,
    reset: () => {
      faults.length = 0;
      log.length = 0;
    },
  };
}
