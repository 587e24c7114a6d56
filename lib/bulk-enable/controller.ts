import { onSubtreeChange } from '../dom/observe';
import { sendMessage } from '../messaging';
import { BULK_ENABLE_HASH } from '../openai/pages';
import { type ClickKind, createDomDriver, type DriverTimeouts } from './driver';
import { findPager } from './pager';
import { auditEntryOf } from './report';
import { findKeysTable, isLoading, readKeysTable, trackingCandidates } from './rows';
import { createRun, executeRun, finishRun, isFinished, markInterrupted, type RunState, resumeRun } from './run';
import { BulkPanel, type PreviewChoice } from './ui';

/**
 * Wires the bulk-enable pieces on the API-keys page: the toolbar (count of keys with tracking
 * off), the preview, the run (driver.ts + run.ts) with its state kept by the background (the
 * `bulk:*` messages: a content script may not touch extension storage), the report, and the
 * audit log. Everything stops with `signal` (a route change or the extension reloading); a run
 * cut off that way is left "interrupted" and offered again on the next visit.
 */

/** Opening /api-keys with this hash opens the preview (the usage panel links here for untracked usage). */
export { BULK_ENABLE_HASH };

/** A run whose tab has not saved for this long is taken as abandoned. */
const STALE_MS = 60_000;
const TAB_TOKEN_KEY = 'keymeter:tab';

/** A token for this tab that survives reloads (sessionStorage is per tab). */
function tabToken(): string {
  try {
    const existing = sessionStorage.getItem(TAB_TOKEN_KEY);
    if (existing) return existing;
    const token = crypto.randomUUID();
    sessionStorage.setItem(TAB_TOKEN_KEY, token);
    return token;
  } catch {
    return crypto.randomUUID();
  }
}

function newRunId(now: number): string {
  return `run-${new Date(now).toISOString().slice(0, 19).replace(/[-:T]/g, '')}-${crypto.randomUUID().slice(0, 6)}`;
}

async function copyText(text: string, host: HTMLElement): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement('textarea');
    area.value = text;
    host.append(area);
    area.select();
    const ok = document.execCommand('copy');
    area.remove();
    return ok;
  }
}

export interface BulkEnableOptions {
  /** Shorter waits for tests. */
  timeouts?: Partial<DriverTimeouts>;
  onClick?: (kind: ClickKind, label: string) => void;
}

