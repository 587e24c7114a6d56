import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

/** Loads a saved simulator page into the test document (scripts were stripped when it was saved). */
export function loadFixture(name: string): Document {
  // Stylesheet links would make the test DOM fetch from the simulator: no network in unit tests.
  const html = readFileSync(resolve(import.meta.dirname, '../fixtures/html', name), 'utf8').replace(/<link\b[^>]*>/g, '');
  document.documentElement.innerHTML = new DOMParser().parseFromString(html, 'text/html').documentElement.innerHTML;
  return document;
}

/**
 * Makes the fake browser's runtime.sendMessage come from `url` (it sends no sender at all), as
 * Chrome does: an extension page's own URL, or the dashboard page a content script runs in.
 */
export function sendMessagesFrom(url: string): void {
  vi.spyOn(fakeBrowser.runtime, 'sendMessage').mockImplementation(async (message: unknown) => {
    const answers = await fakeBrowser.runtime.onMessage.trigger(message, { url });
    return answers.find((answer) => !!answer);
  });
}
/** An extension page of the fake browser (the report page). */
export const extensionPageUrl = () => fakeBrowser.runtime.getURL('/report.html');
