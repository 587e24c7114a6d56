import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_DISPLAY_CURRENCY, displayCurrencySchema } from '@/lib/currency';
import { monthInsightsQuery, orgsQuery, reportOverviewQuery } from '@/lib/queries';
import { DEFAULT_ROW_VIEW, type ReportKeyRow, type RowView, rowRef, viewRows } from '@/lib/report/rows';
import { displayCurrencyItem } from '@/lib/report-settings';
import { BulkAuditLog } from './bulk-audit-log';
import { ExportForm } from './export-form';
import { Budgets } from './report/budgets';
import { ForecastCard } from './report/forecast';
import { KeyDetail } from './report/key-detail';
import { KeyTable } from './report/key-table';
import { ConversionNote, MoneyProvider } from './report/money';
import { OrgSwitcher } from './report/org-switcher';
import { initialRange, RangePicker, type ReportRange } from './report/range-picker';
import { DailyCostByKeyChart, TokensByModelChart } from './report/report-charts';
import { AlertSettingsForm, CurrencySettings } from './report/report-settings';
import { SpikeList } from './report/spike-list';
import { SyncBar } from './report/sync-bar';
import { TagTools } from './report/tag-tools';
import { useSetting } from './report/use-setting';

/**
 * The full-tab report: one organisation or all combined, over a range. Everything comes from the
 * background (TanStack Query → typed messages); this component only holds the page's choices
 * (organisation, range, table view, selection, the key opened) and lays the sections out.
 */
export function ReportPage({ now = Date.now }: { now?: () => number }) {
  const orgs = useQuery(orgsQuery());
  const [orgId, setOrgId] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<ReportRange>(() => initialRange(now()));
  const [view, setView] = useState<RowView>(DEFAULT_ROW_VIEW);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [openRef, setOpenRef] = useState<string | null>(null);
  const [currency] = useSetting(displayCurrencyItem, displayCurrencySchema);
  const hasOrgs = (orgs.data?.length ?? 0) > 0;

  const overview = useQuery({
    ...reportOverviewQuery({ from: range.from, to: range.to, orgId }),
    enabled: hasOrgs,
    placeholderData: keepPreviousData,
  });
  const month = useQuery({ ...monthInsightsQuery(orgId), enabled: hasOrgs });

  // Typing in the search box stays responsive: the table follows a moment later.
  const deferredView = useDeferredValue(view);
  const forecasts = month.data?.keys;
  const forecastOf = useCallback((row: ReportKeyRow) => forecasts?.[rowRef(row)]?.projectedMicros ?? null, [forecasts]);
  const allRows = overview.data?.rows;
  const rows = useMemo(() => viewRows(allRows ?? [], deferredView, forecastOf), [allRows, deferredView, forecastOf]);
  const openRow = openRef ? allRows?.find((r) => rowRef(r) === openRef) : undefined;

  const detailRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (openRef) detailRef.current?.scrollIntoView?.({ block: 'start', behavior: 'smooth' });
  }, [openRef]);

  const select = useCallback((refs: string[], on: boolean) => {
    setSelected((before) => {
      const next = new Set(before);
      for (const ref of refs) {
        if (on) next.add(ref);
        else next.delete(ref);
      }
      return next;
    });
  }, []);
  const open = useCallback((ref: { orgId: string; apiKeyId: string }) => setOpenRef(rowRef(ref)), []);

  const combined = !orgId && (orgs.data?.length ?? 0) > 1;
  return (
    <MoneyProvider currency={currency ?? DEFAULT_DISPLAY_CURRENCY}>
      <main className="km-page km-report" aria-busy={overview.isFetching || undefined}>
        <header className="km-report-header">
          <h1>Keymeter report</h1>
          {orgs.data && (
            <OrgSwitcher
              orgs={orgs.data}
              value={orgId}
              onChange={(id) => {
                setOrgId(id);
                setSelected(new Set());
                setOpenRef(null);
              }}
            />
          )}
          <RangePicker value={range} onChange={setRange} now={now} />
          {hasOrgs && <SyncBar />}
        </header>

        {orgs.isSuccess && !hasOrgs && (
          <section className="km-card">
            <p>
              No organisation is connected yet. Add an admin key in{' '}
              <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
                Keymeter’s settings
              </a>{' '}
              to build the report.
            </p>
          </section>
        )}

        {hasOrgs && (
          <>
            <ConversionNote className="km-note" />
            {overview.isError && (
              <p role="alert" className="km-message km-error">
                Keymeter could not load the report: {overview.error.message}
              </p>
            )}
            {overview.isPending && <p className="km-muted">Loading the report…</p>}
            {overview.data && (
              <>
                <SpikeList spikes={overview.data.panel.spikes} onOpenKey={open} />
                <div className="km-grid">
                  <DailyCostByKeyChart data={overview.data.panel} />
                  <TokensByModelChart data={overview.data.panel} />
                </div>
              </>
            )}
            {month.isError && (
              <p role="alert" className="km-message km-error">
                Keymeter could not compute this month’s forecast and budgets: {month.error.message}
              </p>
            )}
            {month.data && overview.data && (
              <div className="km-grid">
                <ForecastCard month={month.data} />
                <Budgets month={month.data} rows={overview.data.rows} tags={overview.data.tags} projects={overview.data.projects} />
              </div>
            )}
            {overview.data && (
              <>
                <KeyTable
                  rows={rows}
                  total={overview.data.rows.length}
                  view={view}
                  onView={setView}
                  tags={overview.data.tags}
                  combined={combined}
                  selected={selected}
                  onSelect={select}
                  onOpen={open}
                  forecasts={forecasts}
                />
                <div ref={detailRef}>
                  {openRow && (
                    <KeyDetail row={openRow} range={range} forecast={forecasts?.[rowRef(openRow)]} onClose={() => setOpenRef(null)} />
                  )}
                </div>
                <TagTools rows={overview.data.rows} selected={selected} orgId={orgId} onDone={() => setSelected(new Set())} />
              </>
            )}
            <ExportForm defaultRange={{ from: range.from, to: range.to, label: range.label }} orgId={orgId} />
            <p className="km-muted km-small">
              Finance exports are in USD, as OpenAI bills; the display currency applies on this page only. Stored tags are used for
              “Cost-center tag”.
            </p>
            <BulkAuditLog />
            <div className="km-grid">
              <CurrencySettings />
              <AlertSettingsForm />
            </div>
          </>
        )}
      </main>
    </MoneyProvider>
  );
}
