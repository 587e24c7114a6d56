/**
 * A tripwire over built code for the usual way extension storage creeps into the content script:
 * importing lib/settings.ts or WXT's storage (`@wxt-dev/storage`), or calling
 * `browser.storage.*` / `chrome.storage.*`. Member access survives minification, so it shows as
 * `.storage` or `["storage"]`. webextension-polyfill's table of API shapes (`storage:{local:{…}}`,
 * an object key, not an access) does not count. Not proof against computed names: the
 * isolated-world probe in security.e2e.ts is what shows the content script cannot read storage.
 */
const STORAGE_ACCESS = [/\.storage\b/g, /\[\s*["'`]storage["'`]\s*\]/g, /@wxt-dev\/storage/g, /adminKeys/g];

/** Each storage access found in `code`, with a little context. */
export function extensionStorageUses(code: string): string[] {
  return STORAGE_ACCESS.flatMap((pattern) =>
    [...code.matchAll(pattern)].map((m) => code.slice(Math.max(0, m.index - 30), m.index + m[0].length + 30)),
  );
}
