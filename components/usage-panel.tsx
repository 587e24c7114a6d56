import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  type ReactNode,
  type RefObject,
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import { z } from 'zod';
import { formatAgo, formatDay } from '@/lib/format';
import { type SyncStatus, sendMessage } from '@/lib/messaging';
import { type ApiErrorInfo, describeApiError } from '@/lib/openai/errors';
import { BULK_ENABLE_URL } from '@/lib/openai/pages';
import { panelQuery, syncStatusQuery } from '@/lib/queries';
import type { SyncOutcome } from '@/lib/sync/run';
import {
  PANEL_HEIGHT_MESSAGE,
  PANEL_PARENT_ORIGIN,
  type PanelData,
  type PanelHeightMessage,
  type PanelRange,
} from '@/lib/usage/panel-data';
import { describeSpike } from '@/lib/usage/spikes';
import { ExportForm } from './export-form';
import { PanelDailyCostChart, PanelTokensByModelChart } from './usage-panel-charts';
import { ZeroSetup } from './usage-panel-zero-setup';

/**
 * The usage panel: an extension page framed by the content script below "Top API keys". Its range
 * comes from the iframe's hash, its data from the background (through TanStack Query); everything
 * from the API or the page is rendered as text.
 */

const API_KEYS_PAGE = BULK_ENABLE_URL; // opens Keymeter's bulk-enable preview there
const MAX_CALLOUTS = 3;

// ---- The iframe's hash (built by the content script; see panelHash in lib/usage/panel-data.ts) ----

/** Longest range the panel draws (the dashboard's own picker stays well under this). */
export const MAX_RANGE_DAYS = 3 * 366;

const seconds = (what: string) =>
  z
    .string({ error: `${what} is missing` })
    .regex(/^\d{1,12}$/, `${what} must be a Unix time in seconds`)
    .transform(Number);

export const panelHashSchema = z
  .object({
    from: seconds('the start (from)'),
    to: seconds('the end (to)'),
    label: z.string().max(300, 'the range label is too long').default(''),
    source: z.enum(['page', 'default'], { error: 'source must be "page" or "default"' }).default('page'),
  })
  .refine((r) => r.to > r.from, 'the range must end after it starts')
  .refine((r) => r.to - r.from <= MAX_RANGE_DAYS * 86_400, `the range is longer than ${MAX_RANGE_DAYS} days`);

/** `#from=…&to=…&label=…&source=…` → the range, or the reason it cannot be read. */
export function parsePanelHash(hash: string): { ok: true; range: PanelRange } | { ok: false; error: string } {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const parsed = panelHashSchema.safeParse(Object.fromEntries(params));
  if (parsed.success) return { ok: true, range: parsed.data };
  return { ok: false, error: parsed.error.issues.map((i) => i.message).join('; ') };
}

