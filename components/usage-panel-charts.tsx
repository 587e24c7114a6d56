import type { ChartData, ChartOptions } from 'chart.js';
import { useMemo } from 'react';
import { MICROS_PER_UNIT } from '@/lib/money';
import { OTHER_SERIES, type PanelData } from '@/lib/usage/panel-data';
import { formatUsd } from '@/lib/usage/spikes';
import { BarChart } from './chart';

const KEY_COLOURS = ['#10a37f', '#6e56cf', '#f59e0b', '#3b82f6', '#e5484d', '#0ea5e9', '#a16207'];
const OTHER_COLOUR = '#c5c5d2';
const TOKEN_COLOURS = { uncached: '#3b82f6', cached: '#93c5fd', output: '#10a37f' };
const MAX_MODELS = 8;
const TICKS = { color: '#6e6e80', font: { size: 11 } };
const SHORT_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
const TOKENS = new Intl.NumberFormat('en-US');
const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

const BASIS_TEXT: Record<PanelData['dailyCost']['basis'], string> = {
  billed: 'USD, billed (Costs API)',
  estimated: 'USD, estimated from tokens × list prices',
  mixed: 'USD, billed where the Costs API has the day, else estimated',
};

const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** Stacked bars: daily cost of the top keys plus "Other". */
export function DailyCostChart({ data }: { data: PanelData }) {
  const { days, series, totals, dayBasis, basis } = data.dailyCost;
  const chartData = useMemo<ChartData<'bar', number[], string>>(
    () => ({
      labels: days.map((d) => SHORT_DAY.format(d * 1000)),
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.micros.map((m) => m / MICROS_PER_UNIT),
        backgroundColor: s.apiKeyId === OTHER_SERIES ? OTHER_COLOUR : KEY_COLOURS[i % KEY_COLOURS.length],
        stack: 'cost',
        maxBarThickness: 28,
      })),
    }),
    [days, series],
  );
  const options = useMemo<ChartOptions<'bar'>>(
    () => ({
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: { stacked: true, grid: { display: false }, ticks: { ...TICKS, maxRotation: 0, autoSkipPadding: 8 } },
        y: { stacked: true, beginAtZero: true, ticks: { ...TICKS, callback: (value) => `$${COMPACT.format(Number(value))}` } },
      },
      plugins: {
        legend: { position: 'bottom', maxHeight: 160, labels: { boxWidth: 10, boxHeight: 10, font: { size: 12 } } },
        tooltip: {
          callbacks: {
            title: (items) => {
              const i = items[0]?.dataIndex ?? 0;
              const day = days[i];
              return day === undefined ? '' : `${SHORT_DAY.format(day * 1000)} (${dayBasis[i] ?? basis})`;
            },
            label: (item) => `${item.dataset.label ?? ''}: ${formatUsd(series[item.datasetIndex]?.micros[item.dataIndex] ?? 0)}`,
            footer: (items) => `Total ${formatUsd(totals[items[0]?.dataIndex ?? 0] ?? 0)}`,
          },
        },
      },
    }),
    [days, series, totals, dayBasis, basis],
  );
  const total = totals.reduce((a, b) => a + b, 0);
  return (
    <section className="kmp-section" aria-labelledby="kmp-cost-title">
      <h3 id="kmp-cost-title" className="kmp-section-title">
        Daily cost by API key{' '}
        <span className="kmp-muted">
          · {BASIS_TEXT[basis]} · total {formatUsd(total)}
        </span>
      </h3>
      <BarChart data={chartData} options={options} height={240} label={`Daily cost by API key, ${BASIS_TEXT[basis]}`}>
        {series.map((s) => `${s.label}: ${formatUsd(s.micros.reduce((a, b) => a + b, 0))}`).join('; ')}
      </BarChart>
      {data.unpricedRows > 0 && basis !== 'billed' && (
        <p className="kmp-muted kmp-small">
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
        x: { stacked: true, beginAtZero: true, ticks: { ...TICKS, callback: (value) => COMPACT.format(Number(value)) } },
        y: {
          stacked: true,
          grid: { display: false },
          // Long model names are shortened on the axis; the tooltip has them whole.
          ticks: { ...TICKS, callback: (_, index) => shorten(models[index]?.model || '(no model)', 24) },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, font: { size: 12 } } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${TOKENS.format(Number(item.raw))} tokens` } },
      },
    }),
    [models],
  );
  if (models.length === 0) return null;
  const more = data.tokensByModel.length - models.length;
  return (
    <section className="kmp-section" aria-labelledby="kmp-tokens-title">
      <h3 id="kmp-tokens-title" className="kmp-section-title">
        Tokens by model{' '}
        <span className="kmp-muted">
          · {COMPACT.format(data.totals.inputTokens)} in ({COMPACT.format(data.totals.cachedTokens)} cached) ·{' '}
          {COMPACT.format(data.totals.outputTokens)} out{more > 0 ? ` · top ${models.length} of ${data.tokensByModel.length} models` : ''}
        </span>
      </h3>
      <BarChart data={chartData} options={options} height={48 + models.length * 26} label="Tokens by model: input, cached input and output">
        {models
          .map((m) => `${m.model || '(no model)'}: ${TOKENS.format(m.inputTokens)} input, ${TOKENS.format(m.outputTokens)} output`)
          .join('; ')}
      </BarChart>
    </section>
  );
}
