import { describe, expect, it } from 'vitest';
import type { SimOrg } from '../sim/model';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { useKeymeter } from './fixtures';
import {
  connectOrg,
  expectedBilledBySuffix,
  expectedInputBySuffix,
  listedKeys,
  readColumns,
  waitForDecoratedRows,
  waitForSync,
} from './helpers';

const RANGE = { start: '2025-12-15', end: '2026-01-10' };

describe('token and cost columns in "Top API keys"', () => {
  const k = useKeymeter();
  let org: SimOrg;

  it('syncs a year of history after the admin key is saved; a dashboard tab open all along gets its columns without a reload', async () => {
    const dashboard = await k.browser.context.newPage();
    await dashboard.goto(`https://platform.openai.com/usage?layout=2024&start=${RANGE.start}&end=${RANGE.end}`);
    const columnsState = () => dashboard.evaluate(() => document.documentElement.dataset.keymeterColumns);
    await expect.poll(columnsState, { timeout: 15_000 }).toBe('no-admin-key');
    await dashboard.evaluate(() => {
      (window as unknown as { keymeterLoadedOnce: boolean }).keymeterLoadedOnce = true;
    });

    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 400 });
    await waitForSync(options);
    org = await k.sim.org();
    await options.close();

    await expect.poll(columnsState, { timeout: 15_000 }).toBe('on');
    await waitForDecoratedRows(dashboard);
    expect(await dashboard.evaluate(() => (window as unknown as { keymeterLoadedOnce?: boolean }).keymeterLoadedOnce)).toBe(true);
    const expected = expectedInputBySuffix(org, RANGE.start, RANGE.end);
    const rows = (await readColumns(dashboard)).filter((r) => r.suffix && expected.has(r.suffix));
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) expect(row.title.replace(/\D/g, ''), `key …${row.suffix}`).toBe(String(expected.get(row.suffix)));
    await dashboard.close();
  });

  for (const layout of ['2024', '2026', 'compact']) {
    it(`${layout} layout: columns show the seed's tokens for the selected range, once`, async () => {
      const page = await k.browser.context.newPage();
      await page.goto(`https://platform.openai.com/usage?layout=${layout}&start=${RANGE.start}&end=${RANGE.end}`);
      await waitForDecoratedRows(page);
      const headers = page.locator('th[data-keymeter-col], [role="columnheader"][data-keymeter-col]');
      await expect
        .poll(() => headers.allTextContents())
        .toEqual(['Input tokens', 'Cached', 'Output tokens', 'Est. cost', 'Billed', 'vs prev.']);
      await expect(page.getByText(/Keymeter columns: Dec 15, 2025 – Jan 10, 2026/).count()).resolves.toBe(1);

      const rows = await readColumns(page);
      expect(rows.length).toBeGreaterThan(20);
      if (layout !== 'compact') {
        const expected = expectedInputBySuffix(org, RANGE.start, RANGE.end);
        const checked = rows.filter((r) => r.suffix && expected.has(r.suffix));
        expect(checked.length).toBeGreaterThan(15);
        for (const row of checked) expect(row.title.replace(/\D/g, ''), `key …${row.suffix}`).toBe(String(expected.get(row.suffix)));
        // Billed cost to the cent ("$304.726543" in the tooltip vs the seed's exact decimal).
        const billed = expectedBilledBySuffix(org, RANGE.start, RANGE.end);
        const cents = (text: string) => Math.round(Number(text.replace(/[^\d.]/g, '')) * 100);
        const withBill = rows.filter((r) => billed.has(r.suffix));
        expect(withBill.length).toBeGreaterThan(15);
        for (const row of withBill) expect(cents(row.billed), `billed …${row.suffix}`).toBe(cents(billed.get(row.suffix)!));
        // Keys the API cannot name (legacy user keys, a key deleted before the first sync) say why, never a number.
        const unlisted = new Set(org.keys.filter((k) => !listedKeys(org).includes(k)).map((k) => k.redacted_value.slice(-4)));
        const unnamed = rows.filter((r) => unlisted.has(r.suffix));
        expect(unnamed.length).toBeGreaterThan(0);
        for (const row of unnamed) expect(row).toMatchObject({ text: '—', title: expect.stringContaining('legacy user key') });
      } else {
        // No redacted key in this layout: names that repeat are ambiguous, never guessed.
        const ciRunner = rows.filter((r) => r.text === 'ambiguous');
        expect(ciRunner.length).toBeGreaterThanOrEqual(2);
      }
      await page.close();
    });
  }

  it('updates the columns when the range changes, and a route change away and back leaves one set of columns', async () => {
    const page = await k.browser.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2024&start=${RANGE.start}&end=${RANGE.end}`);
    await waitForDecoratedRows(page);
    const before = await readColumns(page);

    await page.getByRole('button', { name: /Dec 15, 2025/ }).click();
    await page.getByLabel('Start date').fill('2025-11-01');
    await page.getByLabel('End date').fill('2025-11-30');
    await page.getByRole('button', { name: /apply/i }).click();
    await expect.poll(() => page.getByText(/Keymeter columns: Nov 1, 2025 – Nov 30, 2025/).count(), { timeout: 15_000 }).toBe(1);
    const expected = expectedInputBySuffix(org, '2025-11-01', '2025-11-30');
    await expect
      .poll(async () => {
        const rows = await readColumns(page);
        return rows
          .filter((r) => r.suffix && expected.has(r.suffix))
          .every((r) => r.title.replace(/\D/g, '') === String(expected.get(r.suffix)));
      })
      .toBe(true);
    expect(await readColumns(page)).not.toEqual(before);

    await page
      .getByRole('link', { name: /api keys/i })
      .first()
      .click();
    await expect.poll(() => page.url()).toMatch(/api-keys/);
    await page.goBack();
    await waitForDecoratedRows(page);
    await page.waitForTimeout(1000); // let late renders settle: still one set of columns
    const headerCount = await page.locator('th[data-keymeter-col], [role="columnheader"][data-keymeter-col]').count();
    expect(headerCount).toBe(6);
    const perRow = await page.evaluate(() =>
      [...document.querySelectorAll('tr, [role="row"]')]
        .map((r) => r.querySelectorAll(':scope > [data-keymeter-col]').length)
        .filter((n) => n > 0),
    );
    expect(new Set(perRow)).toEqual(new Set([6]));
    await page.close();
  });

  it("leaves the page's own sorting working, and the figures follow their rows", async () => {
    const page = await k.browser.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2024&start=${RANGE.start}&end=${RANGE.end}`);
    await waitForDecoratedRows(page);
    const names = () =>
      page.evaluate(() => [...document.querySelectorAll('tr')].map((r) => r.querySelector('td')?.textContent ?? '').filter(Boolean));
    const before = await names();
    await page.getByRole('button', { name: /^Name/ }).last().click();
    await expect.poll(names).not.toEqual(before);
    const expected = expectedInputBySuffix(org, RANGE.start, RANGE.end);
    await expect
      .poll(async () => {
        const rows = (await readColumns(page)).filter((r) => expected.has(r.suffix));
        return rows.length > 15 && rows.every((r) => r.title.replace(/\D/g, '') === String(expected.get(r.suffix)));
      })
      .toBe(true);
    const perRow = await page.evaluate(() => {
      const table = document.querySelector('[data-keymeter-col]')?.closest('table');
      return [...(table?.querySelectorAll('tbody tr') ?? [])].map((r) => r.querySelectorAll(':scope > [data-keymeter-col]').length);
    });
    expect(new Set(perRow)).toEqual(new Set([6]));
    await page.close();
  });

  it('renders key names with markup as text', async () => {
    const page = await k.browser.context.newPage();
    let dialogs = 0;
    page.on('dialog', (d) => {
      dialogs++;
      void d.dismiss();
    });
    await page.goto(`https://platform.openai.com/usage?layout=2024&start=${RANGE.start}&end=${RANGE.end}`);
    await waitForDecoratedRows(page);
    await expect(page.getByText('<img src=x onerror=alert(1)>').count()).resolves.toBeGreaterThan(0);
    expect(await page.locator('img[src="x"]').count()).toBe(0);
    expect(dialogs).toBe(0);
    await page.close();
  });
});
