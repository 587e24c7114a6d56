import { normaliseText } from '../openai/data-table';
import {
  alertToast,
  CANCEL_LABEL,
  clickable,
  DANGER_WORDS,
  DIALOG_ENABLE_WORDS,
  DIALOG_TRACKING_TEXT,
  heading,
  modalDialog,
  RATE_LIMIT_TEXT,
  REDACTED_KEY,
} from '../openai/selectors';
import { accessibleName, isDisabled, isVisible, type KeyRef, spacedText } from './rows';

/**
 * Recognising the dashboard's dialogs and toasts by their text. The one dialog Keymeter ever
 * answers is the enable-tracking confirmation: it must talk about usage tracking and enabling,
 * say nothing about revoking, deleting, disabling…, name no other key, and offer exactly one
 * button that is neither a dismiss button nor a dangerous one. Anything else is "unknown" and
 * stops the run (the dialog is left open for the person to read).
 */

export type DialogKind = 'tracking-confirm' | 'revoke' | 'other';

export interface DialogReading {
  element: Element;
  kind: DialogKind;
  title: string;
  text: string;
  /** The one confirming button (tracking-confirm only). */
  confirm: HTMLElement | null;
  /** Redacted keys the dialog mentions. */
  mentions: string[];
  /** Why a dialog that talks about tracking was still not accepted. */
  problem: string | null;
}

export function openDialogs(root: ParentNode = document): Element[] {
  return [...root.querySelectorAll(modalDialog)].filter(isVisible);
}

function dialogTitle(dialog: Element): string {
  const labelledBy = dialog.getAttribute('aria-labelledby');
  const doc = dialog.ownerDocument;
  const byId = labelledBy
    ?.split(/\s+/)
    .map((id) => doc.getElementById(id))
    .filter((e): e is HTMLElement => e !== null);
  if (byId && byId.length > 0) return normaliseText(byId.map((e) => spacedText(e)).join(' '));
  const label = dialog.getAttribute('aria-label');
  if (label) return normaliseText(label);
  const head = dialog.querySelector(heading);
  return head ? spacedText(head) : '';
}

const REDACTED_ALL = new RegExp(REDACTED_KEY.source, 'g');

/**
 * Reads a dialog. With `key`, that key's name is left out of the word checks: a key called
 * "delete-me" must not make its own confirmation look dangerous (nor "tracking-bot" make any
 * dialog look like one about tracking).
 */
export function readDialog(dialog: Element, key?: KeyRef): DialogReading {
  const title = dialogTitle(dialog);
  const text = spacedText(dialog);
  const withoutName = (s: string) => (key?.name ? s.split(key.name).join(' ') : s);
  const mentions = [...text.matchAll(REDACTED_ALL)].map((m) => m[0]);
  const buttons = [...dialog.querySelectorAll<HTMLElement>(clickable)].filter((b) => isVisible(b));
  const reading: DialogReading = { element: dialog, kind: 'other', title, text, confirm: null, mentions, problem: null };
  if (/\brevoke\b/i.test(withoutName(title))) return { ...reading, kind: 'revoke' };
  const about = withoutName(`${title} ${text}`);
  if (!DIALOG_TRACKING_TEXT.test(about) || !DIALOG_ENABLE_WORDS.test(about)) return reading;
  if (DANGER_WORDS.test(about)) return { ...reading, problem: 'it also talks about a dangerous action' };
  const actions = buttons.filter(
    (b) => !CANCEL_LABEL.test(accessibleName(b)) && !/\b(?:close|dismiss)\b/i.test(b.getAttribute('aria-label') ?? ''),
  );
  if (actions.some((b) => DANGER_WORDS.test(accessibleName(b)))) return { ...reading, problem: 'one of its buttons is a dangerous action' };
  if (actions.length !== 1) return { ...reading, problem: `it has ${actions.length} buttons that could confirm` };
  const confirm = actions[0]!;
  if (isDisabled(confirm)) return { ...reading, problem: 'its confirm button is disabled' };
  return { ...reading, kind: 'tracking-confirm', confirm };
}

/** The confirmation of enabling tracking for this key, or the reason it is not. */
export function trackingConfirmFor(reading: DialogReading, key: KeyRef): { confirm: HTMLElement } | { reason: string } {
  const what = reading.title ? `“${reading.title}”` : 'without a title';
  if (reading.kind === 'revoke') return { reason: `a revoke dialog opened (${what})` };
  if (reading.kind !== 'tracking-confirm' || !reading.confirm)
    return { reason: `a dialog Keymeter does not recognise opened (${what}${reading.problem ? `: ${reading.problem}` : ''})` };
  const others = reading.mentions.filter((m) => m !== key.redacted);
  if (others.length > 0) return { reason: `the confirmation names another key (${others[0]}), not ${key.redacted}` };
  return { confirm: reading.confirm };
}

/** Error toasts on the page (role=alert). */
export function errorToasts(root: ParentNode = document): Element[] {
  return [...root.querySelectorAll(alertToast)];
}

/** A toast's message without its buttons' text ("Dismiss"). */
export function toastText(toast: Element): string {
  const copy = toast.cloneNode(true) as Element;
  for (const button of copy.querySelectorAll(clickable)) button.remove();
  return spacedText(copy);
}

export function isRateLimitText(text: string): boolean {
  return RATE_LIMIT_TEXT.test(text);
}
