import type { Options, Sheet } from 'write-excel-file/universal';
// write-excel-file's public entry points zip with fflate's *asynchronous* zip(), which hands every
// part over 160 kB (any sheet of a few thousand rows) to a Web Worker made from a blob: URL. An
// MV3 service worker has no Worker and no URL.createObjectURL, and extension pages' CSP forbids
// blob: workers, so big exports would fail there. The package's synchronous variant is the same
// code with fflate's zipSync(), but is not in its exports map: import the module file itself
// (version pinned in package.json; test/unit/export/xlsx.test.ts fails loudly if it moves).
// @ts-expect-error -- internal module of write-excel-file 4.1.1, shipped without type declarations
import { generateXlsxFileSync } from '../../node_modules/write-excel-file/modules/export/writeXlsxFileUniversal.js';

export type XlsxSheet = Sheet<Blob>;

const generate = generateXlsxFileSync as (
  sheets: XlsxSheet[],
  options: Options<Blob> | undefined,
  unused: undefined,
  convertFileContentToUint8Array: (content: Blob) => Promise<Uint8Array>,
) => Promise<Blob>;

/** Sheets → .xlsx bytes, without workers, DOM or eval (works in a service worker). */
export async function writeXlsx(sheets: XlsxSheet[], options?: Options<Blob>): Promise<Uint8Array> {
  const blob = await generate(sheets, options, undefined, async (content) => new Uint8Array(await content.arrayBuffer()));
  return new Uint8Array(await blob.arrayBuffer());
}
