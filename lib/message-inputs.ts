import { z } from 'zod';
import { budgetSchema } from './budgets/budgets';
import { bulkEnableSettingsSchema, runStateSchema } from './bulk-enable/storage';
import { EXPORT_FORMATS, EXPORT_GROUPINGS } from './export/types';
import { onMessage, type ProtocolMap } from './messaging';
import { tagListSchema } from './tags/tags';

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

/** A finance export: range in unix seconds (widened to whole UTC days), grouping, format. */
export const exportBuildInput = z
  .object({
    orgId: z.string().min(1).optional(),
    from: unixSeconds,
    to: unixSeconds,
    grouping: z.enum(EXPORT_GROUPINGS),
    format: z.enum(EXPORT_FORMATS),
    bom: z.boolean().optional(),
    /** apiKeyId → cost-center tags; when absent, the tags stored on the report page are used. */
    tagsByKey: z.record(z.string().max(200), z.array(z.string().trim().min(1).max(100)).max(20)).optional(),
  })
  .refine((r) => r.to > r.from, 'the range must end after it starts')
  .refine((r) => r.to - r.from <= 3 * 366 * 86_400, 'the range can span at most three years');

/** A bulk-enable run for the audit log: key names and redacted values only, as the page showed them. */
export const bulkAuditInput = z.object({
  runId: z.string().min(1).max(100),
  startedAt: z.number().int().nonnegative(),
  updatedAt: z.number().int().nonnegative(),
  finishedAt: z.number().int().nonnegative().nullable(),
  status: z.enum(['running', 'interrupted', 'done', 'cancelled', 'stopped']),
  reason: z.string().max(2000).nullable(),
  pagination: z.enum(['single', 'walked', 'visible-only']),
  pageCount: z.number().int().min(1).max(10_000),
  pacingMs: z.number().int().min(0).max(60_000),
  items: z
    .array(
      z.object({
        name: z.string().max(1000),
        redacted: z.string().max(80),
        created: z.string().max(80),
        status: z.enum(['pending', 'enabled', 'already', 'failed', 'skipped']),
        attempts: z.number().int().min(0).max(100),
        error: z.string().max(1000).nullable(),
        skipReason: z.enum(['unticked', 'cancelled', 'stopped']).nullable(),
      }),
    )
    .max(10_000),
});

/** Bulk-enable settings to change (the content script sets the pacing chosen in the preview). */
export const bulkSaveSettingsInput = bulkEnableSettingsSchema.partial();
/** The bulk-enable run to keep for a reload: the same shape as stored (lib/bulk-enable/storage.ts). */
export const bulkSaveRunInput = runStateSchema;

/** Report page: a range of one organisation, or all of them combined. */
export const reportOverviewInput = z
  .object({ orgId: z.string().min(1).optional(), from: unixSeconds, to: unixSeconds })
  .refine((r) => r.to > r.from, 'the range must end after it starts')
  .refine((r) => r.to - r.from <= 3 * 366 * 86_400, 'the range can span at most three years');
export const keyHistoryInput = z
  .object({ orgId: z.string().min(1), apiKeyId: z.string().max(200), from: unixSeconds, to: unixSeconds })
  .refine((r) => r.to > r.from, 'the range must end after it starts')
  .refine((r) => r.to - r.from <= 3 * 366 * 86_400, 'the range can span at most three years');
export const reportMonthInput = z.object({ orgId: z.string().min(1).optional() });

const keyRefInput = z.object({ orgId: z.string().min(1).max(200), apiKeyId: z.string().min(1).max(200) });
export const tagsAssignInput = z.object({
  keys: z.array(keyRefInput).min(1, 'select at least one key').max(10_000),
  tags: tagListSchema.min(1, 'give at least one tag'),
  mode: z.enum(['add', 'remove', 'replace']),
});
export const tagsImportInput = z.object({ csv: z.string().max(5_000_000, 'the file is larger than 5 MB') });
export const tagsCsvInput = z.object({ orgId: z.string().min(1).optional() });

