import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { BulkAuditLog } from '@/components/bulk-audit-log';
import type { BulkAuditLogEntry } from '@/lib/history/audit';

const entries: BulkAuditLogEntry[] = [
  {
    id: 2,
    runId: 'run-2',
    summary: 'stopped: …',
    startedAt: Date.UTC(2026, 11, 4, 9, 30),
    updatedAt: Date.UTC(2026, 11, 4, 9, 31),
    finishedAt: Date.UTC(2026, 11, 4, 9, 31),
    status: 'stopped',
    reason: 'Stopped while enabling “jupyter” (sk-…abcd): the row moved or vanished.',
    pagination: 'walked',
    pageCount: 2,
    pacingMs: 1000,
    items: [
      { name: '<img src=x>', redacted: 'sk-…efgh', created: 'Oct 2, 2023', status: 'enabled', attempts: 1, error: null, skipReason: null },
      {
        name: 'zapier',
        redacted: 'sk-…ijkl',
        created: 'Sep 14, 2023',
        status: 'failed',
        attempts: 3,
        error: 'Failed to enable tracking: upstream timeout',
        skipReason: null,
      },
      { name: 'jupyter', redacted: 'sk-…abcd', created: 'May 5, 2023', status: 'skipped', attempts: 0, error: null, skipReason: 'stopped' },
    ],
  },
];

vi.mock('@/lib/messaging', () => ({
  sendMessage: vi.fn(async (type: string) => {
    if (type !== 'bulk:auditLog') throw new Error(`unexpected ${type}`);
    return entries;
  }),
}));

describe('BulkAuditLog', () => {
  it('shows each run with its outcome, counts, and per key the dashboard’s error text', async () => {
    render(
      <QueryClientProvider client={new QueryClient({ defaultOptions: { queries: { retry: false } } })}>
        <BulkAuditLog />
      </QueryClientProvider>,
    );
    const row = await screen.findByText('2026-12-04 09:30 UTC');
    const tr = row.closest('tr')!;
    expect(within(tr).getByText('Stopped')).toBeInTheDocument();
    expect(within(tr).getByText(/the row moved or vanished/)).toBeInTheDocument();
    expect([...tr.querySelectorAll('td')].slice(2, 6).map((td) => td.textContent)).toEqual(['1', '0', '1', '1']);
    expect(within(tr).getByText(/upstream timeout/)).toBeInTheDocument();
    expect(within(tr).getByText(/<img src=x>/)).toBeInTheDocument(); // as text, not markup
    expect(tr.querySelector('img')).toBeNull();
  });
});
