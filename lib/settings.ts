import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { type PriceOverride, priceOverrideSchema } from './pricing/overrides';

/**
 * Settings and small state live in extension storage as versioned WXT items, each validated
 * with zod when read. The admin keys are a separate item that only the background reads.
 * storage.local is closed to content scripts (lib/storage-access.ts): only the background and
 * the extension's own pages may import this module.
 */

export const orgSchema = z.object({
  id: z.string().min(1),
  label: z.string().min(1).max(120),
  /** Last four characters of the admin key, to tell keys apart without showing them. */
  keyHint: z.string().max(8),
  addedAt: z.number().int(),
  projectCount: z.number().int().nonnegative().optional(),
  keyCount: z.number().int().nonnegative().optional(),
});
export type Org = z.infer<typeof orgSchema>;
export const orgListSchema = z.array(orgSchema);

export const orgsItem = storage.defineItem<Org[]>('local:orgs', { fallback: [], version: 1 });

/** orgId → admin key. Read only in the background (lib/sync, entrypoints/background). */
export const adminKeysItem = storage.defineItem<Record<string, string>>('local:adminKeys', { fallback: {}, version: 1 });

export const syncSettingsSchema = z.object({
  intervalMinutes: z
    .number()
    .int()
    .min(15)
    .max(24 * 60),
  backfillDays: z
    .number()
    .int()
    .min(1)
    .max(3 * 365),
});
export type SyncSettings = z.infer<typeof syncSettingsSchema>;
export const DEFAULT_SYNC_SETTINGS: SyncSettings = { intervalMinutes: 60, backfillDays: 90 };
export const syncSettingsItem = storage.defineItem<SyncSettings>('local:syncSettings', { fallback: DEFAULT_SYNC_SETTINGS, version: 1 });

/** Reads an item and falls back to its default if what is stored does not validate (never throws at the UI). */
export async function readValid<T>(item: { getValue(): Promise<T>; fallback: T }, schema: z.ZodType<T>): Promise<T> {
  const parsed = schema.safeParse(await item.getValue());
  return parsed.success ? parsed.data : item.fallback;
}

export const priceOverridesSchema = z.array(priceOverrideSchema);
/** Negotiated prices per model, each from an effective date. */
export const priceOverridesItem = storage.defineItem<PriceOverride[]>('local:priceOverrides', { fallback: [], version: 1 });

/**
 * How long usage history is kept: `keepMonths: null` keeps everything (the default); a number
 * removes rows older than that many calendar months after each sync and on demand
 * (lib/history/retention.ts).
 */
export const retentionSettingsSchema = z.object({
  keepMonths: z.number().int().min(1, 'keep at least 1 month').max(120, 'keep at most 120 months').nullable(),
});
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;
export const DEFAULT_RETENTION_SETTINGS: RetentionSettings = { keepMonths: null };
export const retentionSettingsItem = storage.defineItem<RetentionSettings>('local:retentionSettings', {
  fallback: DEFAULT_RETENTION_SETTINGS,
  version: 1,
});

/**
 * Bulk-enable (pacing between keys, attempts per key) and its run state live in
 * lib/bulk-enable/storage.ts with their schemas; the content script reaches them through the
 * background's `bulk:*` messages only.
 */
export { bulkEnableRunItem, bulkEnableSettingsItem, bulkEnableSettingsSchema } from './bulk-enable/storage';

/**
 * Report settings (alerts, display currency) live in lib/report-settings.ts so the report page
 * does not load the price data this module pulls in; re-exported here.
 */
export {
  type AlertSettings,
  alertSettingsItem,
  alertSettingsSchema,
  DEFAULT_ALERT_SETTINGS,
  displayCurrencyItem,
  displayCurrencySchema,
} from './report-settings';
