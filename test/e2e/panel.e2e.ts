import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY, HOLIDAY_SPIKE } from '../sim/seed';
import { useKeymeter } from './fixtures';
import { connectOrg, waitForSync } from './helpers';

const HOLIDAY = 'start=2025-12-15&end=2026-01-10';

describe('usage panel below "Top API keys"', () => {
  const k = useKeymeter();

  it('without an admin key: shows the zero-setup panel and records what the view showed', async () => {
    const page = await k.browser.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2026&${HOLIDAY}`);
    const panel = page.frameLocator('[data-keymeter-panel] iframe');
    await panel.getByTestId('zero-setup').waitFor({ timeout: 45_000 });
    await expect(panel.getByTestId('zero-setup').textContent()).resolves.toMatch(/admin key/i);
    // No columns without an admin key.
    expect(await page.locator('[data-keymeter-col]').count()).toBe(0);
    // The visit is recorded once the view's rows have rendered (late); it then shows up in the
    // zero-setup history of the next visit.
    await page.getByText('api-gateway-prod').first().waitFor();
    await page.waitForTimeout(1000);
    await page.reload();
    await expect
      .poll(async () => (await panel.getByTestId('zero-setup').textContent()) ?? '', { timeout: 15_000 })
      .toMatch(/api-gateway-prod/);
    await page.close();
  });

  it('with an admin key: names the key and model behind the holiday spike, and warns about untracked usage', async () => {
    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 400 });
    await waitForSync(options);
    const org = await k.sim.org();
    const spikeKey = org.keys.find((key) => key.id === HOLIDAY_SPIKE.keyId)!;

    const page = await k.browser.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2024&${HOLIDAY}`);
    const panel = page.frameLocator('[data-keymeter-panel] iframe');
    const callout = panel.getByTestId('spike-callout');
    await callout.waitFor({ timeout: 20_000 });
    const text = (await callout.textContent()) ?? '';
    expect(text).toContain(spikeKey.name);
    expect(text).toContain(HOLIDAY_SPIKE.model);
    expect(text).toMatch(/Dec (2[4-9]|3[01]), 2025|Jan [12], 2026/);
    await expect(panel.getByTestId('untracked-warning').getByRole('link').getAttribute('href')).resolves.toContain(
      '/api-keys#keymeter-bulk-enable',
    );
    // Exactly one panel, also after a route change away and back.
    await page
      .getByRole('link', { name: /api keys/i })
      .first()
      .click();
    await expect.poll(() => page.url()).toMatch(/api-keys/);
    await page.goBack();
    await panel.getByTestId('usage-panel').waitFor();
    await page.waitForTimeout(800);
    expect(await page.locator('[data-keymeter-panel]').count()).toBe(1);
    await page.close();
    await options.close();
  });
});
