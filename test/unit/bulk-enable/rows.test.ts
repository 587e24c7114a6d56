import { describe, expect, it } from 'vitest';
import { findPager } from '@/lib/bulk-enable/pager';
import { findKeysTable, locateKey, readKeysTable, readTrackingCell, trackingCandidates } from '@/lib/bulk-enable/rows';
import { loadFixture } from '../fixtures';

const LAYOUTS = ['2024', '2026', 'compact'] as const;

/** The seed's legacy keys (created before 2023-12-20) with tracking off, as page 2 shows them. */
const LEGACY_UNTRACKED = [
  { name: 'marketing-copy', redacted: 'sk-…cpRI', created: 'Nov 30, 2023' },
  { name: 'eval-scripts', redacted: 'sk-…B9kk', created: 'Oct 2, 2023' },
  { name: 'zapier-integration', redacted: expect.stringMatching(/^sk-…\w{4}$/), created: 'Sep 14, 2023' },
  { name: 'old-notebook', redacted: expect.stringMatching(/^sk-…\w{4}$/), created: 'Aug 20, 2023' },
  { name: 'jupyter', redacted: expect.stringMatching(/^sk-…\w{4}$/), created: 'May 5, 2023' },
];

function keysTable() {
  const element = findKeysTable(document);
  expect(element, 'keys table').not.toBeNull();
  return readKeysTable(element!);
}

describe.each(LAYOUTS)('API-keys rows, %s layout', (layout) => {
  it('page 1: 20 keys, all tracked, nothing to act on', () => {
    loadFixture(`api-keys-${layout}.html`);
    const { rows } = keysTable();
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.tracking === 'on' && r.control === null)).toBe(true);
    expect(trackingCandidates(rows)).toEqual([]);
    expect(rows[0]!.redacted).toMatch(/^sk-(?:proj|svcacct)-…\w{4}$/);
  });

  it('page 2: exactly the legacy keys with tracking off, with name, redacted key, created and last used', () => {
    loadFixture(`api-keys-${layout}-page2.html`);
    const { rows } = keysTable();
    expect(rows).toHaveLength(15);
    const candidates = trackingCandidates(rows);
    expect(candidates.map((r) => ({ name: r.name, redacted: r.redacted, created: r.created }))).toEqual(LEGACY_UNTRACKED);
    for (const c of candidates) {
      expect(c.lastUsed).toMatch(/^(?:[A-Z][a-z]{2} \d{1,2}, \d{4}|Never)$/);
      // The control sits in the row's own tracking cell.
      expect(c.element.contains(c.control)).toBe(true);
    }
    // The three legacy keys with tracking already on are read as on, not as candidates.
    const legacyOn = rows.filter((r) => /^sk-…/.test(r.redacted) && r.tracking === 'on').map((r) => r.name);
    expect(legacyOn.sort()).toEqual(['dana-laptop', 'prod-chat (old)', 'test']);
  });

  it('never takes a look-alike "Enable", Edit, Revoke or Key actions for a tracking control', () => {
    loadFixture(`api-keys-${layout}-page2.html`);
    const controls = new Set(trackingCandidates(keysTable().rows).map((r) => r.control));
    const enableButtons = [...document.querySelectorAll('button')].filter((b) => b.textContent?.trim() === 'Enable');
    const decoys = enableButtons.filter((b) => !controls.has(b));
    expect(decoys).toHaveLength(1); // MFA banner (2024, compact) or "Usage alerts" card (2026)
    expect(decoys[0]!.closest('table, [role="grid"]')).toBeNull();
    const dangerous = [...document.querySelectorAll('button')].filter((b) =>
      /edit|revoke|key actions|create/i.test(b.getAttribute('aria-label') ?? b.textContent ?? ''),
    );
    expect(dangerous.length).toBeGreaterThan(15);
    for (const b of dangerous) expect(controls.has(b)).toBe(false);
  });

  it('finds the pager: page 1 of 2 then 2 of 2', () => {
    loadFixture(`api-keys-${layout}.html`);
    const first = findPager(findKeysTable(document)!);
    expect(first).toMatchObject({ current: 1, total: 2 });
    expect(first!.next?.hasAttribute('disabled')).toBe(false);
    expect(first!.previous?.hasAttribute('disabled')).toBe(true);
    loadFixture(`api-keys-${layout}-page2.html`);
    const second = findPager(findKeysTable(document)!);
    expect(second).toMatchObject({ current: 2, total: 2 });
    expect(second!.next?.hasAttribute('disabled')).toBe(true);
  });
});

describe('tracking cells and key identity', () => {
  const cell = (html: string) => {
    const td = document.createElement('td');
    td.innerHTML = html;
    return readTrackingCell(td);
  };

  it.each([
    ['<button>Enable</button>', 'off'],
    ['<button aria-label="Enable usage tracking">Enable</button>', 'off'],
    ['<span>Enabled</span>', 'on'],
    ['<span><span aria-hidden="true"></span>On</span>', 'on'],
    ['Enabled', 'on'],
    ['<button disabled aria-busy="true"><svg></svg>Enabling…</button>', 'busy'],
    ['<button disabled>Enable</button>', 'busy'],
    ['<button>Enable</button><button>Learn more</button>', 'unknown'],
    ['<button aria-label="Enable usage alerts">Enable</button>', 'unknown'],
    ['<button>Disable</button>', 'unknown'],
    ['<a href="/x">Enable</a>', 'off'],
    ['Off', 'unknown'],
    ['', 'unknown'],
  ])('%s → %s', (html, expected) => {
    expect(cell(html).tracking).toBe(expected);
  });

  it('locates a key by name + redacted value + created, and reports duplicates', () => {
    loadFixture('api-keys-2024-page2.html');
    const { rows } = keysTable();
    const key = { name: 'jupyter', redacted: rows.find((r) => r.name === 'jupyter')!.redacted, created: 'May 5, 2023' };
    expect('found' in locateKey(rows, key)).toBe(true);
    expect(locateKey(rows, { ...key, created: 'May 6, 2023' })).toEqual({ missing: true });
    const twin = rows.find((r) => r.name === 'jupyter')!;
    expect(locateKey([...rows, { ...twin }], key)).toEqual({ ambiguous: 2 });
  });

  it('does not read a table without Name / Secret key / Tracking as the keys table', () => {
    loadFixture('usage-2024.html');
    expect(findKeysTable(document)).toBeNull();
  });
});