export const budgetSaveInput = budgetSchema.extend({
  id: z.string().min(1).max(100).optional(),
  createdAt: z.number().int().nonnegative().optional(),
});
export const budgetRemoveInput = z.object({ id: z.string().min(1).max(100) });

/**
 * A backup file's text, checked in full by lib/history/backup.ts before anything is written.
 * Extension messages are capped at 64 MiB by Chromium; larger files are refused by the page first.
 */
export const MAX_BACKUP_CHARS = 60 * 1024 * 1024;
export const historyRestoreInput = z.object({
  text: z.string().max(MAX_BACKUP_CHARS, 'the file is larger than 60 MB, more than one restore can carry'),
});

export const messageInputs = {
  'orgs:list': z.undefined(),
  'orgs:add': addOrgInput,
  'orgs:remove': removeOrgInput,
  'sync:now': syncNowInput,
  'sync:status': z.undefined(),
  'usage:keyTable': keyTableInput,
  'usage:panel': panelInput,
  'history:changed': z.undefined(),
  'history:recordSnapshot': recordSnapshotInput,
  'history:snapshots': z.undefined(),
  'export:build': exportBuildInput,
  'bulk:audit': bulkAuditInput,
  'bulk:auditLog': z.undefined(),
  'bulk:settings': z.undefined(),
  'bulk:saveSettings': bulkSaveSettingsInput,
  'bulk:run': z.undefined(),
  'bulk:saveRun': bulkSaveRunInput,
  'bulk:clearRun': z.undefined(),
  'report:overview': reportOverviewInput,
  'report:keyHistory': keyHistoryInput,
  'report:month': reportMonthInput,
  'tags:assign': tagsAssignInput,
  'tags:import': tagsImportInput,
  'tags:csv': tagsCsvInput,
  'budgets:save': budgetSaveInput,
  'budgets:remove': budgetRemoveInput,
  'report:open': z.undefined(),
  'history:storage': z.undefined(),
  'history:prune': z.undefined(),
  'history:clear': z.undefined(),
  'history:backup': z.undefined(),
  'history:restore': historyRestoreInput,
  'history:reprice': z.undefined(),
} as const;

type Input<K extends keyof ProtocolMap> = z.output<(typeof messageInputs)[K]>;

/**
 * What the dashboard's content script may ask: it runs beside a page Keymeter does not control, so
 * everything else (organisations, sync, settings, history maintenance, exports, reports) answers
 * Keymeter's own pages only (options, popup, report, and the usage panel in its iframe).
 */
export const CONTENT_SCRIPT_MESSAGES: ReadonlySet<keyof ProtocolMap> = new Set([
  'orgs:list',
  'usage:keyTable',
  'history:recordSnapshot',
  'bulk:audit',
  'bulk:settings',
  'bulk:saveSettings',
  'bulk:run',
  'bulk:saveRun',
  'bulk:clearRun',
] satisfies Array<keyof ProtocolMap>);

export interface MessageSender {
  /** The sending frame's URL: an extension page's own, or the dashboard page a content script runs in. */
  url?: string;
  tab?: { id?: number };
}

/** Whether `sender` may ask `type`; `extensionBase` is the extension's root URL (runtime.getURL('/')). */
export function mayAsk(type: keyof ProtocolMap, sender: MessageSender, extensionBase: string): boolean {
  return CONTENT_SCRIPT_MESSAGES.has(type) || (sender.url?.startsWith(extensionBase) ?? false);
}

/** Registers a background handler that only hears senders allowed to ask, with a payload that passed its schema. */
export function handleMessage<K extends keyof ProtocolMap & keyof typeof messageInputs>(
  type: K,
  handler: (input: Input<K>, sender: MessageSender) => ReturnType<ProtocolMap[K]> | Promise<ReturnType<ProtocolMap[K]>>,
) {
  // async: a refusal travels back as the protocol's own error answer, like any handler failure.
  return onMessage(type, async ({ data, sender }) => {
    if (!mayAsk(type, sender, browser.runtime.getURL('/'))) throw new Error(`"${type}" is answered to Keymeter's own pages only`);
    return handler(messageInputs[type].parse(data) as Input<K>, sender) as never;
  });
}
