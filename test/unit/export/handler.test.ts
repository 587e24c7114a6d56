import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { registerExportHandlers } from '@/entrypoints/background/export-handlers';
import { base64ToBytes, bytesToBase64 } from '@/lib/export/base64';
import { parseExportJson } from '@/lib/export/json';
import { historyDb } from '@/lib/history/db';
import { exportBuildInput } from '@/lib/message-inputs';
import { sendMessage } from '@/lib/messaging';
import { orgsItem } from '@/lib/settings';
import { costId, usageId } from '@/lib/usage/records';
import { extensionPageUrl, sendMessagesFrom } from '../fixtures';
import { parseCsv, utcDay } from './fixtures';

const ORG = { id: 'org-h', label: 'Handler Org', keyHint: 'abcd', addedAt: 0 };
const DAY1 = utcDay('2026-01-05');

const JAN = { from: utcDay('2026-01-01'), to: utcDay('2026-02-01') };

describe('export:build', () => {
  let unregister: () => void;

  beforeEach(async () => {
    sendMessagesFrom(extensionPageUrl());
    unregister = registerExportHandlers();
    await orgsItem.setValue([ORG]);
    const db = historyDb();
    const usage = {
      orgId: ORG.id,
      day: DAY1,
      endpoint: 'completions' as const,
      projectId: 'proj_1',
      apiKeyId: 'key_1',
      model: 'gpt-4o',
      batch: 'standard' as const,
      serviceTier: 'default',
      extra: '',
    };
    await db.usage.put({
      ...usage,
      id: usageId(usage),
      requests: 3,
      inputTokens: 3_000_000_000,
      cachedTokens: 0,
      outputTokens: 7,
      units: 0,
      estimatedMicros: 1_250_000,
      priceNote: '',
    });
    const cost = { orgId: ORG.id, day: DAY1, projectId: 'proj_1', apiKeyId: 'key_1', lineItem: 'gpt-4o, input' };
    await db.costs.put({ ...cost, id: costId(cost), micros: 1_300_000, currency: 'usd', quantity: null, quantityUnit: '' });
    await db.keys.put({
      id: `${ORG.id}|key_1`,
      orgId: ORG.id,
      keyId: 'key_1',
      name: '@finance-bot',
      redactedValue: 'sk-…wxyz',
      projectId: 'proj_1',
      ownerType: 'user',
      ownerName: 'Ana',
      ownerEmail: 'ana@example.com',
      createdAt: 0,
      lastUsedAt: null,
      firstSeenAt: 0,
      lastSeenAt: 0,
      deleted: false,
    });
  });

  afterEach(async () => {
    unregister();
    await Promise.all(historyDb().tables.map((table) => table.clear())); // the background's shared handle stays open
  });

  it('answers with the file, base64-encoded, named after the org and range', async () => {
    const result = await sendMessage('export:build', { ...JAN, grouping: 'key', format: 'csv', bom: true });
    expect(result).toMatchObject({
      filename: 'keymeter_handler-org_2026-01-01_2026-01-31_key.csv',
      mimeType: 'text/csv;charset=utf-8',
      rowCount: 1,
    });
    const { rows, hadBom } = parseCsv(base64ToBytes(result.base64));
    expect(hadBom).toBe(true);
    expect(rows[0]).toMatchObject({
      'Key name': "'@finance-bot",
      'Input tokens': '3000000000',
      'Estimated cost': '1.250000',
      'Billed cost': '1.300000',
      'Difference (billed − estimated)': '0.050000',
    });
  });

  it('builds XLSX and JSON in the background too', async () => {
    const xlsx = await sendMessage('export:build', { orgId: ORG.id, ...JAN, grouping: 'day-key', format: 'xlsx' });
    expect([...base64ToBytes(xlsx.base64).slice(0, 2)]).toEqual([0x50, 0x4b]); // a zip
    const json = await sendMessage('export:build', { ...JAN, grouping: 'key-model', format: 'json' });
    expect(parseExportJson(new TextDecoder().decode(base64ToBytes(json.base64))).table.rows.map((r) => r.model)).toEqual([
      'gpt-4o',
      '(billed cost, all models)',
    ]);
  });

  it('refuses to put billed costs in another currency beside USD estimates', async () => {
    const cost = { orgId: ORG.id, day: DAY1, projectId: 'proj_1', apiKeyId: 'key_1', lineItem: 'eur line' };
    await historyDb().costs.put({ ...cost, id: costId(cost), micros: 5, currency: 'eur', quantity: null, quantityUnit: '' });
    await expect(sendMessage('export:build', { ...JAN, grouping: 'key', format: 'csv' })).rejects.toThrow(
      'Billed costs of Handler Org are in EUR; Keymeter exports only USD beside its USD estimates.',
    );
  });

  it('fails with a clear message for an organisation that is not connected', async () => {
    await expect(sendMessage('export:build', { orgId: 'gone', ...JAN, grouping: 'key', format: 'csv' })).rejects.toThrow(
      'That organisation is no longer connected.',
    );
    await orgsItem.setValue([]);
    await expect(sendMessage('export:build', { ...JAN, grouping: 'key', format: 'csv' })).rejects.toThrow(
      /No organisation is connected yet/,
    );
  });

  it("answers Keymeter's own pages only: the dashboard's content script is refused", async () => {
    sendMessagesFrom('https://platform.openai.com/usage');
    await expect(sendMessage('export:build', { ...JAN, grouping: 'key', format: 'csv' })).rejects.toThrow(
      '"export:build" is answered to Keymeter\'s own pages only',
    );
  });
});

describe('exportBuildInput', () => {
  it.each([
    [{ ...JAN, grouping: 'key', format: 'csv' }, true],
    [{ ...JAN, grouping: 'key', format: 'xlsx', bom: false, orgId: 'o', tagsByKey: { key_1: ['cc'] } }, true],
    [{ ...JAN, grouping: 'user', format: 'csv' }, false],
    [{ ...JAN, grouping: 'key', format: 'xls' }, false],
    [{ from: JAN.to, to: JAN.from, grouping: 'key', format: 'csv' }, false],
    [{ from: 0, to: 4 * 366 * 86_400, grouping: 'key', format: 'csv' }, false],
    [{ ...JAN, grouping: 'key', format: 'csv', tagsByKey: { key_1: [''] } }, false],
  ])('%j → valid: %s', (input, valid) => {
    expect(exportBuildInput.safeParse(input).success).toBe(valid);
  });
});

describe('base64', () => {
  it.each([[0], [1], [0x8000 + 3], [300_000]])('%d bytes round-trip', (length) => {
    const bytes = Uint8Array.from({ length }, (_, i) => (i * 7919) % 256);
    expect(base64ToBytes(bytesToBase64(bytes))).toEqual(bytes);
  });
});
