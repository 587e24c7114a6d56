import { afterEach, describe, expect, it } from 'vitest';
import { createDomDriver } from '@/lib/bulk-enable/driver';
import { findKeysTable, readKeysTable, trackingCandidates } from '@/lib/bulk-enable/rows';
import { createRun, executeRun, type RunState, UnexpectedPageError } from '@/lib/bulk-enable/run';
import { loadFixture } from '../fixtures';

/**
 * The DOM driver against a saved page 2 (legacy keys) brought to life by a few lines that act
 * like the simulator: Enable opens a confirmation, confirming makes the row busy and then "Enabled"
 * (or shows an error toast and the Enable button again). Every click anywhere is recorded.
 */
interface FakeOptions {
  confirmLabel?: string;
  dialogTitle?: string;
  failures?: Record<string, string[]>;
  latencyMs?: number;
}

function fakeDashboard(layout: '2024' | '2026' | 'compact', options: FakeOptions = {}) {
  loadFixture(`api-keys-${layout}-page2.html`);
  const clicks: string[] = [];
  const failures = options.failures ?? {};
  const name = (row: Element) => (layout === '2026' ? row.children[1] : row.children[0])!.textContent!.trim();
  const onClick = (event: Event) => {
    const button = (event.target as Element).closest('button');
    if (!button) return;
    const label = button.getAttribute('aria-label') ?? button.textContent!.trim();
    const row = button.closest('tr, [role="row"]');
    clicks.push(row ? `${label} @ ${name(row)}` : label);
    if (row && button.textContent === 'Enable') openConfirm(row, button);
  };
  function openConfirm(row: Element, control: HTMLButtonElement) {
    const keyName = name(row);
    const overlay = document.createElement('div');
    overlay.innerHTML = `<div role="dialog" aria-modal="true" aria-labelledby="t1"><h2 id="t1">${options.dialogTitle ?? 'Enable usage tracking?'}</h2><p>Usage of the key “${keyName}” will be tracked per API key going forward.</p><div><button data-value="cancel">Cancel</button><button data-value="confirm">${options.confirmLabel ?? 'Enable tracking'}</button></div></div>`;
    document.body.append(overlay);
    overlay.querySelector('[data-value="cancel"]')!.addEventListener('click', () => overlay.remove());
    overlay.querySelector('[data-value="confirm"]')!.addEventListener('click', () => {
      overlay.remove();
      const cell = control.parentElement!;
      const busy = document.createElement('button');
      busy.disabled = true;
      busy.setAttribute('aria-busy', 'true');
      busy.textContent = 'Enabling…';
      cell.replaceChildren(busy);
      setTimeout(() => {
        const failure = failures[keyName]?.shift();
        if (failure) {
          const toast = document.createElement('div');
          toast.setAttribute('role', 'alert');
          toast.innerHTML = `<span>${failure}</span><button aria-label="Dismiss">x</button>`;
          document.body.append(toast);
          cell.replaceChildren(control);
        } else {
          cell.textContent = 'Enabled';
        }
      }, options.latencyMs ?? 5);
    });
  }
  document.addEventListener('click', onClick, true);
  return { clicks, stop: () => document.removeEventListener('click', onClick, true) };
}

const FAST = { table: 500, dialog: 300, dialogClose: 300, outcome: 1000, silentFailure: 200, page: 500 };
let stopFake: (() => void) | undefined;
afterEach(() => stopFake?.());

function runFor(selectedNames?: string[]): RunState {
  const rows = trackingCandidates(readKeysTable(findKeysTable(document)!).rows);
  const candidates = rows.map((r) => ({ key: { name: r.name, redacted: r.redacted, created: r.created }, lastUsed: r.lastUsed, page: 2 }));
  const selected = new Set(candidates.flatMap((c, i) => (!selectedNames || selectedNames.includes(c.key.name) ? [i] : [])));
  return createRun({
    id: 'r',
    owner: 'o',
    path: '/api-keys',
    now: 0,
    candidates,
    selected,
    settings: { pacingMs: 0, maxAttempts: 3 },
    pagination: 'walked',
    pageCount: 2,
  });
}

const noSave = { save: async () => undefined, now: () => 0, cancelRequested: () => false };

