import type { ChartData, ChartOptions, TooltipCallbacks } from 'chart.js';
import { type ReactNode, useMemo } from 'react';
import { MICROS_PER_UNIT, type Micros } from '@/lib/money';
import { type CostBasis, OTHER_SERIES, type PanelData } from '@/lib/usage/panel-data';
import { BarChart } from './chart';

/**
 * The cost and token charts of the usage panel and of the report page: one implementation, configured
 * per page by a ChartLook (markup, class prefix, sizes) and a ChartMoney (USD or the display currency).
 * Nothing here may import report code: the panel's bundle stays free of it.
 */

export const KEY_COLOURS = ['#10a37f', '#6e56cf', '#f59e0b', '#3b82f6', '#e5484d', '#0ea5e9', '#a16207', '#db2777', '#65a30d'];
const OTHER_COLOUR = '#c5c5d2';
const TOKEN_COLOURS = { uncached: '#3b82f6', cached: '#93c5fd', output: '#10a37f' };
const TICKS = { color: '#6e6e80', font: { size: 11 } };
const LEGEND_FONT = { size: 12 };
export const SHORT_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });
export const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const TOKENS = new Intl.NumberFormat('en-US');

export const BASIS_TEXT: Record<CostBasis, string> = {
  billed: 'billed (Costs API)',
  estimated: 'estimated from tokens × list prices',
  mixed: 'billed where the Costs API has the day, else estimated',
};

export const keyColour = (index: number) => KEY_COLOURS[index % KEY_COLOURS.length]!;
const shorten = (text: string, max: number) => (text.length > max ? `${text.slice(0, max - 1)}…` : text);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);
const modelName = (model: string) => model || '(no model)';

/** How charts show money: plain USD in the panel, the display currency on the report page. */
export interface ChartMoney {
  code: string;
  /** Display units (µ-units of the display currency). */
  convert(usdMicros: Micros): Micros;
  format(usdMicros: Micros): string;
}

export interface ChartFrameProps {
  chart: 'cost' | 'tokens';
  title: string;
  /** The muted text after the title. */
  summary: string;
  children: ReactNode;
}

/** What differs between the pages that draw these charts. */
export interface ChartLook {
  /** The section and heading around each chart. */
  Frame: (props: ChartFrameProps) => ReactNode;
  /** Class prefix of the page's stylesheet: 'kmp' (usage panel) or 'km' (report page). */
  prefix: 'kmp' | 'km';
  cost: {
    height: number;
    maxBarThickness: number;
    autoSkipPadding: number;
    legendMaxHeight: number;
    /** The tooltip title names the day's cost basis. */
    dayBasisInTitle: boolean;
    basisText(basis: CostBasis): string;
    /** Accessible name of the chart. */
    label(basis: CostBasis, code: string): string;
    /** Value-axis tick of an amount in display units. */
    tick(value: number, code: string): string;
  };
  tokens: {
    maxModels: number;
    /** Axis labels are shortened to this many characters (the tooltip has them whole); whole when absent. */
    modelLabelMax?: number;
    height(models: number): number;
  };
}

/** Stacked bars of cost per day, one dataset per series (top keys, or models of one key). */
export function stackedDaysData(
  days: readonly number[],
  series: readonly { label: string; micros: readonly Micros[]; colour: string }[],
  convert: (usdMicros: Micros) => Micros,
  maxBarThickness: number,
): ChartData<'bar', number[], string> {
  return {
    labels: days.map((d) => SHORT_DAY.format(d * 1000)),
    datasets: series.map((s) => ({
      label: s.label,
      data: s.micros.map((m) => convert(m) / MICROS_PER_UNIT),
      backgroundColor: s.colour,
      stack: 'cost',
      maxBarThickness,
    })),
  };
}

/** Options of a stacked cost-per-day chart. */
export function stackedDaysOptions({
  autoSkipPadding,
  plain = false,
  yTick,
  legendMaxHeight,
  tooltip,
}: {
  autoSkipPadding: number;
  /** chart.js's own tick and legend fonts (the key detail chart). */
  plain?: boolean;
  yTick?: (value: number) => string;
  legendMaxHeight?: number;
  tooltip: Partial<TooltipCallbacks<'bar'>>;
}): ChartOptions<'bar'> {
  const ticks = plain ? {} : TICKS;
  return {
    responsive: true,
    maintainAspectRatio: false,
    animation: false,
    interaction: { mode: 'index', intersect: false },
    scales: {
      x: { stacked: true, grid: { display: false }, ticks: { ...ticks, maxRotation: 0, autoSkipPadding } },
      y: { stacked: true, beginAtZero: true, ...(yTick ? { ticks: { ...ticks, callback: (value) => yTick(Number(value)) } } : {}) },
    },
    plugins: {
      legend: {
        position: 'bottom',
        ...(legendMaxHeight === undefined ? {} : { maxHeight: legendMaxHeight }),
        labels: { boxWidth: 10, boxHeight: 10, ...(plain ? {} : { font: LEGEND_FONT }) },
      },
      tooltip: { callbacks: tooltip },
    },
  };
}

