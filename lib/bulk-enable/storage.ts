import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { ATTEMPT_LIMITS, DEFAULT_RUN_SETTINGS, PACING_LIMITS, type RunItem, type RunSettings, type RunState } from './run';

/**
 * Bulk-enable's storage items (re-exported by lib/settings.ts), owned by the background
 * (entrypoints/background/bulk-handlers.ts). The content script reaches them only through the
 * `bulk:*` messages: storage.local is closed to content scripts (lib/storage-access.ts), and
 * nothing in the content script may touch extension storage. Keys and stored shapes are the
 * ones the content script used to write itself, so a run saved before still reads back.
 */

/** Pacing between keys and attempts per key. */
export const bulkEnableSettingsItem = storage.defineItem<RunSettings>('local:bulkEnableSettings', {
  fallback: DEFAULT_RUN_SETTINGS,
  version: 1,
});

/** The current (or last) run: what is done and what remains, so a reload can continue it. */
export const bulkEnableRunItem = storage.defineItem<RunState | null>('local:bulkEnableRun', { fallback: null, version: 1 });

export const bulkEnableSettingsSchema = z.object({
  pacingMs: z.number().int().min(PACING_LIMITS.min).max(PACING_LIMITS.max),
  maxAttempts: z.number().int().min(ATTEMPT_LIMITS.min).max(ATTEMPT_LIMITS.max),
});

const MAX_TIME = 8.64e15;
const text = (max: number) => z.string().max(max);
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const time = int(0, MAX_TIME);

const runItemSchema = z
  .object({
    key: z.object({ name: text(500), redacted: text(80), created: text(80) }),
    lastUsed: text(80),
    page: int(1, 10_000),
    status: z.enum(['pending', 'enabled', 'already', 'failed', 'skipped']),
    attempts: int(0, 100),
    // Extras: a malformed one is dropped rather than costing the whole run.
    error: text(1000).optional().catch(undefined),
    skipReason: z.enum(['unticked', 'cancelled', 'stopped']).optional().catch(undefined),
    inFlight: z.boolean().optional().catch(undefined),
  })
  .transform(
    ({ error, skipReason, inFlight, ...item }): RunItem => ({
      ...item,
      ...(error !== undefined && { error }),
      ...(skipReason !== undefined && { skipReason }),
      ...(inFlight === true && { inFlight }),
    }),
  );

/** A run as stored and as the content script sends it to be saved. */
export const runStateSchema = z.object({
  version: z.literal(1),
  id: text(100),
  startedAt: time,
  updatedAt: time,
  finishedAt: time.nullable(),
  status: z.enum(['running', 'interrupted', 'done', 'cancelled', 'stopped']),
  reason: text(2000).nullable(),
  cancelRequested: z.boolean(),
  pacingMs: int(PACING_LIMITS.min, PACING_LIMITS.max),
  maxAttempts: int(ATTEMPT_LIMITS.min, ATTEMPT_LIMITS.max),
  pagination: z.enum(['single', 'walked', 'visible-only']),
  pageCount: int(1, 10_000),
  owner: text(100),
  path: text(500),
  items: z.array(runItemSchema).max(10_000),
}) satisfies z.ZodType<RunState>;

/** Stored settings, clamped into range; anything unreadable falls back to the defaults. */
export function parseRunSettings(value: unknown): RunSettings {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ...DEFAULT_RUN_SETTINGS };
  const { pacingMs, maxAttempts } = value as Record<string, unknown>;
  const clamp = (v: unknown, limits: { min: number; max: number }, fallback: number) =>
    typeof v === 'number' && Number.isFinite(v) ? Math.min(limits.max, Math.max(limits.min, Math.round(v))) : fallback;
  return {
    pacingMs: clamp(pacingMs, PACING_LIMITS, DEFAULT_RUN_SETTINGS.pacingMs),
    maxAttempts: clamp(maxAttempts, ATTEMPT_LIMITS, DEFAULT_RUN_SETTINGS.maxAttempts),
  };
}

/** A stored run, or null when there is none or it does not have the expected shape (then it is ignored). */
export function parseRunState(value: unknown): RunState | null {
  const parsed = runStateSchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

// Background only: the handlers of the `bulk:*` storage messages.

export async function readRunSettings(): Promise<RunSettings> {
  return parseRunSettings(await bulkEnableSettingsItem.getValue());
}

/** Merges a change into the stored settings (written only when it changes something); returns the result. */
export async function saveRunSettings(change: Partial<RunSettings>): Promise<RunSettings> {
  const current = await readRunSettings();
  const next = parseRunSettings({ ...current, ...change });
  if (next.pacingMs !== current.pacingMs || next.maxAttempts !== current.maxAttempts) await bulkEnableSettingsItem.setValue(next);
  return next;
}

export async function readRun(): Promise<RunState | null> {
  return parseRunState(await bulkEnableRunItem.getValue());
}

/** Saves the run (null forgets it). */
export async function saveRun(state: RunState | null): Promise<void> {
  await bulkEnableRunItem.setValue(state);
}
