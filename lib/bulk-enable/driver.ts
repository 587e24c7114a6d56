import { errorToasts, isRateLimitText, openDialogs, readDialog, toastText, trackingConfirmFor } from './dialogs';
import { canGo, findPager } from './pager';
import {
  findKeysTable,
  isDisabled,
  isLoading,
  isVisible,
  type KeyRef,
  type KeysTable,
  KeysTableNotUnderstoodError,
  keyLabel,
  keyRefOf,
  locateKey,
  readKeysTable,
  sameKey,
  trackingCandidates,
} from './rows';
import { type Candidate, type Driver, type EnableOutcome, type Pagination, UnexpectedPageError } from './run';
import { sleep, WaitTimeoutError, waitFor } from './wait';

/**
 * The Driver that works the real page. It clicks exactly three kinds of things, each found afresh
 * just before the click: a row's identified tracking control, the confirm button of a dialog
 * recognised as that key's tracking confirmation, and the keys table's Previous/Next. Each click
 * is followed by a bounded wait for the expected change; anything else throws UnexpectedPageError.
 */

export interface DriverTimeouts {
  /** The keys table to render (or finish loading). */
  table: number;
  /** A dialog (or the result) to appear after clicking Enable. */
  dialog: number;
  /** The dialog to close after confirming. */
  dialogClose: number;
  /** The row to show tracking on, or an error toast. */
  outcome: number;
  /** The row still shows Enable, not busy, no toast: how long before calling it a silent failure. */
  silentFailure: number;
  /** A page change after Previous/Next. */
  page: number;
}

export const DEFAULT_TIMEOUTS: DriverTimeouts = {
  table: 15_000,
  dialog: 5_000,
  dialogClose: 5_000,
  outcome: 30_000,
  silentFailure: 2_000,
  page: 15_000,
};

export type ClickKind = 'tracking-control' | 'confirm' | 'pagination';

export interface DomDriverOptions {
  signal: AbortSignal;
  document?: Document;
  timeouts?: Partial<DriverTimeouts>;
  /** Told about every click on the dashboard, before it happens. */
  onClick?: (kind: ClickKind, label: string) => void;
  now?: () => number;
  /** False when the run handles only the visible page (pagination not understood): goToPage does nothing. */
  walkPages?: boolean;
}

export interface ScanResult {
  candidates: Candidate[];
  pagination: Pagination;
  pageCount: number;
  /** Keys seen with tracking already on. */
  trackedCount: number;
}

export interface DomDriver extends Driver {
  /** Reads every page of the keys table (only Previous/Next are clicked) and lists the keys with tracking off. */
  scan(onPage?: (page: number, of: number) => void): Promise<ScanResult>;
}

type RowRead = { state: 'on' | 'off' | 'busy' } | { missing: true } | { problem: string };

