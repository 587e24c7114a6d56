/**
 * Tiny DOM toolkit for the simulated dashboard: element builder, icons, class names, formatting,
 * toasts and modal dialogs. Data is only ever inserted as text nodes / textContent: key names
 * contain markup on purpose, and the page must show it literally (as the real React app does).
 */
import { className } from '../classes';
import type { Layout } from '../types';

type Child = Node | string | number | null | undefined | false | Child[];
type AttrValue = string | number | boolean | null | undefined | ((event: never) => void);
export type Attrs = Record<string, AttrValue>;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs?: Attrs | null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') el.addEventListener(name.slice(2).toLowerCase(), value as EventListener);
    else if (name === 'class') el.className = String(value);
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

export function append(parent: Node, children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element): void {
  while (el.firstChild) el.removeChild(el.firstChild);
}

// ---- class names -------------------------------------------------------------------------------

let currentLayout: Layout = '2024';
let currentBuildId = 'b1';

export function setClassContext(layout: Layout, buildId: string): void {
  currentLayout = layout;
  currentBuildId = buildId;
}

/** `cls('Table.row', 'Table.num')` → the current layout's class string. */
export function cls(...ids: Array<string | false | null | undefined>): string {
  return ids
    .filter((id): id is string => typeof id === 'string')
    .map((id) => {
      const [module = '', element = ''] = id.split('.');
      return className(currentLayout, currentBuildId, module, element);
    })
    .join(' ');
}

let idCounter = 0;
/** Unique ids for aria-labelledby, React-style (`:r3:`), so tests cannot rely on them. */
export function uid(): string {
  idCounter += 1;
  return `:r${idCounter.toString(36)}:`;
}

// ---- icons (static markup, built with createElementNS) -----------------------------------------

const ICONS = {
  pencil: 'M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4',
  trash: 'M5 7h14M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  plus: 'M12 5v14M5 12h14',
  calendar: 'M4 6h16v14H4zM4 10h16M8 3v4M16 3v4',
  chevron: 'M6 9l6 6 6-6',
  sort: 'M8 10l4-4 4 4M8 14l4 4 4-4',
  up: 'M8 14l4-4 4 4',
  down: 'M8 10l4 4 4-4',
  dots: 'M5 12h.01M12 12h.01M19 12h.01',
  chart: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  key: 'M15 7a4 4 0 1 1-3.5 6H9v2H7v2H4v-3l6.5-6.5A4 4 0 0 1 15 7z',
  gear: 'M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM4 12h2M18 12h2M12 4v2M12 18v2M6.3 6.3l1.4 1.4M16.3 16.3l1.4 1.4M6.3 17.7l1.4-1.4M16.3 7.7l1.4-1.4',
  shield: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  x: 'M6 6l12 12M18 6L6 18',
  spinner: 'M12 3a9 9 0 1 0 9 9',
} as const;
export type IconName = keyof typeof ICONS;

export function icon(name: IconName, extraClass?: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', '16');
  svg.setAttribute('height', '16');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  if (extraClass) svg.setAttribute('class', extraClass);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', ICONS[name]);
  svg.appendChild(path);
  return svg;
}

export function spinner(): SVGSVGElement {
  return icon('spinner', cls('Spinner.icon'));
}

// ---- formatting (all UTC, en-US, like the real dashboard) --------------------------------------

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-01-02" → "Jan 2, 2026" (done by hand so it does not depend on the browser's ICU data). */
export function formatIsoDate(iso: string): string {
  const [y, m, d] = iso.split('-').map(Number);
  return `${MONTHS[(m ?? 1) - 1]} ${d}, ${y}`;
}

export function formatUnixDate(seconds: number): string {
  return formatIsoDate(new Date(seconds * 1000).toISOString().slice(0, 10));
}

/** "Dec 24, 2025 – Jan 2, 2026" */
export function formatRange(start: string, end: string): string {
  return `${formatIsoDate(start)} – ${formatIsoDate(end)}`;
}

export function formatInt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "1234.5" → "$1,234.50" */
export function formatUsd(decimal: string): string {
  const [whole = '0', frac = ''] = decimal.split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  return `${negative ? '-' : ''}$${formatInt(Number(digits))}.${`${frac}00`.slice(0, 2)}`;
}

