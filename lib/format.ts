import { type Micros, microsToUnits } from './money';

/**
 * Display formatting, in the browser's locale. Exact figures go in tooltips.
 *
 * One Intl.NumberFormat per locale and kind of figure, reused, looked up by a constant name:
 * constructing one costs far more than formatting with it, and the columns format a dozen figures
 * per row (some 25,000 for 2,000 rows). The locale is read once (reading navigator.language per figure
 * was measurable, as was a cache key built with JSON.stringify) and again after a languagechange.
 */
let lang: string | null = null;
const numberFormats = new Map<string, Intl.NumberFormat>();
if (typeof globalThis.addEventListener === 'function') {
  globalThis.addEventListener('languagechange', () => {
    lang = null;
    numberFormats.clear();
  });
}

const locale = () => (lang ??= typeof navigator !== 'undefined' ? navigator.language : 'en-US');

function numberFormat(name: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  let format = numberFormats.get(name);
  if (!format) {
    format = new Intl.NumberFormat(locale(), options);
    numberFormats.set(name, format);
  }
  return format;
}

export function compactNumber(value: number): string {
  return numberFormat('compact', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

export function exactNumber(value: number): string {
  return numberFormat('exact', {}).format(value);
}

export function money(micros: Micros, currency = 'USD'): string {
  const units = microsToUnits(micros, 2);
  const notation = Math.abs(units) >= 100_000 ? 'compact' : 'standard';
  return numberFormat(`money ${currency} ${notation}`, { style: 'currency', currency, notation }).format(units);
}

export function exactMoney(micros: Micros, currency = 'USD'): string {
  return numberFormat(`exact money ${currency}`, {
    style: 'currency',
    currency,
    minimumFractionDigits: 2,
    maximumFractionDigits: 6,
  }).format(microsToUnits(micros, 6));
}

/** Change between two periods as a signed percentage, or "new" when there was nothing before. */
export function change(current: number, previous: number): { text: string; direction: 'up' | 'down' | 'flat' | 'new' } {
  if (previous === 0) return current === 0 ? { text: '0%', direction: 'flat' } : { text: 'new', direction: 'new' };
  const ratio = (current - previous) / previous;
  const text = numberFormat('change', { style: 'percent', maximumFractionDigits: 0, signDisplay: 'exceptZero' }).format(ratio);
  return { text, direction: Math.abs(ratio) < 0.005 ? 'flat' : ratio > 0 ? 'up' : 'down' };
}

const DATE = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', year: 'numeric', timeZone: 'UTC' });
/** "Dec 24, 2025" for a UTC day start (the dashboard shows UTC dates in English). */
export const formatDay = (day: number) => DATE.format(day * 1000);

/** "Dec 15, 2025 – Jan 10, 2026" for [from, to) in Unix seconds (to exclusive). */
export function rangeLabel(from: number, to: number): string {
  return `${formatDay(from)} – ${formatDay(to - 86_400)}`;
}

/** "just now", "4 min ago", "3 h ago", "2 days ago". */
export function formatAgo(seconds: number): string {
  if (seconds < 60) return 'just now';
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)} h ago`;
  const days = Math.floor(seconds / 86_400);
  return `${days} day${days === 1 ? '' : 's'} ago`;
}
