import { type FormEvent, useId, useState } from 'react';
import { base64ToBytes } from '@/lib/export/base64';
import { customRange, type DayRange, dayOf, lastDayOfRange, monthRange } from '@/lib/export/ranges';
import {
  EXPORT_FORMATS,
  EXPORT_GROUPINGS,
  type ExportBuildResult,
  type ExportFormat,
  type ExportGrouping,
  GROUPING_LABELS,
} from '@/lib/export/types';
import { sendMessage } from '@/lib/messaging';

/**
 * Finance export: range, grouping and format, then one file downloaded. The background builds the
 * file from local history (`export:build`); this view only asks and saves what comes back.
 * Used by the usage panel (default range: the dashboard's) and by the report page.
 */

export interface ExportFormProps {
  /** Range to offer first (unix seconds, `to` exclusive), e.g. the dashboard's current range. */
  defaultRange?: DayRange & { label?: string };
  /** Export one organisation; all connected ones when absent. */
  orgId?: string;
  /** apiKeyId → cost-center tags, for the "Cost-center tag" grouping. */
  tagsByKey?: Record<string, string[]>;
  /** Current time in ms (tests). */
  now?: () => number;
}

type RangeChoice = 'given' | 'this-month' | 'last-month' | 'custom';

const FORMAT_LABELS: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'Excel (XLSX)', json: 'JSON' };

type Outcome = { tone: 'ok'; text: string } | { tone: 'error'; text: string } | null;

export function ExportForm({ defaultRange, orgId, tagsByKey, now = Date.now }: ExportFormProps) {
  const [choice, setChoice] = useState<RangeChoice>(defaultRange ? 'given' : 'this-month');
  const initial = defaultRange ?? monthRange(now());
  const [customFrom, setCustomFrom] = useState(dayOf(initial.from));
  const [customTo, setCustomTo] = useState(lastDayOfRange(initial));
  const [grouping, setGrouping] = useState<ExportGrouping>('key');
  const [format, setFormat] = useState<ExportFormat>('csv');
  const [bom, setBom] = useState(true);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const ids = { range: useId(), from: useId(), to: useId(), grouping: useId(), format: useId(), bom: useId(), heading: useId() };

  const resolved = resolveRange(choice, defaultRange, now(), customFrom, customTo);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!resolved.ok) {
      setOutcome({ tone: 'error', text: resolved.error });
      return;
    }
    setBusy(true);
    setOutcome(null);
    try {
      const result = await sendMessage('export:build', {
        ...(orgId ? { orgId } : {}),
        from: resolved.range.from,
        to: resolved.range.to,
        grouping,
        format,
        ...(format === 'csv' ? { bom } : {}),
        ...(tagsByKey ? { tagsByKey } : {}),
      });
      downloadExport(result);
      setOutcome({
        tone: 'ok',
        text: `Saved ${result.filename} (${result.rowCount} ${result.rowCount === 1 ? 'row' : 'rows'} and a totals row).`,
      });
    } catch (error) {
      setOutcome({ tone: 'error', text: `Keymeter could not build the export: ${describeError(error)}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={ids.heading} className="km-card km-export">
      <h2 id={ids.heading}>Export for finance</h2>
      <form onSubmit={submit} className="km-form" aria-label="Export">
        <label htmlFor={ids.range}>Range</label>
        <select id={ids.range} value={choice} onChange={(e) => setChoice(e.target.value as RangeChoice)}>
          {defaultRange && <option value="given">{defaultRange.label ? `Current range (${defaultRange.label})` : 'Current range'}</option>}
          <option value="this-month">This month</option>
          <option value="last-month">Last month</option>
          <option value="custom">Custom dates</option>
        </select>
        {choice === 'custom' && (
          <>
            <label htmlFor={ids.from}>From</label>
            <input id={ids.from} type="date" value={customFrom} onChange={(e) => setCustomFrom(e.target.value)} required />
            <label htmlFor={ids.to}>To (inclusive)</label>
            <input id={ids.to} type="date" value={customTo} onChange={(e) => setCustomTo(e.target.value)} required />
          </>
        )}
        <span />
        <span className="km-muted" data-testid="export-range">
          {resolved.ok ? `${dayOf(resolved.range.from)} to ${lastDayOfRange(resolved.range)}, whole days in UTC` : resolved.error}
        </span>
        <label htmlFor={ids.grouping}>Group by</label>
        <select id={ids.grouping} value={grouping} onChange={(e) => setGrouping(e.target.value as ExportGrouping)}>
          {EXPORT_GROUPINGS.map((g) => (
            <option key={g} value={g}>
              {GROUPING_LABELS[g]}
            </option>
          ))}
        </select>
        <label htmlFor={ids.format}>Format</label>
        <select id={ids.format} value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          {EXPORT_FORMATS.map((f) => (
            <option key={f} value={f}>
              {FORMAT_LABELS[f]}
            </option>
          ))}
        </select>
        {format === 'csv' && (
          <>
            <span />
            <label htmlFor={ids.bom}>
              <input id={ids.bom} type="checkbox" checked={bom} onChange={(e) => setBom(e.target.checked)} /> Mark the file as UTF-8 for
              Excel (byte order mark)
            </label>
          </>
        )}
        <button type="submit" disabled={busy}>
          {busy ? 'Exporting…' : 'Export'}
        </button>
      </form>
      {outcome?.tone === 'error' && (
        <p role="alert" className="km-error">
          {outcome.text}
        </p>
      )}
      {outcome?.tone === 'ok' && <p role="status">{outcome.text}</p>}
    </section>
  );
}

function resolveRange(
  choice: RangeChoice,
  given: DayRange | undefined,
  nowMs: number,
  customFrom: string,
  customTo: string,
): { ok: true; range: DayRange } | { ok: false; error: string } {
  switch (choice) {
    case 'given':
      return given ? { ok: true, range: { from: given.from, to: given.to } } : { ok: true, range: monthRange(nowMs) };
    case 'this-month':
      return { ok: true, range: monthRange(nowMs) };
    case 'last-month':
      return { ok: true, range: monthRange(nowMs, -1) };
    case 'custom':
      return customRange(customFrom, customTo);
  }
}

function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.trim() || 'unknown error.';
}

/** Saves the file through a blob: URL and a temporary <a download> (extension pages may do this without a permission). */
export function downloadExport(result: Pick<ExportBuildResult, 'filename' | 'mimeType' | 'base64'>, doc: Document = document): void {
  const url = URL.createObjectURL(new Blob([base64ToBytes(result.base64)], { type: result.mimeType }));
  const link = doc.createElement('a');
  link.href = url;
  link.download = result.filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  doc.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download reads the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
