import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkAlertsAfterSync } from '@/lib/alerts/after-sync';
import type { Budget } from '@/lib/budgets/budgets';
import { saveBudget } from '@/lib/budgets/store';
import { HistoryDB } from '@/lib/history/db';
import { parseTagCsv } from '@/lib/tags/csv';
import { assignTags, importTags, tagsByKeyId } from '@/lib/tags/store';
import type { UsageRecord } from '@/lib/usage/records';
import { DAY } from '@/lib/usage/spikes';
import { day, USD, usageRecord } from '../db-fixtures';

const ORGS = [{ id: 'o1', label: 'Acme' }];
const SETTINGS = { spikeNotifications: true, budgetNotifications: true };

let db: HistoryDB;
let n = 0;
afterEach(async () => {
  db.close();
  await db.delete();
});

const usage = (d: number, apiKeyId: string, micros: number, model = 'gpt-4o') =>
  usageRecord({ orgId: 'o1', day: d, projectId: 'p1', apiKeyId, model, estimatedMicros: micros });

/** Key k1 spends $10 a day from May 1; optional spike days. */
async function seed(spikes: Record<string, number> = {}) {
  db = new HistoryDB(`after-sync-${n++}`);
  const rows: UsageRecord[] = [];
  for (let d = day('2026-05-01'); d <= day('2026-06-15'); d += DAY) rows.push(usage(d, 'k1', 10 * USD));
  for (const [iso, dollars] of Object.entries(spikes)) rows.push(usage(day(iso), 'k1', dollars * USD, 'gpt-4.1'));
  await db.usage.bulkPut(rows);
  await db.keys.put({
    id: 'o1|k1',
    orgId: 'o1',
    keyId: 'k1',
    name: 'support-bot',
    redactedValue: 'sk-…k1k1',
    projectId: 'p1',
    ownerType: 'user',
    ownerName: 'Dana',
    ownerEmail: '',
    createdAt: day('2025-01-01'),
    lastUsedAt: null,
    firstSeenAt: 0,
    lastSeenAt: 0,
    deleted: false,
  });
  return db;
}

const budget = (partial: Partial<Budget> = {}): Budget => ({
  id: 'b1',
  name: '',
  scope: { kind: 'key', orgId: 'o1', apiKeyId: 'k1' },
  monthlyMicros: 100 * USD,
  thresholds: [50, 80, 100],
  createdAt: 0,
  ...partial,
});

const check = (now: number, notify: ReturnType<typeof vi.fn>, settings = SETTINGS) =>
  checkAlertsAfterSync({ db, orgs: ORGS, orgId: 'o1', now, settings, notify: notify as never });

