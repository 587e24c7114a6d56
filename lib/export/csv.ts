import Papa from 'papaparse';
import { microsToDecimalString } from '../money';
import { isoDay, lastDayOf, totalsOf } from './aggregate';
import { type Column, columnsFor, neutraliseFormula, totalsRow } from './columns';
import { exportFilename } from './filename';
import { type ExportDataset, type ExportFile, type ExportRow, MIME_TYPES } from './types';

/**
 * CSV (RFC 4180 through papaparse: CRLF, quotes only where needed), UTF-8 with an optional BOM.
 *
 * A CSV has no room for an "About" part that stays RFC 4180-clean (a `# key: value` header block
 * breaks every strict reader), so each row repeats the range, generation time, currency and price
 * basis in its own columns, and the file name carries the range. The full About is in XLSX and JSON.
 */

const BOM = new Uint8Array([0xef, 0xbb, 0xbf]);

export interface CsvOptions {
  /** Prefix a UTF-8 byte order mark so Excel opens the file as UTF-8. */
  bom?: boolean;
}

function contextColumns(dataset: ExportDataset): Column[] {
  const constant = (id: string, label: string, value: string): Column => ({ id, label, kind: 'text', value: () => value });
  return [
    constant('range_from', 'Range from (UTC)', isoDay(dataset.range.from)),
    constant('range_to', 'Range to (UTC, inclusive)', lastDayOf(dataset.range.to)),
    constant('generated_at', 'Generated at (UTC)', new Date(dataset.generatedAt).toISOString()),
    constant(
      'price_data',
      'Price basis',
      `list prices of ${dataset.about.priceData.source} ${dataset.about.priceData.version} in force on each usage day`,
    ),
  ];
}

/** One cell as CSV text: numbers unformatted, money as a plain decimal ("12.345678"), text formula-safe. */
export function csvCell(column: Column, row: ExportRow, currency: string): string | number {
  const value = column.value(row, { currency });
  switch (column.kind) {
    case 'money':
      return value === null ? '' : microsToDecimalString(value as number);
    case 'int':
      return value as number;
    case 'bool':
      return value ? 'true' : 'false';
    case 'day':
      return value as string;
    case 'text':
      return neutraliseFormula(value as string);
  }
}

export function buildCsv(dataset: ExportDataset, options: CsvOptions = {}): ExportFile {
  const columns = [...columnsFor(dataset.grouping), ...contextColumns(dataset)];
  const rows = [...dataset.rows, totalsRow(totalsOf(dataset.rows))];
  const text = Papa.unparse(
    { fields: columns.map((c) => c.label), data: rows.map((row) => columns.map((c) => csvCell(c, row, dataset.currency))) },
    { newline: '\r\n', quotes: false, header: true },
  );
  const encoded = new TextEncoder().encode(`${text}\r\n`);
  const bytes = options.bom ? concat(BOM, encoded) : encoded;
  return { filename: exportFilename(dataset.orgs, dataset.range, dataset.grouping, 'csv'), mimeType: MIME_TYPES.csv, bytes };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
