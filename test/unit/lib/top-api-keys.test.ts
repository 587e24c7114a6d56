import { describe, expect, it } from 'vitest';
import { decorateTable, undecorateTable } from '@/lib/dom/key-columns';
import type { KeyTableRow } from '@/lib/history/key-table';
import { emptyTotals } from '@/lib/history/queries';
import { readDashboardRange } from '@/lib/openai/range';
import { findTopApiKeysCard, findTopApiKeysTables, isStillTopApiKeysCard, readTopKeysView } from '@/lib/openai/top-api-keys';
import { cellTexts, cellTitles, keyColumns } from '@/lib/usage/columns';
import { type RowIdentity, type RowMatch, rowMatcher } from '@/lib/usage/match';
import { loadFixture } from '../fixtures';

const LAYOUTS = ['2024', '2026', 'compact'] as const;

/** One row against the keys, as the columns match a whole table. */
const matchRow = (row: RowIdentity, keys: readonly KeyTableRow[]): RowMatch => rowMatcher(keys)(row);

/** The six cells of one row with their tooltips, as the columns write them. */
function cellsFor(match: RowMatch) {
  const titles = cellTitles(match);
  return cellTexts(match).map((cell, i) => ({ ...cell, title: titles[i]! }));
}

function key(partial: Partial<KeyTableRow> & { apiKeyId: string; name: string }): KeyTableRow {
  return {
    orgId: 'o',
    redactedValue: '',
    projectId: 'p',
    projectName: 'Platform API',
    ownerName: '',
    deleted: false,
    createdAt: 0,
    lastUsedAt: null,
    current: { ...emptyTotals(partial.apiKeyId), inputTokens: 1234 },
    previous: emptyTotals(partial.apiKeyId),
    ...partial,
  };
}

describe('"Top API keys" in every layout', () => {
  it.each(LAYOUTS)('%s: finds exactly one view and reads its rows', (layout) => {
    loadFixture(`usage-${layout}.html`);
    const tables = findTopApiKeysTables(document);
    expect(tables).toHaveLength(1);
    const view = readTopKeysView(tables[0]!);
    expect(view.rows.length).toBeGreaterThan(25);
    expect(view.rows[0]).toMatchObject({ label: 'api-gateway-prod', requests: 199_800 });
    expect(view.rows.filter((r) => r.untracked)).toHaveLength(1);
    expect(view.hasKeyColumn).toBe(layout !== 'compact');
    if (layout !== 'compact') expect(view.rows[0]).toMatchObject({ suffix: '2v6X', redacted: 'sk-svcacct-…2v6X' });
    else expect(view.rows[0]).toMatchObject({ suffix: '', project: 'Platform API' });
    // The markup in a key name is text, not an element.
    expect(view.rows.some((r) => r.label === '<img src=x onerror=alert(1)>')).toBe(true);
  });

  it.each(LAYOUTS)('%s: finds the card the panel is mounted after: it holds the view and no other table', (layout) => {
    loadFixture(`usage-${layout}.html`);
    const found = findTopApiKeysCard(document);
    const card = found?.card;
    expect(card?.contains(findTopApiKeysTables(document)[0]!)).toBe(true);
    expect(card?.querySelectorAll('table, [role="grid"]').length).toBe(1);
    // Found once, it is recognised again without a search; gone or retitled, it is not.
    expect(isStillTopApiKeysCard(found!)).toBe(true);
    found!.heading.textContent = 'Top users';
    expect(isStillTopApiKeysCard(found!)).toBe(false);
    found!.heading.textContent = 'Top API keys';
    card!.remove();
    expect(isStillTopApiKeysCard(found!)).toBe(false);
  });

  it.each(LAYOUTS)('%s: does not take "Top users" or "Top organizations" for it', (layout) => {
    loadFixture(`usage-${layout}.html`);
    const [table] = findTopApiKeysTables(document);
    expect(table?.textContent).not.toMatch(/acme robotics\s*\d/i);
    expect(table?.textContent).not.toMatch(/priya@acme/);
  });

  it('reads the range from the URL, else the picker label, else says it used the last 30 days', () => {
    loadFixture('usage-2024.html');
    const now = Date.parse('2026-12-04T12:00:00Z') / 1000;
    expect(readDashboardRange(new URL('https://platform.openai.com/usage?start=2025-11-01&end=2025-11-30'), document, now)).toEqual({
      from: Date.parse('2025-11-01T00:00:00Z') / 1000,
      to: Date.parse('2025-12-01T00:00:00Z') / 1000,
      source: 'url',
    });
    expect(readDashboardRange(new URL('https://platform.openai.com/usage'), document, now)).toEqual({
      from: Date.parse('2025-12-15T00:00:00Z') / 1000,
      to: Date.parse('2026-01-11T00:00:00Z') / 1000,
      source: 'picker',
    });
    document.body.innerHTML = '<main>no picker here</main>';
    expect(readDashboardRange(new URL('https://platform.openai.com/usage?start=bad'), document, now)).toMatchObject({
      source: 'default',
      to: Date.parse('2026-12-05T00:00:00Z') / 1000,
    });
  });
});

