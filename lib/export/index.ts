import { buildCsv } from './csv';
import { buildJson } from './json';
import type { ExportDataset, ExportFile, ExportFormat } from './types';
import { buildXlsx } from './xlsx';

export interface BuildOptions {
  /** CSV only: UTF-8 byte order mark for Excel. */
  bom?: boolean;
}

/**
 * Dataset → file in the chosen format. Background only. The XLSX writer is imported statically: it
 * adds about 70 kB to background.js, and a dynamic import() would not load lazily there anyway (WXT
 * builds the background as one IIFE with dynamic imports inlined; MV3 service workers forbid import()).
 */
export async function buildExportFile(dataset: ExportDataset, format: ExportFormat, options: BuildOptions = {}): Promise<ExportFile> {
  switch (format) {
    case 'csv':
      return buildCsv(dataset, options);
    case 'json':
      return buildJson(dataset);
    case 'xlsx':
      return buildXlsx(dataset);
  }
}
