import { type KeyRef, keyLabel } from './rows';

/**
 * The bulk-enable run as data plus one async loop. The loop talks to the page only through a
 * `Driver` (the DOM one is driver.ts; tests pass a fake), and saves the state after every step,
 * so a reload or a navigation leaves a state that says what is done and what remains.
 *
 * Per key: go to its page, read its row (on → "already on"); else click Enable and confirm
 * (driver.enable), retrying a failure a few times with growing delays; then the pacing pause.
 * Cancel is honoured between keys. Anything unexpected (UnexpectedPageError) stops the run with
 * its reason; an abort (navigation away, the extension reloading) leaves it "interrupted", which
 * the toolbar offers to continue.
 */

export type ItemStatus = 'pending' | 'enabled' | 'already' | 'failed' | 'skipped';
export type SkipReason = 'unticked' | 'cancelled' | 'stopped';
export type RunStatus = 'running' | 'interrupted' | 'done' | 'cancelled' | 'stopped';
/** walked: every page of the table; single: it had one page; visible-only: pagination not understood, only the shown page. */
export type Pagination = 'single' | 'walked' | 'visible-only';

export interface RunItem {
  key: KeyRef;
  lastUsed: string;
  /** 1-based page of the keys table the key was found on. */
  page: number;
  status: ItemStatus;
  attempts: number;
  /** The dashboard's own error text of the last failed attempt. */
  error?: string;
  skipReason?: SkipReason;
  /** Enable was clicked and the outcome not yet seen (a reload in between leaves this set). */
  inFlight?: boolean;
}

export interface RunState {
  version: 1;
  id: string;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  status: RunStatus;
  /** Why the run stopped or was interrupted, in words for the person. */
  reason: string | null;
  cancelRequested: boolean;
  pacingMs: number;
  maxAttempts: number;
  pagination: Pagination;
  pageCount: number;
  /** Which tab runs it (a per-tab token), and on which path. */
  owner: string;
  path: string;
  items: RunItem[];
}

export interface RunSettings {
  pacingMs: number;
  maxAttempts: number;
}

export const DEFAULT_RUN_SETTINGS: RunSettings = { pacingMs: 1000, maxAttempts: 3 };
export const PACING_LIMITS = { min: 0, max: 60_000 } as const;
export const ATTEMPT_LIMITS = { min: 1, max: 10 } as const;

/** A page state the run was not made for: stops the run. */
export class UnexpectedPageError extends Error {
  override name = 'UnexpectedPageError';
}

export type EnableOutcome = { ok: true } | { ok: false; error: string; rateLimited: boolean };

export interface Driver {
  /** Shows page `page` of the keys table; throws UnexpectedPageError when it cannot. */
  goToPage(page: number): Promise<void>;
  /** The key's tracking on the current page once settled; throws UnexpectedPageError if its row moved or vanished. */
  trackingOf(key: KeyRef): Promise<'on' | 'off'>;
  /** Clicks the key's tracking control, confirms the recognised dialog, and waits for the result. */
  enable(key: KeyRef): Promise<EnableOutcome>;
  sleep(ms: number): Promise<void>;
}

export interface RunHooks {
  save(state: RunState): Promise<void>;
  now(): number;
  /** True once the person pressed Cancel (honoured after the current key). */
  cancelRequested(): boolean;
  /** A signal that aborts on navigation away; its reason, if a string, is shown. */
  signal?: AbortSignal;
}

export interface Candidate {
  key: KeyRef;
  lastUsed: string;
  page: number;
}

export function createRun(options: {
  id: string;
  owner: string;
  path: string;
  now: number;
  candidates: readonly Candidate[];
  /** Indexes into `candidates` the person left ticked. */
  selected: ReadonlySet<number>;
  settings: RunSettings;
  pagination: Pagination;
  pageCount: number;
}): RunState {
  return {
    version: 1,
    id: options.id,
    startedAt: options.now,
    updatedAt: options.now,
    finishedAt: null,
    status: 'running',
    reason: null,
    cancelRequested: false,
    pacingMs: options.settings.pacingMs,
    maxAttempts: options.settings.maxAttempts,
    pagination: options.pagination,
    pageCount: options.pageCount,
    owner: options.owner,
    path: options.path,
    items: options.candidates.map((c, i) => ({
      key: { ...c.key },
      lastUsed: c.lastUsed,
      page: c.page,
      status: options.selected.has(i) ? 'pending' : 'skipped',
      attempts: 0,
      ...(options.selected.has(i) ? {} : { skipReason: 'unticked' as const }),
    })),
  };
}

/** Delay before retry number `attempt` (1 = after the first failure): 2×, 4×, 8× … the pacing, at least 0.5 s, 1 s after a rate limit. */
export function retryDelayMs(attempt: number, pacingMs: number, rateLimited: boolean): number {
  const base = Math.max(pacingMs, 250);
  const delay = base * 2 ** attempt;
  return Math.min(60_000, Math.max(delay, rateLimited ? 1000 : 500));
}

export function isFinished(state: RunState): boolean {
  return state.status === 'done' || state.status === 'cancelled' || state.status === 'stopped';
}

