import { z } from 'zod';
import { onMessage, type ProtocolMap } from './messaging';

/** Schemas of every message payload; the background checks each one on receipt. */

export const addOrgInput = z.object({
  label: z.string().trim().min(1, 'Give the organisation a label').max(120),
  adminKey: z
    .string()
    .trim()
    .regex(/^sk-[A-Za-z0-9_-]{8,}$/, 'That does not look like an OpenAI key (it should start with sk-admin-)'),
});
export const orgIdInput = z.object({ orgId: z.string().min(1) });
export const removeOrgInput = orgIdInput.extend({ deleteHistory: z.boolean() });

const unixSeconds = z.number().int().nonnegative();
export const syncNowInput = z.object({ orgId: z.string().min(1).optional() });
export const keyTableInput = z
  .object({ orgId: z.string().min(1).optional(), from: unixSeconds, to: unixSeconds })
  .refine((r) => r.to > r.from, 'the range must end after it starts');

export const panelInput = z
  .object({ orgId: z.string().min(1).optional(), from: unixSeconds, to: unixSeconds })
  .refine((r) => r.to > r.from, 'the range must end after it starts');

/** What "Top API keys" showed: only that view's labels and request counts, nothing else from the page. */
export const recordSnapshotInput = z.object({
  rangeStart: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  rangeEnd: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  rangeLabel: z.string().max(200),
  rows: z
    .array(
      z.object({
        label: z.string().max(300),
        redacted: z.string().max(80),
        project: z.string().max(300),
        requests: z.number().int().nonnegative(),
      }),
    )
    .max(5000),
});

export const messageInputs = {
  'orgs:list': z.undefined(),
  'orgs:add': addOrgInput,
  'orgs:remove': removeOrgInput,
  'sync:now': syncNowInput,
  'sync:status': z.undefined(),
  'usage:keyTable': keyTableInput,
  'usage:panel': panelInput,
  'history:recordSnapshot': recordSnapshotInput,
  'history:snapshots': z.undefined(),
} as const;

type Input<K extends keyof ProtocolMap> = z.output<(typeof messageInputs)[K]>;

/** Registers a background handler that only ever sees a payload that passed its schema. */
export function handleMessage<K extends keyof ProtocolMap & keyof typeof messageInputs>(
  type: K,
  handler: (input: Input<K>) => ReturnType<ProtocolMap[K]> | Promise<ReturnType<ProtocolMap[K]>>,
) {
  return onMessage(type, ({ data }) => handler(messageInputs[type].parse(data) as Input<K>) as never);
}
