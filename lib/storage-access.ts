/**
 * Closes the extension's storage.local (admin keys, settings, bulk-enable state) to content
 * scripts. By default Chrome lets a content script read storage.local and hear its onChanged
 * events, so a compromised dashboard renderer could reach the admin key through our content
 * script's isolated world. With `TRUSTED_CONTEXTS` only the extension's own origin (service
 * worker, options/popup/report pages, the usage panel frame) may use it; our content script
 * needs none of it (it asks the background through lib/messaging.ts).
 *
 * `setAccessLevel` on `local` exists from Chrome 140 (before, only on `session`); Firefox has
 * it on no storage area (MDN browser-compat-data, storage.json), so there storage.local stays
 * readable by content scripts and the key is protected by never being asked for or sent: no
 * content-script code reads storage and no message returns the key (see README "Data stored").
 * Called on every service-worker start; the level Chrome keeps is set again, harmlessly.
 */

export type StorageAccess = 'trusted-only' | 'unsupported' | 'failed';

interface AccessLevelArea {
  setAccessLevel?: (options: { accessLevel: 'TRUSTED_CONTEXTS' | 'TRUSTED_AND_UNTRUSTED_CONTEXTS' }) => Promise<void>;
}

/** Restricts `area` (storage.local) to trusted contexts where the browser can; never throws. */
export async function restrictToTrustedContexts(area: object | undefined = browser.storage?.local): Promise<StorageAccess> {
  const setAccessLevel = (area as AccessLevelArea | undefined)?.setAccessLevel;
  if (typeof setAccessLevel !== 'function') return 'unsupported';
  try {
    await setAccessLevel.call(area, { accessLevel: 'TRUSTED_CONTEXTS' });
    return 'trusted-only';
  } catch (error) {
    // Once per worker start (the only caller); the extension works on, as it does where unsupported.
    console.warn('[keymeter] could not close storage.local to content scripts:', error);
    return 'failed';
  }
}
