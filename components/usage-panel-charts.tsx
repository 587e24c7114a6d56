import type { PanelData } from '@/lib/usage/panel-data';
import { formatUsd } from '@/lib/usage/spikes';
import {
  BASIS_TEXT,
  type ChartFrameProps,
  type ChartLook,
  type ChartMoney,
  COMPACT,
  DailyCostChart as CostChart,
  TokensByModelChart as TokensChart,
} from './charts';

/** The usage panel's look of the shared charts (components/charts.tsx): USD only, compact sizes. */

const USD: ChartMoney = { code: 'USD', convert: (m) => m, format: formatUsd };
const usdBasis = (basis: PanelData['dailyCost']['basis']) => `USD, ${BASIS_TEXT[basis]}`;

function PanelFrame({ chart, title, summary, children }: ChartFrameProps) {
  const id = `kmp-${chart}-title`;
  return (
    <section className="kmp-section" aria-labelledby={id}>
      <h3 id={id} className="kmp-section-title">
        {title} <span className="kmp-muted">{summary}</span>
      </h3>
      {children}
    </section>
  );
}

const PANEL_LOOK: ChartLook = {
  Frame: PanelFrame,
  prefix: 'kmp',
  cost: {
    height: 240,
    maxBarThickness: 28,
    autoSkipPadding: 8,
    legendMaxHeight: 160,
    dayBasisInTitle: true,
    basisText: usdBasis,
    label: (basis) => `Daily cost by API key, ${usdBasis(basis)}`,
    tick: (value) => `$${COMPACT.format(value)}`,
  },
  tokens: { maxModels: 8, modelLabelMax: 24, height: (models) => 48 + models * 26 },
};

/** Stacked bars: daily cost of the top keys plus "Other". */
export const PanelDailyCostChart = ({ data }: { data: PanelData }) => <CostChart data={data} money={USD} look={PANEL_LOOK} />;

/** Horizontal stacked bars: tokens per model (uncached input, cached input, output). */
export const PanelTokensByModelChart = ({ data }: { data: PanelData }) => <TokensChart data={data} look={PANEL_LOOK} />;