describe('alerts after a sync', () => {
  it('a budget reached notifies once per threshold per month, naming the highest; later syncs stay quiet', async () => {
    await seed();
    await saveBudget(db, budget());
    const notify = vi.fn().mockResolvedValue(undefined);
    // June 1–15 at $10 a day = $150 of $100: 50, 80 and 100 % all reached by the first check.
    const first = await check(day('2026-06-15') + 3600, notify);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify.mock.calls[0]![1]).toEqual({
      title: 'Budget 100 % reached: Key support-bot',
      message: '$150.00 of $100.00 spent in 2026-06 (150 %). This is an alert only: OpenAI does not stop the key.',
    });
    expect(first.map((r) => [r.id, r.notified])).toEqual([
      ['budget|b1|2026-06|50', false],
      ['budget|b1|2026-06|80', false],
      ['budget|b1|2026-06|100', true],
    ]);
    await check(day('2026-06-15') + 7200, notify);
    await check(day('2026-06-15') + 9000, notify);
    expect(notify).toHaveBeenCalledTimes(1);
    // Changing the budget re-arms it.
    await saveBudget(db, budget({ monthlyMicros: 200 * USD }));
    await check(day('2026-06-15') + 9500, notify);
    expect(notify).toHaveBeenCalledTimes(2);
    expect(notify.mock.calls[1]![1].title).toBe('Budget 50 % reached: Key support-bot');
  });

  it('two checks at once (two organisations finishing together) still notify once', async () => {
    await seed();
    await saveBudget(db, budget({ scope: { kind: 'tag', tag: 'support' } }));
    await assignTags(db, [{ orgId: 'o1', apiKeyId: 'k1' }], ['support'], 'add');
    const notify = vi.fn().mockResolvedValue(undefined);
    await Promise.all([check(day('2026-06-10') + 10, notify), check(day('2026-06-10') + 10, notify)]);
    expect(notify).toHaveBeenCalledTimes(1);
    expect(notify.mock.calls[0]![1].title).toBe('Budget 100 % reached: Tag support');
  });

  it('with budget notifications off, thresholds are recorded but nothing is shown (turning them on later does not replay them)', async () => {
    await seed();
    await saveBudget(db, budget());
    const notify = vi.fn().mockResolvedValue(undefined);
    await check(day('2026-06-15') + 10, notify, { ...SETTINGS, budgetNotifications: false });
    await check(day('2026-06-15') + 20, notify);
    expect(notify).not.toHaveBeenCalled();
    expect(await db.alertsFired.count()).toBe(3);
  });

  it('a new spike in the last days notifies once, naming key and model; an old one found by a backfill does not', async () => {
    await seed({ '2026-06-14': 90, '2026-05-20': 90 });
    const notify = vi.fn().mockResolvedValue(undefined);
    await check(day('2026-06-15') + 3600, notify);
    expect(notify).toHaveBeenCalledTimes(1);
    const [id, note] = notify.mock.calls[0]!;
    expect(id).toBe(`spike|o1|${day('2026-06-14')}`);
    expect(note.title).toBe('Unusual spend in Acme');
    expect(note.message).toMatch(/^Jun 14, 2026: \$100\.00, 10\.0× the usual \$10 — mostly support-bot on gpt-4\.1 \(\+\$90\.00\)/);
    await check(day('2026-06-15') + 7200, notify);
    expect(notify).toHaveBeenCalledTimes(1);
  });

  it('spike notifications can be turned off', async () => {
    await seed({ '2026-06-14': 90 });
    const notify = vi.fn().mockResolvedValue(undefined);
    const fired = await check(day('2026-06-15') + 3600, notify, { ...SETTINGS, spikeNotifications: false });
    expect(notify).not.toHaveBeenCalled();
    expect(fired).toMatchObject([{ kind: 'spike', notified: false }]);
  });

  it('a failing notification does not stop the others or lose the record', async () => {
    await seed({ '2026-06-14': 90 });
    await saveBudget(db, budget());
    const notify = vi.fn().mockRejectedValueOnce(new Error('no permission')).mockResolvedValue(undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    const fired = await check(day('2026-06-15') + 3600, notify);
    expect(notify).toHaveBeenCalledTimes(2);
    expect(fired).toHaveLength(4);
  });
});

describe('tag storage', () => {
  it('assigns in bulk, imports all or nothing, and feeds the export', async () => {
    await seed();
    const refs = [
      { orgId: 'o1', apiKeyId: 'k1' },
      { orgId: 'o1', apiKeyId: 'k2' },
    ];
    expect(await assignTags(db, refs, ['support', 'cc-1'], 'add')).toBe(2);
    expect(await assignTags(db, refs, ['support'], 'add')).toBe(0);
    expect(await assignTags(db, [refs[1]!], ['cc-1'], 'remove')).toBe(1);
    expect(await tagsByKeyId(db, ['o1'])).toEqual({ k1: ['cc-1', 'support'], k2: ['support'] });

    // A file with a bad line changes nothing.
    const bad = parseTagCsv('api_key_id,tags\nk1,finance\nk9,x\n', [{ orgId: 'o1', apiKeyId: 'k1' }]);
    expect(bad).toEqual({ ok: false, errors: [{ line: 3, message: expect.stringContaining('Unknown API key id "k9"') }] });
    expect(await tagsByKeyId(db, ['o1'])).toEqual({ k1: ['cc-1', 'support'], k2: ['support'] });

    // A good one replaces the listed keys' tags (an empty cell clears them); others keep theirs.
    const good = parseTagCsv('api_key_id,tags\nk1,finance\nk2,\n', refs);
    expect(good.ok && (await importTags(db, good.entries))).toBe(2);
    expect(await tagsByKeyId(db, ['o1'])).toEqual({ k1: ['finance'] });
  });

  it('an import that fails mid-way leaves every tag as it was', async () => {
    await seed();
    await assignTags(db, [{ orgId: 'o1', apiKeyId: 'k1' }], ['before'], 'add');
    const entries = [
      { orgId: 'o1', apiKeyId: 'k1', tags: ['after'] },
      { orgId: 'o1', apiKeyId: 'k2', tags: ['after'] },
    ];
    const original = db.tags.put.bind(db.tags);
    let calls = 0;
    vi.spyOn(db.tags, 'put').mockImplementation(((...args: Parameters<typeof original>) =>
      ++calls === 2 ? Promise.reject(new Error('disk full')) : original(...args)) as typeof original);
    await expect(importTags(db, entries)).rejects.toThrow('disk full');
    expect(await tagsByKeyId(db, ['o1'])).toEqual({ k1: ['before'] });
  });
});
