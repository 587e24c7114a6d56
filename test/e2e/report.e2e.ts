import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY, HOLIDAY_SPIKE } from '../sim/seed';
import { useKeymeter } from './fixtures';
import { connectOrg, waitForSync } from './helpers';

/**
 * The report page on the seeded organisation (a year of history): the holiday spike is flagged and
 * attributed to the seeded key and model; a budget threshold reached after a sync raises one real
 * `chrome.notifications.create` call (observed in the service worker), and only one per period;
 * tags assigned on the page come out in a finance export grouped by cost-center tag.
 */

interface NotificationCall {
  id: string;
  title: string;
  message: string;
}

describe('report page', () => {
  const k = useKeymeter();
  let page: Page;
  let spikeKeyName = '';

  /** Wraps chrome.notifications.create in the service worker: every call is logged, then passed on. */
  async function spyOnNotifications() {
    await k.browser.serviceWorker.evaluate(() => {
      type Create = (id: string, options: { title: string; message: string }, ...rest: unknown[]) => unknown;
      const g = globalThis as unknown as {
        chrome: { notifications: { create: Create } };
        browser?: { notifications?: { create: Create } };
        __keymeterNotifications: Array<{ id: string; title: string; message: string }>;
      };
      g.__keymeterNotifications = [];
      const targets = [g.chrome.notifications, g.browser?.notifications].filter(
        (t, i, all): t is { create: Create } => !!t && all.indexOf(t) === i,
      );
      for (const target of targets) {
        const original = target.create.bind(target);
        target.create = (id, options, ...rest) => {
          g.__keymeterNotifications.push({ id, title: options.title, message: options.message });
          return original(id, options, ...rest);
        };
      }
    });
  }
  const notifications = () =>
    k.browser.serviceWorker.evaluate(
      () =>
        (globalThis as unknown as { __keymeterNotifications: Array<{ id: string; title: string; message: string }> })
          .__keymeterNotifications,
    ) as Promise<NotificationCall[]>;

  it('flags the holiday spike and attributes it to the seeded key and model', async () => {
    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 400 });
    await waitForSync(options);
    await options.close();
    const org = await k.sim.org();
    spikeKeyName = org.keys.find((key) => key.id === HOLIDAY_SPIKE.keyId)!.name;

    page = await k.browser.openExtensionPage('report.html');
    const range = page.getByRole('group', { name: 'Date range' });
    await range.getByLabel('Range').selectOption('custom');
    await range.getByLabel('From').fill('2025-12-15');
    await range.getByLabel('To (inclusive)').fill('2026-01-10');
    await expect.poll(() => range.getByTestId('report-range').textContent()).toBe('Dec 15, 2025 – Jan 10, 2026 (UTC)');

    const spikes = page.getByTestId('report-spikes');
    await expect.poll(async () => spikes.locator('li[data-day]').count(), { timeout: 20_000 }).toBeGreaterThan(0);
    const flagged = await spikes
      .locator('li[data-day]')
      .evaluateAll((items) => items.map((li) => ({ day: Number(li.getAttribute('data-day')), text: li.textContent ?? '' })));
    const inHoliday = flagged.filter((s) => s.day >= HOLIDAY_SPIKE.from && s.day < HOLIDAY_SPIKE.to);
    expect(inHoliday.length).toBeGreaterThan(0);
    // Every flagged holiday day is explained first by the seeded key on the seeded model.
    for (const spike of inHoliday) {
      const firstDriver = await spikes.locator(`li[data-day="${spike.day}"] .km-drivers > li`).first().textContent();
      expect(firstDriver).toContain(spikeKeyName);
      expect(firstDriver).toContain(HOLIDAY_SPIKE.model);
    }
    // No day outside the holiday is flagged in this range.
    expect(flagged.filter((s) => s.day < HOLIDAY_SPIKE.from || s.day >= HOLIDAY_SPIKE.to)).toEqual([]);

    // The key's own view explains its days by model, and keeps its history.
    await page.getByRole('searchbox', { name: 'Search' }).fill(spikeKeyName);
    const row = page.locator(`[data-testid="key-row"][data-key-id="${HOLIDAY_SPIKE.keyId}"]`);
    await row.getByRole('button', { name: spikeKeyName }).click();
    const detail = page.getByTestId('key-detail');
    await expect.poll(() => detail.getByTestId('key-spikes').locator('li[data-day]').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await expect(detail.getByTestId('key-models').textContent()).resolves.toContain(HOLIDAY_SPIKE.model);
  });

  it('assigns a tag on the page, and the tag groups a finance export', async () => {
    const row = page.locator(`[data-testid="key-row"][data-key-id="${HOLIDAY_SPIKE.keyId}"]`);
    await row.getByRole('checkbox').check();
    const tools = page.getByTestId('tag-tools');
    await tools.getByLabel('Tags', { exact: true }).fill('cc-holiday, support');
    await tools.getByRole('button', { name: 'Apply tags' }).click();
    await tools.getByRole('status').filter({ hasText: 'Tags set on 1 of 1 keys' }).waitFor();
    await expect.poll(() => row.getByTestId('key-tags').textContent()).toBe('cc-holidaysupport');

    const exportForm = page.getByRole('form', { name: 'Export' });
    await exportForm.getByLabel('Group by').selectOption('tag');
    const [download] = await Promise.all([page.waitForEvent('download'), exportForm.getByRole('button', { name: 'Export' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.split('\r\n');
    const tagged = lines.filter((line) => line.includes('cc-holiday + support'));
    expect(tagged).toHaveLength(1);
    expect(lines.some((line) => line.startsWith('untagged,') || line.includes(',untagged,'))).toBe(true);
  });

  it('raises one browser notification when a budget threshold is reached after a sync, and not again that month', async () => {
    await spyOnNotifications();
    const budgets = page.getByTestId('budgets');
    await expect(budgets.getByTestId('budget-disclaimer').textContent()).resolves.toMatch(/alerts, not limits/);
    const form = budgets.getByRole('form', { name: 'Add a budget' });
    const option = form.locator(`option[value$="|${HOLIDAY_SPIKE.keyId}"]`);
    await form.getByLabel('Key').selectOption(await option.getAttribute('value'));
    await form.getByLabel('Monthly budget (USD)').fill('1');
    await form.getByLabel('Name (optional)').fill('Support bot (e2e)');
    await form.getByRole('button', { name: 'Add budget' }).click();
    await budgets.getByTestId('budget-row').filter({ hasText: 'Support bot (e2e)' }).waitFor();

    // "Sync now" answers once the after-sync checks are done; the page then shows the new sync time.
    const state = page.getByTestId('report-sync-state');
    const sync = async () => {
      const before = Number(await state.getAttribute('data-last-success'));
      await page.waitForTimeout(1100); // sync times are in whole seconds
      await page.getByRole('button', { name: 'Sync now' }).click();
      await expect.poll(async () => Number(await state.getAttribute('data-last-success')), { timeout: 30_000 }).toBeGreaterThan(before);
    };
    await sync();
    await expect
      .poll(async () => (await notifications()).filter((n) => n.title.includes('Support bot (e2e)')), { timeout: 20_000 })
      .toHaveLength(1);
    const [note] = (await notifications()).filter((n) => n.title.includes('Support bot (e2e)'));
    expect(note!.title).toBe('Budget 100 % reached: Support bot (e2e)');
    expect(note!.message).toMatch(/of \$1\.00 spent in \d{4}-\d{2} .*alert only/);
    await expect
      .poll(() => budgets.getByTestId('budget-row').filter({ hasText: 'Support bot (e2e)' }).textContent(), { timeout: 10_000 })
      .toMatch(/reached 50, 80, 100 %/);

    // The next sync finds the same thresholds reached: no second notification this month.
    await sync();
    await page.waitForTimeout(500);
    expect((await notifications()).filter((n) => n.title.includes('Support bot (e2e)'))).toHaveLength(1);
    await page.close();
  });
});
