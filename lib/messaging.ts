import { defineExtensionMessaging } from '@webext-core/messaging';
import type { z } from 'zod';
import type { Budget } from './budgets/budgets';
import type { RunSettings, RunState } from './bulk-enable/run';
import type { ExportBuildResult } from './export/types';
import type { BulkAuditLogEntry } from './history/audit';
import type { RestoreResponse } from './history/backup';
import type { KeyTableRow } from './history/key-table';
import type { StorageReport } from './history/maintenance';
import type { RepriceResult } from './history/reprice';
import type { PruneResult } from './history/retention';
import type {
  addOrgInput,
  budgetRemoveInput,
  budgetSaveInput,
  bulkAuditInput,
  bulkSaveRunInput,
  bulkSaveSettingsInput,
  exportBuildInput,
  historyRestoreInput,
  keyHistoryInput,
  keyTableInput,
  panelInput,
  recordSnapshotInput,
  removeOrgInput,
  reportMonthInput,
  reportOverviewInput,
  syncNowInput,
  tagsAssignInput,
  tagsCsvInput,
  tagsImportInput,
} from './message-inputs';
import type { ApiErrorInfo } from './openai/errors';
import type { KeyHistory, MonthInsights, ReportOverview } from './report/types';
import type { Org } from './settings';
import type { SyncOutcome } from './sync/run';
import type { TagImportError } from './tags/csv';
import type { PanelData } from './usage/panel-data';
import type { SnapshotRecord } from './usage/records';

/**
 * The one message protocol between views (content script, options, popup, report) and the
 * background. Names are namespaced by area. Every payload is validated on receipt with the
 * schema of the same name in message-inputs.ts (kept apart so the content script ships no zod).
 * The content script uses no extension storage at all: whatever it keeps goes through here.
 */

export interface SyncStatus {
  orgId: string;
  label: string;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: ApiErrorInfo | null;
  running: { pagesDone: number; pagesPlanned: number } | null;
}

export interface KeyTableResponse {
  rows: KeyTableRow[];
  orgs: Array<{ orgId: string; label: string; lastSuccessAt: number | null }>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiErrorInfo };

export interface ProtocolMap {
  'orgs:list'(): Org[];
  'orgs:add'(input: z.input<typeof addOrgInput>): Result<Org>;
  'orgs:remove'(input: z.input<typeof removeOrgInput>): void;
  'sync:now'(input: z.input<typeof syncNowInput>): Record<string, SyncOutcome>;
  'sync:status'(): SyncStatus[];
  'usage:keyTable'(input: z.input<typeof keyTableInput>): KeyTableResponse;
  'usage:panel'(input: z.input<typeof panelInput>): PanelData;
  /** Background → views (dashboard tabs with columns, extension pages): history changed, reload what you show. */
  'history:changed'(): void;
  'history:recordSnapshot'(input: z.input<typeof recordSnapshotInput>): void;
  'history:snapshots'(): SnapshotRecord[];
  /** Builds a finance export (CSV, XLSX or JSON) from local history; the file comes back base64-encoded. */
  'export:build'(input: z.input<typeof exportBuildInput>): ExportBuildResult;
  /** Bulk-enable: add or update a run in the audit log; list the log (newest first). */
  'bulk:audit'(input: z.input<typeof bulkAuditInput>): void;
  'bulk:auditLog'(): BulkAuditLogEntry[];
  /**
   * Bulk-enable state, kept by the background in storage.local (closed to content scripts): the
   * settings (pacing, attempts), merged with a change; the run a reload can continue, or forgotten.
   */
  'bulk:settings'(): RunSettings;
  'bulk:saveSettings'(input: z.input<typeof bulkSaveSettingsInput>): RunSettings;
  'bulk:run'(): RunState | null;
  'bulk:saveRun'(input: z.input<typeof bulkSaveRunInput>): void;
  'bulk:clearRun'(): void;
  /** Report page: per-key table, daily cost by top keys, tokens by model, spikes with attribution, for one range. */
  'report:overview'(input: z.input<typeof reportOverviewInput>): ReportOverview;
  /** Report page: one key's history by model, and its own spikes. */
  'report:keyHistory'(input: z.input<typeof keyHistoryInput>): KeyHistory;
  /** Report page: this month's forecasts (organisations and keys), budget use, recent alerts. */
  'report:month'(input: z.input<typeof reportMonthInput>): MonthInsights;
  /** Cost-center tags: add, remove or replace tags on several keys at once. */
  'tags:assign'(input: z.input<typeof tagsAssignInput>): { changed: number };
  /** Cost-center tags: apply a key → tags CSV, all or nothing. */
  'tags:import'(input: z.input<typeof tagsImportInput>): { ok: true; applied: number } | { ok: false; errors: TagImportError[] };
  /** Cost-center tags: the key → tags mapping as CSV. */
  'tags:csv'(input: z.input<typeof tagsCsvInput>): { filename: string; text: string };
  /** Budgets (alerts only): add or change one; remove one. */
  'budgets:save'(input: z.input<typeof budgetSaveInput>): Budget;
  'budgets:remove'(input: z.input<typeof budgetRemoveInput>): void;
  /** Opens the report page in a tab (from the usage panel, whose frame sits in the dashboard). */
  'report:open'(): void;
  /** Options page: bytes used (navigator.storage.estimate) and rows per table. */
  'history:storage'(): StorageReport;
  /** Applies the retention setting now (it also runs after every sync). */
  'history:prune'(): PruneResult;
  /** Deletes the history of every organisation (usage, costs, keys, projects, snapshots, sync state). */
  'history:clear'(): { deleted: number };
  /** A backup of the history as a JSON document (no admin key, no setting). */
  'history:backup'(): { filename: string; text: string; rows: number };
  /** Validates a backup file in full, then merges it in one transaction; or says why it was refused. */
  'history:restore'(input: z.input<typeof historyRestoreInput>): RestoreResponse;
  /** Re-runs the cost estimate of stored usage rows with today's price overrides. */
  'history:reprice'(): RepriceResult;
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
