import { defineExtensionMessaging } from '@webext-core/messaging';
import { z } from 'zod';
import type { ApiErrorInfo } from './openai/errors';
import type { Org } from './settings';

/**
 * The one message protocol between views (content script, options, popup, report) and the
 * background. Names are namespaced by area. Every payload is validated on receipt with the
 * schema of the same name below.
 */

export const addOrgInput = z.object({
  label: z.string().trim().min(1, 'Give the organisation a label').max(120),
  adminKey: z
    .string()
    .trim()
    .regex(/^sk-[A-Za-z0-9_-]{8,}$/, 'That does not look like an OpenAI key (it should start with sk-admin-)'),
});
export const orgIdInput = z.object({ orgId: z.string().min(1) });
export const removeOrgInput = orgIdInput.extend({ deleteHistory: z.boolean() });

export const messageInputs = {
  'orgs:list': z.undefined(),
  'orgs:add': addOrgInput,
  'orgs:remove': removeOrgInput,
} as const;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorInfo };

export interface ProtocolMap {
  'orgs:list'(): Org[];
  'orgs:add'(input: z.input<typeof addOrgInput>): Result<Org>;
  'orgs:remove'(input: z.input<typeof removeOrgInput>): void;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();

type Input<K extends keyof ProtocolMap> = z.output<(typeof messageInputs)[K]>;

/** Registers a background handler that only ever sees a payload that passed its schema. */
export function handleMessage<K extends keyof ProtocolMap & keyof typeof messageInputs>(
  type: K,
  handler: (input: Input<K>) => ReturnType<ProtocolMap[K]> | Promise<ReturnType<ProtocolMap[K]>>,
) {
  return onMessage(type, ({ data }) => handler(messageInputs[type].parse(data) as Input<K>) as never);
}
