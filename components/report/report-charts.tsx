import type { PanelData } from '@/lib/usage/panel-data';
import { BASIS_TEXT, type ChartFrameProps, type ChartLook, COMPACT, DailyCostChart, TokensByModelChart as TokensChart } from '../charts';
import { ConversionNote, useMoney } from './money';

/** The report page's look of the shared charts (components/charts.tsx): display currency, larger sizes. */

function ReportFrame({ chart, title, summary, children }: ChartFrameProps) {
  const id = `km-report-${chart}`;
  return (
    <section className="km-card" aria-labelledby={id}>
      <h2 id={id}>
        {title} <span className="km-muted km-small">{summary}</span>
      </h2>
      {chart === 'cost' && <ConversionNote />}
      {children}
    </section>
  );
}

const REPORT_LOOK: ChartLook = {
  Frame: ReportFrame,
  prefix: 'km',
  cost: {
    height: 280,
    maxBarThickness: 24,
    autoSkipPadding: 12,
    legendMaxHeight: 120,
    dayBasisInTitle: false,
    basisText: (basis) => BASIS_TEXT[basis],
    label: (_, code) => `Daily cost by API key, in ${code}`,
    tick: (value, code) => `${COMPACT.format(value)} ${code}`,
  },
  tokens: { maxModels: 10, height: (models) => 56 + models * 28 },
};

/** Stacked bars: each day's cost, by the top keys of the range plus "Other". */
export function DailyCostByKeyChart({ data }: { data: PanelData }) {
  return <DailyCostChart data={data} money={useMoney()} look={REPORT_LOOK} />;
}

/** Horizontal stacked bars: tokens per model (uncached input, cached input, output). */
export const TokensByModelChart = ({ data }: { data: PanelData }) => <TokensChart data={data} look={REPORT_LOOK} />;
