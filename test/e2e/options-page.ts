import type { Page } from 'playwright-core';
import type { KeymeterBrowser } from './browser';

// Driving Keymeter's options page as a person would. No test-runner imports: the demo uses it too.

/** Sets the backfill as a person would, then adds the organisation with an admin key on the options page. */
export async function connectOrg(
  browser: KeymeterBrowser,
  adminKey: string,
  options: { backfillDays?: number; label?: string } = {},
): Promise<Page> {
  const page = await browser.openExtensionPage('options.html');
  if (options.backfillDays) {
    await page.getByLabel('Backfill (days)').fill(String(options.backfillDays));
    await page.getByRole('button', { name: 'Save sync settings' }).click();
    await page.getByRole('status').filter({ hasText: 'Sync settings saved' }).waitFor();
  }
  await page.getByLabel('Label').fill(options.label ?? 'Acme (e2e)');
  await page.getByLabel('Admin key').fill(adminKey);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Connected' }).waitFor({ timeout: 30_000 });
  return page;
}

/** Waits, on the options page, until every organisation shows "Synced". */
export async function waitForSync(options: Page, timeoutMs = 90_000): Promise<void> {
  await options.reload();
  await options.locator('[data-testid="sync-state"]').first().waitFor({ timeout: timeoutMs });
  await options.waitForFunction(
    () => {
      const states = [...document.querySelectorAll('[data-testid="sync-state"]')].map((e) => e.getAttribute('data-state'));
      if (states.includes('error')) throw new Error(document.querySelector('[data-state="error"]')?.textContent ?? 'sync error');
      return states.length > 0 && states.every((s) => s === 'synced');
    },
    null,
    { timeout: timeoutMs, polling: 250 },
  );
}
