import { fireEvent, screen, waitFor } from '@testing-library/react';
import Dexie from 'dexie';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BackupRestore, ClearHistory, RetentionForm } from '@/components/history-settings';
import { OrgSettings } from '@/components/org-settings';
import { PriceOverridesEditor } from '@/components/price-overrides';
import { buildBackup, restoreFromText } from '@/lib/history/backup';
import { HistoryDB } from '@/lib/history/db';
import { priceOverridesItem, retentionSettingsItem } from '@/lib/settings';
import type { UsageRecord } from '@/lib/usage/records';
import { usageId } from '@/lib/usage/records';
import { answer, type Handlers, renderWithClient, send } from '../render';

vi.mock('@/lib/messaging', () => ({ sendMessage: vi.fn(), onMessage: vi.fn() }));

const base = {
  orgId: 'org-1',
  day: 1_767_225_600,
  endpoint: 'completions' as const,
  projectId: 'proj_a',
  apiKeyId: 'key_1',
  model: 'gpt-4o',
  batch: '' as const,
  serviceTier: 'default',
  extra: '',
};
const ROW: UsageRecord = {
  ...base,
  id: usageId(base),
  requests: 10,
  inputTokens: 1000,
  cachedTokens: 100,
  outputTokens: 200,
  units: 0,
  estimatedMicros: 4_250,
  priceNote: '',
};

let db: HistoryDB;
beforeEach(async () => {
  send.mockReset();
  db = new HistoryDB(`options-${Math.random()}`);
  await db.usage.put(ROW);
});
afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

/** The background's restore, for real, against a fake-indexeddb database. */
const realRestore: Handlers = { 'history:restore': ({ text }) => restoreFromText(db, text, [{ id: 'org-1' }]) };

function pickFile(name: string, text: string) {
  const input = screen.getByLabelText('Restore from a backup file') as HTMLInputElement;
  fireEvent.change(input, { target: { files: [new File([text], name, { type: 'application/json' })] } });
}

