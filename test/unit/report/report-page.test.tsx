import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { ReportPage } from '@/components/report-page';
import type { Budget, BudgetStatus } from '@/lib/budgets/budgets';
import { emptyTotals } from '@/lib/history/queries';
import { type ProtocolMap, sendMessage } from '@/lib/messaging';
import type { ReportKeyRow } from '@/lib/report/rows';
import type { ForecastSummary, MonthInsights, ReportOverview } from '@/lib/report/types';
import { displayCurrencyItem } from '@/lib/report-settings';
import type { PanelData } from '@/lib/usage/panel-data';

vi.mock('@/lib/messaging', () => ({ sendMessage: vi.fn(), onMessage: vi.fn() }));
vi.mock('@/components/chart', () => ({
  BarChart: (props: { label: string; data: { datasets: Array<{ label?: string }> } }) => (
    <canvas aria-label={props.label} data-series={props.data.datasets.map((d) => d.label).join('|')} />
  ),
}));

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const USD = 1_000_000;
const NOW = Date.parse('2026-06-15T12:00:00Z');
const EVIL = '<img src=x onerror=alert(1)>';

function row(i: number, partial: Partial<ReportKeyRow> = {}): ReportKeyRow {
  const current = { ...emptyTotals(`key_${i}`), requests: 10 * i, inputTokens: 1000 * i, estimatedMicros: i * USD, billedMicros: i * USD };
  return {
    orgId: 'org-1',
    orgLabel: 'Acme',
    apiKeyId: `key_${i}`,
    name: `key-${String(i).padStart(3, '0')}`,
    redactedValue: `sk-…${String(i).padStart(4, '0')}`,
    projectId: 'p1',
    projectName: 'Platform',
    ownerName: 'Dana',
    deleted: false,
    createdAt: day('2025-01-01'),
    lastUsedAt: day('2026-06-14'),
    current,
    previous: emptyTotals(`key_${i}`),
    tags: [],
    stale: false,
    lastActivityAt: day('2026-06-14'),
    ...partial,
  };
}

const ROWS: ReportKeyRow[] = [
  row(1, { name: 'support-assistant-prod', tags: ['support'] }),
  row(2, { name: 'support-voice' }),
  row(3, { name: EVIL, deleted: true }),
  row(4, { name: 'old-notebook', stale: true, lastActivityAt: day('2026-03-01') }),
  ...Array.from({ length: 496 }, (_, i) => row(i + 5)),
];

const panel: PanelData = {
  from: day('2026-05-17'),
  to: day('2026-06-16'),
  orgs: [{ orgId: 'org-1', label: 'Acme', lastSuccessAt: NOW / 1000 - 60, lastError: null }],
  totals: { micros: 420 * USD, requests: 1200, inputTokens: 5_000_000, cachedTokens: 1_000_000, outputTokens: 800_000 },
  dailyCost: {
    days: [day('2026-06-13'), day('2026-06-14')],
    totals: [10 * USD, 40 * USD],
    dayBasis: ['billed', 'billed'],
    basis: 'billed',
    series: [],
  },
  tokensByModel: [{ model: 'gpt-4o-2024-08-06', requests: 1200, inputTokens: 5_000_000, cachedTokens: 1_000_000, outputTokens: 800_000 }],
  spikes: [
    {
      day: day('2026-06-14'),
      micros: 40 * USD,
      baselineMicros: 10 * USD,
      baselineKind: 'weekday',
      trigger: 'total',
      drivers: [
        { orgId: 'org-1', apiKeyId: 'key_1', keyName: 'support-assistant-prod', model: 'gpt-4o-2024-08-06', micros: 38 * USD, baselineMicros: 10 * USD, deltaMicros: 28 * USD },
      ],
    },
  ],
  untracked: null,
  unpricedRows: 0,
};

const forecast: ForecastSummary = {
  period: '2026-06',
  spentMicros: 150 * USD,
  projectedMicros: 300 * USD,
  lowMicros: 280 * USD,
  highMicros: 330 * USD,
  completeDays: 14,
  daysInMonth: 30,
  basis: 'month-so-far',
  sampleDays: 14,
};
const budget: Budget = {
  id: 'b1',
  name: 'Support',
  scope: { kind: 'tag', tag: 'support' },
  monthlyMicros: 200 * USD,
  thresholds: [50, 80, 100],
  createdAt: 0,
};
const status = {
  budget,
  period: '2026-06',
  spentMicros: 170 * USD,
  percent: 85,
  reached: [50, 80],
  forecast: { ...forecast, today: 0, monthStart: 0, monthEnd: 0, weights: [] },
  keyCount: 2,
} as BudgetStatus;

const overview: ReportOverview = {
  from: panel.from,
  to: panel.to,
  orgs: [{ orgId: 'org-1', label: 'Acme', lastSuccessAt: null }],
  panel,
  rows: ROWS,
  tags: ['support'],
  projects: [{ orgId: 'org-1', projectId: 'p1', name: 'Platform' }],
};
const month: MonthInsights = {
  period: '2026-06',
  asOf: NOW / 1000,
  total: forecast,
  orgs: [{ orgId: 'org-1', label: 'Acme', forecast }],
  keys: { 'org-1|key_1': forecast },
  budgets: [status],
  alerts: [],
};

