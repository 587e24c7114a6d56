import { defineExtensionMessaging } from '@webext-core/messaging';
import type { z } from 'zod';
import type { BulkAuditLogEntry } from './history/audit';
import type { KeyTableRow } from './history/key-table';
import type { addOrgInput, bulkAuditInput, keyTableInput, panelInput, recordSnapshotInput, removeOrgInput, syncNowInput } from './message-inputs';
import type { ApiErrorInfo } from './openai/errors';
import type { Org } from './settings';
import type { SyncOutcome } from './sync/run';
import type { PanelData } from './usage/panel-data';
import type { SnapshotRecord } from './usage/records';
import type { ExportBuildResult } from './export/types';
import type { exportBuildInput } from './message-inputs';

/**
 * The one message protocol between views (content script, options, popup, report) and the
 * background. Names are namespaced by area. Every payload is validated on receipt with the
 * schema of the same name in message-inputs.ts (kept apart so the content script ships no zod).
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
  'history:recordSnapshot'(input: z.input<typeof recordSnapshotInput>): void;
  'history:snapshots'(): SnapshotRecord[];
  /** Builds a finance export (CSV, XLSX or JSON) from local history; the file comes back base64-encoded. */
  'export:build'(input: z.input<typeof exportBuildInput>): ExportBuildResult;
  /** Bulk-enable: add or update a run in the audit log; list the log (newest first). */
  'bulk:audit'(input: z.input<typeof bulkAuditInput>): void;
  'bulk:auditLog'(): BulkAuditLogEntry[];
}

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
