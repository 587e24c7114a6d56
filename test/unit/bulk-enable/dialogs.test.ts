import { describe, expect, it } from 'vitest';
import { errorToasts, isRateLimitText, openDialogs, readDialog, toastText, trackingConfirmFor } from '@/lib/bulk-enable/dialogs';
import { loadFixture } from '../fixtures';

const LAYOUTS = ['2024', '2026', 'compact'] as const;
const MARKETING = { name: 'marketing-copy', redacted: 'sk-…cpRI', created: 'Nov 30, 2023' };

function onlyDialog() {
  const dialogs = openDialogs(document);
  expect(dialogs).toHaveLength(1);
  return dialogs[0]!;
}

describe.each(LAYOUTS)('dialogs, %s layout', (layout) => {
  it('recognises the enable-tracking confirmation and its one confirm button', () => {
    loadFixture(`api-keys-${layout}-enable-dialog.html`);
    const reading = readDialog(onlyDialog(), MARKETING);
    expect(reading.kind).toBe('tracking-confirm');
    expect(reading.title).toBe('Enable usage tracking?');
    expect(reading.mentions).toEqual(['sk-…cpRI']);
    const verdict = trackingConfirmFor(reading, MARKETING);
    expect('confirm' in verdict && verdict.confirm.textContent).toBe('Enable tracking');
  });

  it('accepts another confirm label ("Turn on tracking"), whichever side the button is on', () => {
    loadFixture(`api-keys-${layout}-enable-dialog.html`);
    const confirm = document.querySelector<HTMLElement>('[role="dialog"] [data-value="confirm"]')!;
    confirm.textContent = 'Turn on tracking';
    const verdict = trackingConfirmFor(readDialog(onlyDialog(), MARKETING), MARKETING);
    expect('confirm' in verdict && verdict.confirm).toBe(confirm);
  });

  it('refuses the confirmation when it names another key', () => {
    loadFixture(`api-keys-${layout}-enable-dialog.html`);
    const other = { name: 'eval-scripts', redacted: 'sk-…B9kk', created: 'Oct 2, 2023' };
    const verdict = trackingConfirmFor(readDialog(onlyDialog(), other), other);
    expect(verdict).toEqual({ reason: 'the confirmation names another key (sk-…cpRI), not sk-…B9kk' });
  });

  it('never takes the revoke dialog for a tracking confirmation', () => {
    loadFixture(`api-keys-${layout}-revoke-dialog.html`);
    const reading = readDialog(onlyDialog());
    expect(reading.kind).toBe('revoke');
    expect(reading.confirm).toBeNull();
    const verdict = trackingConfirmFor(reading, MARKETING);
    expect('reason' in verdict && verdict.reason).toMatch(/^a revoke dialog opened/);
  });

  it('refuses a tracking-looking dialog with a dangerous or a second confirming button', () => {
    loadFixture(`api-keys-${layout}-enable-dialog.html`);
    const actions = document.querySelector('[role="dialog"] [data-value="confirm"]')!.parentElement!;
    const extra = document.createElement('button');
    extra.textContent = 'Delete key';
    actions.append(extra);
    expect(readDialog(onlyDialog(), MARKETING)).toMatchObject({ kind: 'other', problem: 'it also talks about a dangerous action' });
    extra.textContent = 'Enable for all keys';
    expect(readDialog(onlyDialog(), MARKETING)).toMatchObject({ kind: 'other', problem: 'it has 2 buttons that could confirm' });
  });
});

describe('dialog recognition by text', () => {
  const dialog = (title: string, body: string, buttons: string[]) => {
    document.body.innerHTML = `<div role="dialog" aria-modal="true" aria-labelledby="t"><h2 id="t">${title}</h2><p>${body}</p>${buttons.map((b) => `<button>${b}</button>`).join('')}</div>`;
    return readDialog(onlyDialog(), { name: 'delete-me tracking-bot', redacted: 'sk-…abcd', created: '' });
  };

  it.each([
    [
      'Enable usage tracking?',
      'Usage of the key “delete-me tracking-bot” (sk-…abcd) will be tracked.',
      ['Cancel', 'Enable tracking'],
      'tracking-confirm',
    ],
    ['Track usage for this key?', 'Usage will be tracked per API key.', ['Close', 'Track usage'], 'tracking-confirm'],
    ['Delete organization?', 'This cannot be undone.', ['Cancel', 'Delete'], 'other'],
    ['Enable multi-factor authentication', 'Protect your organization.', ['Cancel', 'Enable'], 'other'],
    ['Edit secret key', 'Name Permissions usage tracking', ['Cancel', 'Save'], 'other'],
    ['Disable usage tracking?', 'Usage tracking will stop.', ['Cancel', 'Disable'], 'other'],
    ['Revoke secret key', 'This API key will immediately be disabled.', ['Cancel', 'Revoke key'], 'revoke'],
    ['Enable usage tracking?', 'Usage of the key will be tracked.', ['Cancel'], 'other'],
  ])('“%s” → %s', (title, body, buttons, kind) => {
    expect(dialog(title, body, buttons).kind).toBe(kind);
  });

  it('ignores a hidden dialog', () => {
    document.body.innerHTML = '<div hidden><div role="dialog">Enable usage tracking?</div></div>';
    expect(openDialogs(document)).toEqual([]);
  });
});

describe('toasts', () => {
  it('reads the error text without the Dismiss button, and tells a rate limit apart', () => {
    document.body.innerHTML =
      '<div class="toast__region"><div role="status">Usage tracking enabled for “x”.</div><div role="alert"><span>Failed to enable tracking: upstream timeout</span><button aria-label="Dismiss"><svg></svg></button></div></div>';
    const [alert] = errorToasts(document);
    expect(toastText(alert!)).toBe('Failed to enable tracking: upstream timeout');
    expect(isRateLimitText(toastText(alert!))).toBe(false);
    expect(isRateLimitText("You're doing that too often. Try again in a moment.")).toBe(true);
  });
});
