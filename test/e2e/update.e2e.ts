import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SCHEMA_VERSIONS } from '../../lib/history/db';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { EXTENSION_DIR, type KeymeterBrowser, launchWithExtension } from './browser';
import {
  type DbDump,
  dumpDb,
  liveWorker,
  missingOrChangedRows,
  naturalKeys,
  perKeyTotals,
  perKeyTotalsFromRollup,
  rollupFieldsOf,
  rowCounts,
} from './extension-db';
import { hostGuard } from './fixtures';
import { connectOrg, waitForSync } from './options-page';
import { simControl } from './sim-control';

/** The release users have now (see test/fixtures/releases/README.md); refreshed after each release. */
const PREVIOUS_RELEASE = resolve(import.meta.dirname, '../fixtures/releases/keymeter-0.1.0-chrome.zip');
const CURRENT_VERSION: string = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package.json'), 'utf8')).version;

/** The schema the current build declares: its last version, and the stores left after every version's changes. */
const LATEST_SCHEMA = SCHEMA_VERSIONS.at(-1)!.version;
const LATEST_STORES = [
  ...SCHEMA_VERSIONS.reduce((stores, { stores: changes }) => {
    for (const [name, spec] of Object.entries(changes)) spec === null ? stores.delete(name) : stores.add(name);
    return stores;
  }, new Set<string>()),
].sort();

const DAY = 86_400;

/** The bits of the extension API the test reads in the service worker. */
interface ExtensionGlobals {
  chrome: {
    runtime: { getManifest(): { version: string } };
    storage: { local: { get(keys: string[]): Promise<Record<string, unknown>> } };
  };
}

function unzipTo(zip: string, dir: string) {
  for (const [name, bytes] of Object.entries(unzipSync(readFileSync(zip)))) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
}

/** What the extension's storage.local holds about organisations, without reading the admin keys out. */
async function storedOrgs(browser: KeymeterBrowser) {
  const worker = await liveWorker(browser);
  return worker.evaluate(async () => {
    const { chrome } = globalThis as unknown as ExtensionGlobals;
    const { orgs = [], adminKeys = {} } = (await chrome.storage.local.get(['orgs', 'adminKeys'])) as {
      orgs?: Array<{ id: string; label: string; keyHint: string }>;
      adminKeys?: Record<string, string>;
    };
    return {
      orgs: orgs.map(({ id, label, keyHint }) => ({ id, label, keyHint })),
      keyHints: Object.fromEntries(Object.entries(adminKeys).map(([orgId, key]) => [orgId, key.slice(-4)])),
    };
  });
}

const manifestVersion = async (browser: KeymeterBrowser) =>
  (await liveWorker(browser)).evaluate(() => (globalThis as unknown as ExtensionGlobals).chrome.runtime.getManifest().version);

/**
 * Applies the update the way Chrome does for an unpacked extension: on chrome://extensions, turn on
 * Developer mode and press Reload on Keymeter. Chrome reads the files again, sees the new version,
 * and replaces the background service worker with the new one (as it does for a store update).
 *
 * Restarting the browser is not enough: Chromium 156 then loads the new manifest but keeps running
 * the service worker it registered for the old version (Preferences' service_worker_registration_info
 * stays at the old version), so the old background code would be the one opening the database.
 */
async function updateOnExtensionsPage(browser: KeymeterBrowser, version: string) {
  const page = await browser.context.newPage();
  await page.goto('chrome://extensions');
  const developerMode = page.getByLabel('Developer mode');
  if ((await developerMode.getAttribute('aria-pressed')) !== 'true') await developerMode.click();
  const item = page.locator(`extensions-item#${browser.extensionId}`);
  await item.getByRole('button', { name: 'Reload' }).click();
  await expect.poll(async () => (await item.locator('#version').textContent())?.trim(), { timeout: 20_000 }).toBe(version);
  await page.close();
  // The new worker answers (the old one is gone with the reload).
  await expect.poll(() => manifestVersion(browser).catch(String), { timeout: 20_000 }).toBe(version);
}