export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return isoDay(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000);
}

// ---- async helpers ---------------------------------------------------------------------------

/** Resolves after `ms`, or never when the signal aborts (the page it belonged to is gone). */
export function wait(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return;
    const timer = setTimeout(resolve, Math.max(0, ms));
    signal.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

// ---- toasts ----------------------------------------------------------------------------------

let toastRegion: HTMLElement | null = null;

export function mountToastRegion(parent: HTMLElement): void {
  toastRegion = h('div', { class: cls('Toast.region') });
  parent.appendChild(toastRegion);
}

/** Errors are role="alert" (assertive), confirmations role="status"; both dismiss after 6 s. */
export function toast(message: string, kind: 'success' | 'error' = 'success'): HTMLElement {
  const item = h(
    'div',
    { class: cls('Toast.item', kind === 'error' && 'Toast.error'), role: kind === 'error' ? 'alert' : 'status' },
    h('span', { class: cls('Toast.text') }, message),
    h('button', { type: 'button', class: cls('Toast.close'), 'aria-label': 'Dismiss', onclick: () => item.remove() }, icon('x')),
  );
  toastRegion?.appendChild(item);
  setTimeout(() => item.remove(), 6000);
  return item;
}

// ---- modal dialog ----------------------------------------------------------------------------

export interface DialogButton {
  label: string;
  variant?: 'primary' | 'danger' | 'ghost';
  /** Return false to keep the dialog open. */
  onClick?: () => boolean | undefined | Promise<boolean | undefined>;
  value: string;
}

export interface DialogOptions {
  layout: Layout;
  title: string;
  body: Array<Node | string>;
  buttons: DialogButton[];
  /** Which value resolving by Escape / backdrop click gives. */
  dismissValue: string;
  /** Default focus: the button with this value (else the first button). */
  focusValue?: string;
}

/** Opens a modal dialog and resolves with the value of the button that closed it. */
export function openDialog(opts: DialogOptions): Promise<string> {
  return new Promise((resolve) => {
    const titleId = uid();
    const bodyId = uid();
    const previousFocus = document.activeElement as HTMLElement | null;
    const title =
      opts.layout === '2026'
        ? h('div', { role: 'heading', 'aria-level': 2, id: titleId, class: cls('Dialog.title') }, opts.title)
        : h('h2', { id: titleId, class: cls('Dialog.title') }, opts.title);
    const buttons = opts.buttons.map((b) =>
      h(
        'button',
        {
          type: 'button',
          class: cls(
            'Button.base',
            b.variant === 'primary' && 'Button.primary',
            b.variant === 'danger' && 'Button.danger',
            b.variant === 'ghost' && 'Button.ghost',
          ),
          'data-value': b.value,
          onclick: async () => {
            const keepOpen = (await b.onClick?.()) === false;
            if (!keepOpen) close(b.value);
          },
        },
        b.label,
      ),
    );
    const panel = h(
      'div',
      {
        role: 'dialog',
        'aria-modal': 'true',
        'aria-labelledby': titleId,
        'aria-describedby': bodyId,
        class: cls('Dialog.panel'),
        tabindex: -1,
      },
      title,
      h('div', { id: bodyId, class: cls('Dialog.body') }, ...opts.body),
      h('div', { class: cls('Dialog.actions') }, ...buttons),
    );
    const overlay = h('div', { class: cls('Dialog.overlay') }, panel);
    overlay.addEventListener('mousedown', (event) => {
      if (event.target === overlay) close(opts.dismissValue);
    });
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') close(opts.dismissValue);
    };
    document.addEventListener('keydown', onKey);
    document.body.appendChild(overlay);
    const focusTarget = buttons.find((b) => b.dataset.value === opts.focusValue) ?? buttons[0];
    (focusTarget ?? panel).focus();

    let closed = false;
    function close(value: string) {
      if (closed) return;
      closed = true;
      document.removeEventListener('keydown', onKey);
      overlay.remove();
      previousFocus?.focus?.();
      resolve(value);
    }
  });
}
