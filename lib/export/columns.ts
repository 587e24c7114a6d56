import { blankIdentity, type ExportGrouping, type ExportRow, type ExportTotals, type KeyStatus } from './types';

/**
 * The columns of every table, shared by the CSV and XLSX builders so both carry the same
 * fields in the same order under the same headers.
 */

export type ColumnKind = 'text' | 'int' | 'money' | 'bool' | 'day';

export interface Column {
  id: string;
  label: string;
  kind: ColumnKind;
  /** text/day → string; int → number; money → micros or null; bool → boolean. */
  value(row: ExportRow, context: { currency: string }): string | number | boolean | null;
  width?: number;
}

export type TableKind = ExportGrouping | 'model' | 'day' | 'reconciliation';

export const STATUS_LABELS: Record<KeyStatus, string> = { active: 'active', deleted: '(deleted)', untracked: 'untracked usage' };

const text = (id: string, label: string, get: (row: ExportRow) => string, width = 18): Column => ({
  id,
  label,
  kind: 'text',
  value: get,
  width,
});
const int = (id: string, label: string, get: (row: ExportRow) => number): Column => ({ id, label, kind: 'int', value: get, width: 16 });
const money = (id: string, label: string, get: (row: ExportRow) => number | null): Column => ({
  id,
  label,
  kind: 'money',
  value: get,
  width: 16,
});

export const COLUMNS = {
  organisation: text('organisation', 'Organisation', (r) => r.organisation, 22),
  day: { id: 'day', label: 'Day (UTC)', kind: 'day', value: (r) => r.day ?? '', width: 12 } satisfies Column,
  projectId: text('project_id', 'Project ID', (r) => r.projectId, 20),
  projectName: text('project_name', 'Project', (r) => r.projectName, 22),
  keyId: text('key_id', 'Key ID', (r) => r.apiKeyId, 22),
  keyName: text('key_name', 'Key name', (r) => r.keyName, 26),
  redactedKey: text('redacted_key', 'Redacted key', (r) => r.redactedKey, 16),
  owner: text('owner', 'Owner', (r) => r.owner, 20),
  status: text('status', 'Status', (r) => (r.status ? STATUS_LABELS[r.status] : ''), 16),
  tags: text('tags', 'Tags', (r) => r.tags.join('; '), 18),
  costCenter: text('cost_center', 'Cost center', (r) => r.costCenter ?? '', 22),
  model: text('model', 'Model', (r) => r.model ?? '', 24),
  requests: int('requests', 'Requests', (r) => r.requests),
  inputTokens: int('input_tokens', 'Input tokens', (r) => r.inputTokens),
  cachedTokens: int('cached_tokens', 'Cached input tokens', (r) => r.cachedTokens),
  outputTokens: int('output_tokens', 'Output tokens', (r) => r.outputTokens),
  estimated: money('estimated_cost', 'Estimated cost', (r) => r.estimatedMicros),
  billed: money('billed_cost', 'Billed cost', (r) => r.billedMicros),
  difference: money('difference', 'Difference (billed − estimated)', (r) => r.differenceMicros),
  currency: { id: 'currency', label: 'Currency', kind: 'text', value: (_r, c) => c.currency, width: 10 } satisfies Column,
  priceUnknown: { id: 'price_unknown', label: 'Price unknown', kind: 'bool', value: (r) => r.priceUnknown, width: 14 } satisfies Column,
} as const;

const C = COLUMNS;
const METRICS = [
  C.requests,
  C.inputTokens,
  C.cachedTokens,
  C.outputTokens,
  C.estimated,
  C.billed,
  C.difference,
  C.currency,
  C.priceUnknown,
];
const KEY = [C.projectId, C.projectName, C.keyId, C.keyName, C.redactedKey, C.owner, C.status, C.tags];

export function columnsFor(table: TableKind): Column[] {
  switch (table) {
    case 'key':
      return [C.organisation, ...KEY, ...METRICS];
    case 'key-model':
      return [C.organisation, ...KEY, C.model, ...METRICS];
    case 'day-key':
      return [C.organisation, C.day, ...KEY, ...METRICS];
    case 'project':
      return [C.organisation, C.projectId, C.projectName, ...METRICS];
    case 'tag':
      return [C.organisation, C.costCenter, ...METRICS];
    case 'model':
      // Estimated only: the Costs API has no model dimension.
      return [C.organisation, C.model, C.requests, C.inputTokens, C.cachedTokens, C.outputTokens, C.estimated, C.currency, C.priceUnknown];
    case 'day':
      return [C.organisation, C.day, ...METRICS];
    case 'reconciliation':
      return [
        C.organisation,
        C.projectId,
        C.projectName,
        C.keyId,
        C.keyName,
        C.status,
        C.estimated,
        C.billed,
        C.difference,
        C.currency,
        C.priceUnknown,
      ];
  }
}

export const TOTAL_LABEL = 'Total';

/** The totals as a row: "Total" in the first column, blanks in the other text columns. */
export function totalsRow(totals: ExportTotals): ExportRow {
  return { ...blankIdentity('', TOTAL_LABEL), ...totals };
}

/**
 * CWE-1236: a text cell that starts with =, +, -, @, tab or CR is read as a formula by
 * spreadsheet programs. Such text gets a leading apostrophe. Only text is touched: numbers
 * (including negative amounts) are written as numbers.
 */
export function neutraliseFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}