/** Chrome's own record (in the closed profile) of which version's service worker it registered for the extension. */
function registeredWorkerVersion(profileDir: string, extensionId: string): string | undefined {
  const prefs = JSON.parse(readFileSync(join(profileDir, 'Default', 'Preferences'), 'utf8'));
  return prefs.extensions?.settings?.[extensionId]?.service_worker_registration_info?.version;
}

/** The options page's "Rows per table", as a person reads it. */
async function rowsShownInOptions(browser: KeymeterBrowser): Promise<Record<string, number>> {
  const options = await browser.openExtensionPage('options.html');
  await options.getByTestId('storage-used').waitFor({ timeout: 30_000 });
  const shown = await options
    .locator('tr[data-table]')
    .evaluateAll((rows) =>
      rows.map((row) => [row.getAttribute('data-table') ?? '', Number((row.querySelector('td')?.textContent ?? '').replace(/\D/g, ''))]),
    );
  await options.close();
  return Object.fromEntries(shown);
}

describe('an extension update with a new database version keeps all history', () => {
  const sim = simControl(inject('controlPort'));
  const simPort = inject('simPort');
  const guard = hostGuard(sim);
  const root = mkdtempSync(join(tmpdir(), 'keymeter-update-'));
  /** The unpacked extension's directory: its path fixes the extension id, so it stays the same across the update. */
  const extensionDir = join(root, 'extension');
  const profileDir = join(root, 'profile');
  let browser: KeymeterBrowser | undefined;

  async function launch() {
    browser = await launchWithExtension(simPort, { extensionDir, userDataDir: profileDir });
    guard.watch(browser);
    return browser;
  }
  async function close() {
    await browser?.close();
    browser = undefined;
  }

  beforeAll(() => sim.reset());
  afterAll(async () => {
    await close();
    rmSync(root, { recursive: true, force: true });
    await guard.check();
  });

  it('install the previous release and sync; update to this build in the same profile; every row is still there', {
    timeout: 300_000,
  }, async () => {
    // Version N: the released zip, unpacked where Chromium loads it from; a person connects and syncs.
    rmSync(root, { recursive: true, force: true });
    unzipTo(PREVIOUS_RELEASE, extensionDir);
    const previousVersion: string = JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')).version;
    expect(previousVersion, 'the fixture is an earlier release than this build').not.toBe(CURRENT_VERSION);

    let k = await launch();
    const extensionId = k.extensionId;
    expect(await manifestVersion(k)).toBe(previousVersion);
    const options = await connectOrg(k, E2E_ADMIN_KEY, { backfillDays: 30 });
    await waitForSync(options);
    await options.close();
    const orgsBefore = await storedOrgs(k);
    expect(orgsBefore.orgs).toEqual([expect.objectContaining({ label: 'Acme (e2e)', keyHint: E2E_ADMIN_KEY.slice(-4) })]);
    expect(orgsBefore.keyHints).toEqual({ [orgsBefore.orgs[0]!.id]: E2E_ADMIN_KEY.slice(-4) });
    const before = (await dumpDb(k))!;
    const completeDays = Math.floor(Date.now() / 1000 / DAY) * DAY; // today's rows grow while the day runs
    expect(before.stores.usage?.length, 'usage rows written by the previous release').toBeGreaterThan(100);
    expect(before.stores.costs?.length).toBeGreaterThan(10);
    expect(before.stores.keys?.length).toBeGreaterThan(10);
    expect(await rowsShownInOptions(k)).toEqual(rowCounts(before));
    await close();

    // Later, in the same profile, version N+1 (this build) arrives in the same place and is loaded.
    const apiCallsBefore = (await sim.state()).api.length;
    k = await launch();
    expect(k.extensionId, 'same path, same extension id').toBe(extensionId);
    rmSync(extensionDir, { recursive: true, force: true });
    cpSync(EXTENSION_DIR, extensionDir, { recursive: true });
    await updateOnExtensionsPage(k, CURRENT_VERSION);

    // The organisation and its admin key are still set, and the options page says so (key …last four).
    expect(await storedOrgs(k)).toEqual(orgsBefore);
    const settings = await k.openExtensionPage('options.html');
    const org = settings.getByRole('list', { name: 'Connected organisations' }).getByRole('listitem');
    await expect.poll(() => org.textContent(), { timeout: 30_000 }).toContain(`Acme (e2e) · key …${E2E_ADMIN_KEY.slice(-4)}`);
    await expect.poll(() => org.getByTestId('sync-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('synced');
    await settings.close();

    // Showing the rows per table made the new background open the database: Dexie has upgraded it.
    const shown = await rowsShownInOptions(k);
    const after = (await dumpDb(k))!;
    // Nothing was fetched again (which would refill lost rows): every row there is one the previous version stored.
    expect((await sim.state()).api.length, 'API requests since version N was closed').toBe(apiCallsBefore);
    expect(after.nativeVersion / 10, 'database version after the update').toBe(LATEST_SCHEMA);
    expect(Object.keys(after.stores).sort(), 'stores after the update').toEqual(LATEST_STORES);
    expect(Object.keys(shown).sort(), 'tables the new background knows').toEqual(LATEST_STORES);
    expect(shown, "the options page's rows per table").toEqual(rowCounts(after));
    for (const [store, rows] of Object.entries(rowCounts(before))) expect(after.stores[store]?.length, `rows in ${store}`).toBe(rows);
    expect(missingOrChangedRows(before, after)).toEqual({ count: 0, examples: [] });
    expect(perKeyTotals(after)).toEqual(perKeyTotals(before));
    // The upgrade built the per-day totals the columns read, from the rows version N stored.
    if (LATEST_STORES.includes('dayTotals')) {
      expect(after.stores.dayTotals?.length, 'per-day totals built by the upgrade').toBeGreaterThan(0);
      expect(perKeyTotalsFromRollup(after)).toEqual(rollupFieldsOf(perKeyTotals(before)));
    }
    await close();
    expect(registeredWorkerVersion(profileDir, extensionId), 'the service worker Chrome registered').toBe(CURRENT_VERSION);

    // After a restart on the new version: still all there, and a fresh sync with the kept admin key doubles nothing.
    k = await launch();
    expect(await manifestVersion(k)).toBe(CURRENT_VERSION);
    const restarted = (await dumpDb(k))!;
    expect(restarted.nativeVersion / 10).toBe(LATEST_SCHEMA);
    expect(missingOrChangedRows(before, restarted)).toEqual({ count: 0, examples: [] });

    const report = await k.openExtensionPage('report.html');
    const state = report.getByTestId('report-sync-state');
    const lastSuccess = restarted.stores.syncState?.[0]?.[1].lastSuccessAt as number;
    await expect.poll(async () => Number(await state.getAttribute('data-last-success')), { timeout: 30_000 }).toBe(lastSuccess);
    await report.getByRole('button', { name: 'Sync now' }).click();
    await expect.poll(async () => Number(await state.getAttribute('data-last-success')), { timeout: 60_000 }).toBeGreaterThan(lastSuccess);
    expect(await report.getByRole('alert').allTextContents()).toEqual([]);
    await report.close();
    const calls = (await sim.state()).api.slice(apiCallsBefore);
    expect(calls.length, 'the new version called the API').toBeGreaterThan(0);
    expect(calls.every((c) => c.auth === 'admin' && c.keyHint === E2E_ADMIN_KEY.slice(-4) && c.status === 200)).toBe(true);

    const synced = (await dumpDb(k))!;
    const natural = naturalKeys(synced);
    expect(new Set(natural.usage).size, 'usage rows with the same natural key').toBe(natural.usage.length);
    expect(new Set(natural.costs).size, 'cost rows with the same natural key').toBe(natural.costs.length);
    const ids = (dump: DbDump, store: string) => new Set((dump.stores[store] ?? []).map(([key]) => JSON.stringify(key)));
    for (const store of ['usage', 'costs', 'keys', 'projects']) {
      const now = ids(synced, store);
      expect(
        [...ids(before, store)].filter((id) => !now.has(id)),
        `${store} rows gone after the sync`,
      ).toEqual([]);
    }
    // Complete days are final: the sync refetched the last ones and wrote the very same rows again.
    expect(perKeyTotals(synced, completeDays)).toEqual(perKeyTotals(before, completeDays));
  });
});