describe('matching rows to keys', () => {
  const keys = [
    key({ apiKeyId: 'key_a', name: 'ci-runner', redactedValue: 'sk-svcacct-…xPQW', projectName: 'Platform API' }),
    key({ apiKeyId: 'key_b', name: 'ci-runner', redactedValue: 'sk-svcacct-…A6oN', projectName: 'Platform API' }),
    key({ apiKeyId: 'key_c', name: 'ci-runner', redactedValue: 'sk-svcacct-…XGxS', projectName: 'Research' }),
    key({ apiKeyId: 'key_d', name: 'solo', redactedValue: 'sk-proj-…abcd' }),
    key({ apiKeyId: '', name: 'Untracked usage' }),
  ];
  it.each([
    ['by redacted suffix', { label: 'ci-runner', suffix: 'A6oN', project: '', untracked: false }, 'matched', 'key_b'],
    ['by name when unique', { label: 'solo', suffix: '', project: '', untracked: false }, 'matched', 'key_d'],
    ['by name and project', { label: 'ci-runner', suffix: '', project: 'Research', untracked: false }, 'matched', 'key_c'],
    [
      'same name, same project: ambiguous',
      { label: 'ci-runner', suffix: '', project: 'Platform API', untracked: false },
      'ambiguous',
      null,
    ],
    ['same name, no project shown: ambiguous', { label: 'ci-runner', suffix: '', project: '', untracked: false }, 'ambiguous', null],
    ['unknown suffix: unmatched', { label: 'old', suffix: 'zzzz', project: '', untracked: false }, 'unmatched', null],
    ['untracked row', { label: 'Untracked', suffix: '', project: '', untracked: true }, 'matched', ''],
  ] as const)('%s', (_title, row, status, id) => {
    const match = matchRow(row, keys);
    expect(match.status).toBe(status);
    if (match.status === 'matched') expect(match.key.apiKeyId).toBe(id);
    else expect(match.reason.length).toBeGreaterThan(20);
  });

  it('indexes the keys once for a whole table: 500 rows over 500 keys read each key a few times, not once per row', () => {
    let reads = 0;
    const many = Array.from({ length: 500 }, (_, i) => {
      const k = key({ apiKeyId: `key_${i}`, name: `key-${i}`, redactedValue: `sk-proj-…${String(i).padStart(4, '0')}` });
      return Object.defineProperty(k, 'redactedValue', {
        get: () => {
          reads++;
          return `sk-proj-…${String(i).padStart(4, '0')}`;
        },
      });
    });
    const match = rowMatcher(many);
    for (let i = 0; i < 500; i++) {
      const byName = match({ label: `KEY-${i} `, suffix: '', project: '', untracked: false });
      const bySuffix = match({ label: '', suffix: String(i).padStart(4, '0'), project: '', untracked: false });
      expect(byName.status === 'matched' && byName.key.apiKeyId).toBe(`key_${i}`);
      expect(bySuffix.status === 'matched' && bySuffix.key.apiKeyId).toBe(`key_${i}`);
    }
    expect(reads).toBeLessThanOrEqual(2 * 500);
  });

  it('shows "ambiguous" with the reason, never a number', () => {
    const cells = cellsFor(matchRow({ label: 'ci-runner', suffix: '', project: '', untracked: false }, keys));
    expect(cells[0]).toMatchObject({ text: 'ambiguous', title: expect.stringContaining('does not guess') });
    expect(cells.slice(1).every((c) => c.text === '—')).toBe(true);
  });
});