function subscribeHash(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The page: reads the range from the hash (and follows it when the content script changes it). */
export function UsagePanelPage() {
  const hash = useSyncExternalStore(subscribeHash, () => window.location.hash);
  const parsed = useMemo(() => parsePanelHash(hash), [hash]);
  if (!parsed.ok) {
    return (
      <PanelFrame>
        <PanelHeader />
        <p role="alert" className="kmp-error">
          Keymeter could not read the date range for this panel ({parsed.error}). Reload the usage page; if this persists, the dashboard may
          have changed.
        </p>
      </PanelFrame>
    );
  }
  return <UsagePanel range={parsed.range} />;
}

export function UsagePanel({ range }: { range: PanelRange }) {
  const queryClient = useQueryClient();
  const panel = useQuery({ ...panelQuery(range), placeholderData: keepPreviousData });
  const hasOrgs = (panel.data?.orgs.length ?? 0) > 0;

  const sync = useMutation({
    mutationFn: () => sendMessage('sync:now', {}),
    onSettled: () => queryClient.invalidateQueries(),
  });
  const status = useQuery({
    ...syncStatusQuery(),
    enabled: hasOrgs,
    refetchInterval: (query) => (sync.isPending || query.state.data?.some((s) => s.running !== null) ? 1000 : false),
  });

  // A sync started elsewhere (the hourly alarm, another tab) finished: reload the figures.
  const running = status.data?.some((s) => s.running !== null) ?? false;
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: ['usage'] });
    wasRunning.current = running;
  }, [running, queryClient]);

  const data = panel.data;
  const header = (
    <PanelHeader range={range}>
      {hasOrgs && data && <SyncControls orgs={data.orgs} status={status.data} syncing={sync.isPending} onSync={() => sync.mutate()} />}
      {hasOrgs && (
        <button
          type="button"
          className="kmp-button"
          onClick={() => void sendMessage('report:open', undefined)}
          title="History, budgets, forecast and tags in a tab"
        >
          Open report
        </button>
      )}
    </PanelHeader>
  );

  if (panel.isPending) {
    return (
      <PanelFrame busy>
        {header}
        <Skeleton />
      </PanelFrame>
    );
  }
  if (panel.isError) {
    return (
      <PanelFrame>
        {header}
        <p role="alert" className="kmp-error">
          Keymeter could not load usage for this range: {panel.error.message}{' '}
          <button type="button" onClick={() => void panel.refetch()}>
            Try again
          </button>
        </p>
      </PanelFrame>
    );
  }
  if (!data || data.orgs.length === 0) {
    return (
      <PanelFrame>
        {header}
        {range.source === 'default' && <DefaultRangeNote />}
        <ZeroSetup />
      </PanelFrame>
    );
  }

  const errors = errorSentences(data, status.data, sync.data, sync.error);
  const empty = data.totals.requests === 0 && data.dailyCost.series.length === 0 && data.tokensByModel.length === 0;
  return (
    <PanelFrame busy={panel.isPlaceholderData}>
      {header}
      {range.source === 'default' && <DefaultRangeNote />}
      {errors.map((text) => (
        <p key={text} role="alert" className="kmp-error">
          {text}
        </p>
      ))}
      {data.untracked && <UntrackedWarning requests={data.untracked.requests} />}
      {data.spikes.length > 0 && <SpikeCallout spikes={data.spikes} />}
      {empty ? (
        <p className="kmp-empty">No usage recorded for this range yet. Use “Sync now” to fetch the latest from OpenAI.</p>
      ) : (
        <div className="kmp-charts">
          <PanelDailyCostChart data={data} />
          <PanelTokensByModelChart data={data} />
        </div>
      )}
      <details className="kmp-export">
        <summary>Export for finance (CSV, XLSX, JSON)</summary>
        <ExportForm defaultRange={{ from: range.from, to: range.to, label: range.label }} />
      </details>
    </PanelFrame>
  );
}

/** The card, with its height reported to the framing page after every layout change. */
function PanelFrame({ children, busy = false }: { children: ReactNode; busy?: boolean }) {
  const ref = useRef<HTMLDivElement>(null);
  usePostHeight(ref);
  return (
    <div ref={ref} className="kmp-root" data-testid="usage-panel" aria-busy={busy || undefined}>
      {children}
    </div>
  );
}

function usePostHeight(ref: RefObject<HTMLElement | null>) {
  const last = useRef(-1);
  const post = useCallback(() => {
    const element = ref.current;
    if (!element || window.parent === window) return;
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height === last.current) return;
    last.current = height;
    const message: PanelHeightMessage = { type: PANEL_HEIGHT_MESSAGE, height };
    window.parent.postMessage(message, PANEL_PARENT_ORIGIN);
  }, [ref]);
  // After every render too: Chromium pauses ResizeObserver in an off-screen cross-origin frame (the
  // panel usually starts below the fold), but a commit still runs and can measure.
  useLayoutEffect(post);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(post);
    observer.observe(element);
    return () => observer.disconnect();
  }, [ref, post]);
}

export function formatRange(from: number, to: number): string {
  const last = Math.max(from, Math.ceil(to / 86_400) * 86_400 - 86_400);
  return `${formatDay(from)} – ${formatDay(last)} (UTC)`;
}

function PanelHeader({ range, children }: { range?: PanelRange; children?: ReactNode }) {
  const dates = range ? formatRange(range.from, range.to) : '';
  const label = range?.label.trim() ?? '';
  const showLabel = label !== '' && normalise(label) !== normalise(dates.replace(' (UTC)', ''));
  return (
    <header className="kmp-header">
      <h2 className="kmp-title">Keymeter</h2>
      {range && (
        <span className="kmp-range">
          {showLabel && <span className="kmp-range-label">{label} · </span>}
          {dates}
        </span>
      )}
      <span className="kmp-spacer" />
      {children}
    </header>
  );
}

