import { putCostRows, putUsageRows } from '../history/day-totals';
import type { HistoryDB, PendingSync, SyncStateRecord, SyncStep } from '../history/db';
import type { AdminClient } from '../openai/client';
import { toErrorInfo } from '../openai/errors';
import type { UsageEndpoint } from '../openai/schemas';
import type { PriceOverride } from '../pricing/price';
import { normaliseCost, normaliseUsage } from '../usage/normalise';
import type { KeyRecord, ProjectRecord } from '../usage/records';
import { COST_DAYS_PER_PAGE, COST_GROUP_BY, planSync, USAGE_DAYS_PER_PAGE, USAGE_GROUP_BY } from './plan';

export const FRESH_FOR_SECONDS = 5 * 60;

export interface SyncDeps {
  db: HistoryDB;
  client: AdminClient;
  orgId: string;
  /** Unix seconds. */
  now: number;
  backfillDays: number;
  overrides?: readonly PriceOverride[];
}

export type SyncOutcome =
  | { status: 'skipped-fresh' }
  | { status: 'done'; rows: number }
  | { status: 'failed'; error: ReturnType<typeof toErrorInfo> };

function initialState(orgId: string): SyncStateRecord {
  return { orgId, watermark: null, lastSuccessAt: null, lastAttemptAt: null, lastError: null, pending: null };
}

/**
 * One sync of one organisation: metadata, every usage endpoint, costs. Each page is written
 * together with the cursor of the next one, in one transaction, so a sync stopped at any point
 * resumes there, and a page fetched twice only rewrites the same rows.
 */
export async function runSync(deps: SyncDeps, options: { force?: boolean } = {}): Promise<SyncOutcome> {
  const { db, orgId, now } = deps;
  const state = (await db.syncState.get(orgId)) ?? initialState(orgId);
  if (!options.force && !state.pending && state.lastSuccessAt !== null && now - state.lastSuccessAt < FRESH_FOR_SECONDS) {
    return { status: 'skipped-fresh' };
  }
  const pending = state.pending ?? planSync({ now, watermark: state.watermark, backfillDays: deps.backfillDays });
  let rows = 0;
  // Every write is inside the try: a full disk (QuotaExceededError) fails the sync like an API
  // error, and the page being written rolls back with its cursor, so the last good data stays.
  try {
    await db.syncState.put({ ...state, pending, lastAttemptAt: now });
    for (const step of pending.steps) {
      if (step.done) continue;
      rows += await runStep(deps, pending, step);
    }
    await db.syncState.put({
      orgId,
      watermark: pending.to - 86_400,
      lastSuccessAt: now,
      lastAttemptAt: now,
      lastError: null,
      pending: null,
    });
  } catch (error) {
    const info = toErrorInfo(error);
    try {
      await db.syncState.update(orgId, { lastError: { kind: info.kind, detail: info.detail, status: info.status } });
    } catch {
      // The storage may be too full even for this small record: the outcome still carries the error.
    }
    return { status: 'failed', error: info };
  }
  return { status: 'done', rows };
}

async function saveStep(db: HistoryDB, orgId: string, pending: PendingSync) {
  await db.syncState.update(orgId, { pending });
}

async function runStep(deps: SyncDeps, pending: PendingSync, step: SyncStep): Promise<number> {
  const { db, client, orgId } = deps;
  if (step.name === 'metadata') {
    await syncMetadata(deps);
    step.done = true;
    step.pagesDone = 1;
    await saveStep(db, orgId, pending);
    return 0;
  }
  const range = { start_time: pending.from, end_time: pending.to, bucket_width: '1d' as const };
  let written = 0;
  if (step.name === 'costs') {
    for await (const page of client.costPages({ ...range, limit: COST_DAYS_PER_PAGE, group_by: COST_GROUP_BY, page: step.cursor })) {
      const records = page.data.flatMap((bucket) => bucket.results.map((result) => normaliseCost(bucket.start_time, result, orgId)));
      await db.transaction('rw', [db.usage, db.costs, db.dayTotals, db.syncState], async () => {
        await putCostRows(db, records);
        step.cursor = page.next_page ?? undefined;
        step.pagesDone += 1;
        await saveStep(db, orgId, pending);
      });
      written += records.length;
    }
  } else {
    const endpoint = step.name.slice('usage:'.length) as UsageEndpoint;
    const query = { ...range, limit: USAGE_DAYS_PER_PAGE, group_by: USAGE_GROUP_BY[endpoint], page: step.cursor };
    for await (const page of client.usagePages(endpoint, query)) {
      const records = page.data.flatMap((bucket) =>
        bucket.results.map((result) => normaliseUsage(endpoint, bucket.start_time, result, { orgId, overrides: deps.overrides })),
      );
      await db.transaction('rw', [db.usage, db.costs, db.dayTotals, db.syncState], async () => {
        await putUsageRows(db, records);
        step.cursor = page.next_page ?? undefined;
        step.pagesDone += 1;
        await saveStep(db, orgId, pending);
      });
      written += records.length;
    }
  }
  step.done = true;
  await saveStep(db, orgId, pending);
  return written;
}

/** Projects and keys (archived and inactive too). A key no longer listed is kept, marked deleted. */
async function syncMetadata(deps: SyncDeps) {
  const { db, client, orgId, now } = deps;
  const projects = await client.listProjects();
  const seenKeys: KeyRecord[] = [];
  for (const project of projects) {
    for (const key of await client.listProjectKeys(project.id)) {
      const owner = key.owner.user ?? key.owner.service_account;
      seenKeys.push({
        id: `${orgId}|${key.id}`,
        orgId,
        keyId: key.id,
        name: key.name,
        redactedValue: key.redacted_value,
        projectId: project.id,
        ownerType: key.owner.type ?? '',
        ownerName: owner?.name ?? '',
        ownerEmail: key.owner.user?.email ?? '',
        createdAt: key.created_at,
        lastUsedAt: key.last_used_at,
        firstSeenAt: now,
        lastSeenAt: now,
        deleted: false,
      });
    }
  }
  const projectRecords: ProjectRecord[] = projects.map((p) => ({
    id: `${orgId}|${p.id}`,
    orgId,
    projectId: p.id,
    name: p.name ?? p.id,
    archived: p.status === 'archived',
  }));
  await db.transaction('rw', db.keys, db.projects, async () => {
    const known = new Map((await db.keys.where('orgId').equals(orgId).toArray()).map((k) => [k.id, k]));
    const listed = new Set(seenKeys.map((k) => k.id));
    const updates = seenKeys.map((k) => ({ ...k, firstSeenAt: known.get(k.id)?.firstSeenAt ?? now }));
    const vanished = [...known.values()].filter((k) => !listed.has(k.id) && !k.deleted).map((k) => ({ ...k, deleted: true }));
    await db.keys.bulkPut([...updates, ...vanished]);
    await db.projects.bulkPut(projectRecords);
  });
}
