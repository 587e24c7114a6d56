import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { useKeymeter } from './fixtures';
import { connectOrg, waitForSync } from './helpers';

const MARKUP_NAME = '<img src=x onerror=alert(1)>';

describe('security: the admin key stays in the background, page text stays text', () => {
  // useKeymeter also fails the file if the key was sent anywhere but `Authorization` to api.openai.com.
  const k = useKeymeter();

  it('never puts the admin key in any page, frame or extension view', async () => {
    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 60 });
    await waitForSync(options);
    await options.reload();
    await options
      .getByText(/Synced/)
      .first()
      .waitFor();
    const pages = [options];
    for (const url of ['https://platform.openai.com/usage?layout=2024', 'https://platform.openai.com/api-keys?layout=2026']) {
      const page = await k.browser.context.newPage();
      await page.goto(url);
      await page.waitForTimeout(2500);
      pages.push(page);
    }
    for (const path of ['popup.html', 'report.html']) pages.push(await k.browser.openExtensionPage(path));
    for (const page of pages) {
      for (const frame of page.frames()) {
        const html = await frame.content();
        expect(html.includes(E2E_ADMIN_KEY), `admin key in ${frame.url()}`).toBe(false);
        expect(html.includes(E2E_ADMIN_KEY.slice(0, 20)), `part of the admin key in ${frame.url()}`).toBe(false);
      }
      await page.close();
    }
    // The settings show only the last four characters of the key.
    const fresh = await k.browser.openExtensionPage('options.html');
    await fresh.getByText(`key …${E2E_ADMIN_KEY.slice(-4)}`).waitFor();
    await expect(fresh.getByText(`key …${E2E_ADMIN_KEY.slice(-4)}`).count()).resolves.toBe(1);
    await fresh.close();
  });

  it('renders a key name with markup as text everywhere it appears, and runs nothing', async () => {
    const page = await k.browser.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto('https://platform.openai.com/usage?layout=2026&start=2025-12-15&end=2026-01-10');
    await page.locator('[data-keymeter-col]').first().waitFor({ timeout: 20_000 });
    await page.frameLocator('[data-keymeter-panel] iframe').getByTestId('usage-panel').waitFor();
    await page.waitForTimeout(1500);
    expect(await page.getByText(MARKUP_NAME).count()).toBeGreaterThan(0);
    for (const frame of page.frames()) expect(await frame.locator('img[src="x"]').count(), frame.url()).toBe(0);
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('ignores messages from the page that pretend to come from the panel', async () => {
    const page = await k.browser.context.newPage();
    await page.goto('https://platform.openai.com/usage?layout=2024&start=2025-12-15&end=2026-01-10');
    const iframe = page.locator('[data-keymeter-panel] iframe');
    await page.frameLocator('[data-keymeter-panel] iframe').getByTestId('usage-panel').waitFor();
    await page.waitForTimeout(1000);
    const before = await iframe.evaluate((el) => (el as HTMLElement).style.height);
    await page.evaluate(() => window.postMessage({ type: 'keymeter:panel-height', height: 7 }, '*'));
    await page.waitForTimeout(300);
    expect(await iframe.evaluate((el) => (el as HTMLElement).style.height)).toBe(before);
    await page.close();
  });
});