/** Stacked bars: daily cost of the top keys plus "Other". */
export function DailyCostChart({ data, money, look }: { data: PanelData; money: ChartMoney; look: ChartLook }) {
  const { days, series, totals, dayBasis, basis } = data.dailyCost;
  const { Frame, prefix, cost } = look;
  const chartData = useMemo(
    () =>
      stackedDaysData(
        days,
        series.map((s, i) => ({ ...s, colour: s.apiKeyId === OTHER_SERIES ? OTHER_COLOUR : keyColour(i) })),
        money.convert,
        cost.maxBarThickness,
      ),
    [days, series, money, cost],
  );
  const options = useMemo(
    () =>
      stackedDaysOptions({
        autoSkipPadding: cost.autoSkipPadding,
        yTick: (value) => cost.tick(value, money.code),
        legendMaxHeight: cost.legendMaxHeight,
        tooltip: {
          ...(cost.dayBasisInTitle
            ? {
                title: (items) => {
                  const i = items[0]?.dataIndex ?? 0;
                  const day = days[i];
                  return day === undefined ? '' : `${SHORT_DAY.format(day * 1000)} (${dayBasis[i] ?? basis})`;
                },
              }
            : {}),
          label: (item) => `${item.dataset.label ?? ''}: ${money.format(series[item.datasetIndex]?.micros[item.dataIndex] ?? 0)}`,
          footer: (items) => `Total ${money.format(totals[items[0]?.dataIndex ?? 0] ?? 0)}`,
        },
      }),
    [days, series, totals, dayBasis, basis, money, cost],
  );
  return (
    <Frame chart="cost" title="Daily cost by API key" summary={`· ${cost.basisText(basis)} · total ${money.format(sum(totals))}`}>
      <BarChart data={chartData} options={options} height={cost.height} label={cost.label(basis, money.code)}>
        {series.map((s) => `${s.label}: ${money.format(sum(s.micros))}`).join('; ')}
      </BarChart>
      {data.unpricedRows > 0 && basis !== 'billed' && (
        <p className={`${prefix}-muted ${prefix}-small`}>
          {data.unpricedRows} usage row{data.unpricedRows === 1 ? ' has' : 's have'} no known price; their cost is not in the estimate.
        </p>
      )}
    </Frame>
  );
}

/** Horizontal stacked bars: tokens per model (uncached input, cached input, output). */
export function TokensByModelChart({ data, look }: { data: PanelData; look: ChartLook }) {
  const { Frame, tokens } = look;
  const models = useMemo(() => data.tokensByModel.slice(0, tokens.maxModels), [data.tokensByModel, tokens]);
  const chartData = useMemo<ChartData<'bar', number[], string>>(
    () => ({
      labels: models.map((m) => modelName(m.model)),
      datasets: [
        { label: 'Input', data: models.map((m) => m.inputTokens - m.cachedTokens), backgroundColor: TOKEN_COLOURS.uncached },
        { label: 'Cached input', data: models.map((m) => m.cachedTokens), backgroundColor: TOKEN_COLOURS.cached },
        { label: 'Output', data: models.map((m) => m.outputTokens), backgroundColor: TOKEN_COLOURS.output },
      ].map((d) => ({ ...d, stack: 'tokens', maxBarThickness: 18 })),
    }),
    [models],
  );
  const options = useMemo<ChartOptions<'bar'>>(() => {
    const max = tokens.modelLabelMax;
    return {
      indexAxis: 'y',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { stacked: true, beginAtZero: true, ticks: { ...TICKS, callback: (value) => COMPACT.format(Number(value)) } },
        y: {
          stacked: true,
          grid: { display: false },
          ticks: max === undefined ? TICKS : { ...TICKS, callback: (_, index) => shorten(modelName(models[index]?.model ?? ''), max) },
        },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 10, boxHeight: 10, font: LEGEND_FONT } },
        tooltip: { callbacks: { label: (item) => `${item.dataset.label ?? ''}: ${TOKENS.format(Number(item.raw))} tokens` } },
      },
    };
  }, [models, tokens]);
  if (models.length === 0) return null;
  const { totals, tokensByModel } = data;
  const more = tokensByModel.length > models.length ? ` · top ${models.length} of ${tokensByModel.length} models` : '';
  const summary = `· ${COMPACT.format(totals.inputTokens)} in (${COMPACT.format(totals.cachedTokens)} cached) · ${COMPACT.format(totals.outputTokens)} out${more}`;
  return (
    <Frame chart="tokens" title="Tokens by model" summary={summary}>
      <BarChart
        data={chartData}
        options={options}
        height={tokens.height(models.length)}
        label="Tokens by model: input, cached input and output"
      >
        {models
          .map((m) => `${modelName(m.model)}: ${TOKENS.format(m.inputTokens)} input, ${TOKENS.format(m.outputTokens)} output`)
          .join('; ')}
      </BarChart>
    </Frame>
  );
}
