/**
 * Date range picker: a trigger button showing "Dec 24, 2025 – Jan 2, 2026" that opens a popover with
 * presets and custom start/end inputs. Dates are inclusive UTC days (YYYY-MM-DD), as in the URL.
 */
import { addDays, cls, formatRange, h, icon } from './dom';

export interface Range {
  start: string;
  end: string;
}

export function presets(today: string): Array<{ label: string; range: Range }> {
  const [y = 1970, m = 1] = today.split('-').map(Number);
  const monthStart = `${today.slice(0, 8)}01`;
  const prevMonthStart = m === 1 ? `${y - 1}-12-01` : `${y}-${String(m - 1).padStart(2, '0')}-01`;
  return [
    { label: 'Last 7 days', range: { start: addDays(today, -6), end: today } },
    { label: 'Last 30 days', range: { start: addDays(today, -29), end: today } },
    { label: 'This month', range: { start: monthStart, end: today } },
    { label: 'Last month', range: { start: prevMonthStart, end: addDays(monthStart, -1) } },
  ];
}

export function defaultRange(today: string): Range {
  return { start: addDays(today, -29), end: today };
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;
export function isIsoDate(s: string | null): s is string {
  return s !== null && ISO.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`));
}

export interface Picker {
  el: HTMLElement;
  set(range: Range): void;
}

export function datePicker(today: string, initial: Range, onChange: (range: Range) => void, signal: AbortSignal): Picker {
  let range = initial;
  const label = h('span', { class: cls('DatePicker.label') }, formatRange(range.start, range.end));
  const trigger = h(
    'button',
    { type: 'button', class: cls('Button.base', 'DatePicker.trigger'), 'aria-haspopup': 'true', 'aria-expanded': 'false' },
    icon('calendar'),
    label,
    icon('chevron'),
  );
  const startInput = h('input', { type: 'date', class: cls('DatePicker.input'), max: today });
  const endInput = h('input', { type: 'date', class: cls('DatePicker.input'), max: today });
  const error = h('div', { class: cls('DatePicker.error'), role: 'alert', hidden: true });
  const presetButtons = presets(today).map((p) =>
    h('button', { type: 'button', class: cls('DatePicker.preset'), onclick: () => choose(p.range) }, p.label),
  );
  const popover = h(
    'div',
    { class: cls('DatePicker.popover'), role: 'group', 'aria-label': 'Date range', hidden: true },
    h('div', { class: cls('DatePicker.presets') }, presetButtons),
    h(
      'div',
      { class: cls('DatePicker.custom') },
      h('label', { class: cls('DatePicker.field') }, h('span', null, 'Start date'), startInput),
      h('label', { class: cls('DatePicker.field') }, h('span', null, 'End date'), endInput),
      h('button', { type: 'button', class: cls('Button.base', 'Button.primary'), onclick: applyCustom }, 'Apply'),
    ),
    error,
  );
  const el = h('div', { class: cls('DatePicker.root') }, trigger, popover);

  function open(show: boolean) {
    popover.hidden = !show;
    trigger.setAttribute('aria-expanded', String(show));
    if (show) {
      startInput.value = range.start;
      endInput.value = range.end;
      error.hidden = true;
    }
  }
  function choose(next: Range) {
    open(false);
    set(next);
    onChange(next);
  }
  function applyCustom() {
    const next = { start: startInput.value, end: endInput.value };
    if (!isIsoDate(next.start) || !isIsoDate(next.end) || next.start > next.end) {
      error.textContent = 'Choose a start date on or before the end date.';
      error.hidden = false;
      return;
    }
    choose(next);
  }
  function set(next: Range) {
    range = next;
    label.textContent = formatRange(range.start, range.end);
  }

  trigger.addEventListener('click', () => open(popover.hidden));
  document.addEventListener(
    'mousedown',
    (event) => {
      if (!popover.hidden && !el.contains(event.target as Node)) open(false);
    },
    { signal },
  );
  document.addEventListener(
    'keydown',
    (event) => {
      if (event.key === 'Escape' && !popover.hidden) open(false);
    },
    { signal },
  );
  return { el, set };
}
