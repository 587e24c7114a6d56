import { describe, expect, it } from 'vitest';
import { conversionNote, convertedCurrencySchema, convertMicros, displayCurrencySchema } from '@/lib/currency';
import { buildReportRows, DEFAULT_ROW_VIEW, isStale, type ReportKeyRow, rowsMatching, viewRows } from '@/lib/report/rows';
import type { CostRecord, KeyRecord } from '@/lib/usage/records';
import { DAY } from '@/lib/usage/spikes';
import { day, USD, usageRecord } from '../db-fixtures';

const NOW = day('2026-06-15') + 3600;

function key(keyId: string, partial: Partial<KeyRecord> = {}): KeyRecord {
  return {
    id: `o1|${keyId}`,
    orgId: 'o1',
    keyId,
    name: keyId,
    redactedValue: `sk-…${keyId}`,
    projectId: 'p1',
    ownerType: 'user',
    ownerName: 'Dana',
    ownerEmail: '',
    createdAt: day('2025-01-01'),
    lastUsedAt: NOW - DAY,
    firstSeenAt: 0,
    lastSeenAt: 0,
    deleted: false,
    ...partial,
  };
}
const usage = (d: string, apiKeyId: string, micros: number, input = 100) =>
  usageRecord({ orgId: 'o1', day: day(d), projectId: 'p1', apiKeyId, inputTokens: input, estimatedMicros: micros });
const cost = (d: string, apiKeyId: string, micros: number): CostRecord => ({
  id: `${d}|${apiKeyId}`,
  orgId: 'o1',
  day: day(d),
  projectId: 'p1',
  apiKeyId,
  lineItem: 'x',
  micros,
  currency: 'usd',
  quantity: null,
  quantityUnit: '',
});

describe('buildReportRows', () => {
  const rows = buildReportRows({
    orgs: [{ id: 'o1', label: 'Acme' }],
    keys: [
      key('k_active'),
      key('k_idle', { lastUsedAt: NOW - 45 * DAY }),
      key('k_never', { lastUsedAt: null, createdAt: NOW - 90 * DAY }),
      key('k_new', { lastUsedAt: null, createdAt: NOW - 3 * DAY }),
      key('k_gone', { deleted: true, lastUsedAt: NOW - 200 * DAY, name: 'old-prod' }),
    ],
    projects: [{ id: 'o1|p1', orgId: 'o1', projectId: 'p1', name: 'Platform', archived: false }],
    usage: [
      usage('2026-06-10', 'k_active', 5 * USD),
      usage('2026-06-01', 'k_active', 3 * USD), // previous period
      usage('2026-06-12', 'k_gone', 1 * USD),
      usage('2026-06-12', '', 2 * USD),
      usage('2026-06-12', 'key_unlisted', 4 * USD),
    ],
    costs: [cost('2026-06-10', 'k_active', 6 * USD)],
    tags: new Map([['o1|k_active', ['support']]]),
    from: day('2026-06-08'),
    to: day('2026-06-15'),
    now: NOW,
  });
  const by = (id: string) => rows.find((r) => r.apiKeyId === id)!;

  it('has every listed key (deleted ones kept) and the usage no list names', () => {
    expect(rows.map((r) => r.apiKeyId)).toEqual(['k_active', 'k_idle', 'k_never', 'k_new', 'k_gone', '', 'key_unlisted']);
    expect(by('k_gone')).toMatchObject({ name: 'old-prod', deleted: true, stale: false });
    expect(by('')).toMatchObject({ name: 'Untracked usage', deleted: false });
    expect(by('key_unlisted')).toMatchObject({ name: 'key_unlisted', deleted: true });
  });

  it('totals the range and the period before, billed beside estimated, with project, owner and tags', () => {
    expect(by('k_active')).toMatchObject({
      projectName: 'Platform',
      ownerName: 'Dana',
      orgLabel: 'Acme',
      tags: ['support'],
      current: { estimatedMicros: 5 * USD, billedMicros: 6 * USD, inputTokens: 100 },
      previous: { estimatedMicros: 3 * USD, billedMicros: null },
    });
  });

  it.each([
    ['k_active', false],
    ['k_idle', true],
    ['k_never', true],
    ['k_new', false],
    ['k_gone', false],
    ['', false],
  ])('stale(%s) = %s', (id, stale) => {
    expect(by(id).stale).toBe(stale);
  });

  it('usage history counts as use when the key list has no "last used"', () => {
    expect(isStale({ deleted: false, apiKeyId: 'k', createdAt: NOW - 100 * DAY }, NOW - 5 * DAY, NOW)).toBe(false);
    expect(isStale({ deleted: false, apiKeyId: 'k', createdAt: NOW - 100 * DAY }, NOW - 30 * DAY, NOW)).toBe(true);
  });

  it('searches, filters and sorts', () => {
    expect(viewRows(rows, { ...DEFAULT_ROW_VIEW, search: 'SUPP' }).map((r) => r.apiKeyId)).toEqual(['k_active']);
    expect(viewRows(rows, { ...DEFAULT_ROW_VIEW, search: 'platform' }).length).toBe(5);
    expect(viewRows(rows, { ...DEFAULT_ROW_VIEW, staleOnly: true }).map((r) => r.apiKeyId)).toEqual(['k_idle', 'k_never']);
    expect(viewRows(rows, { ...DEFAULT_ROW_VIEW, showDeleted: false }).some((r) => r.deleted)).toBe(false);
    expect(viewRows(rows, { ...DEFAULT_ROW_VIEW, tag: 'Support' }).map((r) => r.apiKeyId)).toEqual(['k_active']);
    // Billed where known, else estimated; largest first.
    expect(
      viewRows(rows, DEFAULT_ROW_VIEW)
        .slice(0, 3)
        .map((r) => r.apiKeyId),
    ).toEqual(['k_active', 'key_unlisted', '']);
    expect(viewRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'name', descending: false }).map((r) => r.name)[0]).toBe('k_active');
    // "new" (nothing before) sorts above any rise, without breaking the order.
    expect(
      viewRows(rows, { ...DEFAULT_ROW_VIEW, sort: 'change' })
        .slice(0, 3)
        .map((r) => r.apiKeyId),
    ).toEqual(['key_unlisted', 'k_gone', '']);
  });

  it('selects keys by name pattern, never usage without a key', () => {
    expect(rowsMatching(rows, 'k_*').map((r) => r.apiKeyId)).toEqual(['k_active', 'k_idle', 'k_never', 'k_new']);
    expect(rowsMatching(rows, '*')).toHaveLength(6);
    expect(rowsMatching(rows, '  ')).toEqual([]);
  });

  it('sorts hundreds of keys quickly', () => {
    const many: ReportKeyRow[] = Array.from({ length: 2000 }, (_, i) => ({ ...by('k_active'), apiKeyId: `k${i}`, name: `key-${i}` }));
    const t0 = performance.now();
    viewRows(many, { ...DEFAULT_ROW_VIEW, search: 'key-1' });
    expect(performance.now() - t0).toBeLessThan(200);
  });
});

