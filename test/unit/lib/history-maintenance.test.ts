import Dexie from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildExportDataset } from '@/lib/export/dataset';
import { buildExportFile } from '@/lib/export/index';
import { BACKUP_VERSION, type Backup, buildBackup, parseBackup, restoreBackup, restoreFromText } from '@/lib/history/backup';
import { HistoryDB, type SyncStateRecord } from '@/lib/history/db';
import { clearHistory, deleteOrgHistory, storageReport } from '@/lib/history/maintenance';
import { repriceHistory, repriceRow } from '@/lib/history/reprice';
import { orgCutoff, pruneHistory, retentionCutoff } from '@/lib/history/retention';
import { createAdminClient } from '@/lib/openai/client';
import { describeApiError, isQuotaError, toErrorInfo } from '@/lib/openai/errors';
import { parseFormRows, toFormRows } from '@/lib/pricing/override-form';
import type { PriceOverride } from '@/lib/pricing/price';
import { DAY } from '@/lib/sync/plan';
import { runSync } from '@/lib/sync/run';
import type { UsageRecord } from '@/lib/usage/records';
import { createMockApi } from '../../sim/api/index';
import { mockFetch } from '../../sim/fetch-adapter';
import { createOrg, DEMO_ADMIN_KEY, utcDay } from '../../sim/seed';
import { expectRollupMatchesRows } from '../day-totals-check';

const NOW = utcDay('2026-01-20') + 12 * 3600;
const TODAY = utcDay('2026-01-20');
const opened: HistoryDB[] = [];

function newDb(): HistoryDB {
  const db = new HistoryDB(`maintenance-${Math.random()}`);
  opened.push(db);
  return db;
}

