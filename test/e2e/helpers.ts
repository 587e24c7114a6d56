import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { SimOrg } from '../sim/model';
import { expectedKeyTotals, usageRows, utcDay } from '../sim/seed';

export { connectOrg, waitForSync } from './options-page';

/** Billed cost per key (USD, exact decimal string) the seed implies, by redacted suffix. */
export function expectedBilledBySuffix(org: SimOrg, start: string, end: string): Map<string, string> {
  const totals = expectedKeyTotals(org, utcDay(start), utcDay(end) + 86_400);
  const bySuffix = new Map<string, string>();
  for (const key of listedKeys(org)) {
    const t = totals.find((x) => x.api_key_id === key.id);
    if (t) bySuffix.set(key.redacted_value.slice(-4), t.cost);
  }
  return bySuffix;
}

/** Exact input tokens per key the seed implies (completions + embeddings + moderations), by redacted suffix. */
export function expectedInputBySuffix(org: SimOrg, start: string, end: string): Map<string, number> {
  const from = utcDay(start);
  const to = utcDay(end) + 86_400;
  const byKey = new Map<string | null, number>(expectedKeyTotals(org, from, to).map((t) => [t.api_key_id, t.input_tokens]));
  for (const endpoint of ['embeddings', 'moderations'] as const)
    for (const row of usageRows(org, endpoint, from, to))
      byKey.set(row.api_key_id, (byKey.get(row.api_key_id) ?? 0) + (row.metrics.input_tokens ?? 0));
  const bySuffix = new Map<string, number>();
  for (const key of listedKeys(org)) if (byKey.has(key.id)) bySuffix.set(key.redacted_value.slice(-4), byKey.get(key.id)!);
  return bySuffix;
}

/** Keys the Admin API lists today: not legacy user keys (no endpoint lists those), not deleted. */
export function listedKeys(org: SimOrg) {
  return org.keys.filter((k) => !k.legacy && k.deleted_at === null);
}

/** Waits until the late-rendered rows (not the loading skeleton) carry Keymeter's cells. */
export async function waitForDecoratedRows(page: Page, atLeast = 20) {
  await expect.poll(async () => (await readColumns(page)).filter((r) => r.title).length, { timeout: 20_000 }).toBeGreaterThan(atLeast);
}

/** Reads the page's rows: redacted key suffix (where shown) and the exact input tokens in the first Keymeter cell's tooltip. */
export async function readColumns(page: Page) {
  return page.evaluate(() => {
    const table = document.querySelector('[data-keymeter-col]')?.closest('table, [role="grid"]');
    if (!table) return [];
    return [...table.querySelectorAll('tr, [role="row"]')]
      .map((row) => {
        const cell = row.querySelector('[data-keymeter-col="0"]');
        if (!cell || cell.matches('th, [role="columnheader"]')) return null;
        const keyCell = [...row.children].find((c) => /^sk-[\w-]*…[\w-]{4}$/.test((c.textContent ?? '').trim()));
        const suffix = (keyCell?.textContent ?? '').trim().slice(-4);
        const billed = row.querySelector('[data-keymeter-col="4"]')?.getAttribute('title') ?? '';
        return { suffix, text: cell.textContent ?? '', title: cell.getAttribute('title') ?? '', billed };
      })
      .filter((r) => r !== null);
  });
}

/**
 * Evaluates `expression` inside Keymeter's content script: the isolated world Chromium made for
 * the extension in the page's main frame (found through CDP, as DevTools' context picker does),
 * not the page's own world. The expression may return a promise; its value comes back as JSON.
 */
export async function evaluateInContentScript<T>(page: Page, extensionId: string, expression: string): Promise<T> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const contexts: Array<{ id: number; origin: string; auxData?: { type?: string; isDefault?: boolean; frameId?: string } }> = [];
    cdp.on('Runtime.executionContextCreated', ({ context }) => contexts.push(context));
    const { frameTree } = await cdp.send('Page.getFrameTree');
    await cdp.send('Runtime.enable');
    const ours = () =>
      contexts.find(
        (c) =>
          c.auxData?.type === 'isolated' && c.auxData.frameId === frameTree.frame.id && c.origin === `chrome-extension://${extensionId}`,
      );
    await expect.poll(() => ours() !== undefined, { timeout: 10_000, message: "Keymeter's isolated world in the page" }).toBe(true);
    const { result, exceptionDetails } = await cdp.send('Runtime.evaluate', {
      expression,
      contextId: ours()!.id,
      awaitPromise: true,
      returnByValue: true,
    });
    if (exceptionDetails) throw new Error(`in the content script: ${exceptionDetails.exception?.description ?? exceptionDetails.text}`);
    return result.value as T;
  } finally {
    await cdp.detach();
  }
}

/**
 * The usage panel once it has its data and has taken its full height: it grows as its charts and
 * callouts render (it reports its height to the content script), and a click aimed while it grows
 * can land on the wrong spot. Settled = not busy, and the frame as tall as its content on two
 * looks in a row. Returns the panel's frame.
 */
export async function settledPanel(page: Page) {
  const iframe = page.locator('[data-keymeter-panel] iframe');
  const panel = page.frameLocator('[data-keymeter-panel] iframe');
  const root = panel.getByTestId('usage-panel');
  await root.waitFor({ timeout: 30_000 });
  await iframe.scrollIntoViewIfNeeded();
  let previous = -1;
  await expect
    .poll(
      async () => {
        const busy = (await root.getAttribute('aria-busy')) === 'true';
        const shown = await iframe.evaluate((el) => el.getBoundingClientRect().height);
        const content = await panel.locator('html').evaluate((html) => html.scrollHeight);
        const steady = !busy && Math.abs(shown - content) <= 2 && content === previous;
        previous = content;
        return steady;
      },
      { timeout: 15_000, interval: 250, message: 'the panel loaded, and its iframe as tall as its content twice in a row' },
    )
    .toBe(true);
  return panel;
}