describe('display currency', () => {
  const eur = { code: 'EUR', perUsd: '0.92', rateDate: '2026-06-01' };
  it.each([
    [1_000_000, 920_000],
    [1, 1], // 0.92 µ rounds half away from zero
    [-1_000_000, -920_000],
    [123_456_789, 113_580_246],
  ])('converts %i µ$ to %i µ€ exactly', (usd, eurMicros) => {
    expect(convertMicros(usd, eur)).toBe(eurMicros);
  });
  it('leaves USD alone and states every conversion', () => {
    expect(convertMicros(5, { code: 'USD' })).toBe(5);
    expect(conversionNote({ code: 'USD' })).toBeNull();
    expect(conversionNote(eur)).toBe('Amounts in EUR, converted from USD at 1 USD = 0.92 EUR (your rate of 2026-06-01).');
  });
  it.each([
    [{ code: 'EUR', perUsd: '0', rateDate: '2026-06-01' }],
    [{ code: 'EUR', perUsd: '-1', rateDate: '2026-06-01' }],
    [{ code: 'EUR', perUsd: '1,2', rateDate: '2026-06-01' }],
    [{ code: 'EUR', perUsd: '0.9', rateDate: '' }],
    [{ code: 'EURO', perUsd: '0.9', rateDate: '2026-06-01' }],
    [{ code: 'USD', perUsd: '0.9', rateDate: '2026-06-01' }],
  ])('rejects %o', (value) => {
    expect(convertedCurrencySchema.safeParse(value).success).toBe(false);
  });
  it('stored values: USD or a full conversion', () => {
    expect(displayCurrencySchema.safeParse({ code: 'USD' }).success).toBe(true);
    expect(displayCurrencySchema.safeParse(eur).success).toBe(true);
    expect(displayCurrencySchema.safeParse({ code: 'EUR' }).success).toBe(false);
  });
});
