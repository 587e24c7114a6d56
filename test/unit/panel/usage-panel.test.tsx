import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UsagePanel, UsagePanelPage } from '@/components/usage-panel';
import type { SyncStatus } from '@/lib/messaging';
import { describeApiError } from '@/lib/openai/errors';
import type { PanelData, PanelRange } from '@/lib/usage/panel-data';
import type { SnapshotRecord } from '@/lib/usage/records';
import { day } from '../db-fixtures';
import { answer, renderWithClient, send } from '../render';

vi.mock('@/lib/messaging', () => ({ sendMessage: vi.fn(), onMessage: vi.fn() }));
// chart.js needs a real canvas: a stand-in keeps the output quiet and still shows what would be drawn.
vi.mock('@/components/chart', () => ({
  BarChart: (props: { label: string; data: { datasets: Array<{ label?: string }> } }) => (
    <canvas aria-label={props.label} data-series={props.data.datasets.map((d) => d.label).join('|')} />
  ),
}));

const RANGE: PanelRange = { from: day('2025-12-15'), to: day('2026-01-11'), label: 'Dec 15, 2025 – Jan 10, 2026', source: 'page' };
const EVIL = '<img src=x onerror=alert(1)>';

function panelData(partial: Partial<PanelData> = {}): PanelData {
  const days = [day('2025-12-23'), day('2025-12-24')];
  return {
    from: RANGE.from,
    to: RANGE.to,
    orgs: [{ orgId: 'org-1', label: 'Acme', lastSuccessAt: Math.floor(Date.now() / 1000) - 4 * 60, lastError: null }],
    totals: { micros: 420_400_000, requests: 1200, inputTokens: 5_000_000, cachedTokens: 1_000_000, outputTokens: 800_000 },
    dailyCost: {
      days,
      totals: [108_000_000, 312_400_000],
      dayBasis: ['billed', 'billed'],
      basis: 'billed',
      series: [
        { orgId: 'org-1', apiKeyId: 'key_1', label: 'support-assistant-prod', micros: [100_000_000, 290_200_000] },
        { orgId: 'org-1', apiKeyId: 'key_2', label: EVIL, micros: [8_000_000, 22_200_000] },
      ],
    },
    tokensByModel: [{ model: 'gpt-4o-2024-08-06', requests: 1200, inputTokens: 5_000_000, cachedTokens: 1_000_000, outputTokens: 800_000 }],
    spikes: [
      {
        day: day('2025-12-24'),
        micros: 312_400_000,
        baselineMicros: 108_000_000,
        baselineKind: 'weekday',
        trigger: 'total',
        drivers: [
          {
            orgId: 'org-1',
            apiKeyId: 'key_1',
            keyName: 'support-assistant-prod',
            model: 'gpt-4o-2024-08-06',
            micros: 0,
            baselineMicros: 0,
            deltaMicros: 190_200_000,
          },
          { orgId: 'org-1', apiKeyId: 'key_2', keyName: EVIL, model: 'gpt-4o-mini', micros: 0, baselineMicros: 0, deltaMicros: 14_200_000 },
        ],
      },
    ],
    untracked: null,
    unpricedRows: 0,
    ...partial,
  };
}

const status = (partial: Partial<SyncStatus> = {}): SyncStatus => ({
  orgId: 'org-1',
  label: 'Acme',
  lastSuccessAt: Math.floor(Date.now() / 1000) - 4 * 60,
  lastAttemptAt: null,
  lastError: null,
  running: null,
  ...partial,
});

beforeEach(() => {
  send.mockReset();
});