describe('decorating the table', () => {
  it.each(LAYOUTS)('%s: adds six columns once, however often it runs, and removes them cleanly', (layout) => {
    loadFixture(`usage-${layout}.html`);
    const [table] = findTopApiKeysTables(document);
    const styleOf = () => [...table!.querySelectorAll<HTMLElement>('*')].map((e) => e.style.gridTemplateColumns);
    const before = { text: table!.textContent, styles: styleOf() };
    const run = () => {
      const view = readTopKeysView(table!);
      decorateTable(view.table, keyColumns('Dec 15, 2025 – Jan 10, 2026'), {
        signature: (i) => view.rows[i]!.label,
        cells: (i) => cellsFor(matchRow(view.rows[i]!, [])),
      });
    };
    run();
    run();
    run();
    const view = readTopKeysView(table!);
    expect(table!.querySelectorAll('[data-keymeter-col]').length).toBe(6 * (view.rows.length + 1));
    // Reading the view ignores our own cells, so a re-read is the same as before decorating.
    expect(view.table.headers.length).toBe(layout === '2026' ? 4 : 3);
    for (const row of view.table.rows) expect(row.element.lastElementChild?.getAttribute('data-keymeter-col')).toBe('5');
    undecorateTable(table!);
    expect({ text: table!.textContent, styles: styleOf() }).toEqual(before);
    expect(table!.querySelector('[data-keymeter-col], [data-keymeter-grid]')).toBeNull();
  });

  it('formats a row only when its signature changes', () => {
    loadFixture('usage-2024.html');
    const [table] = findTopApiKeysTables(document);
    let formatted = 0;
    const run = () => {
      const view = readTopKeysView(table!);
      decorateTable(view.table, keyColumns('r'), {
        signature: (i) => view.rows[i]!.label,
        cells: (i) => {
          formatted++;
          return cellsFor(matchRow(view.rows[i]!, []));
        },
      });
    };
    run();
    const rows = formatted;
    run();
    expect(rows).toBeGreaterThan(25);
    expect(formatted).toBe(rows);
  });

  it('rewrites a row whose key changed when the page re-used the element', () => {
    loadFixture('usage-2024.html');
    const [table] = findTopApiKeysTables(document);
    const keys = [key({ apiKeyId: 'key_1', name: 'api-gateway-prod', redactedValue: 'sk-svcacct-…2v6X' })];
    const decorate = () => {
      const view = readTopKeysView(table!);
      decorateTable(view.table, keyColumns('r'), {
        signature: (i) => `${view.rows[i]!.label}|${view.rows[i]!.suffix}`,
        cells: (i) => cellsFor(matchRow(view.rows[i]!, keys)),
      });
    };
    decorate();
    const firstRow = readTopKeysView(table!).rows[0]!.element;
    expect(firstRow.querySelector('[data-keymeter-col="0"]')?.textContent).toBe('1.2K');
    // The page re-renders the row in place for another key.
    firstRow.querySelector('td')!.textContent = 'someone-else';
    firstRow.querySelector('code')!.textContent = 'sk-proj-…zzzz';
    decorate();
    expect(firstRow.querySelector('[data-keymeter-col="0"]')?.textContent).toBe('—');
  });
});
