/** Date ranges the export form offers, in UTC: unix seconds, whole days, `to` exclusive. */

const DAY = 86_400;

export interface DayRange {
  from: number;
  to: number;
}

/** The UTC calendar month `offset` months from the one containing `nowMs` (0 = this month, -1 = last month). */
export function monthRange(nowMs: number, offset = 0): DayRange {
  const now = new Date(nowMs);
  const from = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1) / 1000;
  const to = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset + 1, 1) / 1000;
  return { from, to };
}

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

function parseDay(text: string): number | null {
  const match = ISO_DAY.exec(text);
  if (!match) return null;
  const ms = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  // Reject dates that roll over (2026-02-30).
  return new Date(ms).toISOString().slice(0, 10) === text ? ms / 1000 : null;
}

/** Two YYYY-MM-DD days, both inclusive → a range, or the reason they do not make one. */
export function customRange(fromDay: string, toDayInclusive: string): { ok: true; range: DayRange } | { ok: false; error: string } {
  const from = parseDay(fromDay);
  const last = parseDay(toDayInclusive);
  if (from === null) return { ok: false, error: 'Choose a start date.' };
  if (last === null) return { ok: false, error: 'Choose an end date.' };
  if (last < from) return { ok: false, error: 'The end date is before the start date.' };
  if (last - from > 3 * 366 * DAY) return { ok: false, error: 'A range can span at most three years.' };
  return { ok: true, range: { from, to: last + DAY } };
}

export const dayOf = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString().slice(0, 10);
/** Last day of a range, inclusive (the range's `to` is exclusive and may fall inside a day). */
export const lastDayOfRange = (range: DayRange): string => dayOf(Math.ceil(range.to / DAY) * DAY - DAY);
