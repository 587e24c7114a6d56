// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { totalsOf } from '@/lib/export/aggregate';
import { buildExportFile } from '@/lib/export/index';
import { buildJson, EXPORT_SCHEMA_VERSION, type ExportJson, exportFileSchema, parseExportJson, rowFromJson } from '@/lib/export/json';
import { EXPORT_GROUPINGS } from '@/lib/export/types';
import { sampleDataset, sampleFacts, usage } from './fixtures';

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

describe.each(EXPORT_GROUPINGS)('JSON round trip through the zod schema, grouping %s', (grouping) => {
  const dataset = sampleDataset(grouping);
  const file = buildJson(dataset);

  it('parses back to the same rows and totals (money as exact decimal strings)', () => {
    const parsed = parseExportJson(decode(file.bytes));
    expect(parsed.schemaVersion).toBe(EXPORT_SCHEMA_VERSION);
    expect(parsed.grouping).toBe(grouping);
    expect(parsed.table.rows.map(rowFromJson)).toEqual(dataset.rows);
    expect(parsed.byModel.rows.map(rowFromJson)).toEqual(dataset.byModel);
    expect(parsed.byDay.rows.map(rowFromJson)).toEqual(dataset.byDay);
    expect(parsed.reconciliation.rows.map(rowFromJson)).toEqual(dataset.reconciliation);
    const totals = totalsOf(dataset.rows);
    expect(parsed.table.totals.inputTokens).toBe(totals.inputTokens);
    expect(parsed.table.totals.estimatedCost).toMatch(/^\d+\.\d{6}$/);
  });

  it('states range, generation time, sources, price basis and definitions', () => {
    const parsed = parseExportJson(decode(file.bytes));
    expect(parsed.range).toEqual({
      from: '2026-01-01',
      to: '2026-01-31',
      fromUtc: '2026-01-01T00:00:00.000Z',
      toUtcExclusive: '2026-02-01T00:00:00.000Z',
    });
    expect(parsed.generatedAt).toBe('2026-02-03T09:30:00.000Z');
    expect(parsed.currency).toBe('USD');
    expect(parsed.organisations).toEqual([{ orgId: 'org-1', label: 'Acme Robotics', lastSyncAt: '2026-02-03T01:00:00.000Z' }]);
    expect(parsed.about.priceData.source).toBe('@pydantic/genai-prices');
    expect(Object.keys(parsed.about.definitions)).toEqual(expect.arrayContaining(['estimated', 'billed', 'difference', 'untracked']));
  });
});

describe('JSON schema rejects what is not a Keymeter export', () => {
  const valid = (): ExportJson => JSON.parse(decode(buildJson(sampleDataset()).bytes));
  const loose = (value: object) => value as Record<string, unknown>;

  it.each([
    [
      'another schema version',
      (j: ExportJson) => {
        loose(j).schemaVersion = 2;
      },
    ],
    [
      'a float amount',
      (j: ExportJson) => {
        loose(j.table.rows[0]!).estimatedCost = 1.5;
      },
    ],
    [
      'an amount with 2 decimals',
      (j: ExportJson) => {
        j.table.rows[0]!.estimatedCost = '1.50';
      },
    ],
    [
      'a tampered total',
      (j: ExportJson) => {
        j.table.totals.inputTokens += 1;
      },
    ],
    [
      'a tampered billed total',
      (j: ExportJson) => {
        j.reconciliation.totals.billedCost = '0.000001';
      },
    ],
    [
      'a negative token count',
      (j: ExportJson) => {
        j.table.rows[0]!.outputTokens = -1;
      },
    ],
    [
      'a token count beyond 2^53',
      (j: ExportJson) => {
        j.table.rows[0]!.outputTokens = 2 ** 53 + 2;
      },
    ],
    [
      'an unknown field',
      (j: ExportJson) => {
        loose(j).extra = true;
      },
    ],
    [
      'an unknown grouping',
      (j: ExportJson) => {
        loose(j).grouping = 'user';
      },
    ],
  ])('%s', (_case, mutate) => {
    expect(exportFileSchema.safeParse(valid()).success).toBe(true);
    const broken = valid();
    mutate(broken);
    expect(exportFileSchema.safeParse(broken).success).toBe(false);
  });

  it('keeps token counts beyond 2^31 and Unicode names exactly', () => {
    const facts = sampleFacts();
    facts.keys[0] = { ...facts.keys[0]!, name: '🔑 Ключ "q", \n =x' };
    facts.usage = [usage({ apiKeyId: 'key_a', inputTokens: 2 ** 40 + 3 })];
    const parsed = parseExportJson(decode(buildJson(sampleDataset('key', facts)).bytes));
    const row = parsed.table.rows.find((r) => r.apiKeyId === 'key_a')!;
    expect(row.keyName).toBe('🔑 Ключ "q", \n =x'); // JSON is data: never neutralised
    expect(row.inputTokens).toBe(2 ** 40 + 3);
  });
});

describe('buildExportFile', () => {
  it.each([
    ['csv', 'text/csv;charset=utf-8'],
    ['xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['json', 'application/json'],
  ] as const)('%s → %s with the agreed file name', async (format, mime) => {
    const file = await buildExportFile(sampleDataset('day-key'), format, { bom: true });
    expect(file.mimeType).toBe(mime);
    expect(file.filename).toBe(`keymeter_acme-robotics_2026-01-01_2026-01-31_day-key.${format}`);
    expect(file.bytes.length).toBeGreaterThan(100);
  });
});
