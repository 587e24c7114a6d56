import { describe, expect, it } from 'vitest';
import { countRun, reportText } from '@/lib/bulk-enable/report';
import type { KeyRef } from '@/lib/bulk-enable/rows';
import {
  type Candidate,
  createRun,
  type Driver,
  type EnableOutcome,
  executeRun,
  markInterrupted,
  type RunState,
  resumeRun,
  retryDelayMs,
  UnexpectedPageError,
} from '@/lib/bulk-enable/run';
import { parseRunState } from '@/lib/bulk-enable/storage';

const key = (n: number): KeyRef => ({ name: `key-${n}`, redacted: `sk-…k${n}00`.slice(0, 8), created: `May ${n}, 2023` });
const candidates = (n: number, page = 2): Candidate[] =>
  Array.from({ length: n }, (_, i) => ({ key: key(i + 1), lastUsed: 'Never', page }));

/** A scripted dashboard: each key's enable outcomes in order (then ok), keys already on, an error at a step. */
function fakeDriver(script: { outcomes?: Record<string, Array<EnableOutcome | 'unexpected'>>; on?: string[]; vanishOn?: string } = {}) {
  const on = new Set(script.on ?? []);
  const calls: string[] = [];
  const sleeps: number[] = [];
  let page = 1;
  const driver: Driver = {
    async goToPage(p) {
      if (p !== page) calls.push(`page ${p}`);
      page = p;
    },
    async trackingOf(k) {
      if (script.vanishOn === k.name) throw new UnexpectedPageError(`${k.name} is no longer on page ${page}: the row moved or vanished.`);
      return on.has(k.name) ? 'on' : 'off';
    },
    async enable(k) {
      calls.push(`enable ${k.name}`);
      const next = script.outcomes?.[k.name]?.shift() ?? { ok: true };
      if (next === 'unexpected') throw new UnexpectedPageError('a dialog Keymeter does not recognise opened (“Delete organization?”)');
      if (next.ok) on.add(k.name);
      return next;
    },
    async sleep(ms) {
      sleeps.push(ms);
    },
  };
  return { driver, calls, sleeps, on };
}

function newRun(n: number, selected = Array.from({ length: n }, (_, i) => i), pacingMs = 100): RunState {
  return createRun({
    id: 'run-1',
    owner: 'tab-a',
    path: '/api-keys',
    now: 1_000,
    candidates: candidates(n),
    selected: new Set(selected),
    settings: { pacingMs, maxAttempts: 3 },
    pagination: 'walked',
    pageCount: 2,
  });
}

function hooks(opts: { cancelAfter?: number; signal?: AbortSignal } = {}) {
  const saved: RunState[] = [];
  let clock = 1_000;
  return {
    saved,
    hooks: {
      now: () => (clock += 10),
      save: async (s: RunState) => {
        saved.push(s);
      },
      cancelRequested: () =>
        opts.cancelAfter !== undefined &&
        saved.filter((s) => s.items.some((i) => i.status === 'enabled')).length > 0 &&
        saved.at(-1)!.items.filter((i) => i.status === 'enabled').length >= opts.cancelAfter,
      ...(opts.signal ? { signal: opts.signal } : {}),
    },
  };
}

const fail = (error: string, rateLimited = false): EnableOutcome => ({ ok: false, error, rateLimited });

