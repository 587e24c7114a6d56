import { storage } from 'wxt/utils/storage';
import { ATTEMPT_LIMITS, DEFAULT_RUN_SETTINGS, type ItemStatus, PACING_LIMITS, type RunItem, type RunSettings, type RunState } from './run';

/**
 * Bulk-enable's storage items (re-exported by lib/settings.ts). Read by the content script, so the
 * checks here are hand-written instead of zod (the content script ships no zod, see messaging.ts);
 * lib/settings.ts has the zod schema of the settings for the options page.
 */

/** Pacing between keys and attempts per key. */
export const bulkEnableSettingsItem = storage.defineItem<RunSettings>('local:bulkEnableSettings', {
  fallback: DEFAULT_RUN_SETTINGS,
  version: 1,
});

/** The current (or last) run: what is done and what remains, so a reload can continue it. */
export const bulkEnableRunItem = storage.defineItem<RunState | null>('local:bulkEnableRun', { fallback: null, version: 1 });

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min: number, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isString = (v: unknown, max = 500): v is string => typeof v === 'string' && v.length <= max;
const oneOf = <T extends string>(v: unknown, values: readonly T[]): v is T =>
  typeof v === 'string' && (values as readonly string[]).includes(v);

/** Stored settings, clamped into range; anything unreadable falls back to the defaults. */
export function parseRunSettings(value: unknown): RunSettings {
  if (!isObject(value)) return { ...DEFAULT_RUN_SETTINGS };
  const clamp = (v: unknown, limits: { min: number; max: number }, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(limits.max, Math.max(limits.min, Math.round(v))) : fallback;
  return {
    pacingMs: clamp(value.pacingMs, PACING_LIMITS, DEFAULT_RUN_SETTINGS.pacingMs),
    maxAttempts: clamp(value.maxAttempts, ATTEMPT_LIMITS, DEFAULT_RUN_SETTINGS.maxAttempts),
  };
}

const ITEM_STATUSES: readonly ItemStatus[] = ['pending', 'enabled', 'already', 'failed', 'skipped'];
const MAX_TIME = 8.64e15;

function parseItem(value: unknown): RunItem | null {
  if (!isObject(value) || !isObject(value.key)) return null;
  const { key } = value;
  if (!isString(key.name) || !isString(key.redacted, 80) || !isString(key.created, 80)) return null;
  if (
    !isString(value.lastUsed, 80) ||
    !isInt(value.page, 1, 10_000) ||
    !oneOf(value.status, ITEM_STATUSES) ||
    !isInt(value.attempts, 0, 100)
  )
    return null;
  const item: RunItem = {
    key: { name: key.name, redacted: key.redacted, created: key.created },
    lastUsed: value.lastUsed,
    page: value.page,
    status: value.status,
    attempts: value.attempts,
  };
  if (isString(value.error, 1000)) item.error = value.error;
  if (oneOf(value.skipReason, ['unticked', 'cancelled', 'stopped'] as const)) item.skipReason = value.skipReason;
  if (value.inFlight === true) item.inFlight = true;
  return item;
}

/** A stored run, or null when there is none or it does not have the expected shape (then it is ignored). */
export function parseRunState(value: unknown): RunState | null {
  if (!isObject(value) || value.version !== 1 || !Array.isArray(value.items) || value.items.length > 10_000) return null;
  const items = value.items.map(parseItem);
  if (items.some((i) => i === null)) return null;
  const v = value;
  if (!isString(v.id, 100) || !isInt(v.startedAt, 0, MAX_TIME) || !isInt(v.updatedAt, 0, MAX_TIME)) return null;
  if (!(v.finishedAt === null || isInt(v.finishedAt, 0, MAX_TIME))) return null;
  if (!oneOf(v.status, ['running', 'interrupted', 'done', 'cancelled', 'stopped'] as const)) return null;
  if (!(v.reason === null || isString(v.reason, 2000)) || typeof v.cancelRequested !== 'boolean') return null;
  if (!isInt(v.pacingMs, PACING_LIMITS.min, PACING_LIMITS.max) || !isInt(v.maxAttempts, ATTEMPT_LIMITS.min, ATTEMPT_LIMITS.max))
    return null;
  if (!oneOf(v.pagination, ['single', 'walked', 'visible-only'] as const) || !isInt(v.pageCount, 1, 10_000)) return null;
  if (!isString(v.owner, 100) || !isString(v.path, 500)) return null;
  return {
    version: 1,
    id: v.id,
    startedAt: v.startedAt,
    updatedAt: v.updatedAt,
    finishedAt: v.finishedAt,
    status: v.status,
    reason: v.reason,
    cancelRequested: v.cancelRequested,
    pacingMs: v.pacingMs,
    maxAttempts: v.maxAttempts,
    pagination: v.pagination,
    pageCount: v.pageCount,
    owner: v.owner,
    path: v.path,
    items: items as RunItem[],
  };
}