type Handlers = { [K in keyof ProtocolMap]?: (input: Parameters<ProtocolMap[K]>[0]) => unknown };
const send = vi.mocked(sendMessage);
function answer(extra: Handlers = {}) {
  const handlers: Handlers = {
    'orgs:list': () => [{ id: 'org-1', label: 'Acme', keyHint: 'abcd', addedAt: 0 }],
    'sync:status': () => [],
    'report:overview': () => overview,
    'report:month': () => month,
    'bulk:auditLog': () => [],
    ...extra,
  };
  send.mockImplementation(((type: keyof ProtocolMap, input: unknown) => {
    const handler = handlers[type] as ((input: unknown) => unknown) | undefined;
    if (!handler) return Promise.reject(new Error(`unexpected message ${type}`));
    return Promise.resolve(handler(input));
  }) as never);
}

function renderPage() {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <ReportPage now={() => NOW} />
    </QueryClientProvider>,
  );
}

const table = () => screen.getByTestId('key-table');
const renderedRows = () => within(table()).queryAllByTestId('key-row');

describe('report page', () => {
  beforeEach(() => {
    send.mockClear();
    answer();
    // happy-dom lays nothing out: give the table's scroll box the height it has on the page.
    for (const dimension of ['clientHeight', 'clientWidth'] as const) {
      vi.spyOn(HTMLElement.prototype, dimension, 'get').mockImplementation(function (this: HTMLElement) {
        return this.getAttribute('data-testid') === 'key-table-scroll' ? (dimension === 'clientHeight' ? 560 : 1200) : 0;
      });
    }
  });

  it('asks for the last 30 days of all organisations, and shows the spike with the key and model behind it', async () => {
    renderPage();
    const spikes = await screen.findByTestId('report-spikes');
    expect(spikes).toHaveTextContent('Jun 14, 2026: $40.00, 4.0× the usual $10.00');
    expect(within(spikes).getByRole('list', { name: 'What made the difference' })).toHaveTextContent(
      'support-assistant-prod on gpt-4o-2024-08-06: +$28.00',
    );
    expect(send).toHaveBeenCalledWith('report:overview', { orgId: undefined, from: day('2026-05-17'), to: day('2026-06-16') });
    expect(screen.getByTestId('report-range')).toHaveTextContent('May 17, 2026 – Jun 15, 2026 (UTC)');
  });

  it('renders only the rows in view of a 500-key table, and search, filters and sort work on all of them', async () => {
    renderPage();
    await waitFor(() => expect(screen.getByTestId('key-count')).toHaveTextContent('500 keys'));
    expect(renderedRows().length).toBeGreaterThan(5);
    expect(renderedRows().length).toBeLessThan(60);
    expect(table()).toHaveAttribute('aria-rowcount', '501');
    // Largest billed first.
    expect(renderedRows()[0]).toHaveAttribute('data-key-id', 'key_500');

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: 'support' } });
    await waitFor(() => expect(screen.getByTestId('key-count')).toHaveTextContent('2 of 500 keys'));
    fireEvent.click(within(table()).getByRole('button', { name: /^API key/ }));
    await waitFor(() => expect(renderedRows().map((r) => r.getAttribute('data-key-id'))).toEqual(['key_1', 'key_2']));

    fireEvent.change(screen.getByRole('searchbox', { name: 'Search' }), { target: { value: '' } });
    fireEvent.click(screen.getByLabelText(/Stale only/));
    await waitFor(() => expect(renderedRows().map((r) => r.getAttribute('data-key-id'))).toEqual(['key_4']));
    expect(renderedRows()[0]).toHaveTextContent('stale');
  });

  it('marks deleted keys and renders names as text', async () => {
    renderPage();
    fireEvent.change(await screen.findByRole('searchbox', { name: 'Search' }), { target: { value: 'img' } });
    await waitFor(() => expect(renderedRows()).toHaveLength(1));
    expect(renderedRows()[0]).toHaveTextContent(EVIL);
    expect(renderedRows()[0]).toHaveTextContent('deleted');
    expect(document.querySelector('img')).toBeNull();
  });

  it('tags the selected keys, or those matching a name pattern', async () => {
    answer({ 'tags:assign': (input) => ({ changed: input.keys.length }) });
    renderPage();
    fireEvent.change(await screen.findByRole('searchbox', { name: 'Search' }), { target: { value: 'support' } });
    await waitFor(() => expect(renderedRows()).toHaveLength(2));
    fireEvent.click(within(renderedRows().find((r) => r.dataset.keyId === 'key_2')!).getByRole('checkbox'));
    const tools = screen.getByTestId('tag-tools');
    fireEvent.change(within(tools).getByLabelText('Tags'), { target: { value: 'cc-4711; support' } });
    fireEvent.click(within(tools).getByRole('button', { name: 'Apply tags' }));
    await within(tools).findByText('Tags set on 1 of 1 keys.');
    expect(send).toHaveBeenCalledWith('tags:assign', {
      keys: [{ orgId: 'org-1', apiKeyId: 'key_2' }],
      tags: ['cc-4711', 'support'],
      mode: 'add',
    });

    fireEvent.click(within(tools).getByLabelText('Name matches a pattern'));
    fireEvent.change(within(tools).getByLabelText('Name pattern'), { target: { value: 'support-*' } });
    expect(within(tools).getByTestId('pattern-preview')).toHaveTextContent('2 keys match: support-assistant-prod, support-voice');
    fireEvent.change(within(tools).getByLabelText('Action'), { target: { value: 'remove' } });
    fireEvent.click(within(tools).getByRole('button', { name: 'Apply tags' }));
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith('tags:assign', {
        keys: [
          { orgId: 'org-1', apiKeyId: 'key_1' },
          { orgId: 'org-1', apiKeyId: 'key_2' },
        ],
        tags: ['cc-4711', 'support'],
        mode: 'remove',
      }),
    );
  });

  it('refuses bad tags before sending, and shows a rejected import line by line', async () => {
    answer({
      'tags:import': () => ({
        ok: false,
        errors: [
          { line: 3, message: 'Unknown API key id "key_x".' },
          { line: 7, message: 'The api_key_id is empty.' },
        ],
      }),
    });
    renderPage();
    const tools = await screen.findByTestId('tag-tools');
    fireEvent.change(within(tools).getByLabelText('Tags'), { target: { value: '=cmd()' } });
    fireEvent.click(within(tools).getByRole('button', { name: 'Apply tags' }));
    expect(await within(tools).findByRole('alert')).toHaveTextContent(/Tags not saved: a tag starts with a letter or digit/);
    expect(send).not.toHaveBeenCalledWith('tags:assign', expect.anything());

    const file = new File(['api_key_id,tags\n'], 'tags.csv', { type: 'text/csv' });
    fireEvent.change(within(tools).getByLabelText('Import tags (CSV)'), { target: { files: [file] } });
    const alert = await within(tools).findByText(/tags\.csv was not imported \(nothing changed\)/);
    expect(alert).toHaveTextContent('line 3: Unknown API key id "key_x".');
    expect(alert).toHaveTextContent('line 7: The api_key_id is empty.');
  });

  it('shows budget use and forecast, says budgets are alerts, and adds a budget in micro-dollars', async () => {
    answer({ 'budgets:save': (input) => ({ ...input, id: 'b2', createdAt: 1 }) });
    renderPage();
    const budgets = await screen.findByTestId('budgets');
    expect(within(budgets).getByTestId('budget-disclaimer')).toHaveTextContent('These are alerts, not limits. OpenAI offers no way to cap');
    expect(within(budgets).getByTestId('budget-row')).toHaveTextContent(
      '$170.00 of $200.00 (85 %) · alerts at 50 / 80 / 100 % · reached 50, 80 %',
    );
    expect(screen.getByTestId('forecast')).toHaveTextContent('month end likely $300.00 (range $280.00 – $330.00)');

    const form = within(budgets).getByRole('form', { name: 'Add a budget' });
    fireEvent.change(within(form).getByLabelText('Budget for'), { target: { value: 'tag' } });
    fireEvent.change(within(form).getByLabelText('Tag'), { target: { value: 'support' } });
    fireEvent.change(within(form).getByLabelText('Monthly budget (USD)'), { target: { value: '12.50' } });
    fireEvent.change(within(form).getByLabelText('Alert at (% of budget)'), { target: { value: '90, 75' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add budget' }));
    await within(budgets).findByText('Budget saved. Keymeter checks it after every sync.');
    expect(send).toHaveBeenCalledWith('budgets:save', {
      name: '',
      scope: { kind: 'tag', tag: 'support' },
      monthlyMicros: 12_500_000,
      thresholds: [75, 90],
    });

    fireEvent.change(within(form).getByLabelText('Monthly budget (USD)'), { target: { value: '12,5' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add budget' }));
    expect(await within(budgets).findByRole('alert')).toHaveTextContent('The monthly amount is a number of US dollars');
  });

  it('in another display currency, converts amounts and states the rate and its date wherever they are shown', async () => {
    await displayCurrencyItem.setValue({ code: 'EUR', perUsd: '0.5', rateDate: '2026-06-01' });
    renderPage();
    const spikes = await screen.findByTestId('report-spikes');
    await waitFor(() => expect(spikes).toHaveTextContent('€20.00'));
    const note = 'Amounts in EUR, converted from USD at 1 USD = 0.5 EUR (your rate of 2026-06-01).';
    expect(within(spikes).getByTestId('conversion-note')).toHaveTextContent(note);
    for (const id of ['budgets', 'forecast']) expect(within(screen.getByTestId(id)).getByTestId('conversion-note')).toHaveTextContent(note);
    expect(within(table()).getByRole('button', { name: /Billed \(EUR\)/ })).toBeInTheDocument();
    expect(screen.getByTestId('forecast')).toHaveTextContent('€150.00');
  });
});
