import { buildCsv } from './csv';
import { buildJson } from './json';
import type { ExportDataset, ExportFile, ExportFormat } from './types';

export interface BuildOptions {
  /** CSV only: UTF-8 byte order mark for Excel. */
  bom?: boolean;
}

/** Dataset → file in the chosen format. The XLSX writer is loaded only when an XLSX is asked for. */
export async function buildExportFile(dataset: ExportDataset, format: ExportFormat, options: BuildOptions = {}): Promise<ExportFile> {
  switch (format) {
    case 'csv':
      return buildCsv(dataset, options);
    case 'json':
      return buildJson(dataset);
    case 'xlsx': {
      const { buildXlsx } = await import('./xlsx');
      return buildXlsx(dataset);
    }
  }
}
