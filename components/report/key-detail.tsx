import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { compactNumber, exactNumber } from '@/lib/format';
import { keyHistoryQuery } from '@/lib/queries';
import type { ReportKeyRow } from '@/lib/report/rows';
import type { ForecastSummary, KeyHistory } from '@/lib/report/types';
import { BarChart } from '../chart';
import { keyColour, stackedDaysData, stackedDaysOptions } from '../charts';
import { ForecastLine } from './forecast';
import { ConversionNote, useMoney } from './money';
import { SpikeList } from './spike-list';

/** One key: its history by model over the report's range, its own spikes, its month-end forecast. */
export function KeyDetail({
  row,
  range,
  forecast,
  onClose,
}: {
  row: ReportKeyRow;
  range: { from: number; to: number };
  forecast: ForecastSummary | undefined;
  onClose: () => void;
}) {
  const history = useQuery({
    ...keyHistoryQuery({ orgId: row.orgId, apiKeyId: row.apiKeyId, from: range.from, to: range.to }),
    placeholderData: keepPreviousData,
  });
  return (
    <section className="km-card km-detail" aria-label={`History of ${row.name}`} data-testid="key-detail">
      <header className="km-detail-header">
        <h2>
          {row.name} {row.deleted && <span className="km-badge km-badge-deleted">deleted</span>}
          {row.stale && <span className="km-badge km-badge-stale">stale</span>}
        </h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </header>
      <p className="km-muted">
        <code>{row.redactedValue || row.apiKeyId || 'no key'}</code>
        {row.projectName ? ` · ${row.projectName}` : ''}
        {row.ownerName ? ` · ${row.ownerName}` : ''}
        {row.tags.length ? ` · tags: ${row.tags.join(', ')}` : ''}
        {row.deleted ? ' · no longer in the key lists; its history is kept' : ''}
      </p>
      {forecast && <ForecastLine forecast={forecast} subject="This key" />}
      {history.isPending && <p className="km-muted">Loading…</p>}
      {history.isError && (
        <p role="alert" className="km-message km-error">
          Could not load this key’s history: {history.error.message}
        </p>
      )}
      {history.data && <KeyHistoryView history={history.data} />}
    </section>
  );
}

function KeyHistoryView({ history }: { history: KeyHistory }) {
  const money = useMoney();
  const models = history.models;
  const chartData = useMemo(
    () =>
      stackedDaysData(
        history.days,
        models.map((m, i) => ({ label: m.model || '(no model)', micros: m.micros, colour: keyColour(i) })),
        money.convert,
        24,
      ),
    [history.days, models, money],
  );
  const options = useMemo(
    () =>
      stackedDaysOptions({
        autoSkipPadding: 12,
        plain: true,
        tooltip: {
          label: (item) => `${item.dataset.label ?? ''}: ${money.format(models[item.datasetIndex]?.micros[item.dataIndex] ?? 0)}`,
        },
      }),
    [models, money],
  );
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  if (models.length === 0) return <p className="km-muted">No usage in this range.</p>;
  return (
    <>
      <h3>Daily cost by model ({money.code})</h3>
      <ConversionNote />
      <BarChart data={chartData} options={options} height={240} label={`Daily cost of ${history.name} by model`}>
        {models.map((m) => `${m.model}: ${money.format(sum(m.micros))}`).join('; ')}
      </BarChart>
      <table className="km-table km-table-compact" data-testid="key-models">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col" className="km-num">
              Requests
            </th>
            <th scope="col" className="km-num">
              Input tokens
            </th>
            <th scope="col" className="km-num">
              Output tokens
            </th>
            <th scope="col" className="km-num">
              Cost ({money.code})
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.model}>
              <td>
                <code>{m.model || '(no model)'}</code>
              </td>
              <td className="km-num" title={exactNumber(sum(m.requests))}>
                {compactNumber(sum(m.requests))}
              </td>
              <td className="km-num" title={exactNumber(sum(m.inputTokens))}>
                {compactNumber(sum(m.inputTokens))}
              </td>
              <td className="km-num" title={exactNumber(sum(m.outputTokens))}>
                {compactNumber(sum(m.outputTokens))}
              </td>
              <td className="km-num" title={money.exact(sum(m.micros))}>
                {money.format(sum(m.micros))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <SpikeList spikes={history.spikes} title="Unusual days of this key" testId="key-spikes" />
    </>
  );
}
