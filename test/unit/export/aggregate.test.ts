// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildTables, totalsOf } from '@/lib/export/aggregate';
import { exportFilename, slugify } from '@/lib/export/filename';
import { customRange, monthRange } from '@/lib/export/ranges';
import { BILLED_ALL_MODELS, EXPORT_GROUPINGS, type ExportRow, UNTAGGED, UNTRACKED_NAME } from '@/lib/export/types';
import { RANGE, sampleFacts, utcDay } from './fixtures';

const facts = sampleFacts();
const allUsage = facts.usage.reduce(
  (t, u) => ({
    requests: t.requests + u.requests,
    inputTokens: t.inputTokens + u.inputTokens,
    cachedTokens: t.cachedTokens + u.cachedTokens,
    outputTokens: t.outputTokens + u.outputTokens,
    estimatedMicros: t.estimatedMicros + u.estimatedMicros,
  }),
  { requests: 0, inputTokens: 0, cachedTokens: 0, outputTokens: 0, estimatedMicros: 0 },
);
const allBilled = facts.billed.reduce((sum, b) => sum + b.micros, 0);

const find = (rows: ExportRow[], match: Partial<ExportRow>) =>
  rows.filter((r) => Object.entries(match).every(([k, v]) => JSON.stringify(r[k as keyof ExportRow]) === JSON.stringify(v)));

describe('buildTables', () => {
  it.each(EXPORT_GROUPINGS)('grouping %s: nothing lost, nothing invented (totals equal the facts)', (grouping) => {
    const { rows } = buildTables(facts, grouping);
    const totals = totalsOf(rows);
    expect(totals).toMatchObject(allUsage);
    expect(totals.billedMicros).toBe(allBilled);
    expect(totals.priceUnknown).toBe(true);
  });

  it('by key: deleted keys keep their names; usage without a key is "untracked usage"', () => {
    const { rows } = buildTables(facts, 'key');
    expect(rows.map((r) => [r.keyName, r.status, r.projectName])).toEqual([
      ['old-batch-job', 'deleted', 'Research'],
      ['support-bot', 'active', 'Support'],
      [UNTRACKED_NAME, 'untracked', 'Support'],
    ]);
    const [support] = find(rows, { apiKeyId: 'key_a' });
    expect(support).toMatchObject({
      redactedKey: 'sk-…aaaa',
      owner: 'Dana',
      tags: ['support'],
      estimatedMicros: 1_234_567 + 2_000_001 + 750_000,
      billedMicros: 3_800_000,
      differenceMicros: 3_800_000 - 3_984_568,
      priceUnknown: false,
    });
    expect(find(rows, { apiKeyId: 'key_b' })[0]).toMatchObject({ priceUnknown: true, estimatedMicros: 0, billedMicros: 400_000 });
  });

  it('a key id that no key list showed is kept under its id, marked deleted', () => {
    const withGhost = { ...facts, usage: [...facts.usage, { ...facts.usage[0]!, apiKeyId: 'key_ghost' }] };
    const [ghost] = find(buildTables(withGhost, 'key').rows, { apiKeyId: 'key_ghost' });
    expect(ghost).toMatchObject({ keyName: 'key_ghost', status: 'deleted', redactedKey: '' });
  });

  it('billed stays null (not 0) where the Costs API gave nothing', () => {
    const noCosts = { ...facts, billed: [] };
    const { rows } = buildTables(noCosts, 'key');
    expect(rows.every((r) => r.billedMicros === null && r.differenceMicros === null)).toBe(true);
    expect(totalsOf(rows)).toMatchObject({ billedMicros: null, differenceMicros: null });
  });

  it('key × model: billed cost is never split by model; each key has one "(billed cost, all models)" row', () => {
    const { rows } = buildTables(facts, 'key-model');
    const modelRows = rows.filter((r) => r.model !== BILLED_ALL_MODELS);
    expect(modelRows.every((r) => r.billedMicros === null && r.differenceMicros === null)).toBe(true);
    const billedRows = rows.filter((r) => r.model === BILLED_ALL_MODELS);
    expect(billedRows.map((r) => [r.apiKeyId, r.billedMicros, r.requests, r.estimatedMicros])).toEqual([
      ['key_b', 400_000, 0, 0],
      ['key_a', 3_800_000, 0, 0],
      ['', 90_000, 0, 0],
    ]);
    expect(find(rows, { apiKeyId: 'key_a', model: 'gpt-4o-mini' })[0]?.inputTokens).toBe(5_000_000_000);
  });

  it('project: usage and billed per project', () => {
    const { rows } = buildTables(facts, 'project');
    expect(rows.map((r) => [r.projectName, r.billedMicros])).toEqual([
      ['Research', 400_000],
      ['Support', 3_890_000],
    ]);
  });

  it('cost-center tag: untagged keys (and untracked usage) under "untagged"; several tags make one combined group', () => {
    const { rows } = buildTables(facts, 'tag');
    expect(rows.map((r) => [r.costCenter, r.tags, r.billedMicros])).toEqual([
      ['batch + research', ['batch', 'research'], 400_000],
      ['support', ['support'], 3_800_000],
      [UNTAGGED, [], 90_000],
    ]);
    const noTags = buildTables({ ...facts, tagsByKey: undefined }, 'tag').rows;
    expect(noTags.map((r) => r.costCenter)).toEqual([UNTAGGED]);
  });

  it('day × key: one row per UTC day and key, billed on the day it was billed', () => {
    const { rows } = buildTables(facts, 'day-key');
    expect(rows.map((r) => [r.day, r.keyName, r.billedMicros])).toEqual([
      ['2026-01-05', 'old-batch-job', 400_000],
      ['2026-01-05', 'support-bot', 1_300_000],
      ['2026-01-06', 'support-bot', 2_500_000],
      ['2026-01-07', UNTRACKED_NAME, null],
      ['2026-01-08', UNTRACKED_NAME, 90_000],
    ]);
  });

  it('By model has no billed cost; By day and Reconciliation do', () => {
    const { byModel, byDay, reconciliation } = buildTables(facts, 'project');
    expect(byModel.map((r) => [r.model, r.billedMicros])).toEqual([
      ['gpt-4o', null],
      ['gpt-4o-mini', null],
      ['mystery-model', null],
    ]);
    expect(totalsOf(byDay).billedMicros).toBe(allBilled);
    expect(reconciliation.map((r) => r.apiKeyId)).toEqual(['key_b', 'key_a', '']);
  });
});

