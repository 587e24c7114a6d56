import type { CellObject, Row } from 'write-excel-file/universal';
import { aboutEntries } from './about';
import { totalsOf } from './aggregate';
import { type Column, columnsFor, neutraliseFormula, type TableKind, totalsRow } from './columns';
import { exportFilename } from './filename';
import { type ExportDataset, type ExportFile, type ExportRow, MIME_TYPES } from './types';
import { writeXlsx, type XlsxSheet } from './xlsx-writer';

/**
 * XLSX: one sheet for the chosen grouping, then "By model", "By day", "Reconciliation" and
 * "About". Numbers are typed number cells (thousands and currency formats), days are dates,
 * headers are frozen, text is formula-neutralised like the CSV's (CWE-1236).
 */

export const INT_FORMAT = '#,##0';
/** Dollars with thousands separators and cents; the cell keeps the exact micro-dollar value. */
export const MONEY_FORMAT = '"$"#,##0.00';
export const DAY_FORMAT = 'yyyy-mm-dd';

export const SHEET_NAMES = {
  key: 'By key',
  'key-model': 'By key × model',
  project: 'By project',
  tag: 'By cost center',
  'day-key': 'By day × key',
  model: 'By model',
  day: 'By day',
  reconciliation: 'Reconciliation',
  about: 'About',
} as const;

const HEADER_STYLE = { fontWeight: 'bold', backgroundColor: '#EDEDF2', bottomBorderStyle: 'thin' } as const;

function xlsxCell(column: Column, row: ExportRow, currency: string, bold: boolean): CellObject | null {
  const value = column.value(row, { currency });
  const style = bold ? ({ fontWeight: 'bold' } as const) : {};
  switch (column.kind) {
    case 'text':
      return { type: String, value: neutraliseFormula(value as string), ...style };
    case 'int':
      return { type: Number, value: value as number, format: INT_FORMAT, ...style };
    case 'money':
      return value === null ? null : { type: Number, value: (value as number) / 1_000_000, format: MONEY_FORMAT, ...style };
    case 'bool':
      return { type: Boolean, value: value as boolean, ...style };
    case 'day':
      return value ? { type: Date, value: new Date(`${value as string}T00:00:00Z`), format: DAY_FORMAT, ...style } : null;
  }
}

function tableSheet(name: string, table: TableKind, rows: readonly ExportRow[], currency: string): XlsxSheet {
  const columns = columnsFor(table);
  const header: Row = columns.map((c) => ({ type: String, value: c.label, ...HEADER_STYLE }));
  const body: Row[] = rows.map((row) => columns.map((c) => xlsxCell(c, row, currency, false)));
  const total: Row = columns.map((c) => xlsxCell(c, totalsRow(totalsOf(rows)), currency, true));
  return {
    sheet: name,
    data: [header, ...body, total],
    stickyRowsCount: 1,
    columns: columns.map((c) => ({ width: c.width ?? 16 })),
  };
}

function aboutSheet(dataset: ExportDataset): XlsxSheet {
  const rows: Row[] = aboutEntries(dataset).map(([label, value]) => [
    { type: String, value: label, fontWeight: 'bold' },
    { type: String, value: neutraliseFormula(value), wrap: true },
  ]);
  return { sheet: SHEET_NAMES.about, data: rows, columns: [{ width: 30 }, { width: 110 }] };
}

export async function buildXlsx(dataset: ExportDataset): Promise<ExportFile> {
  const { currency } = dataset;
  const sheets = [
    tableSheet(SHEET_NAMES[dataset.grouping], dataset.grouping, dataset.rows, currency),
    tableSheet(SHEET_NAMES.model, 'model', dataset.byModel, currency),
    tableSheet(SHEET_NAMES.day, 'day', dataset.byDay, currency),
    tableSheet(SHEET_NAMES.reconciliation, 'reconciliation', dataset.reconciliation, currency),
    aboutSheet(dataset),
  ];
  const bytes = await writeXlsx(sheets);
  return { filename: exportFilename(dataset.orgs, dataset.range, dataset.grouping, 'xlsx'), mimeType: MIME_TYPES.xlsx, bytes };
}
