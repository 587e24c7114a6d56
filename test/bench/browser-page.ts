import { build } from 'esbuild';
import type { BrowserContext, Page } from 'playwright-core';

/** Bundles a bench entry (TypeScript, imports from lib/) into one classic script for a page. */
export async function bundleForPage(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    minify: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

/**
 * Serves a page at `url` on an origin the bench controls (Playwright answers the request; it
 * never reaches the network or the simulator), with `script` as its only script.
 */
export async function servePage(
  context: BrowserContext,
  url: string,
  options: { title: string; script: string; body?: string },
): Promise<void> {
  const scriptUrl = `${url.replace(/[?#].*$/, '')}.bench.js`;
  await context.route(scriptUrl, (route) => route.fulfill({ status: 200, contentType: 'text/javascript', body: options.script }));
  await context.route(
    (u) => u.href === url,
    (route) =>
      route.fulfill({
        status: 200,
        contentType: 'text/html; charset=utf-8',
        body: `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${options.title}</title></head><body>${options.body ?? ''}<script src="${scriptUrl}"></script></body></html>`,
      }),
  );
}

export async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

export const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
