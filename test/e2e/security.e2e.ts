import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { EXTENSION_DIR } from './browser';
import { extensionStorageUses } from './bundle-scan';
import { useKeymeter } from './fixtures';
import { connectOrg, evaluateInContentScript, waitForSync } from './helpers';

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

describe("security: storage.local is out of the content script's reach", () => {
  const k = useKeymeter();

  it('a content script can neither read storage.local nor see the admin key being saved', async () => {
    const { extensionId } = k.browser;
    const page = await k.browser.context.newPage();
    await page.goto('https://platform.openai.com/usage?layout=2024');
    await page.waitForFunction(() => document.documentElement.dataset.keymeterRoute === '/usage');
    // What a compromised renderer could do in our isolated world: listen for storage changes, then read it all.
    const listening = await evaluateInContentScript<string>(
      page,
      extensionId,
      `(() => {
        globalThis.__keymeterProbe = [];
        chrome.storage.onChanged.addListener((changes, area) => globalThis.__keymeterProbe.push(area + ' ' + JSON.stringify(changes)));
        return chrome.runtime.id;
      })()`,
    );
    expect(listening, 'evaluated in our own content script').toBe(extensionId);

    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 7 });
    const stored = await k.browser.serviceWorker.evaluate(async () => {
      const local = (globalThis as unknown as { chrome: { storage: { local: { get(k: null): Promise<object> } } } }).chrome.storage.local;
      return JSON.stringify(await local.get(null));
    });
    expect(stored.includes(E2E_ADMIN_KEY), 'the background holds the key (else this test proves nothing)').toBe(true);

    const probe = await evaluateInContentScript<{ read?: string; error?: string; seen: string[] }>(
      page,
      extensionId,
      `chrome.storage.local.get(null).then(
        (all) => ({ read: JSON.stringify(all), seen: globalThis.__keymeterProbe }),
        (error) => ({ error: String(error && error.message), seen: globalThis.__keymeterProbe }),
      )`,
    );
    expect(probe.read, 'storage.local as the content script sees it').toBeUndefined();
    expect(probe.error).toMatch(/Access to storage is not allowed from this context/);
    expect(probe.seen.join('\n').includes(E2E_ADMIN_KEY.slice(0, 20)), 'storage.onChanged in the content script').toBe(false);
    await options.close();
    await page.close();
  });

  it('a content script cannot remove organisations, clear history or export: those answer extension pages only', async () => {
    const page = await k.browser.context.newPage();
    await page.goto('https://platform.openai.com/usage?layout=2024');
    await page.waitForFunction(() => document.documentElement.dataset.keymeterRoute === '/usage');
    // The raw @webext-core/messaging envelope, as a compromised renderer could send it from our world.
    const ask = (type: string, data?: unknown) =>
      evaluateInContentScript<{ res?: unknown; err?: { message: string } }>(
        page,
        k.browser.extensionId,
        `chrome.runtime.sendMessage({ id: 1, type: ${JSON.stringify(type)}, data: ${JSON.stringify(data)}, timestamp: Date.now() })`,
      );
    const rowsBefore = ((await ask('usage:keyTable', { from: 0, to: 4_000_000_000 })).res as { rows: unknown[] }).rows.length;
    expect(rowsBefore, 'history to lose').toBeGreaterThan(0);
    const orgs = (await ask('orgs:list')).res as Array<{ id: string }>;
    expect(orgs.length).toBeGreaterThan(0);

    for (const [type, data] of [
      ['history:clear', undefined],
      ['orgs:remove', { orgId: orgs[0]!.id, deleteHistory: true }],
      ['history:backup', undefined],
      ['export:build', { from: 0, to: 86_400 * 30, grouping: 'key', format: 'json' }],
    ] as const) {
      const answer = await ask(type, data);
      expect(answer.res, type).toBeUndefined();
      expect(answer.err?.message, type).toBe(`"${type}" is answered to Keymeter's own pages only`);
    }
    const after = await ask('usage:keyTable', { from: 0, to: 4_000_000_000 });
    expect((after.res as { rows: unknown[]; orgs: unknown[] }).rows).toHaveLength(rowsBefore);
    expect((await ask('orgs:list')).res).toEqual(orgs);
    await page.close();
  });
});

// Runs after `wxt build` (npm run test:e2e), so it reads this build, never a stale one.
describe('security: the built content script has no extension storage in it', () => {
  const manifest = JSON.parse(readFileSync(join(EXTENSION_DIR, 'manifest.json'), 'utf8')) as {
    content_scripts: Array<{ js?: string[] }>;
    background: { service_worker: string };
  };
  const scripts = manifest.content_scripts.flatMap((c) => c.js ?? []);

  it.each(scripts)('%s touches no storage area and names no admin key', (file) => {
    expect(extensionStorageUses(readFileSync(join(EXTENSION_DIR, file), 'utf8'))).toEqual([]);
  });

  it('while the background does (the scan sees storage where it is)', () => {
    expect(scripts).toContain('content-scripts/dashboard.js');
    expect(extensionStorageUses(readFileSync(join(EXTENSION_DIR, manifest.background.service_worker), 'utf8')).length).toBeGreaterThan(0);
  });
});