export function remaining(state: RunState): RunItem[] {
  return state.items.filter((item) => item.status === 'pending');
}

function abortReason(signal: AbortSignal | undefined): string {
  const reason: unknown = signal?.reason;
  return typeof reason === 'string' ? reason : 'You left the API-keys page during the run.';
}

function isAbort(error: unknown, signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true || (error instanceof Error && error.name === 'AbortError');
}

/** Drops cleared optional fields, so a stored item reads back exactly as it was. */
function tidy(item: RunItem): RunItem {
  const copy = { ...item };
  if (!copy.inFlight) delete copy.inFlight;
  if (copy.error === undefined) delete copy.error;
  if (copy.skipReason === undefined) delete copy.skipReason;
  return copy;
}

/** A stored run found on page load that was still "running": the tab reloaded or closed mid-run. */
export function markInterrupted(state: RunState, reason: string, now: number): RunState {
  if (state.status !== 'running') return state;
  return { ...state, status: 'interrupted', reason, updatedAt: now };
}

/** Picks an interrupted run up again (the in-flight key is re-read first: it may have been enabled). */
export function resumeRun(state: RunState, now: number, owner: string): RunState {
  return { ...state, status: 'running', reason: null, cancelRequested: false, updatedAt: now, owner };
}

/** Ends a run: every key not reached becomes "skipped" with why. */
export function finishRun(state: RunState, status: 'done' | 'cancelled' | 'stopped', reason: string | null, now: number): RunState {
  const skipReason: SkipReason = status === 'cancelled' ? 'cancelled' : 'stopped';
  return {
    ...state,
    status,
    reason,
    finishedAt: now,
    updatedAt: now,
    items: state.items.map((item) =>
      item.status === 'pending' ? tidy({ ...item, status: 'skipped', skipReason, inFlight: false }) : item,
    ),
  };
}

/**
 * Runs (or continues) `initial` to its end; resolves with the final state (also saved). Never
 * throws for page trouble: that ends as "stopped" or "interrupted" with a reason.
 */
export async function executeRun(initial: RunState, driver: Driver, hooks: RunHooks): Promise<RunState> {
  let state: RunState = { ...initial, items: initial.items.map((item) => ({ ...item })) };
  const save = async () => {
    state = { ...state, updatedAt: hooks.now() };
    await hooks.save(state);
  };
  const update = (index: number, patch: Partial<RunItem>) => {
    state = { ...state, items: state.items.map((item, i) => (i === index ? tidy({ ...item, ...patch }) : item)) };
  };

  try {
    let clickedBefore = false;
    for (let index = 0; index < state.items.length; index++) {
      const item = state.items[index]!;
      if (item.status !== 'pending') continue;
      if (hooks.cancelRequested()) {
        state = { ...state, cancelRequested: true };
        state = finishRun(state, 'cancelled', 'Cancelled: the keys after the current one were left as they were.', hooks.now());
        await hooks.save(state);
        return state;
      }
      if (clickedBefore && state.pacingMs > 0) await driver.sleep(state.pacingMs);
      await driver.goToPage(item.page);
      if ((await driver.trackingOf(item.key)) === 'on') {
        // Our own click before a reload counts as enabled; otherwise someone (or something) else did it.
        update(index, { status: item.inFlight ? 'enabled' : 'already', inFlight: false });
        await save();
        continue;
      }
      clickedBefore = true;
      for (;;) {
        const attempts = (state.items[index]?.attempts ?? 0) + 1;
        update(index, { attempts, inFlight: true });
        await save();
        const outcome = await driver.enable(item.key);
        if (outcome.ok) {
          update(index, { status: 'enabled', inFlight: false, error: undefined });
          await save();
          break;
        }
        update(index, { inFlight: false, error: outcome.error });
        // Out of attempts, or Cancel pressed: no more retries for this key.
        if (attempts >= state.maxAttempts || hooks.cancelRequested()) {
          update(index, { status: 'failed' });
          await save();
          break;
        }
        await save();
        await driver.sleep(retryDelayMs(attempts, state.pacingMs, outcome.rateLimited));
        // A failure toast does not always mean nothing happened: read the row again first.
        if ((await driver.trackingOf(item.key)) === 'on') {
          update(index, { status: 'enabled', error: undefined });
          await save();
          break;
        }
      }
    }
    state = finishRun(state, 'done', null, hooks.now());
    await hooks.save(state);
    return state;
  } catch (error) {
    if (isAbort(error, hooks.signal)) {
      // Navigation away: keep what is done and what remains; the toolbar offers to continue.
      state = { ...state, status: 'interrupted', reason: abortReason(hooks.signal), updatedAt: hooks.now() };
      await hooks.save(state).catch(() => undefined);
      return state;
    }
    const current = state.items.find((item) => item.inFlight);
    const where = current ? ` while enabling ${keyLabel(current.key)}` : '';
    const message =
      error instanceof UnexpectedPageError
        ? error.message
        : `Keymeter hit an error: ${error instanceof Error ? error.message : String(error)}`;
    state = finishRun(state, 'stopped', `Stopped${where}: ${message}`, hooks.now());
    await hooks.save(state).catch(() => undefined);
    return state;
  }
}
