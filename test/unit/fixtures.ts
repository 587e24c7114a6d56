import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Loads a saved simulator page into the test document (scripts were stripped when it was saved). */
export function loadFixture(name: string): Document {
  // Stylesheet links would make the test DOM fetch from the simulator: no network in unit tests.
  const html = readFileSync(resolve(import.meta.dirname, '../fixtures/html', name), 'utf8').replace(/<link\b[^>]*>/g, '');
  document.documentElement.innerHTML = new DOMParser().parseFromString(html, 'text/html').documentElement.innerHTML;
  return document;
}