describe.each(['2024', '2026', 'compact'] as const)('DOM driver, %s layout', (layout) => {
  it('enables the ticked keys through their own Enable and the confirmation, and clicks nothing else', async () => {
    const fake = fakeDashboard(layout, {
      confirmLabel: 'Turn on tracking',
      failures: { jupyter: ['Failed to enable tracking: upstream timeout'] },
    });
    stopFake = fake.stop;
    const driven: string[] = [];
    const signal = new AbortController().signal;
    const driver = createDomDriver({ signal, timeouts: FAST, onClick: (kind, label) => driven.push(`${kind}: ${label}`) });
    const final = await executeRun(runFor(['marketing-copy', 'jupyter', 'old-notebook']), driver, noSave);
    expect(final.status).toBe('done');
    expect(final.items.map((i) => [i.key.name, i.status])).toEqual([
      ['marketing-copy', 'enabled'],
      ['eval-scripts', 'skipped'],
      ['zapier-integration', 'skipped'],
      ['old-notebook', 'enabled'],
      ['jupyter', 'enabled'],
    ]);
    expect(final.items[4]).toMatchObject({ attempts: 2 });
    expect(final.items[4]!.error).toBeUndefined();
    const enableLabel = layout === '2026' ? 'Enable usage tracking' : 'Enable';
    expect(fake.clicks).toEqual([
      `${enableLabel} @ marketing-copy`,
      'Turn on tracking',
      `${enableLabel} @ old-notebook`,
      'Turn on tracking',
      `${enableLabel} @ jupyter`,
      'Turn on tracking',
      `${enableLabel} @ jupyter`,
      'Turn on tracking',
    ]);
    expect(driven.every((d) => /^(tracking-control|confirm): /.test(d))).toBe(true);
  });

  it('reports the dashboard’s error text when a key keeps failing', async () => {
    const error = 'Failed to enable tracking: internal server error';
    const fake = fakeDashboard(layout, { failures: { 'eval-scripts': [error, error, error] } });
    stopFake = fake.stop;
    const driver = createDomDriver({ signal: new AbortController().signal, timeouts: FAST });
    const final = await executeRun(runFor(['eval-scripts']), driver, noSave);
    expect(final.items.find((i) => i.key.name === 'eval-scripts')).toMatchObject({ status: 'failed', attempts: 3, error });
  });

  it('stops at a dialog it does not recognise and leaves it open, without confirming', async () => {
    const fake = fakeDashboard(layout, { dialogTitle: 'Delete organization?' });
    stopFake = fake.stop;
    const driver = createDomDriver({ signal: new AbortController().signal, timeouts: FAST });
    const final = await executeRun(runFor(), driver, noSave);
    expect(final.status).toBe('stopped');
    expect(final.reason).toBe(
      'Stopped while enabling “marketing-copy” (sk-…cpRI): after clicking its Enable, a dialog Keymeter does not recognise opened (“Delete organization?”: it also talks about a dangerous action). It was left open for you to read.',
    );
    expect(fake.clicks).toHaveLength(1);
    expect(document.querySelector('[role="dialog"]')).not.toBeNull();
    expect(final.items.every((i) => i.status === 'skipped')).toBe(true);
  });
});

describe('DOM driver pages and rows', () => {
  it('reads the only page when the table has no pager, and knows it is on page 2 without clicking', async () => {
    loadFixture('api-keys-2024-page2.html');
    const driver = createDomDriver({ signal: new AbortController().signal, timeouts: FAST, onClick: () => expect.fail('no click') });
    await driver.goToPage(2);
    document.querySelector('.pager__root')!.remove();
    const scan = await driver.scan();
    expect(scan.pagination).toBe('single');
    expect(scan.candidates.map((c) => c.key.name)).toEqual([
      'marketing-copy',
      'eval-scripts',
      'zapier-integration',
      'old-notebook',
      'jupyter',
    ]);
    expect(scan.trackedCount).toBe(10);
  });

  it('says only the visible page is handled when the pager shows no page number', async () => {
    loadFixture('api-keys-2026-page2.html');
    document.querySelector('nav[aria-label="Pagination"] span')!.remove();
    const scan = await createDomDriver({ signal: new AbortController().signal, timeouts: FAST }).scan();
    expect(scan).toMatchObject({ pagination: 'visible-only', pageCount: 1 });
  });

  it('treats a key whose row is gone as unexpected', async () => {
    loadFixture('api-keys-compact-page2.html');
    const driver = createDomDriver({ signal: new AbortController().signal, timeouts: FAST });
    await expect(driver.trackingOf({ name: 'gone', redacted: 'sk-…zzzz', created: 'May 5, 2023' })).rejects.toThrow(UnexpectedPageError);
    await expect(driver.trackingOf({ name: 'gone', redacted: 'sk-…zzzz', created: 'May 5, 2023' })).rejects.toThrow(
      '“gone” (sk-…zzzz) is no longer on page 2 of the keys table: the row moved or vanished.',
    );
  });

  it('refuses to start a key while a dialog is open', async () => {
    loadFixture('api-keys-2024-revoke-dialog.html');
    const driver = createDomDriver({ signal: new AbortController().signal, timeouts: FAST });
    await expect(driver.enable({ name: 'x', redacted: 'sk-…xxxx', created: '' })).rejects.toThrow(
      'A dialog is open (“Revoke secret key”) before Keymeter clicked anything.',
    );
  });
});
