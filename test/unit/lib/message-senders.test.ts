import { describe, expect, it } from 'vitest';
import { CONTENT_SCRIPT_MESSAGES, mayAsk, messageInputs } from '@/lib/message-inputs';
import type { ProtocolMap } from '@/lib/messaging';

const BASE = 'chrome-extension://abcdefghijklmnop/';
const DASHBOARD = { url: 'https://platform.openai.com/usage', tab: { id: 3 } };

describe('who may ask the background what', () => {
  it("lets Keymeter's own pages (the usage panel framed in the dashboard too) ask anything", () => {
    for (const type of Object.keys(messageInputs) as Array<keyof ProtocolMap>) {
      expect(mayAsk(type, { url: `${BASE}options.html` }, BASE)).toBe(true);
      expect(mayAsk(type, { url: `${BASE}usage-panel.html#x`, tab: { id: 3 } }, BASE)).toBe(true);
    }
  });

  it('lets the dashboard content script ask for figures, record snapshots and keep a bulk-enable run, nothing else', () => {
    const allowed = (Object.keys(messageInputs) as Array<keyof ProtocolMap>).filter((type) => mayAsk(type, DASHBOARD, BASE));
    expect(allowed.sort()).toEqual([...CONTENT_SCRIPT_MESSAGES].sort());
    for (const type of [
      'orgs:add',
      'orgs:remove',
      'history:clear',
      'history:restore',
      'history:backup',
      'export:build',
      'sync:now',
    ] as const)
      expect(mayAsk(type, DASHBOARD, BASE), type).toBe(false);
  });

  it('refuses a sender without a URL, or from another extension', () => {
    expect(mayAsk('history:clear', {}, BASE)).toBe(false);
    expect(mayAsk('history:clear', { url: 'chrome-extension://otherextensionid/options.html' }, BASE)).toBe(false);
  });
});
