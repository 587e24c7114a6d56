import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM, chromiumArgs } from '../e2e/browser';
import { bundleForPage, servePage } from './browser-page';

const profile = mkdtempSync(join(tmpdir(), 'kb-'));
const ctx = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: chromiumArgs(9, null) });
const url = 'https://platform.openai.com/bench-db';
await servePage(ctx, url, {
  title: 'x',
  script:
    (await bundleForPage(resolve(import.meta.dirname, 'history-db.page.ts'))) +
    (await bundleForPage(resolve(import.meta.dirname, 'tmp-exp.page.ts'))),
});
const page = await ctx.newPage();
page.on('console', (m) => console.log('page:', m.text()));
await page.goto(url);
for (const v of [{ raw: false }, { raw: true }, { raw: true, durability: 'relaxed' }]) {
  const ms = await page.evaluate((o) => (window as any).exp.fillVariant({ dbName: `f${Math.random()}`, n: 20000, ...o }), v);
  console.log('fill 20k', JSON.stringify(v), ms.toFixed(0), 'ms');
}
const firstDay = Date.UTC(2025, 0, 1) / 1000;
const t = Date.now();
const f = await page.evaluate((o) => window.keymeterBench.fill(o), {
  dbName: 'db1',
  orgId: 'org-bench',
  keys: 125,
  models: 4,
  days: 400,
  firstDay,
  batchSize: 20000,
});
console.log('fill', f, Date.now() - t);
const from = firstDay + 370 * 86400;
console.log(
  JSON.stringify(
    await page.evaluate((o) => (window as any).exp.variants(o), { dbName: 'db1', orgId: 'org-bench', from, to: from + 30 * 86400 }),
    (_k, v) => (typeof v === 'number' ? Math.round(v) : v),
  ),
);
await ctx.close();
