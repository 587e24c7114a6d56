import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { registerBulkHandlers } from '@/entrypoints/background/bulk-handlers';
import { createRun, finishRun, type RunState } from '@/lib/bulk-enable/run';
import { parseRunState } from '@/lib/bulk-enable/storage';
import { sendMessage } from '@/lib/messaging';

/**
 * The content script keeps bulk-enable state only through these messages (storage.local is closed
 * to it): same storage keys and shapes as when it wrote them itself, so a run saved by an older
 * version still offers "Continue", and the background refuses what it could not read back.
 */

const run = (): RunState =>
  createRun({
    id: 'run-20260105-abc123',
    owner: 'tab-1',
    path: '/api-keys',
    now: 1_700_000_000_000,
    candidates: [
      { key: { name: 'jupyter', redacted: 'sk-…abcd', created: 'May 5, 2023' }, lastUsed: 'Never', page: 2 },
      { key: { name: 'eval', redacted: 'sk-…efgh', created: 'Oct 2, 2023' }, lastUsed: 'Never', page: 2 },
    ],
    selected: new Set([0]),
    settings: { pacingMs: 1000, maxAttempts: 3 },
    pagination: 'walked',
    pageCount: 2,
  });

const rawLocal = async (key: string) => (await fakeBrowser.storage.local.get(key))[key];

describe('bulk-enable state through the background', () => {
  let unregister: () => void;
  beforeEach(() => {
    unregister = registerBulkHandlers();
  });
  afterEach(() => unregister());

  it('saves, reads back and forgets the run under local:bulkEnableRun', async () => {
    await expect(sendMessage('bulk:run', undefined)).resolves.toBeNull();
    const state = { ...run(), status: 'interrupted' as const, reason: 'You left the API-keys page during the run.' };
    state.items[0] = { ...state.items[0]!, attempts: 1, inFlight: true, error: 'Failed to enable tracking: 500' };
    await sendMessage('bulk:saveRun', state);
    expect(await rawLocal('bulkEnableRun')).toEqual(state);
    await expect(sendMessage('bulk:run', undefined)).resolves.toEqual(state);
    await sendMessage('bulk:clearRun', undefined);
    await expect(sendMessage('bulk:run', undefined)).resolves.toBeNull();
  });

  it('reads a run an older version stored directly (no version meta), and ignores a malformed one', async () => {
    const old = finishRun(run(), 'stopped', 'Stopped: the keys table changed.', 1_700_000_100_000);
    await fakeBrowser.storage.local.set({ bulkEnableRun: JSON.parse(JSON.stringify(old)) });
    await expect(sendMessage('bulk:run', undefined)).resolves.toEqual(old);
    await fakeBrowser.storage.local.set({ bulkEnableRun: { ...old, status: 'exploded' } });
    await expect(sendMessage('bulk:run', undefined)).resolves.toBeNull();
  });

  it('refuses to save a run it could not read back, and keeps the one stored', async () => {
    await sendMessage('bulk:saveRun', run());
    await expect(sendMessage('bulk:saveRun', { ...run(), pacingMs: -5 })).rejects.toThrow();
    await expect(sendMessage('bulk:saveRun', { ...run(), items: [{ key: { name: 1 } }] } as never)).rejects.toThrow();
    await expect(sendMessage('bulk:run', undefined)).resolves.toEqual(run());
  });

  it('keeps the pacing chosen in the preview in local:bulkEnableSettings, within limits', async () => {
    await expect(sendMessage('bulk:settings', undefined)).resolves.toEqual({ pacingMs: 1000, maxAttempts: 3 });
    await fakeBrowser.storage.local.set({ bulkEnableSettings: { pacingMs: 100, maxAttempts: 5 } }); // as stored before
    await expect(sendMessage('bulk:saveSettings', { pacingMs: 1500 })).resolves.toEqual({ pacingMs: 1500, maxAttempts: 5 });
    expect(await rawLocal('bulkEnableSettings')).toEqual({ pacingMs: 1500, maxAttempts: 5 });
    await expect(sendMessage('bulk:settings', undefined)).resolves.toEqual({ pacingMs: 1500, maxAttempts: 5 });
    await expect(sendMessage('bulk:saveSettings', { pacingMs: 60_001 })).rejects.toThrow();
    await expect(sendMessage('bulk:saveSettings', { maxAttempts: 0 })).rejects.toThrow();
    expect(await rawLocal('bulkEnableSettings')).toEqual({ pacingMs: 1500, maxAttempts: 5 });
  });
});

describe('stored run, read as before', () => {
  it('drops a malformed extra of an item instead of the whole run', () => {
    const state = run();
    const stored = {
      ...state,
      items: [
        { ...state.items[0]!, error: 'x'.repeat(1001), inFlight: false },
        { ...state.items[1]!, skipReason: 'bored', inFlight: 'yes' },
      ],
    };
    const { skipReason: _dropped, ...second } = state.items[1]!;
    expect(parseRunState(stored)?.items).toStrictEqual([state.items[0], second]);
  });
});
