import { z } from 'zod';
import { MICROS_PER_UNIT, type Micros, parseMicros } from './money';

/**
 * Display currency. Keymeter's figures are USD (OpenAI prices and bills in USD); the report can
 * show them in another currency at a rate the user enters, with the date of that rate. Wherever a
 * converted amount is shown, the rate and its date are stated (see `conversionNote`).
 */

export const DECIMAL_RATE = /^\d{1,9}(\.\d{1,6})?$/;

/** Another currency than USD, at the user's rate (what the settings form checks). */
export const convertedCurrencySchema = z.object({
  code: z
    .string()
    .regex(/^[A-Z]{3}$/, 'a currency is a three-letter ISO code such as EUR')
    .refine((c) => c !== 'USD' && isCurrencyCode(c), 'not a currency this browser knows'),
  /** Units of `code` per 1 USD, as typed (decimal, up to 6 places). */
  perUsd: z
    .string()
    .trim()
    .regex(DECIMAL_RATE, 'the rate is a positive decimal number, e.g. 0.92')
    .refine((r) => !DECIMAL_RATE.test(r) || parseMicros(r) > 0, 'the rate must be more than zero'),
  /** The day the rate is from, YYYY-MM-DD. */
  rateDate: z.iso.date('give the date of the rate (YYYY-MM-DD)'),
});
export const displayCurrencySchema = z.union([z.object({ code: z.literal('USD') }).strict(), convertedCurrencySchema]);
export type DisplayCurrency = { code: 'USD' } | { code: string; perUsd: string; rateDate: string };

export const DEFAULT_DISPLAY_CURRENCY: DisplayCurrency = { code: 'USD' };

function isCurrencyCode(code: string): boolean {
  try {
    new Intl.NumberFormat('en-US', { style: 'currency', currency: code });
    return true;
  } catch {
    return false;
  }
}

export const isConverted = (c: DisplayCurrency): c is { code: string; perUsd: string; rateDate: string } =>
  c.code !== 'USD' && 'perUsd' in c;

/** USD µ$ → µ-units of the display currency, exactly (integer arithmetic, half away from zero). */
export function convertMicros(usdMicros: Micros, currency: DisplayCurrency): Micros {
  if (!isConverted(currency)) return usdMicros;
  const rate = BigInt(parseMicros(currency.perUsd));
  const product = BigInt(Math.round(usdMicros)) * rate;
  const unit = BigInt(MICROS_PER_UNIT);
  const sign = product < 0n ? -1n : 1n;
  const abs = product * sign;
  return Number(((abs + unit / 2n) / unit) * sign);
}

/** "Amounts in EUR, converted from USD at 1 USD = 0.92 EUR (your rate of 2026-12-01)." — or null for USD. */
export function conversionNote(currency: DisplayCurrency): string | null {
  if (!isConverted(currency)) return null;
  return `Amounts in ${currency.code}, converted from USD at 1 USD = ${currency.perUsd} ${currency.code} (your rate of ${currency.rateDate}).`;
}

/** Short form for column headers and chart axes: "EUR @ 0.92 (2026-12-01)". */
export function conversionTag(currency: DisplayCurrency): string {
  return isConverted(currency) ? `${currency.code} @ ${currency.perUsd} USD rate of ${currency.rateDate}` : 'USD';
}
