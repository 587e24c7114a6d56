import type { ChartData, ChartOptions } from 'chart.js';
import { useMemo } from 'react';
import { MICROS_PER_UNIT } from '@/lib/money';
import { OTHER_SERIES, type PanelData } from '@/lib/usage/panel-data';
import { BarChart } from '../chart';
import { ConversionNote, useMoney } from './money';

/** The report's two charts, drawn with the shared bar-chart wrapper (only bar charts are registered). */

export const KEY_COLOURS = ['#10a37f', '#6e56cf', '#f59e0b', '#3b82f6', '#e5484d', '#0ea5e9', '#a16207', '#db2777', '#65a30d'];
const OTHER_COLOUR = '#c5c5d2';
const TOKEN_COLOURS = { uncached: '#3b82f6', cached: '#93c5fd', output: '#10a37f' };
const TICKS = { color: '#6e6e80', font: { size: 11 } };
export const SHORT_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const TOKENS = new Intl.NumberFormat('en-US');
const MAX_MODELS = 10;

const BASIS: Record<PanelData['dailyCost']['basis'], string> = {
  billed: 'billed (Costs API)',
  estimated: 'estimated from tokens × list prices',
  mixed: 'billed where the Costs API has the day, else estimated',
};

/** Stacked bars: each day's cost, by the top keys of the range plus "Other". */
export function DailyCostByKeyChart({ data }: { data: PanelData }) {
  const money = useMoney();
  const { days, series, totals, basis } = data.dailyCost;
  const chartData = useMemo<ChartData<'bar', number[], string>>(
    () => ({
      labels: days.map((d) => SHORT_DAY.format(d * 1000)),
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.micros.map((m) => money.convert(m) / MICROS_PER_UNIT),
        backgroundColor: s.apiKeyId === OTHER_SERIES ? OTHER_COLOUR : KEY_COLOURS[i % KEY_COLOURS.length],
        stack: 'cost',
        maxBarThickness: 24,
      })),
    }),
    [days, series, money],
  );
  const options = useMemo<ChartOptions<'bar'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { ...TICKS, maxRotation: 0, autoSkipPadding: 12 } },
        y: { stacked: true, beginAtZero: true, ticks: { ...TICKS, callback: (v) => `${COMPACT.format(Number(v))} ${money.code}` } },
      },
      plugins: {
        legend: { position: 'bottom', maxHeight: 120, labels: { boxWidth: 10, boxHeight: 10, font: { size: 12 } } },
        tooltip: {
          callbacks: {
            label: (item) => `${item.dataset.label ?? ''}: ${money.format(series[item.datasetIndex]?.micros[item.dataIndex] ?? 0)}`,
            footer: (items) => `Total ${money.format(totals[items[0]?.dataIndex ?? 0] ?? 0)}`,
          },
        },
      },
    }),
    [series, totals, money],
  );
  const total = totals.reduce((a, b) => a + b, 0);
  return (
    <section className="km-card" aria-labelledby="km-report-cost">
      <h2 id="km-report-cost">
        Daily cost by API key{' '}
        <span className="km-muted km-small">
          · {BASIS[basis]} · total {money.format(total)}
        </span>
      </h2>
      <ConversionNote />
      <BarChart data={chartData} options={options} height={280} label={`Daily cost by API key, in ${money.code}`}>
        {series.map((s) => `${s.label}: ${money.format(s.micros.reduce((a, b) => a + b, 0))}`).join('; ')}
      </BarChart>
      {data.unpricedRows > 0 && basis !== 'billed' && (
        <p className="km-muted km-small">
          {data.unpricedRows} usage row{data.unpricedRows === 1 ? ' has' : 's have'} no known price; their cost is not in the estimate.
        </p>
      )}
    </section>
  );
}

/** Horizontal stacked bars: tokens per model (uncached input, cached input, output). */
export function TokensByModelChart({ data }: { data: PanelData }) {
  const models = useMemo(() => data.tokensByModel.slice(0, MAX_MODELS), [data.tokensByModel]);
  const chartData = useMemo<ChartData<'bar', number[], string>>(
    () => ({
      labels: models.map((m) => m.model || '(no model)'),
      datasets: [
        { label: 'Input', data: models.map((m) => m.inputTokens - m.cachedTokens), backgroundColor: TOKEN_COLOURS.uncached },
        { label: 'Cached input', data: models.map((m) => m.cachedTokens), backgroundColor: TOKEN_COLOURS.cached },
        { label: 'Output', data: models.map((m) => m.outputTokens), backgroundColor: TOKEN_COLOURS.output },
      ].map((d) => ({ ...d, stack: 'tokens', maxBarThickness: 18 })),
    }),
    [models],
  );
  const options = useMemo<ChartOptions<'bar'>>(
    () => ({
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { ...TICKS, callback: (v) => COMPACT.format(Number(v)) } },
        y: { stacked: true, grid: { display: false }, ticks: TICKS },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, font: { size: 12 } } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${TOKENS.format(Number(item.raw))} tokens` } },
      },
    }),
    [],
  );
  if (models.length === 0) return null;
  return (
    <section className="km-card" aria-labelledby="km-report-tokens">
      <h2 id="km-report-tokens">
        Tokens by model{' '}
        <span className="km-muted km-small">
          · {COMPACT.format(data.totals.inputTokens)} in ({COMPACT.format(data.totals.cachedTokens)} cached) ·{' '}
          {COMPACT.format(data.totals.outputTokens)} out
          {data.tokensByModel.length > models.length ? ` · top ${models.length} of ${data.tokensByModel.length} models` : ''}
        </span>
      </h2>
      <BarChart data={chartData} options={options} height={56 + models.length * 28} label="Tokens by model: input, cached input and output">
        {models
          .map((m) => `${m.model || '(no model)'}: ${TOKENS.format(m.inputTokens)} input, ${TOKENS.format(m.outputTokens)} output`)
          .join('; ')}
      </BarChart>
    </section>
  );
}
