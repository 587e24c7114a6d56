import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ExportForm } from '@/components/export-form';
import { bytesToBase64 } from '@/lib/export/base64';
import { sendMessage } from '@/lib/messaging';
import { utcDay } from './fixtures';

vi.mock('@/lib/messaging', () => ({ sendMessage: vi.fn(), onMessage: vi.fn() }));
const send = vi.mocked(sendMessage);

const NOW = () => Date.parse('2026-03-14T10:00:00Z');
const CSV = 'Organisation,Key name\r\nAcme,bot\r\n';
const FILE = {
  filename: 'keymeter_acme_2026-03-01_2026-03-31_key.csv',
  mimeType: 'text/csv;charset=utf-8',
  base64: bytesToBase64(new TextEncoder().encode(CSV)),
  rowCount: 1,
};

let clicked: Array<{ href: string; download: string }>;
let blobs: Blob[];

beforeEach(() => {
  clicked = [];
  blobs = [];
  vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => {
    blobs.push(blob as Blob);
    return `blob:test/${blobs.length}`;
  });
  vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => {});
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});
afterEach(() => send.mockReset());

const select = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const exportButton = () => screen.getByRole('button', { name: 'Export' });

describe('ExportForm', () => {
  it('exports the given range by default and downloads the file it gets back', async () => {
    send.mockResolvedValue(FILE);
    render(<ExportForm defaultRange={{ from: utcDay('2026-02-10'), to: utcDay('2026-03-10'), label: 'Feb 10 – Mar 9' }} now={NOW} />);
    expect(screen.getByLabelText('Range')).toHaveValue('given');
    expect(screen.getByTestId('export-range')).toHaveTextContent('2026-02-10 to 2026-03-09, whole days in UTC');
    fireEvent.click(exportButton());
    await screen.findByRole('status');
    expect(send).toHaveBeenCalledWith('export:build', {
      from: utcDay('2026-02-10'),
      to: utcDay('2026-03-10'),
      grouping: 'key',
      format: 'csv',
      bom: true,
    });
    expect(clicked).toEqual([{ href: 'blob:test/1', download: FILE.filename }]);
    expect(await blobs[0]!.text()).toBe(CSV);
    expect(blobs[0]!.type).toBe('text/csv;charset=utf-8');
    expect(screen.getByRole('status')).toHaveTextContent(`Saved ${FILE.filename} (1 row and a totals row).`);
  });

  it.each([
    ['this-month', { from: utcDay('2026-03-01'), to: utcDay('2026-04-01') }],
    ['last-month', { from: utcDay('2026-02-01'), to: utcDay('2026-03-01') }],
  ])('range %s (UTC)', async (choice, range) => {
    send.mockResolvedValue(FILE);
    render(<ExportForm now={NOW} orgId="org-1" />);
    select('Range', choice);
    select('Group by', 'day-key');
    select('Format', 'xlsx');
    expect(screen.queryByLabelText(/byte order mark/)).not.toBeInTheDocument();
    fireEvent.click(exportButton());
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith('export:build', { orgId: 'org-1', ...range, grouping: 'day-key', format: 'xlsx' }),
    );
  });

  it('custom dates: inclusive end, checked before anything is sent', async () => {
    send.mockResolvedValue(FILE);
    render(<ExportForm now={NOW} tagsByKey={{ key_a: ['cc-1'] }} />);
    select('Range', 'custom');
    fireEvent.change(screen.getByLabelText('From'), { target: { value: '2026-01-15' } });
    fireEvent.change(screen.getByLabelText('To (inclusive)'), { target: { value: '2026-01-10' } });
    fireEvent.click(exportButton());
    expect(await screen.findByRole('alert')).toHaveTextContent('The end date is before the start date.');
    expect(send).not.toHaveBeenCalled();

    fireEvent.change(screen.getByLabelText('To (inclusive)'), { target: { value: '2026-01-31' } });
    select('Group by', 'tag');
    select('Format', 'json');
    fireEvent.click(exportButton());
    await waitFor(() =>
      expect(send).toHaveBeenCalledWith('export:build', {
        from: utcDay('2026-01-15'),
        to: utcDay('2026-02-01'),
        grouping: 'tag',
        format: 'json',
        tagsByKey: { key_a: ['cc-1'] },
      }),
    );
  });

  it('shows a clear error when the background fails, and no download happens', async () => {
    send.mockRejectedValue(new Error('No organisation is connected yet: add an admin key in Keymeter’s options first.'));
    render(<ExportForm now={NOW} />);
    fireEvent.click(screen.getByLabelText(/byte order mark/)); // BOM off
    fireEvent.click(exportButton());
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Keymeter could not build the export: No organisation is connected yet: add an admin key in Keymeter’s options first.',
    );
    expect(send).toHaveBeenCalledWith('export:build', expect.objectContaining({ bom: false }));
    expect(clicked).toEqual([]);
    expect(exportButton()).toBeEnabled();
  });

  it('disables the button while the export is being built', async () => {
    let resolve!: (value: typeof FILE) => void;
    send.mockReturnValue(new Promise((r) => (resolve = r)) as never);
    render(<ExportForm now={NOW} />);
    fireEvent.click(exportButton());
    expect(await screen.findByRole('button', { name: 'Exporting…' })).toBeDisabled();
    resolve(FILE);
    expect(await screen.findByRole('button', { name: 'Export' })).toBeEnabled();
  });
});
