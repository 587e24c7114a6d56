import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/**
 * Benchmark 4: built sizes, gzip (level 9, as a store or CDN would serve them; an extension is
 * read from disk, so gzip is a yardstick, not a transfer size). Shared with the CI budget test
 * (test/e2e/size-budget.e2e.ts).
 */

/** The content script injected on every dashboard page. */
export const DASHBOARD_SCRIPT = 'content-scripts/dashboard.js';
/** Its budget: 60 KB gzip (KB = 1,024 bytes). */
export const DASHBOARD_BUDGET_BYTES = 60 * 1024;

export interface FileSize {
  file: string;
  kind: 'content script' | 'content style' | 'background' | 'page chunk' | 'page style' | 'page html';
  bytes: number;
  gzipBytes: number;
}

export interface PageSize {
  page: string;
  /** The page's HTML plus every script, preloaded chunk and stylesheet it loads. */
  files: string[];
  bytes: number;
  gzipBytes: number;
}

export interface BuiltSizes {
  dir: string;
  files: FileSize[];
  pages: PageSize[];
  dashboard: FileSize;
  budgetBytes: number;
}

const gzip = (data: Buffer) => gzipSync(data, { level: 9 }).length;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

function kindOf(file: string): FileSize['kind'] | null {
  if (file.startsWith('content-scripts/')) return file.endsWith('.css') ? 'content style' : 'content script';
  if (file === 'background.js') return 'background';
  if (file.startsWith('chunks/') && file.endsWith('.js')) return 'page chunk';
  if (file.startsWith('assets/') && file.endsWith('.css')) return 'page style';
  if (file.endsWith('.html')) return 'page html';
  return null;
}

export function builtSizes(dir: string): BuiltSizes {
  const files: FileSize[] = [];
  for (const path of walk(dir).sort()) {
    const file = relative(dir, path);
    const kind = kindOf(file);
    if (!kind) continue;
    const data = readFileSync(path);
    files.push({ file, kind, bytes: data.length, gzipBytes: gzip(data) });
  }
  const byName = new Map(files.map((f) => [f.file, f]));
  const pages = files
    .filter((f) => f.kind === 'page html')
    .map((html): PageSize => {
      const text = readFileSync(join(dir, html.file), 'utf8');
      const refs = [...text.matchAll(/(?:src|href)="\/?([^"]+\.(?:js|css))"/g)].map((m) => m[1]!);
      const parts = [html, ...refs.map((r) => byName.get(r)).filter((f): f is FileSize => f !== undefined)];
      return {
        page: html.file,
        files: parts.map((p) => p.file),
        bytes: parts.reduce((n, p) => n + p.bytes, 0),
        gzipBytes: parts.reduce((n, p) => n + p.gzipBytes, 0),
      };
    });
  const dashboard = byName.get(DASHBOARD_SCRIPT);
  if (!dashboard) throw new Error(`${DASHBOARD_SCRIPT} is missing from ${dir}: build first (wxt build)`);
  return { dir, files, pages, dashboard, budgetBytes: DASHBOARD_BUDGET_BYTES };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