export function createDomDriver(options: DomDriverOptions): DomDriver {
  const doc = options.document ?? document;
  const { signal } = options;
  const t: DriverTimeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const now = options.now ?? (() => performance.now());
  const wait = <T>(check: () => T | undefined, timeoutMs: number, what: string, recheckMs?: number) =>
    waitFor(check, { signal, timeoutMs, what, root: doc, ...(recheckMs ? { recheckMs } : {}) });

  /** The keys table once rendered and not loading; undefined while it is not. */
  function readTable(): KeysTable | undefined {
    const element = findKeysTable(doc);
    if (!element || isLoading(element)) return undefined;
    try {
      return readKeysTable(element);
    } catch (error) {
      if (error instanceof KeysTableNotUnderstoodError) throw new UnexpectedPageError(error.message);
      throw error;
    }
  }

  async function settledTable(): Promise<KeysTable> {
    try {
      return readTable() ?? (await wait(readTable, t.table, 'the API-keys table'));
    } catch (error) {
      if (error instanceof WaitTimeoutError) throw new UnexpectedPageError('The API-keys table did not show up (or kept loading).');
      throw error;
    }
  }

  function readRow(table: KeysTable, key: KeyRef): RowRead {
    const located = locateKey(table.rows, key);
    if ('missing' in located) return { missing: true };
    if ('ambiguous' in located) return { problem: `${located.ambiguous} rows look like ${keyLabel(key)}; Keymeter cannot tell them apart` };
    const row = located.found;
    if (row.tracking === 'unknown') return { problem: `Keymeter cannot read the tracking cell of ${keyLabel(key)}` };
    if (row.tracking === 'off' && !row.visible) return { problem: `the Enable control of ${keyLabel(key)} is hidden` };
    return { state: row.tracking };
  }

  function pageLabel(table: KeysTable): string {
    const pager = findPager(table.table.element);
    return pager?.current ? `page ${pager.current} of the keys table` : 'the keys table';
  }

  const vanished = (key: KeyRef, table: KeysTable) =>
    new UnexpectedPageError(`${keyLabel(key)} is no longer on ${pageLabel(table)}: the row moved or vanished.`);

  /**
   * Clicks in a task of its own: the dashboard's click handler runs synchronously inside `click()`,
   * so this keeps its work (the same as for a person's click) apart from Keymeter's reading.
   * Returns false, without clicking, when the page replaced or disabled the element meanwhile.
   */
  async function click(element: HTMLElement, kind: ClickKind, label: string): Promise<boolean> {
    await sleep(0, signal);
    if (!element.isConnected || isDisabled(element) || !isVisible(element)) return false;
    options.onClick?.(kind, label);
    element.click();
    return true;
  }

  const driver: DomDriver = {
    sleep: (ms) => sleep(ms, signal),

    async scan(onPage) {
      let table = await settledTable();
      const pager = findPager(table.table.element);
      const collect = (t: KeysTable, page: number, into: ScanResult) => {
        into.trackedCount += t.rows.filter((r) => r.tracking === 'on').length;
        for (const row of trackingCandidates(t.rows)) {
          // The list can shift between pages (a key created meanwhile): list each key once.
          if (!into.candidates.some((c) => sameKey(c.key, row))) into.candidates.push({ key: keyRefOf(row), lastUsed: row.lastUsed, page });
        }
      };
      if (!pager || pager.current === null || pager.total === null) {
        const result: ScanResult = { candidates: [], pagination: pager ? 'visible-only' : 'single', pageCount: 1, trackedCount: 0 };
        collect(table, 1, result);
        return result;
      }
      const result: ScanResult = {
        candidates: [],
        pagination: pager.total > 1 ? 'walked' : 'single',
        pageCount: pager.total,
        trackedCount: 0,
      };
      for (let page = 1; page <= pager.total; page++) {
        onPage?.(page, pager.total);
        await driver.goToPage(page);
        table = await settledTable();
        collect(table, page, result);
      }
      return result;
    },

    async goToPage(page) {
      if (options.walkPages === false) return;
      let table = await settledTable();
      for (let hops = 0; hops < 200; hops++) {
        const pager = findPager(table.table.element);
        if (!pager) {
          if (page === 1) return;
          throw new UnexpectedPageError(`The keys table no longer has pages (Keymeter needed page ${page}).`);
        }
        if (pager.current === null) throw new UnexpectedPageError('The keys table’s pager no longer shows which page is open.');
        if (pager.current === page) return;
        if (pager.total !== null && page > pager.total)
          throw new UnexpectedPageError(`The keys table has ${pager.total} pages now; Keymeter needed page ${page}.`);
        const forward = page > pager.current;
        const button = forward ? pager.next : pager.previous;
        if (!canGo(button)) throw new UnexpectedPageError(`The keys table’s ${forward ? 'Next' : 'Previous'} button cannot be used.`);
        const from = pager.current;
        if (!(await click(button, 'pagination', forward ? 'Next' : 'Previous'))) {
          table = await settledTable(); // the pager re-rendered meanwhile: read it again
          continue;
        }
        try {
          table = await wait(
            () => {
              const fresh = readTable();
              const current = fresh ? findPager(fresh.table.element)?.current : undefined;
              return fresh && current !== undefined && current !== null && current !== from ? fresh : undefined;
            },
            t.page,
            `page ${forward ? from + 1 : from - 1}`,
          );
        } catch (error) {
          if (error instanceof WaitTimeoutError)
            throw new UnexpectedPageError(`The keys table did not change page after ${forward ? 'Next' : 'Previous'}.`);
          throw error;
        }
      }
      throw new UnexpectedPageError(`Could not reach page ${page} of the keys table.`);
    },

    async trackingOf(key) {
      const table = await settledTable();
      const first = readRow(table, key);
      let read: RowRead = first;
      if ('state' in first && first.state === 'busy') {
        // Busy ("Enabling…"): wait for it to settle.
        try {
          read = await wait(
            () => {
              const fresh = readTable();
              if (!fresh) return undefined;
              const r = readRow(fresh, key);
              return 'state' in r && r.state === 'busy' ? undefined : r;
            },
            t.outcome,
            `${keyLabel(key)} to finish`,
          );
        } catch (error) {
          if (error instanceof WaitTimeoutError) throw new UnexpectedPageError(`${keyLabel(key)} stayed busy for ${t.outcome / 1000} s.`);
          throw error;
        }
      }
      if ('missing' in read) throw vanished(key, readTable() ?? table);
      if ('problem' in read) throw new UnexpectedPageError(`${read.problem[0]?.toUpperCase()}${read.problem.slice(1)}.`);
      if (read.state === 'busy') throw new UnexpectedPageError(`${keyLabel(key)} is still busy.`);
      return read.state;
    },

    async enable(key): Promise<EnableOutcome> {
      const open = openDialogs(doc);
      if (open.length > 0)
        throw new UnexpectedPageError(`A dialog is open (“${readDialog(open[0]!).title || 'untitled'}”) before Keymeter clicked anything.`);
      const toastsBefore = new Set(errorToasts(doc));
      const newAlert = () => errorToasts(doc).find((toast) => !toastsBefore.has(toast) && toastText(toast) !== '');
      const failure = (toast: Element): EnableOutcome => {
        const error = toastText(toast);
        return { ok: false, error, rateLimited: isRateLimitText(error) };
      };
      const rowState = () => {
        const fresh = readTable();
        return fresh ? readRow(fresh, key) : undefined;
      };

      // Read the row and click its control; if the page re-rendered the row in between, read it again (twice at most).
      let clicked = false;
      for (let tries = 0; tries < 3 && !clicked; tries++) {
        const table = await settledTable();
        const located = locateKey(table.rows, key);
        if (!('found' in located))
          throw 'missing' in located ? vanished(key, table) : new UnexpectedPageError(`Several rows look like ${keyLabel(key)}.`);
        const control = located.found.control;
        if (located.found.tracking !== 'off' || !control)
          throw new UnexpectedPageError(`${keyLabel(key)} no longer shows an Enable control.`);
        clicked = await click(control, 'tracking-control', keyLabel(key));
      }
      if (!clicked) throw new UnexpectedPageError(`The Enable control of ${keyLabel(key)} kept changing; Keymeter did not click it.`);

      // 1. The confirmation (or, on a dashboard without one, the result straight away).
      let first: { dialog: Element } | { done: EnableOutcome };
      try {
        first = await wait<{ dialog: Element } | { done: EnableOutcome }>(
          () => {
            const dialogs = openDialogs(doc);
            if (dialogs.length > 1)
              throw new UnexpectedPageError(`${dialogs.length} dialogs opened after clicking Enable for ${keyLabel(key)}.`);
            if (dialogs.length === 1) return { dialog: dialogs[0]! };
            const alert = newAlert();
            if (alert) return { done: failure(alert) };
            const read = rowState();
            if (read && 'state' in read && read.state === 'on') return { done: { ok: true } };
            return undefined;
          },
          t.dialog,
          'the confirmation',
        );
      } catch (error) {
        if (error instanceof WaitTimeoutError)
          throw new UnexpectedPageError(`Clicking Enable for ${keyLabel(key)} opened no confirmation and changed nothing.`);
        throw error;
      }
      if ('done' in first) return first.done;

      const dialog = first.dialog;
      const verdict = trackingConfirmFor(readDialog(dialog, key), key);
      if ('reason' in verdict)
        throw new UnexpectedPageError(`after clicking its Enable, ${verdict.reason}. It was left open for you to read.`);
      if (!(await click(verdict.confirm, 'confirm', `${keyLabel(key)}: ${verdict.confirm.textContent?.trim() ?? ''}`)))
        throw new UnexpectedPageError(
          'the tracking confirmation changed before Keymeter could confirm it. It was left open for you to read.',
        );
      try {
        await wait(() => (dialog.isConnected && isVisible(dialog) ? undefined : true), t.dialogClose, 'the confirmation to close');
      } catch (error) {
        if (error instanceof WaitTimeoutError)
          throw new UnexpectedPageError(`The tracking confirmation for ${keyLabel(key)} did not close after confirming.`);
        throw error;
      }

      // 2. The result: the row shows tracking on, or an error toast says why not.
      let offSince: number | null = null;
      try {
        return await wait<EnableOutcome>(
          () => {
            const alert = newAlert();
            if (alert) return failure(alert);
            if (openDialogs(doc).length > 0)
              throw new UnexpectedPageError(`Another dialog opened after confirming tracking for ${keyLabel(key)}.`);
            const read = rowState();
            if (!read || 'missing' in read) return undefined; // loading or re-rendering: decided at the timeout
            if ('problem' in read) throw new UnexpectedPageError(`${read.problem[0]?.toUpperCase()}${read.problem.slice(1)}.`);
            if (read.state === 'on') return { ok: true };
            if (read.state === 'busy') {
              offSince = null;
              return undefined;
            }
            offSince ??= now();
            if (now() - offSince >= t.silentFailure)
              return { ok: false, error: 'The row still shows Enable and the dashboard showed no message.', rateLimited: false };
            return undefined;
          },
          t.outcome,
          `the result for ${keyLabel(key)}`,
          250,
        );
      } catch (error) {
        if (!(error instanceof WaitTimeoutError)) throw error;
        const fresh = readTable();
        if (fresh && 'missing' in readRow(fresh, key)) throw vanished(key, fresh);
        return { ok: false, error: `No result from the dashboard within ${Math.round(t.outcome / 1000)} s.`, rateLimited: false };
      }
    },
  };
  return driver;
}
