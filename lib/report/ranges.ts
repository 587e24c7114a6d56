import { customRange, type DayRange, dayOf, lastDayOfRange, monthRange } from '../export/ranges';

/** The report's range choices: whole UTC days, `to` exclusive. */

const DAY = 86_400;

export const RANGE_PRESETS = ['last-30', 'this-month', 'last-month', 'last-90', 'last-365', 'custom'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const PRESET_LABELS: Record<RangePreset, string> = {
  'last-30': 'Last 30 days',
  'this-month': 'This month',
  'last-month': 'Last month',
  'last-90': 'Last 90 days',
  'last-365': 'Last 365 days',
  custom: 'Custom dates',
};

/** The last `days` UTC days, today included. */
export function lastDays(nowMs: number, days: number): DayRange {
  const today = Math.floor(nowMs / 1000 / DAY) * DAY;
  return { from: today - (days - 1) * DAY, to: today + DAY };
}

export function presetRange(preset: Exclude<RangePreset, 'custom'>, nowMs: number): DayRange {
  switch (preset) {
    case 'last-30':
      return lastDays(nowMs, 30);
    case 'last-90':
      return lastDays(nowMs, 90);
    case 'last-365':
      return lastDays(nowMs, 365);
    case 'this-month':
      return monthRange(nowMs);
    case 'last-month':
      return monthRange(nowMs, -1);
  }
}

export type { DayRange };
export { customRange, dayOf, lastDayOfRange };
