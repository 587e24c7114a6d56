import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { DEFAULT_DISPLAY_CURRENCY, type DisplayCurrency } from './currency';

/** Settings of the report page and its alerts, as WXT storage items (validated with zod when read; see readValid in settings.ts). */

/** Browser notifications after a sync: a new spending spike, a budget threshold reached. */
export const alertSettingsSchema = z.object({ spikeNotifications: z.boolean(), budgetNotifications: z.boolean() });
export type AlertSettings = z.infer<typeof alertSettingsSchema>;
export const DEFAULT_ALERT_SETTINGS: AlertSettings = { spikeNotifications: true, budgetNotifications: true };
export const alertSettingsItem = storage.defineItem<AlertSettings>('local:alertSettings', { fallback: DEFAULT_ALERT_SETTINGS, version: 1 });

/** The report's display currency: USD, or another at a rate the user enters with its date (see lib/currency.ts). */
export { displayCurrencySchema } from './currency';
export const displayCurrencyItem = storage.defineItem<DisplayCurrency>('local:displayCurrency', {
  fallback: DEFAULT_DISPLAY_CURRENCY,
  version: 1,
});
