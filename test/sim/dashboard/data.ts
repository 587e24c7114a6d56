/**
 * What the simulated dashboard shows, computed from the shared seed (so it agrees with the mock
 * Admin API for any range). Pure functions of (org, range, now); no I/O. Times are Unix seconds.
 *
 * Today is shown as far as it has happened: a day-row of the current day counts with the hours and
 * minutes that have ended by `now`, split exactly as the mock Admin API splits it (../api/buckets),
 * so Top API keys for a range ending today equals what the API reports. Spend, like the Costs API,
 * counts complete days only.
 *
 * "Requests" = num_model_requests, or num_requests where an endpoint has no model requests
 * (file search calls). Web search rows carry both for the same calls, so they count once.
 * Project-level endpoints (vector stores, code interpreter) have no key or user and are left out.
 */
import { makeLayout, portionsOf } from '../api/buckets';
import { DAY, type SimKey, type SimOrg, type SimUsageRow } from '../model';
import { costRows, decimalToPico, PROJECT_LEVEL_ENDPOINTS, SEED_FIRST_DAY, USAGE_ENDPOINTS, usageRows } from '../seed';
import type { KeyItem, Permissions, SummaryResponse, TopDimension, TopResponse, TopRow } from './types';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** 'YYYY-MM-DD' → Unix seconds at 00:00 UTC, or null when it is not a real calendar date. */
export function parseIsoDate(text: string | null | undefined): number | null {
  const m = ISO_DATE.exec(text ?? '');
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null;
  return ms / 1000;
}

export function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString().slice(0, 10);
}

export const startOfUtcDay = (seconds: number): number => Math.floor(seconds / DAY) * DAY;

export interface DayRange {
  /** Inclusive dates as asked for (and echoed back). */
  start: string;
  end: string;
  /** Whole days [fromDay, toDay) that have data: the end date is inclusive, so toDay = end + 1 day, capped at the end of today. */
  fromDay: number;
  toDay: number;
  /** The clock the range was made with: usage after it has not happened yet. */
  now: number;
}

/**
 * The displayed range "start – end" (both inclusive, UTC) → the seed's half-open day range.
 * Days after today have no data yet (today counts, as on the real dashboard).
 */
export function dayRange(start: string, end: string, now: number): DayRange | { error: string } {
  const from = parseIsoDate(start);
  const to = parseIsoDate(end);
  if (from === null || to === null) return { error: 'start and end must be dates as YYYY-MM-DD' };
  if (from > to) return { error: 'start must be on or before end' };
  const endOfToday = startOfUtcDay(now) + DAY;
  const fromDay = Math.max(from, SEED_FIRST_DAY);
  const toDay = Math.max(fromDay, Math.min(to + DAY, endOfToday));
  return { start, end, fromDay, toDay, now };
}

/** The part of a day-row that has happened by `now` (whole for past days), or null. */
export function elapsedPart(row: SimUsageRow, now: number): SimUsageRow | null {
  if (row.day + DAY <= now) return row;
  if (row.day >= now) return null;
  const day = makeLayout(row.day, row.day + DAY, DAY, 'utc');
  const parts = portionsOf(row, day, [row.day, row.day + DAY], now, false);
  if (parts.length === 0) return null;
  const metrics: Record<string, number> = {};
  for (const part of parts) for (const [name, value] of Object.entries(part.row.metrics)) metrics[name] = (metrics[name] ?? 0) + value;
  return { ...row, metrics };
}

/** Usage rows that belong to a key or user (not project-level), optionally for one project. */
export function attributableRows(org: SimOrg, range: DayRange, projectId: string | null): SimUsageRow[] {
  const rows: SimUsageRow[] = [];
  for (const endpoint of USAGE_ENDPOINTS) {
    if (PROJECT_LEVEL_ENDPOINTS.has(endpoint)) continue;
    for (const row of usageRows(org, endpoint, range.fromDay, range.toDay)) {
      if (projectId !== null && row.project_id !== projectId) continue;
      const happened = elapsedPart(row, range.now);
      if (happened) rows.push(happened);
    }
  }
  return rows;
}

export function rowRequests(row: SimUsageRow): number {
  return row.metrics.num_model_requests ?? row.metrics.num_requests ?? 0;
}

function byRequests(a: TopRow, b: TopRow): number {
  return b.requests - a.requests || a.name.localeCompare(b.name) || (a.id ?? '').localeCompare(b.id ?? '');
}

/** "Top API keys": every key with usage in the range (no top-N cut), plus one "Untracked" row. */
export function topApiKeys(org: SimOrg, rows: SimUsageRow[], projectId: string | null): TopRow[] {
  const keys = new Map(org.keys.map((k) => [k.id, k]));
  const projects = new Map(org.projects.map((p) => [p.id, p.name]));
  const totals = new Map<string | null, number>();
  for (const row of rows) totals.set(row.api_key_id, (totals.get(row.api_key_id) ?? 0) + rowRequests(row));
  const out: TopRow[] = [];
  for (const [id, requests] of totals) {
    if (requests <= 0) continue;
    if (id === null) {
      out.push({
        id: null,
        name: 'Untracked',
        redacted_value: null,
        project_id: projectId,
        project_name: projectId ? (projects.get(projectId) ?? null) : null,
        requests,
        untracked: true,
      });
      continue;
    }
    const key = keys.get(id);
    out.push({
      id,
      name: key?.name ?? id,
      redacted_value: key?.redacted_value ?? null,
      project_id: key?.project_id ?? null,
      project_name: key ? (projects.get(key.project_id) ?? null) : null,
      requests,
    });
  }
  return out.sort(byRequests);
}

