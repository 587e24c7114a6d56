import { z } from 'zod';
import { type Micros, microsToDecimalString, parseMicros } from '../money';
import { isoDay, lastDayOf, totalsOf } from './aggregate';
import { exportFilename } from './filename';
import { EXPORT_GROUPINGS, type ExportDataset, type ExportFile, type ExportRow, type ExportTotals, MIME_TYPES } from './types';

/**
 * JSON export: a versioned schema (zod) that import and validation can reuse. Money is a decimal
 * string with 6 decimals ("12.345678") so no reader rounds it through a float; counts are integers.
 */

export const EXPORT_SCHEMA_VERSION = 1;

const money = z.string().regex(/^-?\d+\.\d{6}$/, 'money is a decimal string with 6 decimals, e.g. "12.345678"');
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a UTC day, YYYY-MM-DD');
const count = z.number().int().nonnegative();

const metrics = {
  requests: count,
  inputTokens: count,
  cachedTokens: count,
  outputTokens: count,
  estimatedCost: money,
  billedCost: money.nullable(),
  difference: money.nullable(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  priceUnknown: z.boolean(),
};

export const exportRowSchema = z.strictObject({
  orgId: z.string(),
  organisation: z.string(),
  projectId: z.string(),
  projectName: z.string(),
  apiKeyId: z.string(),
  keyName: z.string(),
  redactedKey: z.string(),
  owner: z.string(),
  status: z.enum(['active', 'deleted', 'untracked']).nullable(),
  tags: z.array(z.string()),
  costCenter: z.string().nullable(),
  model: z.string().nullable(),
  day: day.nullable(),
  ...metrics,
});
export const exportTotalsSchema = z.strictObject(metrics);

type RowJson = z.infer<typeof exportRowSchema>;
type TotalsJson = z.infer<typeof exportTotalsSchema>;

const table = z.strictObject({ rows: z.array(exportRowSchema), totals: exportTotalsSchema }).superRefine((value, ctx) => {
  let expected: TotalsJson;
  try {
    expected = totalsToJson(totalsOf(value.rows.map(rowFromJson)), value.totals.currency);
  } catch {
    return; // a malformed amount is already reported by the row schema
  }
  for (const [field, want] of Object.entries(expected)) {
    if (value.totals[field as keyof TotalsJson] !== want) {
      ctx.addIssue({ code: 'custom', path: ['totals', field], message: `the totals row must equal the sum of the rows (${String(want)})` });
    }
  }
});

export const exportFileSchema = z.strictObject({
  schemaVersion: z.literal(EXPORT_SCHEMA_VERSION),
  generator: z.literal('keymeter'),
  generatedAt: z.iso.datetime(),
  organisations: z.array(z.strictObject({ orgId: z.string(), label: z.string(), lastSyncAt: z.iso.datetime().nullable() })),
  range: z.strictObject({ from: day, to: day, fromUtc: z.iso.datetime(), toUtcExclusive: z.iso.datetime() }),
  grouping: z.enum(EXPORT_GROUPINGS),
  currency: z.string().regex(/^[A-Z]{3}$/),
  about: z.strictObject({
    sources: z.array(z.strictObject({ name: z.string(), used: z.boolean(), detail: z.string() })),
    priceData: z.strictObject({ source: z.string(), version: z.string(), basis: z.string(), overrides: count }),
    definitions: z.record(z.string(), z.string()),
    notes: z.array(z.string()),
  }),
  /** The chosen grouping. */
  table,
  byModel: table,
  byDay: table,
  reconciliation: table,
});
export type ExportJson = z.infer<typeof exportFileSchema>;

const moneyOrNull = (micros: Micros | null) => (micros === null ? null : microsToDecimalString(micros));

export function totalsToJson(totals: ExportTotals, currency: string): TotalsJson {
  return {
    requests: totals.requests,
    inputTokens: totals.inputTokens,
    cachedTokens: totals.cachedTokens,
    outputTokens: totals.outputTokens,
    estimatedCost: microsToDecimalString(totals.estimatedMicros),
    billedCost: moneyOrNull(totals.billedMicros),
    difference: moneyOrNull(totals.differenceMicros),
    currency,
    priceUnknown: totals.priceUnknown,
  };
}

export function rowToJson(row: ExportRow, currency: string): RowJson {
  const { estimatedMicros, billedMicros, differenceMicros, ...rest } = row;
  return {
    ...rest,
    tags: [...row.tags],
    estimatedCost: microsToDecimalString(estimatedMicros),
    billedCost: moneyOrNull(billedMicros),
    difference: moneyOrNull(differenceMicros),
    currency,
  };
}

/** A validated JSON row back to the in-memory row (money to integer micros). */
export function rowFromJson(row: RowJson): ExportRow {
  const { estimatedCost, billedCost, difference, currency: _currency, ...rest } = row;
  return {
    ...rest,
    estimatedMicros: parseMicros(estimatedCost),
    billedMicros: billedCost === null ? null : parseMicros(billedCost),
    differenceMicros: difference === null ? null : parseMicros(difference),
  };
}

export function datasetToJson(dataset: ExportDataset): ExportJson {
  const { currency } = dataset;
  const tableOf = (rows: readonly ExportRow[]) => ({
    rows: rows.map((r) => rowToJson(r, currency)),
    totals: totalsToJson(totalsOf(rows), currency),
  });
  return {
    schemaVersion: EXPORT_SCHEMA_VERSION,
    generator: 'keymeter',
    generatedAt: new Date(dataset.generatedAt).toISOString(),
    organisations: dataset.orgs.map((o) => ({
      orgId: o.orgId,
      label: o.label,
      lastSyncAt: o.lastSyncAt === null ? null : new Date(o.lastSyncAt * 1000).toISOString(),
    })),
    range: {
      from: isoDay(dataset.range.from),
      to: lastDayOf(dataset.range.to),
      fromUtc: new Date(dataset.range.from * 1000).toISOString(),
      toUtcExclusive: new Date(dataset.range.to * 1000).toISOString(),
    },
    grouping: dataset.grouping,
    currency,
    about: { ...dataset.about, definitions: { ...dataset.about.definitions } },
    table: tableOf(dataset.rows),
    byModel: tableOf(dataset.byModel),
    byDay: tableOf(dataset.byDay),
    reconciliation: tableOf(dataset.reconciliation),
  };
}

export function buildJson(dataset: ExportDataset): ExportFile {
  const text = JSON.stringify(datasetToJson(dataset), null, 2);
  return {
    filename: exportFilename(dataset.orgs, dataset.range, dataset.grouping, 'json'),
    mimeType: MIME_TYPES.json,
    bytes: new TextEncoder().encode(`${text}\n`),
  };
}

/** Parses and validates an exported JSON file (a clear zod error when it is not one). */
export function parseExportJson(text: string): ExportJson {
  return exportFileSchema.parse(JSON.parse(text));
}