describe('restore on the options page', () => {
  it('a corrupt file: shows the specific sentence as an alert, and the database is unchanged', async () => {
    answer(realRestore);
    const good = JSON.stringify(await buildBackup(db, { now: new Date(), orgs: [{ id: 'org-1', label: 'Acme' }] }));
    renderWithClient(<BackupRestore />);
    pickFile('keymeter-backup.json', good.slice(0, good.length - 40));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(
      /^This file is not a Keymeter backup: it is not valid JSON, so it is damaged or cut off \(.+\)\. Nothing was changed\.$/,
    );
    expect(send).toHaveBeenCalledWith('history:restore', { text: good.slice(0, good.length - 40) });
    expect(await db.usage.toArray()).toEqual([ROW]);
  });

  it('a file from a newer Keymeter: says which version', async () => {
    answer(realRestore);
    const doc = await buildBackup(db, { now: new Date(), orgs: [] });
    renderWithClient(<BackupRestore />);
    pickFile('future.json', JSON.stringify({ ...doc, version: 2 }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^This backup was written by a newer Keymeter \(version 2\)/);
  });

  it('a valid backup: reports how many rows were restored and how many were new', async () => {
    answer(realRestore);
    const text = JSON.stringify(await buildBackup(db, { now: new Date(), orgs: [{ id: 'org-1', label: 'Acme' }] }));
    await db.usage.clear();
    renderWithClient(<BackupRestore />);
    pickFile('keymeter-backup.json', text);
    expect((await screen.findByRole('status')).textContent).toBe('Restored 1 row from keymeter-backup.json (1 new, 0 already here).');
    expect(await db.usage.toArray()).toEqual([ROW]);
  });

  it('download backup: asks the background, saves the file through a blob link', async () => {
    answer({ 'history:backup': () => ({ filename: 'keymeter-backup-2026-01-20.json', text: '{}', rows: 12 }) });
    const click = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    renderWithClient(<BackupRestore />);
    fireEvent.click(screen.getByRole('button', { name: 'Download backup' }));
    expect((await screen.findByRole('status')).textContent).toBe('Backup saved as keymeter-backup-2026-01-20.json: 12 rows.');
    expect(click).toHaveBeenCalledOnce();
  });
});

describe('confirm steps', () => {
  it('clear history asks first, then says how many rows went', async () => {
    answer({ 'history:clear': () => ({ deleted: 1234 }) });
    renderWithClient(<ClearHistory />);
    fireEvent.click(screen.getByRole('button', { name: 'Clear history…' }));
    expect(send).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Delete all history' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/^History cleared: 1,234 rows deleted\./);
    expect(send).toHaveBeenCalledWith('history:clear', undefined);
  });

  it.each([
    ['Remove and delete its history', true, 'Removed “Acme” and deleted its history.'],
    ['Remove, keep history', false, 'Removed “Acme”. Its history stays'],
  ])('removing an organisation: “%s”', async (button, deleteHistory, said) => {
    const removed = vi.fn();
    answer({
      'orgs:list': () => [{ id: 'org-1', label: 'Acme', keyHint: 'abcd', addedAt: 1 }],
      'sync:status': () => [],
      'orgs:remove': (input) => removed(input),
    });
    renderWithClient(<OrgSettings />);
    fireEvent.click(await screen.findByRole('button', { name: 'Remove' }));
    fireEvent.click(screen.getByRole('button', { name: button }));
    await waitFor(() => expect(removed).toHaveBeenCalledWith({ orgId: 'org-1', deleteHistory }));
    expect((await screen.findByRole('status')).textContent).toContain(said);
  });
});

describe('retention', () => {
  it('saves “keep N months” and applies it on demand', async () => {
    answer({ 'history:prune': () => ({ cutoff: 1_767_225_600, deleted: { usage: 40, costs: 2, snapshots: 0 }, total: 42 }) });
    renderWithClient(<RetentionForm />);
    fireEvent.change(await screen.findByLabelText('Keep history'), { target: { value: 'months' } });
    fireEvent.change(screen.getByLabelText('Months to keep'), { target: { value: '6' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save retention' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/older than 6 months is removed after each sync/);
    expect(await retentionSettingsItem.getValue()).toEqual({ keepMonths: 6 });
    fireEvent.click(screen.getByRole('button', { name: 'Apply now' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/^Removed 42 rows from before 2026-01-01/));
  });

  it('refuses a number of months out of range', async () => {
    renderWithClient(<RetentionForm />);
    fireEvent.change(await screen.findByLabelText('Keep history'), { target: { value: 'months' } });
    fireEvent.change(screen.getByLabelText('Months to keep'), { target: { value: '0' } });
    // Submitted directly: the browser's own min/max check would stop a click first.
    fireEvent.submit(screen.getByRole('button', { name: 'Save retention' }).closest('form')!);
    expect((await screen.findByRole('alert')).textContent).toBe('Not saved: keep at least 1 month.');
    expect(await retentionSettingsItem.getValue()).toEqual({ keepMonths: null });
  });
});

describe('pricing overrides editor', () => {
  it('saves valid rows to the overrides item, says when they apply, and re-prices on demand', async () => {
    answer({ 'history:reprice': () => ({ rows: 900, changed: 120, kept: 0 }) });
    renderWithClient(<PriceOverridesEditor />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add override' }));
    fireEvent.change(screen.getByLabelText('Model or prefix*, row 1'), { target: { value: 'gpt-4o-*' } });
    fireEvent.change(screen.getByLabelText('Effective from, row 1'), { target: { value: '2026-01-01' } });
    fireEvent.change(screen.getByLabelText('Input $ / 1M, row 1'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('Output $ / 1M, row 1'), { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save overrides' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/^1 price override saved\. They apply to usage synced from now on/);
    expect(await priceOverridesItem.getValue()).toEqual([{ model: 'gpt-4o-*', from: '2026-01-01', inputPerMTok: 2, outputPerMTok: 8 }]);
    fireEvent.click(screen.getByRole('button', { name: 'Re-price history' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('Re-priced history: 120 of 900 estimated rows changed.'));
  });

  it('does not save a row with a mistake, and names it', async () => {
    renderWithClient(<PriceOverridesEditor />);
    fireEvent.click(await screen.findByRole('button', { name: 'Add override' }));
    fireEvent.change(screen.getByLabelText('Model or prefix*, row 1'), { target: { value: 'o3' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save overrides' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/^Not saved: Row 1: the effective date must be a day/);
    expect(await priceOverridesItem.getValue()).toEqual([]);
  });
});