describe('bulk-enable run', () => {
  it('enables every ticked key once, one at a time, with the pacing pause between keys, and never an unticked one', async () => {
    const { driver, calls, sleeps } = fakeDriver();
    const { hooks: h, saved } = hooks();
    const final = await executeRun(newRun(4, [0, 1, 3]), driver, h);
    expect(calls).toEqual(['page 2', 'enable key-1', 'enable key-2', 'enable key-4']);
    expect(sleeps).toEqual([100, 100]);
    expect(final.status).toBe('done');
    expect(final.items.map((i) => i.status)).toEqual(['enabled', 'enabled', 'skipped', 'enabled']);
    expect(final.items[2]!.skipReason).toBe('unticked');
    // Saved before each click (in flight) and after each outcome.
    expect(saved.some((s) => s.items[0]!.inFlight === true)).toBe(true);
    expect(saved.at(-1)).toEqual(final);
  });

  it('counts a key that is already on as "already on" without clicking it', async () => {
    const { driver, calls } = fakeDriver({ on: ['key-2'] });
    const final = await executeRun(newRun(3), driver, hooks().hooks);
    expect(calls).not.toContain('enable key-2');
    expect(countRun(final)).toMatchObject({ enabled: 2, already: 1, failed: 0, skipped: 0 });
  });

  it('retries a failed key with growing delays and records the dashboard’s error text when it keeps failing', async () => {
    const error = 'Failed to enable tracking: upstream timeout';
    const { driver, calls, sleeps } = fakeDriver({
      outcomes: { 'key-1': [fail(error), { ok: true }], 'key-2': [fail(error), fail(error), fail(error)] },
    });
    const final = await executeRun(newRun(3), driver, hooks().hooks);
    expect(calls.filter((c) => c === 'enable key-1')).toHaveLength(2);
    expect(calls.filter((c) => c === 'enable key-2')).toHaveLength(3);
    expect(final.items.map((i) => [i.status, i.attempts, i.error])).toEqual([
      ['enabled', 2, undefined],
      ['failed', 3, error],
      ['enabled', 1, undefined],
    ]);
    // Retry delays double (from 2 × max(pacing, 250 ms), at least 0.5 s); the pacing pause between keys.
    expect(sleeps).toEqual([500, 100, 500, 1000, 100]);
    expect(retryDelayMs(1, 1000, false)).toBe(2000);
    expect(retryDelayMs(2, 1000, false)).toBe(4000);
    expect(retryDelayMs(1, 100, true)).toBe(1000);
    expect(retryDelayMs(10, 1000, false)).toBe(60_000);
  });

  it('stops after the current key when Cancel is pressed; the rest are reported as skipped', async () => {
    const { driver, calls } = fakeDriver();
    const { hooks: h } = hooks({ cancelAfter: 2 });
    const final = await executeRun(newRun(5), driver, h);
    expect(calls.filter((c) => c.startsWith('enable'))).toEqual(['enable key-1', 'enable key-2']);
    expect(final.status).toBe('cancelled');
    expect(final.items.slice(2).every((i) => i.status === 'skipped' && i.skipReason === 'cancelled')).toBe(true);
  });

  it('stops the whole run on anything unexpected and says why', async () => {
    const { driver, calls } = fakeDriver({ outcomes: { 'key-2': ['unexpected'] } });
    const final = await executeRun(newRun(4), driver, hooks().hooks);
    expect(calls).toEqual(['page 2', 'enable key-1', 'enable key-2']);
    expect(final.status).toBe('stopped');
    expect(final.reason).toBe(
      'Stopped while enabling “key-2” (sk-…k200): a dialog Keymeter does not recognise opened (“Delete organization?”)',
    );
    expect(final.items.map((i) => i.status)).toEqual(['enabled', 'skipped', 'skipped', 'skipped']);
    expect(final.items[1]!.skipReason).toBe('stopped');
  });

  it('stops when a row moved or vanished', async () => {
    const { driver } = fakeDriver({ vanishOn: 'key-3' });
    const final = await executeRun(newRun(3), driver, hooks().hooks);
    expect(final.status).toBe('stopped');
    expect(final.reason).toMatch(/key-3 is no longer on page 2: the row moved or vanished/);
    expect(countRun(final)).toMatchObject({ enabled: 2, skipped: 1 });
  });

  it('is left "interrupted" on navigation away, survives storage, and continues where it was', async () => {
    const controller = new AbortController();
    const first = fakeDriver();
    // Navigation away while key-2's enable is in flight.
    first.driver.enable = async (k) => {
      first.calls.push(`enable ${k.name}`);
      if (k.name === 'key-2') {
        first.on.add('key-2'); // the dashboard did enable it
        controller.abort();
        const error = new Error('aborted');
        error.name = 'AbortError';
        throw error;
      }
      first.on.add(k.name);
      return { ok: true };
    };
    const { hooks: h, saved } = hooks({ signal: controller.signal });
    const interrupted = await executeRun(newRun(4), first.driver, h);
    expect(interrupted.status).toBe('interrupted');
    expect(interrupted.reason).toBe('You left the API-keys page during the run.');
    expect(interrupted.items[1]!.inFlight).toBe(true);

    // Round trip through storage (JSON), then continue on a fresh page where key-2 shows on.
    const stored = parseRunState(JSON.parse(JSON.stringify(saved.at(-1))));
    expect(stored).toEqual(JSON.parse(JSON.stringify(interrupted)));
    const second = fakeDriver({ on: ['key-1', 'key-2'] });
    const final = await executeRun(resumeRun(stored!, 5_000, 'tab-b'), second.driver, hooks().hooks);
    expect(second.calls).toEqual(['page 2', 'enable key-3', 'enable key-4']);
    expect(final.items.map((i) => i.status)).toEqual(['enabled', 'enabled', 'enabled', 'enabled']);
    expect(final.owner).toBe('tab-b');
  });

  it('marks a run still "running" on page load as interrupted (reload), and only such a run', () => {
    const run = newRun(2);
    expect(markInterrupted(run, 'The page was reloaded.', 9)).toMatchObject({
      status: 'interrupted',
      reason: 'The page was reloaded.',
      updatedAt: 9,
    });
    const done = { ...run, status: 'done' as const };
    expect(markInterrupted(done, 'x', 9)).toBe(done);
  });

  it('retries an in-flight key that is still off after a reload (it counts its earlier attempt)', async () => {
    const run = newRun(1);
    run.items[0] = { ...run.items[0]!, attempts: 1, inFlight: true };
    const { driver, calls } = fakeDriver();
    const final = await executeRun(run, driver, hooks().hooks);
    expect(calls).toEqual(['page 2', 'enable key-1']);
    expect(final.items[0]).toMatchObject({ status: 'enabled', attempts: 2 });
  });
});

describe('report', () => {
  it('lists enabled, already on, failed (with the dashboard’s text) and skipped keys', async () => {
    const { driver } = fakeDriver({
      on: ['key-2'],
      outcomes: {
        'key-3': [
          fail('Failed to enable tracking: internal server error'),
          fail('Failed to enable tracking: internal server error'),
          fail("You're doing that too often. Try again in a moment.", true),
        ],
      },
    });
    const final = await executeRun(newRun(4, [0, 1, 2]), driver, hooks().hooks);
    const text = reportText(final);
    expect(text).toContain('Keymeter: enable usage tracking on API keys');
    expect(text).toContain('All 2 pages of the keys table were checked.');
    expect(text).toContain('Enabled: 1 · Already on: 1 · Failed: 1 · Skipped: 1');
    expect(text).toContain("  - key-3 (sk-…k300): You're doing that too often. Try again in a moment. (3 attempts)");
    expect(text).toContain('Skipped (1)\n  - key-4 (sk-…k400): not selected');
    expect(text).toMatch(/^Run run-1, started 1970-01-01 00:00 UTC, finished 1970-01-01 00:00 UTC$/m);
  });

  it('says when only the visible page was handled', () => {
    const run = { ...newRun(1), pagination: 'visible-only' as const, pageCount: 1 };
    expect(reportText(run)).toContain('Only the visible page of the keys table was handled');
  });
});
