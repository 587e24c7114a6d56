import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY } from '../sim/seed';
import { useKeymeter } from './fixtures';
import { connectOrg, readColumns, waitForDecoratedRows, waitForSync } from './helpers';

/** The usage page for a recent week: inside the first sync's 30 days. */
function recentRange() {
  const day = (offset: number) => new Date(Date.now() - offset * 86_400_000).toISOString().slice(0, 10);
  return `start=${day(8)}&end=${day(2)}`;
}

/** Each row's key suffix with its exact figures (the first Keymeter cell's tooltip, and the billed cost's). */
const figures = async (page: Page) => (await readColumns(page)).map((r) => `${r.suffix}:${r.title}:${r.billed}`);

describe('options page: backup, clear history, restore', () => {
  const k = useKeymeter();
  const dir = mkdtempSync(join(tmpdir(), 'keymeter-backup-'));
  let options: Page;
  let usage: Page;
  let good: string[];
  let backupPath: string;
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('connects, syncs 30 days, and the usage page shows the columns; storage used is shown', async () => {
    options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 30 });
    await waitForSync(options);
    usage = await k.browser.context.newPage();
    await usage.goto(`https://platform.openai.com/usage?layout=2024&${recentRange()}`);
    await waitForDecoratedRows(usage);
    good = await figures(usage);
    expect(good.filter((f) => /\d/.test(f.split(':')[1] ?? '')).length).toBeGreaterThan(20);
    await expect.poll(() => options.getByTestId('storage-used').textContent()).toMatch(/rows in all/);
    const usageRows = Number((await options.locator('[data-table="usage"] td').textContent())?.replace(/\D/g, ''));
    expect(usageRows).toBeGreaterThan(100);
  });

  it('downloads a backup: a keymeter-backup JSON document without the admin key', async () => {
    const [download] = await Promise.all([
      options.waitForEvent('download'),
      options.getByRole('button', { name: 'Download backup' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^keymeter-backup-\d{4}-\d{2}-\d{2}\.json$/);
    backupPath = join(dir, download.suggestedFilename());
    await download.saveAs(backupPath);
    const text = readFileSync(backupPath, 'utf8');
    expect(text).not.toContain(E2E_ADMIN_KEY);
    const doc = JSON.parse(text);
    expect(doc).toMatchObject({ format: 'keymeter-backup', version: 1 });
    expect(doc.tables.usage.length).toBeGreaterThan(100);
    expect(doc.tables.keys.length).toBeGreaterThan(10);
  });

  it('clears the history after a confirm step: the columns lose their figures', async () => {
    // No sync may refill the history behind the test's back: every API call now answers 401.
    await k.sim.revokeAdminKey(E2E_ADMIN_KEY);
    await options.getByRole('button', { name: 'Clear history…' }).click();
    await options.getByRole('button', { name: 'Delete all history' }).click();
    await options.getByRole('status').filter({ hasText: 'History cleared' }).waitFor();
    await usage.reload();
    await expect
      .poll(
        async () => {
          const rows = await readColumns(usage);
          return rows.length > 20 && rows.every((r) => r.text === '—');
        },
        { timeout: 20_000 },
      )
      .toBe(true);
  });

  it('restores the backup: the usage page columns come back exactly', async () => {
    await options.getByLabel('Restore from a backup file').setInputFiles(backupPath);
    const status = options.getByRole('status').filter({ hasText: 'Restored' });
    await status.waitFor({ timeout: 30_000 });
    expect(await status.textContent()).toMatch(/^Restored [\d,]+ rows from keymeter-backup-[\d-]+\.json \([\d,]+ new, 0 already here\)\.$/);
    await usage.reload();
    await waitForDecoratedRows(usage);
    expect(await figures(usage)).toEqual(good);
  });

  it('refuses a corrupt file with the specific sentence; the columns are unchanged', async () => {
    const text = readFileSync(backupPath, 'utf8');
    await options.getByLabel('Restore from a backup file').setInputFiles({
      name: 'keymeter-backup-broken.json',
      mimeType: 'application/json',
      buffer: Buffer.from(text.slice(0, Math.floor(text.length / 2))),
    });
    const alert = options.getByRole('alert').filter({ hasText: 'not a Keymeter backup' });
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toMatch(
      /^This file is not a Keymeter backup: it is not valid JSON, so it is damaged or cut off \(.+\)\. Nothing was changed\.$/,
    );
    await usage.reload();
    await waitForDecoratedRows(usage);
    expect(await figures(usage)).toEqual(good);
  });
});
