import { type UsageRecord, usageId } from '@/lib/usage/records';

/** Unix seconds of the start of a UTC day given as YYYY-MM-DD. */
export const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
/** µ$ in one dollar. */
export const USD = 1_000_000;

/** One stored usage row: one completions request of 10 input and 5 output tokens on gpt-4o, unless told otherwise. */
export function usageRecord(
  fields: Pick<UsageRecord, 'orgId' | 'day' | 'projectId' | 'apiKeyId' | 'estimatedMicros'> & Partial<UsageRecord>,
): UsageRecord {
  const row: UsageRecord = {
    endpoint: 'completions',
    model: 'gpt-4o',
    batch: '',
    serviceTier: '',
    extra: '',
    requests: 1,
    inputTokens: 10,
    cachedTokens: 0,
    outputTokens: 5,
    units: 0,
    priceNote: '',
    ...fields,
    id: '',
  };
  return { ...row, id: fields.id ?? usageId(row) };
}
