import { readFileSync } from 'node:fs';
import Papa from 'papaparse';
import type { Download } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { exportFileSchema } from '../../lib/export/json';
import { parseMicros } from '../../lib/money';
import type { SimOrg } from '../sim/model';
import { E2E_ADMIN_KEY, expectedKeyTotals, usageRows, utcDay } from '../sim/seed';
import { useKeymeter } from './fixtures';
import { connectOrg, listedKeys, settledPanel, waitForSync } from './helpers';

const START = '2025-12-15';
const END = '2026-01-10';

/** Per listed key: input tokens (completions + embeddings + moderations) and billed cost, from the seed. */
function truth(org: SimOrg) {
  const from = utcDay(START);
  const to = utcDay(END) + 86_400;
  const totals = expectedKeyTotals(org, from, to);
  const input = new Map(totals.map((t) => [t.api_key_id, t.input_tokens]));
  for (const endpoint of ['embeddings', 'moderations'] as const)
    for (const row of usageRows(org, endpoint, from, to))
      input.set(row.api_key_id, (input.get(row.api_key_id) ?? 0) + (row.metrics.input_tokens ?? 0));
  return listedKeys(org)
    .filter((key) => input.has(key.id))
    .map((key) => ({
      id: key.id,
      input: input.get(key.id)!,
      billedCents: Math.round(parseMicros(totals.find((t) => t.api_key_id === key.id)?.cost ?? '0') / 10_000),
    }));
}

// An empty billed cell means the Costs API billed nothing to that key.
const cents = (decimal: string | number | null) => Math.round(parseMicros(String(decimal || 0)) / 10_000);

describe('finance export', () => {
  const k = useKeymeter();
  let org: SimOrg;

  it('exports CSV from the usage panel for the dashboard range: per-key totals equal the seed', async () => {
    const options = await connectOrg(k.browser, E2E_ADMIN_KEY, { backfillDays: 400 });
    await waitForSync(options);
    await options.close();
    org = await k.sim.org();

    const page = await k.browser.context.newPage();
    await page.goto(`https://platform.openai.com/usage?layout=2024&start=${START}&end=${END}`);
    const panel = await settledPanel(page);
    await panel.getByText('Export for finance (CSV, XLSX, JSON)').click();
    await expect.poll(() => panel.locator('details.kmp-export').evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
    // The open form makes the panel taller again: click inside it only once the frame has grown to fit.
    await settledPanel(page);
    const form = panel.getByRole('form', { name: 'Export' });
    await expect(form.getByLabel('Range').inputValue()).resolves.toBe('given');
    await form.getByLabel('Format').selectOption('csv');
    const downloading = page.waitForEvent('download', { timeout: 60_000 }) as Promise<Download>;
    await form.getByRole('button', { name: 'Export' }).click();
    // What the form says after the click (saved, or why not) comes before the file.
    const section = panel.getByRole('region', { name: 'Export for finance' });
    const outcome = section.getByRole('status').or(section.getByRole('alert'));
    await expect.poll(() => outcome.textContent(), { timeout: 60_000 }).toMatch(/^Saved keymeter_/);
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^keymeter_.+_2025-12-15_2026-01-10_key\.csv$/);

    const text = readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, '');
    const parsed = Papa.parse<Record<string, string>>(text, { header: true, skipEmptyLines: true });
    expect(parsed.errors).toEqual([]);
    const byKey = new Map(parsed.data.map((row) => [row['Key ID'], row]));
    const expected = truth(org);
    expect(expected.length).toBeGreaterThan(15);
    for (const key of expected) {
      const row = byKey.get(key.id);
      expect(row, key.id).toBeDefined();
      expect(Number(row!['Input tokens']), key.id).toBe(key.input);
      expect(cents(row!['Billed cost'] ?? null), key.id).toBe(key.billedCents);
    }
    // Formula-looking names from the API are neutralised; numbers are left alone.
    expect(parsed.data.some((row) => row['Key name'] === `'=HYPERLINK("x")`)).toBe(true);
    await page.close();
  });

  it('exports JSON from the report page: valid against its schema, per-key totals equal the seed', async () => {
    const page = await k.browser.openExtensionPage('report.html');
    const range = page.getByRole('group', { name: 'Date range' });
    await range.getByLabel('Range').selectOption('custom');
    await range.getByLabel('From').fill(START);
    await range.getByLabel('To (inclusive)').fill(END);
    const form = page.getByRole('form', { name: 'Export' });
    await form.getByLabel('Format').selectOption('json');
    const [download] = await Promise.all([
      page.waitForEvent('download') as Promise<Download>,
      form.getByRole('button', { name: 'Export' }).click(),
    ]);
    const file = exportFileSchema.parse(JSON.parse(readFileSync((await download.path())!, 'utf8')));
    expect(file.range).toMatchObject({ from: START, to: END });
    const byKey = new Map(file.table.rows.map((row) => [row.apiKeyId, row]));
    for (const key of truth(org)) {
      const row = byKey.get(key.id);
      expect(row?.inputTokens, key.id).toBe(key.input);
      expect(cents(row?.billedCost ?? null), key.id).toBe(key.billedCents);
    }
    expect(JSON.stringify(file)).not.toContain(E2E_ADMIN_KEY);
    await page.close();
  });
});
