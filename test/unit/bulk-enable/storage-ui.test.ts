import { describe, expect, it, vi } from 'vitest';
import { createRun } from '@/lib/bulk-enable/run';
import { bulkEnableRunItem, bulkEnableSettingsItem, parseRunSettings, parseRunState } from '@/lib/bulk-enable/storage';
import { BulkPanel } from '@/lib/bulk-enable/ui';

const candidates = [
  { key: { name: '<img src=x onerror=alert(1)>', redacted: 'sk-…abcd', created: 'May 5, 2023' }, lastUsed: 'Never', page: 2 },
  { key: { name: '=HYPERLINK("x")', redacted: 'sk-…efgh', created: 'Jun 1, 2023' }, lastUsed: 'Dec 4, 2026', page: 2 },
];
const run = () =>
  createRun({
    id: 'run-x',
    owner: 'tab',
    path: '/api-keys',
    now: 1_700_000_000_000,
    candidates,
    selected: new Set([0]),
    settings: { pacingMs: 1000, maxAttempts: 3 },
    pagination: 'walked',
    pageCount: 2,
  });

describe('bulk-enable storage', () => {
  it('round-trips a run through extension storage and rejects anything malformed', async () => {
    await bulkEnableRunItem.setValue(run());
    expect(parseRunState(await bulkEnableRunItem.getValue())).toEqual(run());
    expect(parseRunState(null)).toBeNull();
    expect(parseRunState({ ...run(), version: 2 })).toBeNull();
    expect(parseRunState({ ...run(), status: 'exploded' })).toBeNull();
    expect(parseRunState({ ...run(), items: [{ key: { name: 1 } }] })).toBeNull();
    expect(parseRunState({ ...run(), pacingMs: -5 })).toBeNull();
  });

  it('defaults the pacing to about a second and clamps stored settings', async () => {
    expect(parseRunSettings(await bulkEnableSettingsItem.getValue())).toEqual({ pacingMs: 1000, maxAttempts: 3 });
    expect(parseRunSettings({ pacingMs: 100.4, maxAttempts: 99 })).toEqual({ pacingMs: 100, maxAttempts: 10 });
    expect(parseRunSettings({ pacingMs: 'fast' })).toEqual({ pacingMs: 1000, maxAttempts: 3 });
  });
});

describe('bulk-enable panel', () => {
  it('lists the keys as text, all ticked, and ignores a click that is not a person’s', () => {
    const panel = new BulkPanel(document.body);
    const onStart = vi.fn();
    panel.preview({ candidates, pagination: 'walked', pageCount: 2, trackedCount: 30, pacingMs: 1000, onStart, onClose: () => undefined });
    expect(panel.view).toBe('preview');
    expect(document.querySelector('img')).toBeNull();
    expect(panel.root.textContent).toContain('<img src=x onerror=alert(1)>');
    const boxes = [...panel.root.querySelectorAll<HTMLInputElement>('input[type="checkbox"]')];
    expect(boxes.map((b) => b.checked)).toEqual([true, true]);
    const start = [...panel.root.querySelectorAll('button')].find((b) => b.textContent?.startsWith('Start'))!;
    expect(start.textContent).toBe('Start: enable 2 keys');
    start.click(); // synthetic: event.isTrusted is false
    expect(onStart).not.toHaveBeenCalled();
    boxes[1]!.click();
    expect(start.textContent).toBe('Start: enable 1 key');
  });

  it('shows progress with counts and a report with the failures’ text', () => {
    const panel = new BulkPanel(document.body);
    const state = run();
    panel.progress(state, () => undefined);
    expect(panel.root.querySelector('[role="status"]')!.textContent).toBe('0 of 1 done · 0 enabled · 0 already on · 0 failed');
    const failed = {
      ...state,
      status: 'done' as const,
      finishedAt: state.startedAt + 5000,
      items: state.items.map((i, n) =>
        n === 0 ? { ...i, status: 'failed' as const, attempts: 3, error: 'Failed to enable tracking: upstream timeout' } : i,
      ),
    };
    panel.report(failed, { onClose: () => undefined, onCopy: async () => true });
    expect(panel.root.querySelector('[data-testid="km-counts"]')!.textContent).toBe('Enabled: 0 · Already on: 0 · Failed: 1 · Skipped: 1');
    expect(panel.root.querySelector('.km-error')!.textContent).toBe('Failed to enable tracking: upstream timeout');
  });
});
