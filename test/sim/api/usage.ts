/** GET /v1/organization/usage/{type} and /v1/organization/costs: bucketed, grouped, filtered, cursor-paged. */
import { DAY, type SimOrg, type SimUsageRow, type UsageEndpoint } from '../model';
import { costRows, dayCeil, dayFloor, decimalToPico, picoToDecimal, usageRows } from '../seed';
import { bucketEnd, bucketExists, bucketIndexOf, bucketStart, type Layout, makeLayout, portionsOf } from './buckets';
import { decodeCursor, encodeCursor, queryFingerprint } from './cursor';
import { type ApiError, errors } from './errors';
import type { Parsed } from './params';
import { COSTS_LIMIT, USAGE_LIMITS, USAGE_ROUTES, WIDTH_SECONDS, type Width } from './routes';

/** A JSON number written out verbatim (exact decimals like 0.003835980000), see serialize(). */
export class RawNumber {
  constructor(readonly text: string) {}
}

export interface PageContext {
  org: SimOrg;
  now: number;
  alignment: 'utc' | 'start';
  path: string;
  params: URLSearchParams;
  query: Parsed;
}

export interface UsagePage {
  object: 'page';
  data: Array<{ object: 'bucket'; start_time: number; end_time: number; results: Array<Record<string, unknown>> }>;
  has_more: boolean;
  next_page: string | null;
}

interface Window {
  layout: Layout;
  /** First and last (inclusive) bucket index of this page. */
  first: number;
  last: number;
  hasMore: boolean;
  nextPage: string | null;
}

const limitRange = (width: Width, isCosts: boolean) =>
  isCosts ? COSTS_LIMIT : { min: 1, max: USAGE_LIMITS[width].max, default: USAGE_LIMITS[width].default };

/** start/end/width/limit/page → which buckets this page holds. */
function windowOf(ctx: PageContext, isCosts: boolean): Window | ApiError {
  const q = ctx.query;
  const start = q.start_time as number;
  const end = (q.end_time as number | undefined) ?? ctx.now;
  if (start < 0) return errors.invalidValue('start_time', 'must not be negative.');
  if (end <= start && q.end_time !== undefined) return errors.invalidValue('end_time', 'must be greater than start_time.');
  const width = ((q.bucket_width as string | undefined) ?? '1d') as Width;
  const range = limitRange(width, isCosts);
  const limit = (q.limit as number | undefined) ?? range.default;
  if (limit < range.min || limit > range.max) {
    return errors.invalidValue('limit', `must be between ${range.min} and ${range.max} for bucket_width=${width}.`);
  }
  const layout = makeLayout(start, end, WIDTH_SECONDS[width], ctx.alignment);
  const fingerprint = queryFingerprint(ctx.path, ctx.params);
  let first = 0;
  if (q.page !== undefined) {
    const next = decodeCursor(q.page as string, fingerprint, start);
    const k = next == null ? -1 : bucketIndexOf(layout, next);
    if (next == null || k < 0 || bucketStart(layout, k) !== next)
      return errors.invalidValue('page', 'not a cursor returned for this query.');
    first = k;
  }
  // start_time at/after now without end_time: nothing to report yet, not an error.
  if (end <= start) return { layout, first: 0, last: -1, hasMore: false, nextPage: null };
  let last = first;
  while (last + 1 < first + limit && bucketExists(layout, last + 1)) last++;
  const hasMore = bucketExists(layout, last + 1);
  return { layout, first, last, hasMore, nextPage: hasMore ? encodeCursor(bucketStart(layout, last + 1), fingerprint, start) : null };
}

function emptyBuckets(w: Window): UsagePage['data'] {
  const data: UsagePage['data'] = [];
  for (let k = w.first; k <= w.last; k++) {
    data.push({ object: 'bucket', start_time: bucketStart(w.layout, k), end_time: bucketEnd(w.layout, k), results: [] });
  }
  return data;
}

const dimValue = (row: SimUsageRow, dim: string): string | boolean | null => {
  switch (dim) {
    case 'project_id':
      return row.project_id;
    case 'user_id':
      return row.user_id;
    case 'api_key_id':
      return row.api_key_id;
    case 'model':
      return row.model;
    case 'batch':
      return row.batch;
    case 'service_tier':
      return row.service_tier;
    default:
      return row.extra?.[dim] ?? null;
  }
};

/** Rows that pass every filter of the query (filters match what the API reports, e.g. api_key_id). */
function passesFilters(row: SimUsageRow, endpoint: UsageEndpoint, q: Parsed): boolean {
  const route = USAGE_ROUTES[endpoint];
  const filters: Record<string, string> = { project_ids: 'project_id', ...route.filters };
  for (const [param, dim] of Object.entries(filters)) {
    const wanted = q[param] as string[] | undefined;
    if (wanted && !wanted.includes(String(dimValue(row, dim)))) return false;
  }
  if (q.batch !== undefined && row.batch !== q.batch) return false;
  return true;
}

