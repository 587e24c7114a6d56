import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page, type Worker } from 'playwright-core';

export const EXTENSION_DIR = resolve(import.meta.dirname, '../../.output/chrome-mv3');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const PLAYWRIGHT_DISABLED_FEATURES = [
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
];
const QUIET_FEATURES = [
  'Translate',
  'AutofillServerCommunication',
  'CertificateTransparencyComponentUpdater',
  'OptimizationGuideModelDownloading',
  'OptimizationGuideOnDeviceModel',
  'OptimizationHintsFetching',
];

/** Flags that keep Chromium from calling out on its own; every host maps to the simulator. */
export function chromiumArgs(simPort: number, extensionDir: string | null): string[] {
  return [
    ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-domain-reliability',
    '--disable-client-side-phishing-detection',
    '--metrics-recording-only',
    // Chromium's own calls home. The list replaces Playwright's (the last --disable-features wins), so it repeats Playwright's entries.
    `--disable-features=${[...PLAYWRIGHT_DISABLED_FEATURES, ...QUIET_FEATURES].join(',')}`,
    `--host-resolver-rules=MAP * 127.0.0.1:${simPort}, EXCLUDE localhost, EXCLUDE 127.0.0.1`,
    '--ignore-certificate-errors',
  ];
}

export interface KeymeterBrowser {
  context: BrowserContext;
  extensionId: string;
  serviceWorker: Worker;
  /** Opens one of the extension's pages, e.g. 'options.html'. */
  openExtensionPage(path: string): Promise<Page>;
  close(): Promise<void>;
}

export interface LaunchOptions {
  headless?: boolean;
  /** The unpacked extension to load; default the current build. Its path fixes the extension id. */
  extensionDir?: string;
  /**
   * A profile to launch with (and keep): the same profile and extension path give the same
   * extension id and storage on the next launch. Default: a fresh profile, deleted on close.
   */
  userDataDir?: string;
}

export async function launchWithExtension(simPort: number, options: LaunchOptions = {}): Promise<KeymeterBrowser> {
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'keymeter-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    ignoreDefaultArgs: ['--disable-extensions'],
    args: chromiumArgs(simPort, options.extensionDir ?? EXTENSION_DIR),
    viewport: { width: 1360, height: 900 },
    acceptDownloads: true,
  });
  let [serviceWorker] = context.serviceWorkers();
  serviceWorker ??= await context.waitForEvent('serviceworker', { timeout: 20_000 });
  const extensionId = new URL(serviceWorker.url()).host;
  return {
    context,
    extensionId,
    serviceWorker,
    async openExtensionPage(path) {
      const page = await context.newPage();
      await page.goto(`chrome-extension://${extensionId}/${path}`);
      return page;
    },
    async close() {
      await context.close();
      if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
