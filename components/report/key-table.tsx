import { useVirtualizer } from '@tanstack/react-virtual';
import { useId, useRef } from 'react';
import { change, compactNumber, exactNumber } from '@/lib/format';
import { costOf, type ReportKeyRow, type RowView, rowRef, type SortKey, STALE_DAYS } from '@/lib/report/rows';
import type { ForecastSummary } from '@/lib/report/types';
import { ConversionNote, useMoney } from './money';

/**
 * The per-key table: search, filters, sortable columns, selection for tagging. Only the rows in
 * view are in the DOM (virtualised with @tanstack/react-virtual), so hundreds of keys scroll smoothly.
 */

export const ROW_HEIGHT = 46;
const VIEWPORT = 560;

const isoDay = (seconds: number | null) => (seconds === null ? '—' : new Date(seconds * 1000).toISOString().slice(0, 10));

interface Column {
  id: string;
  title: string;
  sort?: SortKey;
  width: number;
  numeric?: boolean;
  help?: string;
}

function columnsFor(combined: boolean, currency: string): Column[] {
  return [
    { id: 'key', title: 'API key', sort: 'name', width: 240 },
    ...(combined ? [{ id: 'org', title: 'Organisation', sort: 'org' as const, width: 130 }] : []),
    { id: 'project', title: 'Project', sort: 'project', width: 130 },
    { id: 'owner', title: 'Owner', sort: 'owner', width: 130 },
    { id: 'tags', title: 'Tags', width: 150 },
    { id: 'requests', title: 'Requests', sort: 'requests', width: 84, numeric: true },
    { id: 'input', title: 'Input tokens', sort: 'input', width: 96, numeric: true, help: 'Input tokens, cached included' },
    { id: 'cached', title: 'Cached', sort: 'cached', width: 80, numeric: true },
    { id: 'output', title: 'Output tokens', sort: 'output', width: 96, numeric: true },
    {
      id: 'estimated',
      title: `Est. cost (${currency})`,
      sort: 'estimated',
      width: 104,
      numeric: true,
      help: 'Tokens × the price in force on each day',
    },
    {
      id: 'billed',
      title: `Billed (${currency})`,
      sort: 'billed',
      width: 100,
      numeric: true,
      help: 'What the Costs API charged; sorts by billed, else estimated',
    },
    {
      id: 'change',
      title: 'vs prev.',
      sort: 'change',
      width: 72,
      numeric: true,
      help: 'Cost against the previous period of the same length',
    },
    {
      id: 'forecast',
      title: 'Month end',
      sort: 'forecast',
      width: 104,
      numeric: true,
      help: 'This month’s projected cost (see the forecast)',
    },
    { id: 'created', title: 'Created', sort: 'created', width: 96 },
    { id: 'lastUsed', title: 'Last used', sort: 'lastUsed', width: 96 },
  ];
}

export interface KeyTableProps {
  rows: readonly ReportKeyRow[];
  total: number;
  view: RowView;
  onView: (view: RowView) => void;
  tags: readonly string[];
  combined: boolean;
  selected: ReadonlySet<string>;
  onSelect: (refs: string[], selected: boolean) => void;
  onOpen: (row: ReportKeyRow) => void;
  forecasts: Record<string, ForecastSummary> | undefined;
}

