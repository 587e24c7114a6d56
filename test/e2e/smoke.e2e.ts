import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { useKeymeter } from './fixtures';

describe('smoke: Keymeter loads against the simulated OpenAI hosts', () => {
  const k = useKeymeter();

  it('runs the content script on /usage after late render and after client-side route changes', async () => {
    const page = await k.browser.context.newPage();
    await page.goto('https://platform.openai.com/usage');
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.keymeterRoute)).toBe('/usage');
    // The view renders late: wait for its rows, as a person would.
    await page
      .getByText(/top api keys/i)
      .first()
      .waitFor();

    await page
      .getByRole('link', { name: /api keys/i })
      .first()
      .click();
    await expect.poll(() => page.url()).toMatch(/\/api-keys/);
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.keymeterRoute)).toBe('/api-keys');

    await page.goBack();
    await expect.poll(() => page.evaluate(() => document.documentElement.dataset.keymeterRoute)).toBe('/usage');
    await page.close();
  });

  it('saves an admin key in the options page and the background reaches the mock Admin API', async () => {
    const options = await k.browser.openExtensionPage('options.html');
    await options.getByLabel('Admin key').fill(E2E_ADMIN_KEY);
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await expect(options.getByRole('status').textContent()).resolves.toBeDefined();
    await options
      .getByRole('status')
      .filter({ hasText: /Connected/ })
      .waitFor();
    const { api } = await k.sim.state();
    const calls = api.filter((entry) => entry.path.startsWith('/v1/organization/projects'));
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every((entry) => entry.auth === 'admin' && entry.status === 200)).toBe(true);
    await options.close();
  });

  it('shows the specific sentence when the key is a project key', async () => {
    const options = await k.browser.openExtensionPage('options.html');
    await options.getByLabel('Admin key').fill('sk-proj-notanadminkey0000');
    await options.getByRole('button', { name: 'Save', exact: true }).click();
    await expect.poll(() => options.getByRole('alert').textContent()).toContain('lacks api.usage.read');
    await options.close();
  });
});