const normalise = (text: string) => text.replace(/[\s–—-]+/g, ' ').toLowerCase();

function DefaultRangeNote() {
  return <p className="kmp-note">Keymeter could not read the dashboard's date range, so this panel shows the last 30 days.</p>;
}

function SyncControls({
  orgs,
  status,
  syncing,
  onSync,
}: {
  orgs: PanelData['orgs'];
  status: SyncStatus[] | undefined;
  syncing: boolean;
  onSync: () => void;
}) {
  useTick(30_000); // re-render so "4 min ago" moves on
  const lastSuccess = (status ?? orgs).map((o) => o.lastSuccessAt);
  const progress = (status ?? []).reduce(
    (acc, s) => (s.running ? { done: acc.done + s.running.pagesDone, planned: acc.planned + s.running.pagesPlanned } : acc),
    { done: 0, planned: 0 },
  );
  const running = syncing || (status ?? []).some((s) => s.running !== null);
  let text: string;
  if (running) text = progress.planned > 0 ? `Syncing… ${progress.done} / ${progress.planned} pages` : 'Syncing…';
  else if (lastSuccess.every((t) => t === null)) text = 'not synced yet';
  else {
    // The least fresh organisation sets the figure; one never synced is said so.
    const synced = lastSuccess.filter((t): t is number => t !== null);
    text = `synced ${formatAgo(Date.now() / 1000 - Math.min(...synced))}${synced.length < lastSuccess.length ? ' (some organisations not yet)' : ''}`;
  }
  return (
    <>
      <span role="status" className="kmp-freshness">
        {text}
      </span>
      <button type="button" className="kmp-button" onClick={onSync} disabled={running}>
        Sync now
      </button>
    </>
  );
}

function useTick(intervalMs: number) {
  const [, setTick] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setTick((t) => t + 1), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
}

/** One sentence per distinct problem: the latest sync state per organisation, and what "Sync now" returned. */
function errorSentences(
  data: PanelData,
  status: SyncStatus[] | undefined,
  outcomes: Record<string, SyncOutcome> | undefined,
  syncError: Error | null,
): string[] {
  const labelled = data.orgs.length > 1;
  const sentences = new Set<string>();
  const add = (label: string | undefined, info: ApiErrorInfo) =>
    sentences.add(labelled && label ? `${label}: ${describeApiError(info)}` : describeApiError(info));
  for (const org of status ?? data.orgs) if (org.lastError) add(org.label, org.lastError);
  for (const [orgId, outcome] of Object.entries(outcomes ?? {})) {
    if (outcome.status === 'failed') add(data.orgs.find((o) => o.orgId === orgId)?.label, outcome.error);
  }
  if (syncError) sentences.add(`Keymeter could not start a sync: ${syncError.message}`);
  return [...sentences];
}

function UntrackedWarning({ requests }: { requests: number }) {
  return (
    <p className="kmp-warning" data-testid="untracked-warning">
      {requests.toLocaleString('en-US')} request{requests === 1 ? '' : 's'} in this range {requests === 1 ? 'has' : 'have'} no API key:
      legacy keys with tracking off.{' '}
      <a href={API_KEYS_PAGE} target="_top">
        Enable tracking on the API-keys page.
      </a>
    </p>
  );
}

function SpikeCallout({ spikes }: { spikes: PanelData['spikes'] }) {
  const latest = [...spikes].sort((a, b) => b.day - a.day);
  const shown = latest.slice(0, MAX_CALLOUTS);
  const more = latest.length - shown.length;
  return (
    <div className="kmp-callout" role="note" data-testid="spike-callout" aria-label="Spending spikes">
      <strong className="kmp-callout-title">Unusual spend</strong>
      <ul>
        {shown.map((spike) => (
          <li key={spike.day}>{describeSpike(spike)}</li>
        ))}
      </ul>
      {more > 0 && (
        <p className="kmp-muted">
          …and {more} more day{more === 1 ? '' : 's'} above the usual spend in this range.
        </p>
      )}
    </div>
  );
}

function Skeleton() {
  return (
    <div className="kmp-skeleton">
      <span className="kmp-sr-only">Loading usage…</span>
      <div className="kmp-skeleton-line" style={{ width: '40%' }} />
      <div className="kmp-skeleton-block" />
      <div className="kmp-skeleton-line" style={{ width: '60%' }} />
    </div>
  );
}
