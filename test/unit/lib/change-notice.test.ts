import { describe, expect, it, vi } from 'vitest';
import { announceHistoryChanged, rememberColumnTab } from '@/lib/history/change-notice';

describe('history change notice', () => {
  it('tells each remembered dashboard tab once and the extension pages, and forgets tabs that do not answer', async () => {
    await rememberColumnTab(7);
    await rememberColumnTab(9);
    await rememberColumnTab(7);
    const toTab = vi.fn(async (tabId: number) => {
      if (tabId === 9) throw new Error('Could not establish connection. Receiving end does not exist.');
    });
    const toPages = vi.fn(async () => {});
    await announceHistoryChanged({ toTab, toPages });
    expect(toTab.mock.calls.map(([id]) => id)).toEqual([7, 9]);
    expect(toPages).toHaveBeenCalledOnce();

    toTab.mockClear();
    await announceHistoryChanged({ toTab, toPages });
    expect(toTab.mock.calls.map(([id]) => id)).toEqual([7]);
  });

  it('does not fail when no extension page is open', async () => {
    await expect(
      announceHistoryChanged({ toTab: async () => {}, toPages: () => Promise.reject(new Error('Receiving end does not exist.')) }),
    ).resolves.toBeUndefined();
  });
});
