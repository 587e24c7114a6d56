import { describe, expect, it } from 'vitest';
import { microsToDecimalString, parseMicros } from '@/lib/money';

describe('parseMicros', () => {
  it.each([
    ['0.06', 60_000],
    ['0.003835980000000000000000000000', 3_836],
    ['12', 12_000_000],
    ['1e-7', 0],
    ['5e-7', 1],
    ['1.5e3', 1_500_000_000],
    ['-0.0000015', -2],
    ['123456.7890125', 123_456_789_013],
    [0.1 + 0.2, 300_000],
  ])('%s → %i µ$', (input, expected) => {
    expect(parseMicros(input)).toBe(expected);
  });

  it('sums many small amounts without drift', () => {
    const total = Array.from({ length: 100_000 }, () => parseMicros('0.000123')).reduce((a, b) => a + b, 0);
    expect(total).toBe(12_300_000);
  });

  it.each(['', 'abc', '1,5', 'NaN'])('rejects %j', (input) => {
    expect(() => parseMicros(input)).toThrow(/decimal/);
  });
});

describe('microsToDecimalString', () => {
  it.each([
    [0, '0.000000'],
    [1, '0.000001'],
    [1_234_567, '1.234567'],
    [-60_000, '-0.060000'],
  ])('%i → %s', (micros, text) => expect(microsToDecimalString(micros)).toBe(text));
});
