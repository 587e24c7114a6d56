// @vitest-environment node
import { describe, expect, it } from 'vitest';
import config from '../../wxt.config';

/**
 * The permissions Keymeter asks for, exactly. A change here is a change users must be told
 * about (README "Permissions, and why"), so it has to be made on purpose.
 */
describe('manifest', () => {
  const manifestFor = (browser: string) => {
    const m = config.manifest;
    return typeof m === 'function'
      ? (m as (env: { browser: string }) => Record<string, unknown>)({ browser })
      : (m as Record<string, unknown>);
  };

  it.each(['chrome', 'firefox'])('%s: least-privilege permissions and hosts', (browser) => {
    const manifest = manifestFor(browser);
    expect(manifest.permissions).toEqual(['storage', 'alarms', 'notifications']);
    expect(manifest.host_permissions).toEqual(['https://api.openai.com/*']);
    expect(manifest.web_accessible_resources).toEqual([{ resources: ['usage-panel.html'], matches: ['https://platform.openai.com/*'] }]);
    expect(JSON.stringify(manifest)).not.toMatch(/<all_urls>|\*:\/\/\*\/|content_security_policy|externally_connectable/);
  });

  it('needs Chrome 140+, the first that can close storage.local to content scripts', () => {
    expect(manifestFor('chrome').minimum_chrome_version).toBe('140');
    expect(manifestFor('firefox').minimum_chrome_version).toBeUndefined();
  });

  it('gives Firefox an id and declares no data collection', () => {
    expect(manifestFor('firefox').browser_specific_settings).toEqual({
      gecko: { id: 'keymeter@keymeter.dev', data_collection_permissions: { required: ['none'] } },
    });
  });
});
