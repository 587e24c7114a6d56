import type { FrameLocator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { useKeymeter } from './fixtures';
import { connectOrg, readColumns, waitForDecoratedRows, waitForSync } from './helpers';

/** The usage page for a recent week: inside the first sync's 30 days. */
function recentRange() {
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
  return `start=${day(8)}&end=${day(2)}`;
}

async function syncNow(panel: FrameLocator) {
  const button = panel.getByRole('button', { name: 'Sync now' });
  await expect.poll(() => button.isEnabled(), { timeout: 20_000 }).toBe(true);
  await button.click();
  await expect.poll(() => button.isEnabled(), { timeout: 60_000 }).toBe(true);
}

const figures = async (page: Page) => (await readColumns(page)).map((r) => `${r.suffix}:${r.title}`);

describe('reliability: API faults show a specific sentence, keep the last good data, and heal', () => {
  const k = useKeymeter();
  let page: Page;
  let panel: FrameLocator;
  let good: string[];

  it('starts from a good sync', async () => {
    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 30 });
    await waitForSync(options);
    await options.close();
    page = await k.browser.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2024&${recentRange()}`);
    await waitForDecoratedRows(page);
    panel = page.frameLocator('[data-keymeter-panel] iframe');
    await panel.getByTestId('usage-panel').waitFor();
    good = await figures(page);
    expect(good.length).toBeGreaterThan(20);
  });

  // Each failed sync keeps its place and the next one resumes there, so the faults follow the sync's order of steps.
  it.each([
    ['500', { endpoint: 'usage/completions', kind: '500' }, /server error \(500\)/],
    ['429 that does not lift', { endpoint: 'usage/embeddings', kind: '429', retryAfter: 1 }, /rate-limiting usage requests \(429\)/],
    ['malformed JSON', { endpoint: 'costs', kind: 'malformed' }, /could not read/],
    ['a repeating cursor', { endpoint: 'costs', kind: 'repeat-cursor' }, /same page cursor/],
  ] as const)('%s: says so and keeps the figures', async (_name, fault, sentence) => {
    await k.sim.fault(fault);
    await syncNow(panel);
    await expect.poll(async () => (await panel.getByRole('alert').allTextContents()).join(' '), { timeout: 60_000 }).toMatch(sentence);
    await page.reload();
    await waitForDecoratedRows(page);
    expect(await figures(page)).toEqual(good);
    await k.sim.clearFaults();
  });

  it('tolerates unknown fields and heals on the next good sync', async () => {
    await k.sim.fault({ endpoint: '*', kind: 'unknown-fields' });
    await syncNow(panel);
    await expect.poll(async () => await panel.getByRole('alert').count(), { timeout: 30_000 }).toBe(0);
    await expect(panel.getByRole('status').first().textContent()).resolves.toMatch(/synced/);
    await k.sim.clearFaults();
  });

  it('a 429 that lifts after Retry-After is waited out without an error', async () => {
    await k.sim.fault({ endpoint: 'usage/completions', kind: '429', times: 1, retryAfter: 1 });
    await syncNow(panel);
    await expect.poll(async () => await panel.getByRole('alert').count(), { timeout: 30_000 }).toBe(0);
    const { api } = await k.sim.state();
    expect(api.filter((e) => e.status === 429).length).toBeGreaterThan(0);
  });

  it('a revoked admin key: says the key was rejected, keeps the figures', async () => {
    await k.sim.revokeAdminKey(E2E_ADMIN_KEY);
    await syncNow(panel);
    await expect
      .poll(async () => (await panel.getByRole('alert').allTextContents()).join(' '), { timeout: 30_000 })
      .toMatch(/rejected this admin key \(401\)/);
    await page.reload();
    await waitForDecoratedRows(page);
    expect(await figures(page)).toEqual(good);
    await page.close();
  });
});
