/**
 * Money is kept as integer micro-dollars (1 USD = 1_000_000 µ$) so that sums over many rows
 * never drift the way floats do. Integers stay exact up to 2^53 µ$ (about 9 billion dollars).
 */
export type Micros = number;

export const MICROS_PER_UNIT = 1_000_000;

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** Parses a decimal string or number ("0.003835980000000000000000000000", 12.5, "1e-7") to µ$, rounding half away from zero. */
export function parseMicros(value: string | number): Micros {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new Error(`Not a decimal amount: ${JSON.stringify(value)}`);
  const [, sign, whole = '0', fraction = '', exponent = '0'] = match;
  // Shift the decimal point by the exponent, on the digit string, so no float is involved.
  let digits = whole + fraction;
  let point = whole.length + Number(exponent) + 6; // +6: units → micros
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits = digits.padEnd(point, '0');
  const integerPart = Number(digits.slice(0, point) || '0');
  const roundUp = (digits[point] ?? '0') >= '5' ? 1 : 0;
  const micros = integerPart + roundUp;
  return sign && micros !== 0 ? -micros : micros;
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`Not a finite amount: ${value}`);
  return String(value);
}

/** µ$ → a plain decimal string with 6 decimals, e.g. 1234567 → "1.234567". */
export function microsToDecimalString(micros: Micros): string {
  const sign = micros < 0 ? '-' : '';
  const abs = Math.abs(micros);
  const units = Math.floor(abs / MICROS_PER_UNIT);
  const rest = String(abs % MICROS_PER_UNIT).padStart(6, '0');
  return `${sign}${units}.${rest}`;
}

/** µ$ → a number of currency units for display or typed spreadsheet cells (rounded to the cent when asked). */
export function microsToUnits(micros: Micros, decimals = 6): number {
  const factor = 10 ** decimals;
  return Math.round((micros / MICROS_PER_UNIT) * factor) / factor;
}
