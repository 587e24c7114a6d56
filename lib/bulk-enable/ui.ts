import { countRun, paginationSentence, reportFileName, reportText, runSummary } from './report';
import type { Candidate, Pagination, RunState } from './run';

/**
 * The bulk-enable panel: plain DOM (no React in the content script), rendered into the shadow
 * root that the feature mounts. One view at a time: toolbar, scanning, preview, progress, report,
 * resume. Key names are page text and only ever set as textContent. Start and Continue act only
 * on a person's click (event.isTrusted).
 */

type Child = Node | string | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined>;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

function button(label: string, onClick: (event: MouseEvent) => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

/** Runs `action` only for a real click by the person (not a script's synthetic click). */
function trusted(action: () => void) {
  return (event: MouseEvent) => {
    if (!event.isTrusted) return;
    action();
  };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export interface PreviewChoice {
  selected: Set<number>;
  pacingMs: number;
}

export class BulkPanel {
  readonly root: HTMLElement;

  constructor(container: HTMLElement) {
    this.root = el('section', { class: 'km-panel', role: 'region', 'aria-label': 'Keymeter: enable usage tracking', hidden: true });
    container.append(this.root);
  }

  private show(...children: Child[]) {
    this.root.replaceChildren(el('div', { class: 'km-brand', 'aria-hidden': 'true' }, 'Keymeter'));
    for (const child of children) if (child) this.root.append(child);
    this.root.hidden = false;
    this.root.dataset.view = (children.find((c): c is HTMLElement => c instanceof HTMLElement)?.dataset.view ?? '') as string;
  }

  hide() {
    this.root.hidden = true;
    this.root.replaceChildren();
  }

  get view(): string {
    return this.root.hidden ? '' : (this.root.dataset.view ?? '');
  }

  /** The entry point: "Enable tracking on N keys". */
  toolbar(opts: { onPage: number; pages: number | null; onOpen: () => void; onDismiss: () => void }) {
    const { onPage, pages } = opts;
    const label =
      pages !== null && pages > 1
        ? onPage > 0
          ? `Enable tracking on ${plural(onPage, 'key')} (this page; ${pages} pages to check)`
          : `Find keys without usage tracking (${pages} pages)`
        : `Enable tracking on ${plural(onPage, 'key')}`;
    this.show(
      el(
        'div',
        { class: 'km-row', 'data-view': 'toolbar' },
        button(label, trusted(opts.onOpen), { class: 'km-primary' }),
        button('×', opts.onDismiss, { class: 'km-icon', 'aria-label': 'Hide' }),
      ),
    );
  }

  message(text: string, opts: { onClose?: () => void; busy?: boolean } = {}) {
    this.show(
      el(
        'div',
        { 'data-view': 'message' },
        el('p', { role: 'status', 'aria-busy': opts.busy ? 'true' : null }, text),
        opts.onClose && el('div', { class: 'km-row km-end' }, button('Close', opts.onClose)),
      ),
    );
  }

  /** The list of keys with tracking off, all ticked; nothing happens before Start. */
  preview(opts: {
    candidates: readonly Candidate[];
    pagination: Pagination;
    pageCount: number;
    trackedCount: number;
    pacingMs: number;
    onStart: (choice: PreviewChoice) => void;
    onClose: () => void;
  }) {
    const { candidates } = opts;
    if (candidates.length === 0) {
      this.message(
        `Every key ${opts.pagination === 'walked' ? `on all ${opts.pageCount} pages` : 'in the table'} already tracks usage (${plural(opts.trackedCount, 'key')} with tracking on). ${opts.pagination === 'visible-only' ? paginationSentence(opts) : ''}`.trim(),
        { onClose: opts.onClose },
      );
      return;
    }
    const boxes = candidates.map((_, i) => el('input', { type: 'checkbox', checked: true, 'data-index': i }));
    const showPage = opts.pagination === 'walked';
    const rows = candidates.map((c, i) =>
      el(
        'tr',
        {},
        el('td', {}, el('label', { class: 'km-check' }, boxes[i]!, el('span', { class: 'km-name' }, c.key.name))),
        el('td', {}, el('code', {}, c.key.redacted)),
        el('td', {}, c.key.created),
        el('td', {}, c.lastUsed),
        showPage && el('td', { class: 'km-num' }, String(c.page)),
      ),
    );
    for (const [i, box] of boxes.entries())
      box.setAttribute('aria-label', `Enable tracking on ${candidates[i]!.key.name} (${candidates[i]!.key.redacted})`);
    const pacing = el('input', { type: 'number', min: 0, max: 60, step: 0.1, value: String(opts.pacingMs / 1000), class: 'km-pacing' });
    const start = button(
      '',
      trusted(() => {
        const selected = new Set(boxes.flatMap((b, i) => (b.checked ? [i] : [])));
        const seconds = Number(pacing.value);
        if (selected.size === 0 || start.disabled) return;
        start.disabled = true; // one run per preview, however often it is clicked
        opts.onStart({ selected, pacingMs: Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : opts.pacingMs });
      }),
      { class: 'km-primary' },
    );
    const refresh = () => {
      const n = boxes.filter((b) => b.checked).length;
      start.textContent = `Start: enable ${plural(n, 'key')}`;
      start.disabled = n === 0;
    };
    for (const box of boxes) box.addEventListener('change', refresh);
    refresh();
    this.show(
      el(
        'div',
        { 'data-view': 'preview' },
        el('h2', {}, `Enable usage tracking on ${plural(candidates.length, 'key')}`),
        el(
          'p',
          { class: 'km-muted' },
          'Keymeter clicks each ticked key’s Enable button and confirms the dashboard’s own “Enable usage tracking?” dialog, one key at a time, ' +
            'and checks that the row shows tracking on. It never touches Edit, Revoke or Create. Tracking cannot be turned off again.',
        ),
        el('p', { class: 'km-muted' }, paginationSentence(opts)),
        el(
          'div',
          { class: 'km-scroll' },
          el(
            'table',
            {},
            el(
              'thead',
              {},
              el(
                'tr',
                {},
                el('th', {}, 'Name'),
                el('th', {}, 'Key'),
                el('th', {}, 'Created'),
                el('th', {}, 'Last used'),
                showPage && el('th', {}, 'Page'),
              ),
            ),
            el('tbody', {}, ...rows),
          ),
        ),
        el('label', { class: 'km-row' }, 'Pause between keys (seconds) ', pacing),
        el('div', { class: 'km-row km-end' }, button('Close', opts.onClose), start),
      ),
    );
  }

  progress(state: RunState, onCancel: () => void) {
    const c = countRun(state);
    const current = state.items.find((i) => i.status === 'pending');
    const bar = el('progress', { max: Math.max(1, c.selected), value: c.processed, 'aria-label': 'Keys done' });
    const cancel = button(state.cancelRequested ? 'Cancelling after this key…' : 'Cancel', onCancel, { disabled: state.cancelRequested });
    this.show(
      el(
        'div',
        { 'data-view': 'progress' },
        el('h2', {}, 'Enabling usage tracking'),
        bar,
        el(
          'p',
          { role: 'status', class: 'km-counts' },
          `${c.processed} of ${c.selected} done · ${c.enabled} enabled · ${c.already} already on · ${c.failed} failed`,
        ),
        current &&
          el(
            'p',
            { class: 'km-muted' },
            `Now: ${current.key.name} (${current.key.redacted})${current.attempts > 1 ? `, attempt ${current.attempts}` : ''}`,
          ),
        el('div', { class: 'km-row km-end' }, cancel),
      ),
    );
  }

  /** The final report with Copy and Download. */
  report(state: RunState, opts: { onClose: () => void; onCopy: (text: string) => Promise<boolean> }) {
    const c = countRun(state);
    const text = reportText(state);
    const copyStatus = el('span', { role: 'status', class: 'km-muted' });
    const list = (title: string, status: RunState['items'][number]['status']) => {
      const items = state.items.filter((i) => i.status === status);
      if (items.length === 0) return null;
      return el(
        'details',
        { open: status === 'failed' },
        el('summary', {}, `${title} (${items.length})`),
        el(
          'ul',
          {},
          ...items.map((i) =>
            el(
              'li',
              {},
              el('span', { class: 'km-name' }, i.key.name),
              ' ',
              el('code', {}, i.key.redacted),
              i.status === 'failed' ? el('div', { class: 'km-error' }, i.error ?? 'no message') : null,
            ),
          ),
        ),
      );
    };
    const download = button('Download report', () => {
      const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
      const a = el('a', { href: url, download: reportFileName(state) });
      this.root.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    });
    this.show(
      el(
        'div',
        { 'data-view': 'report', 'data-status': state.status },
        el(
          'h2',
          {},
          state.status === 'done'
            ? 'Usage tracking: done'
            : state.status === 'cancelled'
              ? 'Usage tracking: cancelled'
              : 'Usage tracking: stopped',
        ),
        state.reason &&
          el(
            'p',
            { class: state.status === 'stopped' ? 'km-error' : 'km-muted', role: state.status === 'stopped' ? 'alert' : null },
            state.reason,
          ),
        el(
          'p',
          { class: 'km-counts', 'data-testid': 'km-counts' },
          `Enabled: ${c.enabled} · Already on: ${c.already} · Failed: ${c.failed} · Skipped: ${c.skipped}`,
        ),
        el('p', { class: 'km-muted' }, paginationSentence(state)),
        list('Failed', 'failed'),
        list('Enabled', 'enabled'),
        list('Already on', 'already'),
        list('Skipped', 'skipped'),
        el(
          'div',
          { class: 'km-row km-end' },
          copyStatus,
          button('Copy report', () => {
            void opts.onCopy(text).then((ok) => {
              copyStatus.textContent = ok ? 'Copied.' : 'Could not copy: use Download.';
            });
          }),
          download,
          button('Close', opts.onClose),
        ),
      ),
    );
  }

  /** A run cut short by a reload or by leaving the page: continue it, or end it here. */
  resume(state: RunState, opts: { onContinue: () => void; onDiscard: () => void; elsewhere?: boolean }) {
    const c = countRun(state);
    this.show(
      el(
        'div',
        { 'data-view': 'resume' },
        el('h2', {}, opts.elsewhere ? 'A run is going on in another tab' : 'Enabling usage tracking was interrupted'),
        state.reason && el('p', { class: 'km-muted' }, state.reason),
        el('p', { class: 'km-counts' }, `${c.processed} of ${c.selected} done (${runSummary(state)}); ${plural(c.pending, 'key')} left.`),
        !opts.elsewhere &&
          el(
            'div',
            { class: 'km-row km-end' },
            button('End here', opts.onDiscard),
            button(
              `Continue with ${plural(c.pending, 'key')}`,
              trusted(() => {
                for (const b of this.root.querySelectorAll('button')) b.disabled = true;
                opts.onContinue();
              }),
              { class: 'km-primary' },
            ),
          ),
      ),
    );
  }
}