export async function startBulkEnable(container: HTMLElement, signal: AbortSignal, options: BulkEnableOptions = {}): Promise<void> {
  const panel = new BulkPanel(container);
  const owner = tabToken();
  let dismissed = false;
  let busy = false;
  let reported = false;
  let running = false;
  let toolbarLabel = '';

  const audit = (state: RunState) =>
    sendMessage('bulk:audit', auditEntryOf(state)).catch((error: unknown) => {
      if (!reported) console.warn('[keymeter] bulk-enable: could not write the audit log:', error);
      reported = true;
    });
  const save = (state: RunState) => sendMessage('bulk:saveRun', state);
  const forget = () => sendMessage('bulk:clearRun', undefined);

  const driverFor = (walkPages: boolean) =>
    createDomDriver({
      signal,
      walkPages,
      ...(options.timeouts ? { timeouts: options.timeouts } : {}),
      ...(options.onClick ? { onClick: options.onClick } : {}),
    });

  function refreshToolbar() {
    if (busy || dismissed || signal.aborted || !['', 'toolbar'].includes(panel.view)) return;
    const element = findKeysTable();
    if (!element || isLoading(element)) return;
    let onPage = 0;
    try {
      onPage = trackingCandidates(readKeysTable(element).rows).length;
    } catch {
      return;
    }
    const pager = findPager(element);
    const pages = pager ? pager.total : 1;
    if (onPage === 0 && (pages === null || pages <= 1)) {
      if (panel.view === 'toolbar') panel.hide();
      return;
    }
    // Re-render only when what it says changes (the page mutates often; the button must not flicker).
    const label = `${onPage}/${pages}`;
    if (panel.view === 'toolbar' && label === toolbarLabel) return;
    toolbarLabel = label;
    panel.toolbar({
      onPage,
      pages,
      onOpen: () => void openPreview(),
      onDismiss: () => {
        dismissed = true;
        panel.hide();
      },
    });
  }

  function backToToolbar() {
    busy = false;
    panel.hide();
    refreshToolbar();
  }

  async function openPreview() {
    if (busy) return;
    busy = true;
    panel.message('Reading the keys table…', { busy: true });
    try {
      const driver = driverFor(true);
      const scan = await driver.scan((page, of) => {
        if (!signal.aborted) panel.message(`Reading page ${page} of ${of} of the keys table…`, { busy: true });
      });
      const settings = await sendMessage('bulk:settings', undefined);
      if (signal.aborted) return;
      panel.preview({
        ...scan,
        pacingMs: settings.pacingMs,
        onClose: backToToolbar,
        onStart: (choice) => void start(scan, choice),
      });
    } catch (error) {
      if (signal.aborted) return;
      panel.message(`Keymeter could not read the keys table: ${error instanceof Error ? error.message : String(error)}`, {
        onClose: backToToolbar,
      });
    }
  }

  async function start(scan: Awaited<ReturnType<ReturnType<typeof driverFor>['scan']>>, choice: PreviewChoice) {
    let state: RunState;
    try {
      // The pacing chosen in the preview becomes the default for the next run.
      const settings = await sendMessage('bulk:saveSettings', { pacingMs: choice.pacingMs });
      const now = Date.now();
      state = createRun({
        id: newRunId(now),
        owner,
        path: location.pathname,
        now,
        candidates: scan.candidates,
        selected: choice.selected,
        settings,
        pagination: scan.pagination,
        pageCount: scan.pageCount,
      });
      // Nothing is clicked before the run is saved (the background refuses a run it could not read back).
      await save(state);
    } catch (error) {
      if (signal.aborted) return;
      panel.message(`Keymeter could not start the run: ${error instanceof Error ? error.message : String(error)}`, {
        onClose: backToToolbar,
      });
      return;
    }
    void audit(state);
    await execute(state);
  }

  async function execute(initial: RunState) {
    if (running) return;
    running = true;
    busy = true;
    let cancel = false;
    const onCancel = () => {
      cancel = true;
      panel.progress({ ...latest, cancelRequested: true }, onCancel);
    };
    let latest = initial;
    panel.progress(initial, onCancel);
    const final = await executeRun(initial, driverFor(initial.pagination === 'walked'), {
      now: Date.now,
      cancelRequested: () => cancel,
      signal,
      save: async (state) => {
        latest = { ...state, cancelRequested: state.cancelRequested || cancel };
        await save(latest);
        if (!signal.aborted && !isFinished(state)) panel.progress(latest, onCancel);
      },
    });
    running = false;
    void audit(final);
    if (signal.aborted) return;
    panel.report(final, {
      onClose: () => {
        void forget();
        backToToolbar();
      },
      onCopy: (text) => copyText(text, container),
    });
  }

  // A run left behind: by a reload or a closed tab (still "running"), or by leaving the page ("interrupted").
  let stored = await sendMessage('bulk:run', undefined);
  if (signal.aborted) return;
  if (stored?.status === 'running') {
    if (stored.owner !== owner && Date.now() - stored.updatedAt < STALE_MS) {
      busy = true;
      panel.resume(stored, { elsewhere: true, onContinue: () => undefined, onDiscard: () => undefined });
      return;
    }
    stored = markInterrupted(stored, 'The page was reloaded or closed while Keymeter was enabling tracking.', Date.now());
    await save(stored);
    void audit(stored);
  }
  if (stored?.status === 'interrupted') {
    const interrupted = stored;
    busy = true;
    panel.resume(interrupted, {
      onContinue: () => void execute(resumeRun(interrupted, Date.now(), owner)),
      onDiscard: () => {
        // End it here: what remains becomes "skipped"; the audit log keeps the outcome.
        void audit(finishRun(interrupted, 'cancelled', `Ended after an interruption. ${interrupted.reason ?? ''}`.trim(), Date.now()));
        void forget();
        backToToolbar();
      },
    });
  }

  onSubtreeChange(document.body, refreshToolbar, signal);
  refreshToolbar();
  if (location.hash === BULK_ENABLE_HASH && !busy) {
    // Opened from the usage panel's link: show the preview once the keys table is there.
    const openWhenReady = () => {
      const element = findKeysTable();
      if (!element || isLoading(element)) return false;
      void openPreview();
      return true;
    };
    if (!openWhenReady()) {
      const stop = new AbortController();
      signal.addEventListener('abort', () => stop.abort(), { once: true });
      onSubtreeChange(
        document.body,
        () => {
          if (openWhenReady()) stop.abort();
        },
        stop.signal,
      );
    }
  }
}
