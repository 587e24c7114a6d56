import type { Micros } from '../money';
import type { UsageEndpoint } from '../openai/schemas';

/**
 * What Keymeter stores: one row per (org, UTC day, endpoint, project, key, model, batch,
 * service tier, extra dimension). `id` is that natural key, so writing the same row twice
 * replaces it: syncs are idempotent. Absent dimensions are '' (IndexedDB cannot index null).
 */
export interface UsageRecord {
  id: string;
  orgId: string;
  day: number;
  endpoint: UsageEndpoint;
  projectId: string;
  /** '' = usage without a key (tracking off on a legacy key). */
  apiKeyId: string;
  model: string;
  batch: '' | 'batch' | 'standard';
  serviceTier: string;
  /** size/source (images), context level (web search), vector store (file search). */
  extra: string;
  requests: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** Units of non-token endpoints: images, characters, seconds, bytes, sessions, calls. */
  units: number;
  /** Estimated cost; null when the price is unknown or the endpoint is billed only (see priceNote). */
  estimatedMicros: Micros | null;
  priceNote: string;
}

export interface CostRecord {
  id: string;
  orgId: string;
  day: number;
  projectId: string;
  apiKeyId: string;
  lineItem: string;
  micros: Micros;
  currency: string;
  quantity: number | null;
  quantityUnit: string;
}

export interface KeyRecord {
  id: string; // `${orgId}|${keyId}`
  orgId: string;
  keyId: string;
  name: string;
  redactedValue: string;
  projectId: string;
  ownerType: string;
  ownerName: string;
  ownerEmail: string;
  createdAt: number;
  lastUsedAt: number | null;
  firstSeenAt: number;
  lastSeenAt: number;
  /** Gone from the API's key lists: kept with its name and history. */
  deleted: boolean;
}

export interface ProjectRecord {
  id: string; // `${orgId}|${projectId}`
  orgId: string;
  projectId: string;
  name: string;
  archived: boolean;
}

/** What "Top API keys" showed on one visit, recorded without an admin key. */
export interface SnapshotRecord {
  id?: number;
  at: number;
  /** The range the dashboard showed, as read from the page. */
  rangeStart: string;
  rangeEnd: string;
  rangeLabel: string;
  rows: Array<{ label: string; redacted: string; project: string; requests: number }>;
}

export function usageId(
  r: Omit<UsageRecord, 'id' | 'requests' | 'inputTokens' | 'cachedTokens' | 'outputTokens' | 'units' | 'estimatedMicros' | 'priceNote'>,
): string {
  return [r.orgId, r.day, r.endpoint, r.projectId, r.apiKeyId, r.model, r.batch, r.serviceTier, r.extra].join('|');
}

export function costId(r: Pick<CostRecord, 'orgId' | 'day' | 'projectId' | 'apiKeyId' | 'lineItem'>): string {
  return [r.orgId, r.day, r.projectId, r.apiKeyId, r.lineItem].join('|');
}