afterEach(async () => {
  for (const db of opened.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

function syncDeps(db: HistoryDB, orgId = 'org1', overrides: PriceOverride[] = [], now = NOW) {
  const api = createMockApi(createOrg(), { now: () => now });
  const client = createAdminClient({ apiKey: DEMO_ADMIN_KEY, fetch: mockFetch(api), sleep: async () => {}, maxAttempts: 1 });
  return { api, deps: { db, client, orgId, now, backfillDays: 30, overrides } };
}

/**
 * A database holding a 30-day sync of each organisation. Each organisation is synced against the
 * mock API once per file; later calls copy that result in (restore is much faster than a sync).
 */
const syncedOnce = new Map<string, { backup: Backup; state: SyncStateRecord }>();
async function synced(orgIds = ['org1']): Promise<HistoryDB> {
  const db = newDb();
  for (const orgId of orgIds) {
    let cached = syncedOnce.get(orgId);
    if (!cached) {
      const source = newDb();
      expect(await runSync(syncDeps(source, orgId).deps)).toMatchObject({ status: 'done' });
      const parsed = parseBackup(JSON.stringify(await buildBackup(source, { now: new Date(NOW * 1000), orgs: [] })));
      if (!parsed.ok) throw new Error(parsed.message);
      cached = { backup: parsed.backup, state: (await source.syncState.get(orgId))! };
      syncedOnce.set(orgId, cached);
    }
    await restoreBackup(db, cached.backup);
    await db.syncState.put(cached.state);
  }
  return db;
}

const SNAPSHOT = {
  rangeStart: '2026-01-01',
  rangeEnd: '2026-01-14',
  rangeLabel: 'Jan 1 – Jan 14',
  rows: [{ label: 'support-bot', redacted: 'sk-…abcd', project: 'Default', requests: 42 }],
};
const RUN = {
  runId: 'run-1',
  startedAt: 1_768_000_000_000,
  updatedAt: 1_768_000_100_000,
  finishedAt: 1_768_000_100_000,
  status: 'done' as const,
  reason: null,
  pagination: 'single' as const,
  pageCount: 1,
  pacingMs: 500,
  items: [
    {
      name: 'old key',
      redacted: 'sk-…wxyz',
      created: 'Nov 3, 2023',
      status: 'enabled' as const,
      attempts: 1,
      error: null,
      skipReason: null,
    },
  ],
};

/** Adds one zero-setup snapshot, one audit record and one tag row, so every backed-up table has rows. */
async function addExtras(db: HistoryDB) {
  await db.snapshots.add({ ...SNAPSHOT, at: (NOW - 3 * DAY) * 1000 });
  await db.audit.add({ at: RUN.startedAt, kind: 'bulk-enable', summary: 'done: 1 enabled', details: RUN });
  const key = await db.keys.orderBy('id').first();
  await db.tags.put({ id: key!.id, orgId: key!.orgId, apiKeyId: key!.keyId, tags: ['support'], updatedAt: 1 });
}

/** Every table's rows, ordered, auto-increment ids left out: what "unchanged" and "the same" compare. */
async function contents(db: HistoryDB) {
  const strip = <T extends { id?: number }>(rows: T[]) => rows.map(({ id: _id, ...rest }) => rest);
  return {
    usage: await db.usage.orderBy('id').toArray(),
    costs: await db.costs.orderBy('id').toArray(),
    keys: await db.keys.orderBy('id').toArray(),
    projects: await db.projects.orderBy('id').toArray(),
    syncState: await db.syncState.orderBy('orgId').toArray(),
    snapshots: strip(await db.snapshots.orderBy('at').toArray()),
    audit: strip(await db.audit.orderBy('at').toArray()),
    tags: await db.tags.orderBy('id').toArray(),
  };
}

const backupText = async (db: HistoryDB) =>
  JSON.stringify(await buildBackup(db, { now: new Date(NOW * 1000), orgs: [{ id: 'org1', label: 'Acme' }] }));

describe('backup and restore', { timeout: 60_000 }, () => {
  it('round trip: a backup restored into an empty database gives the same history', async () => {
    const source = await synced();
    await addExtras(source);
    const text = await backupText(source);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: 'keymeter-backup', version: 1, exportedAt: new Date(NOW * 1000).toISOString() });
    expect(doc.orgs).toEqual([{ id: 'org1', label: 'Acme' }]);
    // History only: no admin key, no sync state, no setting.
    expect(text).not.toContain(DEMO_ADMIN_KEY);
    expect(Object.keys(doc.tables).sort()).toEqual(['audit', 'costs', 'keys', 'projects', 'snapshots', 'tags', 'usage']);

    const target = newDb();
    const result = await restoreFromText(target, text, [{ id: 'org1' }]);
    const { syncState: _s, ...expected } = await contents(source);
    const { syncState, ...restored } = await contents(target);
    expect(restored).toEqual(expected);
    expect(syncState).toEqual([]);
    const rows = Object.values(expected).reduce((n, t) => n + t.length, 0);
    expect(result).toMatchObject({ ok: true, rows, added: rows, notConnected: [] });
  });

  it('restoring twice is the same as once (idempotent merge by natural ids), and says nothing was new', async () => {
    const source = await synced();
    await addExtras(source);
    const text = await backupText(source);
    const target = newDb();
    const first = await restoreFromText(target, text, []);
    const once = await contents(target);
    const second = await restoreFromText(target, text, []);
    expect(await contents(target)).toEqual(once);
    expect(first).toMatchObject({ ok: true, notConnected: ['Acme'] });
    expect(second).toMatchObject({ ok: true, added: 0 });
    if (first.ok && second.ok) expect(second.rows).toBe(first.rows);
  });

  it('merges into existing history: rows already there stay, rows of the backup are added', async () => {
    const source = await synced();
    const text = await backupText(source);
    const target = await synced(['org2']);
    const before = await contents(target);
    const result = await restoreFromText(target, text, [{ id: 'org2' }]);
    const after = await contents(target);
    expect(after.usage.filter((r) => r.orgId === 'org2')).toEqual(before.usage);
    expect(after.usage.filter((r) => r.orgId === 'org1')).toEqual(await source.usage.orderBy('id').toArray());
    expect(result).toMatchObject({ ok: true, notConnected: ['Acme'] });
  });

  describe('refuses a file that is not a valid backup, with a specific sentence, and leaves the database unchanged', () => {
    const valid = async () => {
      const source = await synced();
      await addExtras(source);
      return JSON.parse(await backupText(source));
    };
    const cases: Array<[string, () => Promise<string>, RegExp]> = [
      ['an empty file', async () => '', /^This file is not a Keymeter backup: it is empty\. Nothing was changed\.$/],
      [
        'a truncated backup',
        async () => {
          const text = JSON.stringify(await valid());
          return text.slice(0, Math.floor(text.length / 2));
        },
        /^This file is not a Keymeter backup: it is not valid JSON, so it is damaged or cut off \(.+\)\. Nothing was changed\.$/,
      ],
      [
        'random JSON',
        async () => JSON.stringify({ hello: 'world', items: [1, 2, 3] }),
        /not a Keymeter backup: it has no "format": "keymeter-backup" field/,
      ],
      ['a JSON array', async () => '[1,2,3]', /not a Keymeter backup: it holds no backup document/],
      ['plain text', async () => 'hello there', /not a Keymeter backup: it is not JSON\./],
      [
        'a newer version',
        async () => JSON.stringify({ ...(await valid()), version: 2 }),
        /^This backup was written by a newer Keymeter \(version 2\); this Keymeter reads version 1\. Update Keymeter, then restore it\. Nothing was changed\.$/,
      ],
      [
        'a damaged row',
        async () => {
          const doc = await valid();
          doc.tables.usage[3].inputTokens = 'many';
          return JSON.stringify(doc);
        },
        /^This file is not a Keymeter backup: it is damaged: usage\[3\]\.inputTokens: .*expected number.*Nothing was changed\.$/,
      ],
      [
        'a row whose id does not match its fields',
        async () => {
          const doc = await valid();
          doc.tables.usage[0].model = 'gpt-forged';
          return JSON.stringify(doc);
        },
        /it is damaged: usage\[0\]\.id: the id does not match/,
      ],
      [
        'a table with rows missing',
        async () => {
          const doc = await valid();
          doc.tables.costs.pop();
          return JSON.stringify(doc);
        },
        /it is damaged: costs: it should hold \d+ rows but holds \d+, so it is incomplete/,
      ],
      [
        'a missing table',
        async () => {
          const doc = await valid();
          delete doc.tables.keys;
          return JSON.stringify(doc);
        },
        /it is damaged: keys: /,
      ],
    ];

    it.each(cases)('%s', async (_name, file, sentence) => {
      const target = await synced(['org2']);
      await addExtras(target);
      const before = await contents(target);
      const result = await restoreFromText(target, await file(), []);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toMatch(sentence);
      expect(await contents(target)).toEqual(before);
    });

    it('a Keymeter export (CSV and JSON) is named as such', async () => {
      const db = await synced();
      const dataset = await buildExportDataset(db, {
        orgs: [{ id: 'org1', label: 'Acme' }],
        from: TODAY - 7 * DAY,
        to: TODAY,
        grouping: 'key',
        generatedAt: NOW * 1000,
      });
      const csv = new TextDecoder().decode((await buildExportFile(dataset, 'csv', { bom: true })).bytes);
      const json = new TextDecoder().decode((await buildExportFile(dataset, 'json')).bytes);
      expect(parseBackup(csv)).toMatchObject({
        ok: false,
        message:
          'This file is not a Keymeter backup: it is a CSV file (a Keymeter export or a spreadsheet), not a backup. Nothing was changed.',
      });
      expect(parseBackup(json)).toMatchObject({
        ok: false,
        message:
          'This file is not a Keymeter backup: it is a Keymeter JSON export (a report for finance), not a backup. Nothing was changed.',
      });
    });
  });

  it('reads its own version', async () => {
    expect(BACKUP_VERSION).toBe(1);
    const parsed = parseBackup(await backupText(await synced()));
    expect(parsed.ok).toBe(true);
  });
});

describe('retention', { timeout: 60_000 }, () => {
  it('cutoff: N calendar months back from today (UTC), clamped to the month’s last day; null keeps everything', () => {
    expect(retentionCutoff(NOW, null)).toBeNull();
    expect(retentionCutoff(NOW, 3)).toBe(utcDay('2025-10-20'));
    expect(retentionCutoff(NOW, 12)).toBe(utcDay('2025-01-20'));
    expect(retentionCutoff(utcDay('2026-03-31') + 5, 1)).toBe(utcDay('2026-02-28'));
    expect(retentionCutoff(utcDay('2024-03-31'), 1)).toBe(utcDay('2024-02-29'));
    expect(retentionCutoff(utcDay('2026-01-31'), 2)).toBe(utcDay('2025-11-30'));
  });

  it('never cuts into a sync window: the pending range, or the watermark less the refetch days', () => {
    const cutoff = utcDay('2026-01-01');
    const state = { orgId: 'o', watermark: null, lastSuccessAt: null, lastAttemptAt: null, lastError: null, pending: null };
    expect(orgCutoff(cutoff, undefined)).toBe(cutoff);
    expect(orgCutoff(cutoff, state)).toBe(cutoff);
    expect(orgCutoff(cutoff, { ...state, watermark: utcDay('2025-12-20') })).toBe(utcDay('2025-12-18'));
    expect(orgCutoff(cutoff, { ...state, pending: { from: utcDay('2025-11-01'), to: cutoff, startedAt: 0, steps: [] } })).toBe(
      utcDay('2025-11-01'),
    );
  });

  it('prunes usage, costs and snapshots older than the cutoff; keeps the rest, keys and the sync window', async () => {
    const db = await synced(['org1', 'org2']);
    await db.snapshots.bulkAdd([
      { ...SNAPSHOT, at: (TODAY - 40 * DAY) * 1000 },
      { ...SNAPSHOT, at: (TODAY - 2 * DAY) * 1000 },
    ]);
    // org2 has a sync under way since 25 days ago: nothing from there on is pruned for it.
    const state2 = await db.syncState.get('org2');
    await db.syncState.put({ ...state2!, pending: { from: TODAY - 25 * DAY, to: TODAY + DAY, startedAt: NOW, steps: [] } });
    const before = await contents(db);
    // Keep 0.5 month is not allowed; use a "now" 20 days ahead with 1 month: cutoff = 2026-01-09.
    const now = NOW + 20 * DAY;
    const cutoff = retentionCutoff(now, 1)!;
    expect(cutoff).toBe(utcDay('2026-01-09'));
    const result = await pruneHistory(db, { now, keepMonths: 1 });
    const after = await contents(db);

    const keep = (orgId: string, day: number) => day >= (orgId === 'org2' ? TODAY - 25 * DAY : cutoff);
    expect(after.usage).toEqual(before.usage.filter((r) => keep(r.orgId, r.day)));
    expect(after.costs).toEqual(before.costs.filter((r) => keep(r.orgId, r.day)));
    expect(after.usage.some((r) => r.orgId === 'org1' && r.day < cutoff)).toBe(false);
    expect(after.usage.some((r) => r.orgId === 'org2' && r.day < cutoff)).toBe(true);
    expect(after.snapshots).toEqual(before.snapshots.filter((s) => s.at >= cutoff * 1000));
    expect(after.keys).toEqual(before.keys);
    expect(result).toMatchObject({ cutoff, deleted: { snapshots: 1 } });
    expect(result.total).toBe(
      before.usage.length -
        after.usage.length +
        before.costs.length -
        after.costs.length +
        before.snapshots.length -
        after.snapshots.length,
    );
    expect(result.deleted.usage).toBeGreaterThan(0);
  });

  it('keeps everything by default', async () => {
    const db = await synced();
    const before = await contents(db);
    expect(await pruneHistory(db, { now: NOW + 400 * DAY, keepMonths: null })).toEqual({ cutoff: null, deleted: {}, total: 0 });
    expect(await contents(db)).toEqual(before);
  });
});

describe('removing an organisation with its history, clearing, storage', { timeout: 60_000 }, () => {
  it('deletes only that organisation’s rows, in every table that holds them', async () => {
    const db = await synced(['org1', 'org2']);
    await addExtras(db);
    await db.alertsFired.bulkPut([
      { id: 'spike|org1|1', kind: 'spike', at: 1, title: 't', message: 'm', notified: true },
      { id: 'spike|org2|1', kind: 'spike', at: 1, title: 't', message: 'm', notified: true },
    ]);
    const before = await contents(db);
    const deleted = await deleteOrgHistory(db, 'org1');
    const after = await contents(db);
    const org2 = <T extends { orgId: string }>(rows: T[]) => rows.filter((r) => r.orgId === 'org2');
    expect(after.usage).toEqual(org2(before.usage));
    expect(after.costs).toEqual(org2(before.costs));
    expect(after.keys).toEqual(org2(before.keys));
    expect(after.projects).toEqual(org2(before.projects));
    expect(after.syncState).toEqual(org2(before.syncState));
    expect(after.tags).toEqual([]);
    expect(after.snapshots).toEqual(before.snapshots);
    expect(after.audit).toEqual(before.audit);
    expect((await db.alertsFired.toArray()).map((a) => a.id)).toEqual(['spike|org2|1']);
    expect(org2(before.usage).length).toBeGreaterThan(0);
    expect(deleted).toMatchObject({ usage: before.usage.length - after.usage.length, syncState: 1, tags: 1, alertsFired: 1 });
  });

  it('clear history empties usage, costs, keys, projects, snapshots and sync state; keeps audit and tags', async () => {
    const db = await synced();
    await addExtras(db);
    const before = await contents(db);
    const counts = await clearHistory(db);
    const after = await contents(db);
    expect(after).toEqual({ ...before, usage: [], costs: [], keys: [], projects: [], snapshots: [], syncState: [] });
    expect(counts).toEqual({
      usage: before.usage.length,
      costs: before.costs.length,
      keys: before.keys.length,
      projects: before.projects.length,
      snapshots: 1,
      syncState: 1,
    });
  });

  it('storage report: rows per table and the browser’s estimate', async () => {
    const db = await synced();
    const report = await storageReport(db, async () => ({ usage: 1234, quota: 99_999 }));
    expect(report.usageBytes).toBe(1234);
    expect(report.quotaBytes).toBe(99_999);
    expect(report.tables.find((t) => t.name === 'usage')?.rows).toBe(await db.usage.count());
    expect(report.totalRows).toBe(report.tables.reduce((n, t) => n + t.rows, 0));
    const none = await storageReport(db, async () => {
      throw new Error('no estimate');
    });
    expect(none).toMatchObject({ usageBytes: null, quotaBytes: null });
  });
});

describe('storage full (QuotaExceededError)', { timeout: 60_000 }, () => {
  const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

  it('is recognised bare and as Dexie wraps it', () => {
    expect(isQuotaError(quota())).toBe(true);
    expect(isQuotaError({ name: 'AbortError', inner: quota() })).toBe(true);
    expect(isQuotaError({ name: 'BulkError', failures: [quota()] })).toBe(true);
    expect(isQuotaError(new Error('other'))).toBe(false);
    expect(toErrorInfo(quota())).toEqual({ kind: 'storage-full', detail: 'The quota has been exceeded' });
    expect(describeApiError(toErrorInfo(quota()))).toBe(
      "Your browser's storage for Keymeter is full: The quota has been exceeded; remove old history (Retention) or free disk space. The last good data is kept.",
    );
  });

  it('a sync whose write fails for lack of space reports it, keeps the last good data, and resumes later', async () => {
    const db = await synced();
    const good = await contents(db);
    const { deps } = syncDeps(db);
    const spy = vi.spyOn(db.usage, 'bulkPut').mockRejectedValue(quota());
    const outcome = await runSync({ ...deps, now: NOW + 600 }, { force: true });
    expect(outcome).toMatchObject({ status: 'failed', error: { kind: 'storage-full' } });
    if (outcome.status === 'failed') expect(describeApiError(outcome.error)).toMatch(/^Your browser's storage for Keymeter is full: /);
    const after = await contents(db);
    expect(after.usage).toEqual(good.usage);
    expect(after.costs).toEqual(good.costs);
    expect(after.syncState[0]?.lastError).toMatchObject({ kind: 'storage-full' });
    spy.mockRestore();
    expect(await runSync({ ...deps, now: NOW + 600 })).toMatchObject({ status: 'done' });
    expect((await contents(db)).usage).toEqual(good.usage);
  });

  it('a restore that runs out of space writes nothing and says so', async () => {
    const text = await backupText(await synced());
    const target = await synced(['org2']);
    await addExtras(target);
    const before = await contents(target);
    vi.spyOn(target.costs, 'bulkPut').mockRejectedValue(quota());
    const result = await restoreFromText(target, text, []);
    expect(result).toMatchObject({ ok: false, reason: 'storage-full' });
    if (!result.ok)
      expect(result.message).toMatch(/^Your browser's storage for Keymeter is full: .*remove old history \(Retention\) or free disk space/);
    expect(await contents(target)).toEqual(before);
  });
});

describe('re-pricing history', { timeout: 60_000 }, () => {
  it('with the same overrides changes nothing: the estimate from stored tokens equals the sync’s', async () => {
    const db = await synced();
    const before = await contents(db);
    const result = await repriceHistory(db, []);
    expect(result.changed).toBe(0);
    expect(result.rows).toBeGreaterThan(100);
    expect(await contents(db)).toEqual(before);
  });

  it('with a new override gives exactly the rows a sync with that override writes; removing it restores the list price', async () => {
    const overrides: PriceOverride[] = [
      { model: 'gpt-4o-mini*', from: '2026-01-01', inputPerMTok: 0.1, cachedInputPerMTok: 0.05, outputPerMTok: 0.4 },
    ];
    const db = await synced();
    const listPriced = await db.usage.orderBy('id').toArray();
    const reference = newDb();
    await runSync(syncDeps(reference, 'org1', overrides).deps);

    const result = await repriceHistory(db, overrides);
    expect(result.changed).toBeGreaterThan(0);
    expect(await db.usage.orderBy('id').toArray()).toEqual(await reference.usage.orderBy('id').toArray());

    await repriceHistory(db, []);
    expect(await db.usage.orderBy('id').toArray()).toEqual(listPriced);
  });

  it('leaves billed-only rows alone and keeps audio/realtime rows without an override', () => {
    const row: UsageRecord = {
      id: 'x',
      orgId: 'o',
      day: TODAY,
      endpoint: 'completions',
      projectId: '',
      apiKeyId: 'k',
      model: 'gpt-4o-audio-preview',
      batch: '',
      serviceTier: '',
      extra: '',
      requests: 1,
      inputTokens: 1000,
      cachedTokens: 0,
      outputTokens: 100,
      units: 0,
      estimatedMicros: 123,
      priceNote: '',
    };
    expect(repriceRow(row, [])).toEqual({ kind: 'kept' });
    expect(repriceRow({ ...row, endpoint: 'images', model: 'dall-e-3' }, [])).toEqual({ kind: 'not-estimated' });
    const covered = repriceRow(row, [{ model: 'gpt-4o-audio*', from: '2025-01-01', inputPerMTok: 1, outputPerMTok: 10 }]);
    expect(covered).toMatchObject({ kind: 'changed', row: { estimatedMicros: 2000, priceNote: '' } });
  });
});

describe('price override form', () => {
  it('turns table rows into validated overrides, ignoring blank rows', () => {
    const rows = [
      { model: ' gpt-4o-* ', from: '2026-01-01', input: '2.5', cached: '', output: '10' },
      { model: '', from: '', input: '', cached: '', output: '' },
      { model: 'o3', from: '2025-06-01', input: '1', cached: '0.25', output: '4' },
    ];
    const parsed = parseFormRows(rows);
    expect(parsed).toEqual({
      ok: true,
      overrides: [
        { model: 'gpt-4o-*', from: '2026-01-01', inputPerMTok: 2.5, outputPerMTok: 10 },
        { model: 'o3', from: '2025-06-01', inputPerMTok: 1, cachedInputPerMTok: 0.25, outputPerMTok: 4 },
      ],
    });
    if (parsed.ok) expect(parseFormRows(toFormRows(parsed.overrides))).toEqual(parsed);
  });

  it('names the row and field of each mistake', () => {
    const parsed = parseFormRows([
      { model: 'gpt-*-mini', from: '2026-13-01', input: '-1', cached: 'x', output: '' },
      { model: 'o3', from: '2025-06-01', input: '1', cached: '', output: '4' },
      { model: 'o3', from: '2025-06-01', input: '2', cached: '', output: '8' },
    ]);
    expect(parsed).toEqual({
      ok: false,
      errors: [
        'Row 1: * may only end a model prefix.',
        'Row 1: the effective date must be a day (YYYY-MM-DD).',
        'Row 1: the input price must be a number of dollars, 0 or more.',
        'Row 1: the cached input price must be a number of dollars, 0 or more.',
        'Row 1: the output price must be a number of dollars, 0 or more.',
        'Row 3: o3 already has an override from 2025-06-01.',
      ],
    });
  });
});

describe('the per-day rollup equals a recompute from the rows after every write path', { timeout: 60_000 }, () => {
  const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');
  const rollupOf = (db: HistoryDB) => db.dayTotals.toArray();

  it('sync: a backfill and a later re-sync of the last days', async () => {
    const db = newDb();
    const { deps } = syncDeps(db);
    expect(await runSync(deps)).toMatchObject({ status: 'done' });
    expect((await expectRollupMatchesRows(db, 'after the backfill')).length).toBeGreaterThanOrEqual(30);
    // A day later the mock API has one more day and a full yesterday: the refetched days change.
    const before = await db.dayTotals.toArray();
    expect(await runSync(syncDeps(db, 'org1', [], NOW + DAY).deps)).toMatchObject({ status: 'done' });
    expect(await db.dayTotals.toArray()).not.toEqual(before);
    await expectRollupMatchesRows(db, 'after the re-sync');
  });

  it('sync: a page whose rollup cannot be written is not written either (one transaction)', async () => {
    const db = newDb();
    vi.spyOn(db.dayTotals, 'bulkPut').mockRejectedValue(quota());
    expect(await runSync(syncDeps(db).deps)).toMatchObject({ status: 'failed', error: { kind: 'storage-full' } });
    expect(await db.usage.count()).toBe(0);
    expect(await db.costs.count()).toBe(0);
  });

  it('reprice: the new estimates reach the rollup', async () => {
    const db = await synced();
    const before = await expectRollupMatchesRows(db, 'restored');
    const result = await repriceHistory(db, [{ model: 'gpt-4o*', from: '2025-01-01', inputPerMTok: 100, outputPerMTok: 400 }]);
    expect(result.changed).toBeGreaterThan(0);
    expect(await expectRollupMatchesRows(db, 'repriced')).not.toEqual(before);
  });

  it('restore: into an empty database, merged into another organisation, over changed rows; a failed restore leaves it as it was', async () => {
    const source = await synced();
    const target = newDb();
    expect(await restoreFromText(target, await backupText(source), [])).toMatchObject({ ok: true });
    expect(await rollupOf(target)).toEqual(await rollupOf(source));
    await expectRollupMatchesRows(target, 'restored into an empty database');

    const merged = await synced(['org2']);
    expect(await restoreFromText(merged, await backupText(source), [])).toMatchObject({ ok: true });
    await expectRollupMatchesRows(merged, 'merged');

    // A backup whose rows of one day differ from the database's replaces them: the day is recomputed.
    const doc = JSON.parse(await backupText(source));
    const day = doc.tables.usage[0].day;
    for (const row of doc.tables.usage) if (row.day === day) row.inputTokens += 1_000;
    doc.tables.costs = doc.tables.costs.filter((c: { day: number }) => c.day !== day);
    doc.counts.costs = doc.tables.costs.length;
    expect(await restoreFromText(merged, JSON.stringify(doc), [])).toMatchObject({ ok: true });
    await expectRollupMatchesRows(merged, 'restored over changed rows');

    const before = await rollupOf(merged);
    const rows = await merged.usage.count();
    vi.spyOn(merged.dayTotals, 'bulkPut').mockRejectedValue(quota());
    expect(await restoreFromText(merged, await backupText(await synced(['org3'])), [])).toMatchObject({
      ok: false,
      reason: 'storage-full',
    });
    expect(await merged.usage.count()).toBe(rows);
    expect(await rollupOf(merged)).toEqual(before);
  });

  it('retention: pruned days leave the rollup with their rows', async () => {
    const db = await synced(['org1', 'org2']);
    const now = NOW + 20 * DAY;
    const result = await pruneHistory(db, { now, keepMonths: 1 });
    expect(result.deleted.usage).toBeGreaterThan(0);
    expect(result.deleted).not.toHaveProperty('dayTotals');
    const rollup = await expectRollupMatchesRows(db, 'pruned');
    expect(rollup.some((d) => d.day < result.cutoff!)).toBe(false);
  });

  it('removing an organisation and clearing history remove its rollup (not counted as history)', async () => {
    const db = await synced(['org1', 'org2']);
    const deleted = await deleteOrgHistory(db, 'org1');
    expect(deleted).not.toHaveProperty('dayTotals');
    const rollup = await expectRollupMatchesRows(db, 'org removed');
    expect(new Set(rollup.map((d) => d.orgId))).toEqual(new Set(['org2']));
    const counts = await clearHistory(db);
    expect(counts).not.toHaveProperty('dayTotals');
    expect(await db.dayTotals.count()).toBe(0);
  });
});
