import { useId, useState } from 'react';
import { rangeLabel } from '@/lib/format';
import {
  customRange,
  type DayRange,
  dayOf,
  lastDayOfRange,
  PRESET_LABELS,
  presetRange,
  RANGE_PRESETS,
  type RangePreset,
} from '@/lib/report/ranges';

export interface ReportRange extends DayRange {
  preset: RangePreset;
  label: string;
}

export function initialRange(nowMs: number, preset: Exclude<RangePreset, 'custom'> = 'last-30'): ReportRange {
  const range = presetRange(preset, nowMs);
  return { ...range, preset, label: PRESET_LABELS[preset] };
}

/** Preset ranges and custom dates (UTC, both inclusive); says why custom dates do not make a range. */
export function RangePicker({
  value,
  onChange,
  now = Date.now,
}: {
  value: ReportRange;
  onChange: (range: ReportRange) => void;
  now?: () => number;
}) {
  const ids = { preset: useId(), from: useId(), to: useId() };
  const [from, setFrom] = useState(dayOf(value.from));
  const [to, setTo] = useState(lastDayOfRange(value));
  const [error, setError] = useState<string | null>(null);

  function choose(preset: RangePreset) {
    if (preset === 'custom') {
      setFrom(dayOf(value.from));
      setTo(lastDayOfRange(value));
      onChange({ ...value, preset: 'custom', label: 'Custom dates' });
      return;
    }
    setError(null);
    onChange({ ...presetRange(preset, now()), preset, label: PRESET_LABELS[preset] });
  }

  function apply(nextFrom: string, nextTo: string) {
    const parsed = customRange(nextFrom, nextTo);
    if (!parsed.ok) {
      setError(parsed.error);
      return;
    }
    setError(null);
    onChange({ ...parsed.range, preset: 'custom', label: 'Custom dates' });
  }

  return (
    <fieldset className="km-range" aria-label="Date range">
      <label htmlFor={ids.preset}>Range</label>
      <select id={ids.preset} value={value.preset} onChange={(e) => choose(e.target.value as RangePreset)}>
        {RANGE_PRESETS.map((p) => (
          <option key={p} value={p}>
            {PRESET_LABELS[p]}
          </option>
        ))}
      </select>
      {value.preset === 'custom' && (
        <>
          <label htmlFor={ids.from}>From</label>
          <input
            id={ids.from}
            type="date"
            value={from}
            onChange={(e) => {
              setFrom(e.target.value);
              apply(e.target.value, to);
            }}
          />
          <label htmlFor={ids.to}>To (inclusive)</label>
          <input
            id={ids.to}
            type="date"
            value={to}
            onChange={(e) => {
              setTo(e.target.value);
              apply(from, e.target.value);
            }}
          />
        </>
      )}
      <span className="km-muted" data-testid="report-range">
        {rangeLabel(value.from, value.to)} (UTC)
      </span>
      {error && (
        <span role="alert" className="km-error km-inline">
          {error}
        </span>
      )}
    </fieldset>
  );
}