/** "Top users": users by user_id; service-account usage (user_id null) under the service account's name. */
export function topUsers(org: SimOrg, rows: SimUsageRow[]): TopRow[] {
  const keys = new Map(org.keys.map((k) => [k.id, k]));
  const users = new Map(org.users.map((u) => [u.id, u]));
  const services = new Map(org.serviceAccounts.map((s) => [s.id, s]));
  const totals = new Map<string, TopRow>();
  for (const row of rows) {
    let id: string;
    let name: string;
    let email: string | null = null;
    if (row.user_id) {
      const user = users.get(row.user_id);
      id = row.user_id;
      name = user?.name ?? row.user_id;
      email = user?.email ?? null;
    } else {
      const owner = keys.get(row.key_id)?.owner;
      const svc = owner?.type === 'service_account' ? services.get(owner.service_account_id) : undefined;
      id = svc?.id ?? 'unknown';
      name = svc?.name ?? 'Unknown';
    }
    const entry = totals.get(id) ?? { id, name, email, requests: 0 };
    entry.requests += rowRequests(row);
    totals.set(id, entry);
  }
  return [...totals.values()].filter((r) => r.requests > 0).sort(byRequests);
}

/** "Top organizations": the dashboard does not consolidate orgs, so this is the one org. */
export function topOrganizations(org: SimOrg, rows: SimUsageRow[]): TopRow[] {
  const requests = rows.reduce((sum, row) => sum + rowRequests(row), 0);
  return requests > 0 ? [{ id: org.id, name: org.name, requests }] : [];
}

export function top(org: SimOrg, dimension: TopDimension, range: DayRange, projectId: string | null): TopResponse {
  const rows = attributableRows(org, range, projectId);
  const list =
    dimension === 'api_keys' ? topApiKeys(org, rows, projectId) : dimension === 'users' ? topUsers(org, rows) : topOrganizations(org, rows);
  return {
    dimension,
    start: range.start,
    end: range.end,
    project_id: projectId,
    rows: list,
    total_requests: list.reduce((s, r) => s + r.requests, 0),
  };
}

export function summary(org: SimOrg, range: DayRange, projectId: string | null): SummaryResponse {
  const rows = attributableRows(org, range, projectId);
  let tokens = 0;
  for (const row of rows) {
    if (row.endpoint === 'completions') tokens += (row.metrics.input_tokens ?? 0) + (row.metrics.output_tokens ?? 0);
    else if (row.endpoint === 'embeddings') tokens += row.metrics.input_tokens ?? 0;
  }
  let pico = 0n;
  const lastCompleteDay = startOfUtcDay(range.now); // exclusive, as in the Costs API
  for (const cost of costRows(org, range.fromDay, Math.min(range.toDay, lastCompleteDay))) {
    if (projectId === null || cost.project_id === projectId) pico += decimalToPico(cost.amount);
  }
  return {
    start: range.start,
    end: range.end,
    project_id: projectId,
    requests: rows.reduce((s, r) => s + rowRequests(r), 0),
    tokens,
    spend_usd: picoToCents(pico),
  };
}

/** p$ (10^-12 USD) → "1234.57", rounded half up to cents. */
export function picoToCents(pico: bigint): string {
  const perCent = 10n ** 10n;
  const negative = pico < 0n;
  const cents = ((negative ? -pico : pico) + perCent / 2n) / perCent;
  return `${negative ? '-' : ''}${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`;
}

// ---- API-keys page ---------------------------------------------------------------------------

/** Permissions are not in the model; derive a stable, varied value from the key id. */
function permissionsOf(key: SimKey): Permissions {
  let h = 0;
  for (const ch of key.id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % 7 === 0 ? 'Read only' : h % 5 === 0 ? 'Restricted' : 'All';
}

/** Keys as the API-keys page lists them at `now`: created, not deleted; newest first (so legacy keys end up on the last page). */
export function keyItems(org: SimOrg, now: number, lastUsed: (key: SimKey) => number | null): KeyItem[] {
  const projects = new Map(org.projects.map((p) => [p.id, p.name]));
  const users = new Map(org.users.map((u) => [u.id, u.name]));
  const services = new Map(org.serviceAccounts.map((s) => [s.id, s.name]));
  return org.keys
    .filter((k) => k.created_at <= now && (k.deleted_at === null || k.deleted_at > now))
    .sort((a, b) => b.created_at - a.created_at || a.id.localeCompare(b.id))
    .map((k) => ({
      id: k.id,
      name: k.name,
      redacted_value: k.redacted_value,
      project_id: k.project_id,
      project_name: projects.get(k.project_id) ?? k.project_id,
      created_at: k.created_at,
      last_used_at: lastUsed(k),
      legacy: k.legacy,
      tracking: k.tracking_since !== null,
      tracking_since: k.tracking_since,
      permissions: permissionsOf(k),
      owner_name:
        k.owner.type === 'user'
          ? (users.get(k.owner.user_id) ?? k.owner.user_id)
          : (services.get(k.owner.service_account_id) ?? k.owner.service_account_id),
    }));
}
