// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { foreignHosts, isAllowedUrl } from '../e2e/fixtures';

// The e2e host check must be able to fail: these prove it flags strangers.
describe('e2e host guard', () => {
  const at = 0;
  it('flags any host but the two OpenAI hosts over HTTPS, and plain HTTP to them', () => {
    expect(
      foreignHosts([
        { host: 'platform.openai.com', scheme: 'https', at, path: '/usage' },
        { host: 'api.openai.com', scheme: 'https', at, path: '/v1/organization/costs' },
        { host: 'evil.example', scheme: 'https', at, path: '/collect' },
        { host: 'api.openai.com', scheme: 'http', at, path: '/v1/organization/costs' },
        { host: 'accounts.google.com', scheme: 'https', at, path: '/ListAccounts' },
        { host: 'accounts.google.com', scheme: 'https', at, path: '/o/oauth2/auth' },
      ]),
    ).toEqual(['https://evil.example/collect', 'http://api.openai.com/v1/organization/costs', 'https://accounts.google.com/o/oauth2/auth']);
  });

  it.each([
    ['https://platform.openai.com/usage', true],
    ['chrome-extension://abc/options.html', true],
    ['chrome-extension://other/options.html', false],
    ['https://cdn.example.com/x.js', false],
    ['http://platform.openai.com/', false],
    ['data:text/plain,hi', true],
    ['chrome://extensions/', true],
  ])('isAllowedUrl(%s) = %s', (url, allowed) => {
    expect(isAllowedUrl(url, 'abc')).toBe(allowed);
  });
});
