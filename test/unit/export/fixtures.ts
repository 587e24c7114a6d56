import Papa from 'papaparse';
import { assembleDataset } from '@/lib/export/about';
import type { BilledFact, ExportFacts, UsageFact } from '@/lib/export/aggregate';
import type { ExportDataset, ExportGrouping } from '@/lib/export/types';

export const utcDay = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
export const RANGE = { from: utcDay('2026-01-01'), to: utcDay('2026-02-01') };
export const GENERATED_AT = Date.parse('2026-02-03T09:30:00Z');

export function usage(partial: Partial<UsageFact> & Pick<UsageFact, 'apiKeyId'>): UsageFact {
  return {
    orgId: 'org-1',
    day: utcDay('2026-01-05'),
    projectId: 'proj_a',
    model: 'gpt-4o',
    requests: 10,
    inputTokens: 1000,
    cachedTokens: 100,
    outputTokens: 500,
    estimatedMicros: 1_500_000,
    unpricedRows: 0,
    ...partial,
  };
}

export function billed(partial: Partial<BilledFact> & Pick<BilledFact, 'apiKeyId' | 'micros'>): BilledFact {
  return { orgId: 'org-1', day: utcDay('2026-01-05'), projectId: 'proj_a', ...partial };
}

/** A small organisation: an active key, a deleted key, usage without a key, an unpriced model. */
export function sampleFacts(): ExportFacts {
  return {
    orgs: [{ orgId: 'org-1', label: 'Acme Robotics', lastSyncAt: utcDay('2026-02-03') + 3600 }],
    keys: [
      {
        orgId: 'org-1',
        apiKeyId: 'key_a',
        name: 'support-bot',
        redactedValue: 'sk-…aaaa',
        projectId: 'proj_a',
        owner: 'Dana',
        deleted: false,
      },
      {
        orgId: 'org-1',
        apiKeyId: 'key_b',
        name: 'old-batch-job',
        redactedValue: 'sk-…bbbb',
        projectId: 'proj_b',
        owner: 'Lee',
        deleted: true,
      },
    ],
    projects: [
      { orgId: 'org-1', projectId: 'proj_a', name: 'Support' },
      { orgId: 'org-1', projectId: 'proj_b', name: 'Research' },
    ],
    usage: [
      usage({ apiKeyId: 'key_a', day: utcDay('2026-01-05'), model: 'gpt-4o', estimatedMicros: 1_234_567 }),
      usage({ apiKeyId: 'key_a', day: utcDay('2026-01-06'), model: 'gpt-4o', estimatedMicros: 2_000_001 }),
      usage({ apiKeyId: 'key_a', day: utcDay('2026-01-06'), model: 'gpt-4o-mini', inputTokens: 5_000_000_000, estimatedMicros: 750_000 }),
      usage({
        apiKeyId: 'key_b',
        projectId: 'proj_b',
        day: utcDay('2026-01-05'),
        model: 'mystery-model',
        estimatedMicros: 0,
        unpricedRows: 3,
      }),
      usage({ apiKeyId: '', projectId: 'proj_a', day: utcDay('2026-01-07'), model: 'gpt-4o', estimatedMicros: 300_000 }),
    ],
    billed: [
      billed({ apiKeyId: 'key_a', day: utcDay('2026-01-05'), micros: 1_300_000 }),
      billed({ apiKeyId: 'key_a', day: utcDay('2026-01-06'), micros: 2_500_000 }),
      billed({ apiKeyId: 'key_b', projectId: 'proj_b', day: utcDay('2026-01-05'), micros: 400_000 }),
      billed({ apiKeyId: '', projectId: 'proj_a', day: utcDay('2026-01-08'), micros: 90_000 }),
    ],
    tagsByKey: { key_a: ['support'], key_b: ['research', 'batch'] },
  };
}

export function sampleDataset(grouping: ExportGrouping = 'key', facts: ExportFacts = sampleFacts()): ExportDataset {
  return assembleDataset({ facts, range: RANGE, grouping, generatedAt: GENERATED_AT, priceOverrides: 0 });
}

export function parseCsv(bytes: Uint8Array): { fields: string[]; rows: Array<Record<string, string>>; hadBom: boolean } {
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
  const hadBom = text.startsWith('\uFEFF');
  const parsed = Papa.parse<Record<string, string>>(hadBom ? text.slice(1) : text, { header: true, skipEmptyLines: true });
  if (parsed.errors.length > 0) throw new Error(`CSV did not parse: ${JSON.stringify(parsed.errors.slice(0, 3))}`);
  return { fields: parsed.meta.fields ?? [], rows: parsed.data, hadBom };
}