describe('file names and ranges', () => {
  it.each([
    [[{ label: 'Acme Robotics' }], 'keymeter_acme-robotics_2026-01-01_2026-01-31_key.csv'],
    [[{ label: 'Café Zürich / Prod!' }], 'keymeter_cafe-zurich-prod_2026-01-01_2026-01-31_key.csv'],
    [[{ label: '中文' }], 'keymeter_org_2026-01-01_2026-01-31_key.csv'],
    [[{ label: 'A' }, { label: 'B' }], 'keymeter_all-orgs_2026-01-01_2026-01-31_key.csv'],
  ])('%j → %s', (orgs, name) => {
    expect(exportFilename(orgs, RANGE, 'key', 'csv')).toBe(name);
  });

  it('slugs are short and never start or end with a dash', () => {
    expect(slugify(`--${'x'.repeat(100)}`)).toMatch(/^x{40}$/);
    expect(slugify(`${'a'.repeat(39)} b`)).toBe('a'.repeat(39));
  });

  it('this month and last month in UTC, also across a year boundary', () => {
    const jan3 = Date.parse('2026-01-03T23:59:00Z');
    expect(monthRange(jan3)).toEqual({ from: utcDay('2026-01-01'), to: utcDay('2026-02-01') });
    expect(monthRange(jan3, -1)).toEqual({ from: utcDay('2025-12-01'), to: utcDay('2026-01-01') });
  });

  it.each([
    ['2026-01-01', '2026-01-31', { ok: true, range: RANGE }],
    ['2026-01-31', '2026-01-01', { ok: false, error: 'The end date is before the start date.' }],
    ['2026-02-30', '2026-03-01', { ok: false, error: 'Choose a start date.' }],
    ['', '2026-03-01', { ok: false, error: 'Choose a start date.' }],
    ['2020-01-01', '2026-03-01', { ok: false, error: 'A range can span at most three years.' }],
  ])('custom %s … %s', (from, to, expected) => {
    expect(customRange(from, to)).toEqual(expected);
  });
});