const groupKey = (values: ReadonlyArray<unknown>): string => JSON.stringify(values);

export function usagePage(ctx: PageContext, endpoint: UsageEndpoint): UsagePage | ApiError {
  const w = windowOf(ctx, false);
  if ('status' in w) return w;
  if (w.last < w.first) return { object: 'page', data: [], has_more: false, next_page: null };
  const route = USAGE_ROUTES[endpoint];
  const groupBy = new Set((ctx.query.group_by as string[] | undefined) ?? []);
  const from = bucketStart(w.layout, w.first);
  const to = bucketEnd(w.layout, w.last);
  const data = emptyBuckets(w);
  // Only days that have started before now can hold usage.
  const rows = usageRows(ctx.org, endpoint, dayFloor(from), Math.min(dayCeil(to), dayCeil(ctx.now)));
  const sums = data.map(() => new Map<string, { dims: Record<string, unknown>; metrics: Record<string, number> }>());
  for (const row of rows) {
    if (!passesFilters(row, endpoint, ctx.query)) continue;
    const dims = Object.fromEntries(route.dims.map((d) => [d, groupBy.has(d) ? dimValue(row, d) : null]));
    const key = groupKey(Object.values(dims));
    for (const { bucket, row: part } of portionsOf(row, w.layout, [from, to], ctx.now, route.gauge === true)) {
      const map = sums[bucket - w.first];
      if (!map) continue;
      const entry = map.get(key) ?? { dims, metrics: Object.fromEntries(route.metrics.map((m) => [m, 0])) };
      for (const m of route.metrics) entry.metrics[m] = (entry.metrics[m] ?? 0) + (part.metrics[m] ?? 0);
      map.set(key, entry);
    }
  }
  sums.forEach((map, i) => {
    const bucket = data[i];
    if (!bucket) return;
    bucket.results = [...map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, { dims, metrics }]) => ({ object: route.object, ...metrics, ...dims }));
  });
  return { object: 'page', data, has_more: w.hasMore, next_page: w.nextPage };
}

/** Costs: a day's bill belongs to the bucket holding the day's 00:00 and appears once the day is over. */
export function costsPage(ctx: PageContext): UsagePage | ApiError {
  const w = windowOf(ctx, true);
  if ('status' in w) return w;
  if (w.last < w.first) return { object: 'page', data: [], has_more: false, next_page: null };
  const groupBy = new Set((ctx.query.group_by as string[] | undefined) ?? []);
  const projectIds = ctx.query.project_ids as string[] | undefined;
  const keyIds = ctx.query.api_key_ids as string[] | undefined;
  const from = bucketStart(w.layout, w.first);
  const to = bucketEnd(w.layout, w.last);
  const data = emptyBuckets(w);
  const lastCompleteDay = dayFloor(ctx.now); // exclusive
  const sums = data.map(() => new Map<string, { dims: Record<string, unknown>; pico: bigint; quantity: number; unit: string | null }>());
  for (const row of costRows(ctx.org, dayCeil(from), Math.min(to, lastCompleteDay))) {
    if (row.day + DAY > ctx.now) continue;
    if (projectIds && !projectIds.includes(row.project_id)) continue;
    if (keyIds && !keyIds.includes(String(row.api_key_id))) continue;
    const map = sums[bucketIndexOf(w.layout, row.day) - w.first];
    if (!map) continue;
    const dims = {
      line_item: groupBy.has('line_item') ? row.line_item : null,
      project_id: groupBy.has('project_id') ? row.project_id : null,
      api_key_id: groupBy.has('api_key_id') ? row.api_key_id : null,
    };
    const key = groupKey(Object.values(dims));
    const entry = map.get(key) ?? { dims, pico: 0n, quantity: 0, unit: row.quantity_unit };
    entry.pico += decimalToPico(row.amount);
    entry.quantity += row.quantity ?? 0;
    map.set(key, entry);
  }
  sums.forEach((map, i) => {
    const bucket = data[i];
    if (!bucket) return;
    bucket.results = [...map.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, e]) => ({
        object: 'organization.costs.result',
        amount: { value: new RawNumber(picoToDecimal(e.pico)), currency: 'usd' },
        ...e.dims,
        // Quantities only make sense per line item (spec: "set when group_by=line_item").
        quantity: groupBy.has('line_item') ? e.quantity : null,
        quantity_unit: groupBy.has('line_item') ? e.unit : null,
      }));
  });
  return { object: 'page', data, has_more: w.hasMore, next_page: w.nextPage };
}

/** The repeat-cursor fault: has_more forever, and the cursor never moves. */
export function repeatCursor(page: UsagePage, ctx: PageContext): UsagePage {
  const incoming = ctx.query.page as string | undefined;
  const start = ctx.query.start_time as number;
  const cursor =
    incoming ?? page.next_page ?? encodeCursor(page.data[0]?.start_time ?? start, queryFingerprint(ctx.path, ctx.params), start);
  return { ...page, has_more: true, next_page: cursor };
}