describe('UsagePanel', () => {
  it('shows a skeleton, then the range, freshness, charts and the spike callout naming the key', async () => {
    let resolvePanel!: (data: PanelData) => void;
    answer({
      'usage:panel': () => new Promise<PanelData>((resolve) => (resolvePanel = resolve)),
      'sync:status': () => [status()],
    });
    renderWithClient(<UsagePanel range={RANGE} />);

    expect(screen.getByTestId('usage-panel')).toHaveTextContent('Loading usage…');
    expect(screen.getByTestId('usage-panel')).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('heading', { name: 'Keymeter' })).toBeInTheDocument();
    expect(screen.getByText('Dec 15, 2025 – Jan 10, 2026 (UTC)')).toBeInTheDocument();
    expect(send).toHaveBeenCalledWith('usage:panel', { orgId: undefined, from: RANGE.from, to: RANGE.to });

    await act(async () => resolvePanel(panelData()));

    const callout = await screen.findByTestId('spike-callout');
    expect(screen.getByTestId('usage-panel')).not.toHaveAttribute('aria-busy');
    expect(callout).toHaveAttribute('role', 'note');
    expect(callout).toHaveTextContent(
      'Dec 24, 2025: $312.40, 2.9× the usual $108 — mostly support-assistant-prod on gpt-4o-2024-08-06 (+$190.20)',
    );
    // Markup in a key name is shown as text, never parsed.
    expect(callout).toHaveTextContent(`also ${EVIL} on gpt-4o-mini (+$14.20)`);
    expect(document.querySelector('img')).toBeNull();

    expect(await screen.findByRole('status')).toHaveTextContent('synced 4 min ago');
    const costChart = screen.getByLabelText('Daily cost by API key, USD, billed (Costs API)');
    expect(costChart).toHaveAttribute('data-series', `support-assistant-prod|${EVIL}`);
    expect(screen.getByLabelText('Tokens by model: input, cached input and output')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByTestId('untracked-warning')).toBeNull();
  });

  it('warns about usage without a key, with a link to the API-keys page', async () => {
    answer({
      'usage:panel': () => panelData({ untracked: { requests: 1234, inputTokens: 10, outputTokens: 5 } }),
      'sync:status': () => [status()],
    });
    renderWithClient(<UsagePanel range={RANGE} />);
    const warning = await screen.findByTestId('untracked-warning');
    expect(warning).toHaveTextContent('1,234 requests in this range have no API key: legacy keys with tracking off.');
    const link = within(warning).getByRole('link', { name: 'Enable tracking on the API-keys page.' });
    expect(link).toHaveAttribute('href', 'https://platform.openai.com/api-keys#keymeter-bulk-enable');
    expect(link).toHaveAttribute('target', '_top');
  });

  it('explains a failed sync with the API error sentence', async () => {
    const unauthorized = { kind: 'unauthorized' as const, detail: 'bad key', status: 401 };
    const rateLimited = { kind: 'rate-limited' as const, detail: 'slow down', status: 429 };
    answer({
      'usage:panel': () => panelData({ orgs: [{ orgId: 'org-1', label: 'Acme', lastSuccessAt: null, lastError: unauthorized }] }),
      'sync:status': () => [status({ lastError: rateLimited })],
    });
    renderWithClient(<UsagePanel range={RANGE} />);
    // The fresher sync status replaces what the panel data carried.
    expect(await screen.findByText(describeApiError(rateLimited))).toHaveAttribute('role', 'alert');
    await waitFor(() => expect(screen.getAllByRole('alert')).toHaveLength(1));
    // The figures already saved are still shown.
    expect(screen.getByTestId('spike-callout')).toBeInTheDocument();
  });

  it('shows the error sentence from the panel data before the sync status arrives', async () => {
    const unauthorized = { kind: 'unauthorized' as const, detail: 'bad key', status: 401 };
    answer({
      'usage:panel': () => panelData({ orgs: [{ orgId: 'org-1', label: 'Acme', lastSuccessAt: null, lastError: unauthorized }] }),
      'sync:status': () => new Promise(() => {}),
    });
    renderWithClient(<UsagePanel range={RANGE} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(describeApiError(unauthorized));
  });

  it('says so when the background cannot answer', async () => {
    answer({ 'usage:panel': () => Promise.reject(new Error('Could not establish connection')) });
    renderWithClient(<UsagePanel range={RANGE} />);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Keymeter could not load usage for this range: Could not establish connection',
    );
  });

  it('says when nothing was recorded for the range', async () => {
    answer({
      'usage:panel': () =>
        panelData({
          dailyCost: { days: [], totals: [], dayBasis: [], series: [], basis: 'estimated' },
          tokensByModel: [],
          spikes: [],
          totals: { micros: 0, requests: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0 },
        }),
      'sync:status': () => [status({ lastSuccessAt: null })],
    });
    renderWithClient(<UsagePanel range={RANGE} />);
    expect(await screen.findByText(/No usage recorded for this range yet/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sync now' })).toBeEnabled();
    expect(await screen.findByRole('status')).toHaveTextContent('not synced yet');
  });

  it('notes when the dashboard’s range could not be read', async () => {
    answer({ 'usage:panel': () => panelData(), 'sync:status': () => [status()] });
    renderWithClient(<UsagePanel range={{ ...RANGE, source: 'default', label: '' }} />);
    expect(await screen.findByText(/could not read the dashboard's date range, so this panel shows the last 30 days/)).toBeInTheDocument();
  });

  it('syncs on demand, shows progress while it runs, then reloads the figures', async () => {
    let finishSync!: () => void;
    let syncing = false;
    let lastSuccessAt = Math.floor(Date.now() / 1000) - 4 * 60;
    answer({
      'usage:panel': () => panelData(),
      'sync:status': () => [status({ lastSuccessAt, running: syncing ? { pagesDone: 12, pagesPlanned: 36 } : null })],
      'sync:now': () =>
        new Promise((resolve) => {
          syncing = true;
          finishSync = () => {
            syncing = false;
            lastSuccessAt = Math.floor(Date.now() / 1000);
            resolve({ 'org-1': { status: 'done', rows: 10 } });
          };
        }),
    });
    renderWithClient(<UsagePanel range={RANGE} />);
    const button = await screen.findByRole('button', { name: 'Sync now' });
    fireEvent.click(button);
    await waitFor(() => expect(send).toHaveBeenCalledWith('sync:now', {}));
    expect(await screen.findByText('Syncing… 12 / 36 pages', {}, { timeout: 3000 })).toHaveAttribute('role', 'status');
    expect(button).toBeDisabled();
    const panelCalls = () => send.mock.calls.filter(([type]) => type === 'usage:panel').length;
    const before = panelCalls();
    await act(async () => finishSync());
    await waitFor(() => expect(panelCalls()).toBeGreaterThan(before));
    await waitFor(() => expect(screen.getByRole('status')).toHaveTextContent('synced just now'));
  });

  it('names the failure when Sync now fails', async () => {
    answer({
      'usage:panel': () => panelData(),
      'sync:status': () => [status()],
      'sync:now': () => ({ 'org-1': { status: 'failed', error: { kind: 'network', detail: 'offline' } } }),
    });
    renderWithClient(<UsagePanel range={RANGE} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sync now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(describeApiError({ kind: 'network', detail: 'offline' }));
  });
});

describe('zero-setup mode', () => {
  const snapshots: SnapshotRecord[] = [
    {
      id: 2,
      at: day('2026-01-05') + 3600,
      rangeStart: '2025-12-07',
      rangeEnd: '2026-01-05',
      rangeLabel: 'Dec 7, 2025 – Jan 5, 2026',
      rows: [
        { label: 'alpha', redacted: 'sk-…aaaa', project: 'P', requests: 10 },
        { label: EVIL, redacted: 'sk-…bbbb', project: 'P', requests: 300 },
        { label: 'gamma', redacted: 'sk-…cccc', project: 'P', requests: 20 },
        { label: 'delta', redacted: 'sk-…dddd', project: 'P', requests: 5 },
      ],
    },
    { id: 1, at: day('2026-01-01'), rangeStart: '2025-12-02', rangeEnd: '2025-12-31', rangeLabel: '', rows: [] },
  ];

  it('explains what an admin key adds and lists the recorded snapshots', async () => {
    answer({ 'usage:panel': () => panelData({ orgs: [] }), 'history:snapshots': () => snapshots });
    renderWithClient(<UsagePanel range={RANGE} />);
    const zero = await screen.findByTestId('zero-setup');
    expect(zero).toHaveTextContent(/admin key/);
    expect(zero).toHaveTextContent(/tokens and cost/);
    const link = within(zero).getByRole('link', { name: 'Add an admin key in Keymeter settings' });
    expect(link).toHaveAttribute('href', 'chrome-extension://test-extension-id/options.html');
    expect(link).toHaveAttribute('target', '_blank');

    const rows = await within(zero).findAllByRole('row');
    expect(rows).toHaveLength(3); // header + 2 snapshots, newest first
    const cells = within(rows[1]!)
      .getAllByRole('cell')
      .map((c) => c.textContent);
    expect(cells.slice(1)).toEqual(['Dec 7, 2025 – Jan 5, 2026', '4', '335', `${EVIL}, gamma, alpha`]);
    expect(within(rows[2]!).getAllByRole('cell')[1]).toHaveTextContent('2025-12-02 – 2025-12-31');
    expect(document.querySelector('img')).toBeNull();
    // No admin key: nothing to sync, no sync status asked for.
    expect(screen.queryByRole('button', { name: 'Sync now' })).toBeNull();
    expect(send.mock.calls.some(([type]) => type === 'sync:status')).toBe(false);
  });

  it('says when there are no snapshots yet', async () => {
    answer({ 'usage:panel': () => panelData({ orgs: [] }), 'history:snapshots': () => [] });
    renderWithClient(<UsagePanel range={RANGE} />);
    expect(await screen.findByText(/No snapshots yet/)).toBeInTheDocument();
  });
});

describe('UsagePanelPage (the framed page)', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('explains a bad hash instead of guessing a range', () => {
    window.location.hash = '#from=abc&to=1';
    renderWithClient(<UsagePanelPage />);
    expect(screen.getByRole('alert')).toHaveTextContent('Keymeter could not read the date range for this panel');
    expect(send).not.toHaveBeenCalled();
  });

  it('follows the hash when the content script changes the range', async () => {
    answer({ 'usage:panel': (input) => panelData({ from: input.from, to: input.to }), 'sync:status': () => [status()] });
    window.location.hash = `#from=${RANGE.from}&to=${RANGE.to}&label=&source=page`;
    renderWithClient(<UsagePanelPage />);
    expect(await screen.findByText('Dec 15, 2025 – Jan 10, 2026 (UTC)')).toBeInTheDocument();

    await act(async () => {
      window.location.hash = `#from=${day('2026-01-01')}&to=${day('2026-02-01')}&label=January&source=page`;
      window.dispatchEvent(new HashChangeEvent('hashchange'));
    });
    expect(await screen.findByText('Jan 1, 2026 – Jan 31, 2026 (UTC)')).toBeInTheDocument();
    // The header shows the dashboard's own label (the export form below offers it as its range too).
    expect(screen.getByRole('banner')).toHaveTextContent(/January/);
    expect(send).toHaveBeenCalledWith('usage:panel', { orgId: undefined, from: day('2026-01-01'), to: day('2026-02-01') });
  });

  it('posts its height to the dashboard so the iframe can fit it', async () => {
    const postMessage = vi.fn();
    vi.spyOn(window, 'parent', 'get').mockReturnValue({ postMessage } as unknown as Window);
    answer({ 'usage:panel': () => new Promise(() => {}) });
    window.location.hash = `#from=${RANGE.from}&to=${RANGE.to}`;
    renderWithClient(<UsagePanelPage />);
    await waitFor(() =>
      expect(postMessage).toHaveBeenCalledWith(
        { type: 'keymeter:panel-height', height: expect.any(Number) },
        'https://platform.openai.com',
      ),
    );
  });
});