export function KeyTable({ rows, total, view, onView, tags, combined, selected, onSelect, onOpen, forecasts }: KeyTableProps) {
  const money = useMoney();
  const ids = { search: useId(), tag: useId(), heading: useId() };
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    initialRect: { width: 1200, height: VIEWPORT },
  });
  const items = virtualizer.getVirtualItems();
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = Math.max(0, virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0));
  const columns = columnsFor(combined, money.code);
  const selectable = rows.filter((r) => r.apiKeyId !== '');
  const allSelected = selectable.length > 0 && selectable.every((r) => selected.has(rowRef(r)));

  const sortBy = (key: SortKey) =>
    onView({ ...view, sort: key, descending: view.sort === key ? !view.descending : !['name', 'org', 'project', 'owner'].includes(key) });

  return (
    <section className="km-card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>API keys</h2>
      <div className="km-toolbar">
        <label htmlFor={ids.search}>Search</label>
        <input
          id={ids.search}
          type="search"
          placeholder="Name, key, owner, project or tag"
          value={view.search}
          onChange={(e) => onView({ ...view, search: e.target.value })}
        />
        <label htmlFor={ids.tag}>Tag</label>
        <select id={ids.tag} value={view.tag ?? ''} onChange={(e) => onView({ ...view, tag: e.target.value || null })}>
          <option value="">Any</option>
          {tags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
        <label>
          <input type="checkbox" checked={view.staleOnly} onChange={(e) => onView({ ...view, staleOnly: e.target.checked })} /> Stale only (
          {STALE_DAYS}+ days unused)
        </label>
        <label>
          <input type="checkbox" checked={view.showDeleted} onChange={(e) => onView({ ...view, showDeleted: e.target.checked })} /> Show
          deleted keys
        </label>
        <span className="km-muted" role="status" data-testid="key-count">
          {rows.length === total ? `${total} keys` : `${rows.length} of ${total} keys`}
          {selected.size > 0 ? ` · ${selected.size} selected` : ''}
        </span>
      </div>
      <ConversionNote />
      <div ref={scrollRef} className="km-table-scroll" style={{ maxHeight: VIEWPORT }} data-testid="key-table-scroll">
        <table className="km-table" aria-rowcount={rows.length + 1} data-testid="key-table">
          <colgroup>
            <col style={{ width: 36 }} />
            {columns.map((c) => (
              <col key={c.id} style={{ width: c.width }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th scope="col">
                <input
                  type="checkbox"
                  aria-label={allSelected ? 'Unselect all keys shown' : 'Select all keys shown'}
                  checked={allSelected}
                  onChange={(e) => onSelect(selectable.map(rowRef), e.target.checked)}
                />
              </th>
              {columns.map((c) => (
                <th
                  key={c.id}
                  scope="col"
                  className={c.numeric ? 'km-num' : undefined}
                  title={c.help}
                  aria-sort={c.sort && view.sort === c.sort ? (view.descending ? 'descending' : 'ascending') : undefined}
                >
                  {c.sort ? (
                    <button type="button" className="km-sort" onClick={() => sortBy(c.sort!)}>
                      {c.title}
                      {view.sort === c.sort ? (view.descending ? ' ▼' : ' ▲') : ''}
                    </button>
                  ) : (
                    c.title
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {paddingTop > 0 && (
              <tr className="km-spacer" style={{ height: paddingTop }}>
                <td colSpan={columns.length + 1} />
              </tr>
            )}
            {items.map((item) => {
              const row = rows[item.index]!;
              return (
                <KeyRow
                  key={rowRef(row)}
                  row={row}
                  index={item.index}
                  combined={combined}
                  selected={selected.has(rowRef(row))}
                  onSelect={(on) => onSelect([rowRef(row)], on)}
                  onOpen={() => onOpen(row)}
                  forecast={forecasts?.[rowRef(row)]}
                />
              );
            })}
            {paddingBottom > 0 && (
              <tr className="km-spacer" style={{ height: paddingBottom }}>
                <td colSpan={columns.length + 1} />
              </tr>
            )}
          </tbody>
        </table>
        {rows.length === 0 && <p className="km-muted km-empty">No key matches.</p>}
      </div>
    </section>
  );
}

function KeyRow({
  row,
  index,
  combined,
  selected,
  onSelect,
  onOpen,
  forecast,
}: {
  row: ReportKeyRow;
  index: number;
  combined: boolean;
  selected: boolean;
  onSelect: (on: boolean) => void;
  onOpen: () => void;
  forecast: ForecastSummary | undefined;
}) {
  const money = useMoney();
  const { current, previous } = row;
  const delta = change(costOf(current), costOf(previous));
  const count = (value: number, what: string) => <span title={`${exactNumber(value)} ${what}`}>{compactNumber(value)}</span>;
  return (
    <tr
      aria-rowindex={index + 2}
      style={{ height: ROW_HEIGHT }}
      data-key-id={row.apiKeyId}
      data-testid="key-row"
      className={row.deleted ? 'km-row-deleted' : undefined}
      aria-selected={selected || undefined}
    >
      <td>
        {row.apiKeyId !== '' && (
          <input type="checkbox" aria-label={`Select ${row.name}`} checked={selected} onChange={(e) => onSelect(e.target.checked)} />
        )}
      </td>
      <td className="km-keycell">
        <button type="button" className="km-link km-ellipsis" onClick={onOpen} title={`Open the history of ${row.name}`}>
          {row.name}
        </button>
        <span className="km-sub">
          <code>{row.redactedValue || row.apiKeyId || '—'}</code>
          {row.deleted && <span className="km-badge km-badge-deleted">deleted</span>}
          {row.stale && (
            <span
              className="km-badge km-badge-stale"
              title={`Not used for ${STALE_DAYS} days or more (last sign of use: ${isoDay(row.lastActivityAt)})`}
            >
              stale
            </span>
          )}
        </span>
      </td>
      {combined && <td className="km-ellipsis">{row.orgLabel}</td>}
      <td className="km-ellipsis" title={row.projectName}>
        {row.projectName || '—'}
      </td>
      <td className="km-ellipsis" title={row.ownerName}>
        {row.ownerName || '—'}
      </td>
      <td className="km-ellipsis" title={row.tags.join(', ')} data-testid="key-tags">
        {row.tags.length ? (
          row.tags.map((t) => (
            <span key={t} className="km-chip">
              {t}
            </span>
          ))
        ) : (
          <span className="km-muted">—</span>
        )}
      </td>
      <td className="km-num">{count(current.requests, 'requests')}</td>
      <td className="km-num">{count(current.inputTokens, 'input tokens')}</td>
      <td className="km-num">{count(current.cachedTokens, 'cached input tokens')}</td>
      <td className="km-num">{count(current.outputTokens, 'output tokens')}</td>
      <td
        className="km-num"
        title={
          current.unpricedRows
            ? `${money.exact(current.estimatedMicros)}; ${current.unpricedRows} usage rows have no known price`
            : money.exact(current.estimatedMicros)
        }
      >
        {money.format(current.estimatedMicros)}
        {current.unpricedRows ? ' *' : ''}
      </td>
      <td
        className="km-num"
        title={
          current.billedMicros === null
            ? 'The Costs API reported no billed cost for this key in this range.'
            : money.exact(current.billedMicros)
        }
      >
        {current.billedMicros === null ? '—' : money.format(current.billedMicros)}
      </td>
      <td
        className={`km-num km-change-${delta.direction}`}
        title={`${money.exact(costOf(current))} now vs ${money.exact(costOf(previous))} before`}
      >
        {delta.text}
      </td>
      <td
        className="km-num"
        title={forecast ? `likely ${money.exact(forecast.lowMicros)} – ${money.exact(forecast.highMicros)}` : 'No spend in recent weeks'}
      >
        {forecast ? money.format(forecast.projectedMicros) : '—'}
      </td>
      <td>{isoDay(row.createdAt)}</td>
      <td>{isoDay(row.lastUsedAt)}</td>
    </tr>
  );
}
