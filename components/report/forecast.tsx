import type { ForecastSummary, MonthInsights } from '@/lib/report/types';
import { ConversionNote, useMoney } from './money';

const MONTH = new Intl.DateTimeFormat('en-US', { month: 'long', year: 'numeric', timeZone: 'UTC' });
export const monthName = (period: string) => MONTH.format(new Date(`${period}-01T00:00:00Z`));

function basisText(f: ForecastSummary): string {
  switch (f.basis) {
    case 'month-so-far':
      return `from the ${f.completeDays} complete days of this month`;
    case 'recent-days':
      return `from the ${f.sampleDays} most recent complete days (the month is young)`;
    case 'none':
      return 'no history yet: only what is spent';
  }
}

/** "This key: $120 so far; month end likely $310 (range $280 – $360)". */
export function ForecastLine({ forecast, subject }: { forecast: ForecastSummary; subject: string }) {
  const money = useMoney();
  const f = forecast;
  return (
    <p className="km-forecast" data-testid="forecast-line">
      <strong>{subject}</strong>: {money.format(f.spentMicros)} so far in {monthName(f.period)}; month end likely{' '}
      <strong>{money.format(f.projectedMicros)}</strong>{' '}
      <span className="km-range-text">
        (range {money.format(f.lowMicros)} – {money.format(f.highMicros)})
      </span>{' '}
      <span className="km-muted km-small">{basisText(f)}, with the weekly rhythm of the last 8 weeks.</span>
    </p>
  );
}

/** The month-end projection of the chosen organisations (together, and each when several). */
export function ForecastCard({ month }: { month: MonthInsights }) {
  return (
    <section className="km-card" aria-label="Month-end forecast" data-testid="forecast">
      <h2>Month-end forecast · {monthName(month.period)}</h2>
      <ConversionNote />
      <ForecastLine
        forecast={month.total}
        subject={month.orgs.length > 1 ? 'All organisations' : (month.orgs[0]?.label ?? 'Organisation')}
      />
      {month.orgs.length > 1 && month.orgs.map((o) => <ForecastLine key={o.orgId} forecast={o.forecast} subject={o.label} />)}
      <p className="km-muted km-small">
        Each remaining day is projected at its weekday’s usual share of spend; the range is what the month comes to if the rest of it runs
        like the quieter (10th percentile) or busier (90th percentile) days so far. A projection, not a promise.
      </p>
    </section>
  );
}
