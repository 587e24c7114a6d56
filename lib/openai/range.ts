import { normaliseText } from './data-table';
import { rangePickerTrigger } from './selectors';

const DAY = 86_400;

export interface DashboardRange {
  /** Start of the first UTC day, Unix seconds. */
  from: number;
  /** Start of the UTC day after the last one shown (exclusive). */
  to: number;
  source: 'url' | 'picker' | 'default';
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
/** "Dec 15, 2025 – Jan 10, 2026" (the dashboard shows UTC dates; the end is inclusive). */
const PICKER_TEXT = /([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})\s*[–—-]\s*([A-Za-z]{3})[a-z]*\.? (\d{1,2}), (\d{4})/;

const utcDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;

function fromParts(month: string, day: string, year: string): number | null {
  const m = MONTHS.indexOf(month.toLowerCase());
  if (m < 0) return null;
  return Date.UTC(Number(year), m, Number(day)) / 1000;
}

/**
 * The range the dashboard shows: from its URL (start/end dates) or its picker's label.
 * When neither can be read, the last 30 days to today, with source 'default' so the UI says so.
 */
export function readDashboardRange(url: URL, root: ParentNode | null, nowSeconds: number): DashboardRange {
  const start = url.searchParams.get('start') ?? url.searchParams.get('start_date');
  const end = url.searchParams.get('end') ?? url.searchParams.get('end_date');
  if (start && end && ISO_DATE.test(start) && ISO_DATE.test(end) && utcDay(end) >= utcDay(start)) {
    return { from: utcDay(start), to: utcDay(end) + DAY, source: 'url' };
  }
  for (const trigger of root?.querySelectorAll(rangePickerTrigger) ?? []) {
    const match = PICKER_TEXT.exec(normaliseText(trigger.textContent));
    if (!match) continue;
    const from = fromParts(match[1]!, match[2]!, match[3]!);
    const last = fromParts(match[4]!, match[5]!, match[6]!);
    if (from !== null && last !== null && last >= from) return { from, to: last + DAY, source: 'picker' };
  }
  const today = Math.floor(nowSeconds / DAY) * DAY;
  return { from: today - 29 * DAY, to: today + DAY, source: 'default' };
}

export const isoDay = (seconds: number) => new Date(seconds * 1000).toISOString().slice(0, 10);
