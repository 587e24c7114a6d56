import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { conversionNote, convertMicros, type DisplayCurrency, isConverted } from '@/lib/currency';
import { exactMoney, money } from '@/lib/format';
import type { Micros } from '@/lib/money';

/** How the report shows money: USD, or the display currency at the user's rate (stated wherever shown). */
export interface MoneyFormat {
  code: string;
  converted: boolean;
  /** "Amounts in EUR, converted from USD at …", or null in USD. */
  note: string | null;
  /** Display units (µ-units of the display currency). */
  convert(usdMicros: Micros): Micros;
  /** "$1,234.57" / "1.234,57 €" */
  format(usdMicros: Micros): string;
  /** Every decimal, for tooltips. */
  exact(usdMicros: Micros): string;
}

export function moneyFormat(currency: DisplayCurrency): MoneyFormat {
  const code = currency.code;
  return {
    code,
    converted: isConverted(currency),
    note: conversionNote(currency),
    convert: (m) => convertMicros(m, currency),
    format: (m) => money(convertMicros(m, currency), code),
    exact: (m) => {
      const text = exactMoney(convertMicros(m, currency), code);
      return isConverted(currency) ? `${text} (${exactMoney(m, 'USD')} at ${currency.perUsd} ${code}/USD of ${currency.rateDate})` : text;
    },
  };
}

const MoneyContext = createContext<MoneyFormat>(moneyFormat({ code: 'USD' }));

export function MoneyProvider({ currency, children }: { currency: DisplayCurrency; children: ReactNode }) {
  const value = useMemo(() => moneyFormat(currency), [currency]);
  return <MoneyContext.Provider value={value}>{children}</MoneyContext.Provider>;
}

export const useMoney = () => useContext(MoneyContext);

/** The conversion statement, shown beside every block of converted amounts (nothing in USD). */
export function ConversionNote({ className = 'km-muted km-small' }: { className?: string }) {
  const { note } = useMoney();
  return note ? (
    <p className={className} data-testid="conversion-note">
      {note}
    </p>
  ) : null;
}
