import { afterAll, beforeAll, expect, inject } from 'vitest';
import { ALLOWED_HOSTS, type HostContact } from '../sim/server';
import { type KeymeterBrowser, launchWithExtension } from './browser';
import { type SimControl, simControl } from './sim-control';

/**
 * A contacted URL is fine only if it is one of the two OpenAI hosts, our extension, or a local scheme
 * (chrome: is the browser's own pages, e.g. chrome://extensions, served from inside Chromium).
 */
export function isAllowedUrl(url: string, extensionId: string): boolean {
  const parsed = new URL(url);
  if (['data:', 'blob:', 'about:', 'chrome:'].includes(parsed.protocol)) return true;
  if (parsed.protocol === 'chrome-extension:') return parsed.host === extensionId;
  return parsed.protocol === 'https:' && ALLOWED_HOSTS.includes(parsed.hostname);
}

/**
 * Chromium 156's own background calls that no launch flag turns off here (Gaia account check,
 * on-demand component update). They reach only the simulator, which answers 421; they are
 * Chromium's, not Keymeter's, and are the only exceptions: any other host fails the run.
 */
export const CHROMIUM_OWN_CALLS = [
  'https://accounts.google.com/ListAccounts',
  'https://update.googleapis.com/service/update2/json',
  'http://update.googleapis.com/service/update2/json', // the updater's plain-HTTP retry
];

export function foreignHosts(contacts: HostContact[]): string[] {
  const foreign = contacts
    .filter((c) => !(c.scheme === 'https' && ALLOWED_HOSTS.includes(c.host)))
    .map((c) => `${c.scheme}://${c.host}${c.path}`)
    .filter((url) => !CHROMIUM_OWN_CALLS.includes(url));
  return [...new Set(foreign)];
}

/**
 * Fails the test file if a browser it watches contacted any host but the two OpenAI hosts and the
 * extension (seen both by the simulator, which every host name resolves to, and by Playwright), or
 * if an admin key was sent anywhere but the Authorization header to api.openai.com. Watch every
 * browser the file launches; call check() after closing them.
 */
export function hostGuard(sim: SimControl) {
  const strangers: string[] = [];
  return {
    watch(browser: KeymeterBrowser) {
      const { extensionId } = browser;
      browser.context.on('request', (request) => {
        if (!isAllowedUrl(request.url(), extensionId)) strangers.push(request.url());
      });
    },
    async check() {
      const { hosts, leaks } = await sim.state();
      expect(foreignHosts(hosts), 'hosts contacted besides platform.openai.com and api.openai.com').toEqual([]);
      expect(leaks, 'admin keys sent anywhere but the Authorization header to api.openai.com').toEqual([]);
      expect(strangers, 'requests outside the allowed hosts').toEqual([]);
    },
  };
}

/** Per test file: a fresh simulator state and a fresh Chromium profile with Keymeter loaded, under the host guard. */
export function useKeymeter() {
  const sim = simControl(inject('controlPort'));
  const simPort = inject('simPort');
  const guard = hostGuard(sim);
  let launched: KeymeterBrowser | undefined;

  beforeAll(async () => {
    await sim.reset();
    launched = await launchWithExtension(simPort);
    guard.watch(launched);
  });

  afterAll(async () => {
    await launched?.close();
    await guard.check();
  });

  return {
    sim,
    simPort,
    get browser(): KeymeterBrowser {
      if (!launched) throw new Error('browser not launched yet');
      return launched;
    },
  };
}
