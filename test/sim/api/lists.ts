/** Projects, project API keys and users: object shapes of the spec and after/limit pagination. */
import { DAY, type SimKey, type SimOrg, type SimProject, type SimUser } from '../model';
import { dayFloor, keyUsedOn, rand } from '../seed';
import { type ApiError, errors } from './errors';
import type { Parsed } from './params';
import { LIST_LIMIT } from './routes';

export interface ListPage<T> {
  object: 'list';
  data: T[];
  first_id: string | null;
  last_id: string | null;
  has_more: boolean;
}

/** after/limit over items in a fixed order; `ignoreAfter` serves the repeat-cursor fault. */
export function paginate<T extends { id: string }>(items: readonly T[], q: Parsed, ignoreAfter = false): ListPage<T> | ApiError {
  const limit = (q.limit as number | undefined) ?? LIST_LIMIT.default;
  if (limit < LIST_LIMIT.min || limit > LIST_LIMIT.max) {
    return errors.invalidValue('limit', `must be between ${LIST_LIMIT.min} and ${LIST_LIMIT.max}.`);
  }
  let from = 0;
  const after = q.after as string | undefined;
  if (after !== undefined && !ignoreAfter) {
    const index = items.findIndex((item) => item.id === after);
    if (index < 0) return errors.invalidValue('after', `no object with id '${after}' in this list.`);
    from = index + 1;
  }
  const data = items.slice(from, from + limit);
  return {
    object: 'list',
    data,
    first_id: data[0]?.id ?? null,
    last_id: data[data.length - 1]?.id ?? null,
    has_more: ignoreAfter || from + limit < items.length,
  };
}

/** A project as of `now`: not yet archived before its archived_at. */
export function projectObject(p: SimProject, now: number) {
  const archived = p.archived_at != null && p.archived_at <= now;
  return {
    id: p.id,
    object: 'organization.project' as const,
    name: p.name,
    created_at: p.created_at,
    archived_at: archived ? p.archived_at : null,
    status: archived ? 'archived' : 'active',
  };
}

export const visibleProjects = (org: SimOrg, now: number, includeArchived: boolean) =>
  org.projects
    .filter((p) => p.created_at <= now)
    .map((p) => projectObject(p, now))
    .filter((p) => includeArchived || p.status === 'active');

/** Keys that exist at `now` in a project (created, not deleted; legacy user keys only if asked). */
export const keysOf = (org: SimOrg, projectId: string, now: number, listLegacy: boolean): SimKey[] =>
  org.keys.filter(
    (k) => k.project_id === projectId && k.created_at <= now && (k.deleted_at == null || k.deleted_at > now) && (listLegacy || !k.legacy),
  );

/** The last request of the key before now, at some hour of its last active day (null if none in ~13 months). */
export function lastUsedAt(org: SimOrg, key: SimKey, now: number): number | null {
  for (let day = dayFloor(now), n = 0; n < 400; day -= DAY, n++) {
    if (day < key.created_at - DAY) return null;
    if (keyUsedOn(org, key, day)) return Math.min(day + 8 * 3600 + Math.floor(rand(key.id, day, 'last') * 10 * 3600), now);
  }
  return null;
}

export function keyObject(org: SimOrg, key: SimKey, now: number) {
  const owner =
    key.owner.type === 'user'
      ? userOwner(org.users.find((u) => u.id === (key.owner as { user_id: string }).user_id))
      : serviceOwner(org, key.owner.service_account_id);
  return {
    object: 'organization.project.api_key' as const,
    redacted_value: key.redacted_value,
    name: key.name,
    created_at: key.created_at,
    last_used_at: lastUsedAt(org, key, now),
    id: key.id,
    owner_project_access: key.owner_project_access,
    owner,
  };
}

function userOwner(user: SimUser | undefined) {
  if (!user) return { type: 'user' as const };
  return { type: 'user' as const, user: { id: user.id, name: user.name, email: user.email, role: user.role, created_at: user.added_at } };
}

function serviceOwner(org: SimOrg, id: string) {
  const sa = org.serviceAccounts.find((s) => s.id === id);
  if (!sa) return { type: 'service_account' as const };
  return { type: 'service_account' as const, service_account: { id: sa.id, name: sa.name, created_at: sa.created_at, role: sa.role } };
}

export const userObject = (u: SimUser) => ({
  object: 'organization.user' as const,
  id: u.id,
  name: u.name,
  email: u.email,
  role: u.role,
  added_at: u.added_at,
});
