import { queryOptions } from '@tanstack/react-query';
import { sendMessage } from './messaging';

/** TanStack Query factories: every view reads through these, and every queryFn asks the background. */
export const orgsQuery = () => queryOptions({ queryKey: ['orgs'], queryFn: () => sendMessage('orgs:list', undefined) });

/** Sync state of every organisation; polls every second while a sync runs. */
export const syncStatusQuery = () =>
  queryOptions({
    queryKey: ['sync-status'],
    queryFn: () => sendMessage('sync:status', undefined),
    refetchInterval: (query) => (query.state.data?.some((s) => s.running || (s.lastSuccessAt === null && !s.lastError)) ? 1000 : false),
  });

/** Usage panel data for one range (all connected organisations, or one). */
export const panelQuery = (range: { from: number; to: number; orgId?: string }) =>
  queryOptions({
    queryKey: ['usage', 'panel', { orgId: range.orgId ?? null, from: range.from, to: range.to }],
    queryFn: () => sendMessage('usage:panel', { orgId: range.orgId, from: range.from, to: range.to }),
  });

/** Zero-setup snapshots of "Top API keys", newest first. */
export const snapshotsQuery = () =>
  queryOptions({ queryKey: ['history', 'snapshots'], queryFn: () => sendMessage('history:snapshots', undefined) });

/** Bulk-enable runs from the audit log, newest first. */
export const bulkAuditLogQuery = () =>
  queryOptions({ queryKey: ['history', 'bulk-audit'], queryFn: () => sendMessage('bulk:auditLog', undefined) });

/** Report page: the per-key table, charts and spikes for one range (one organisation, or all combined). */
export const reportOverviewQuery = (range: { from: number; to: number; orgId?: string }) =>
  queryOptions({
    queryKey: ['report', 'overview', { orgId: range.orgId ?? null, from: range.from, to: range.to }],
    queryFn: () => sendMessage('report:overview', { orgId: range.orgId, from: range.from, to: range.to }),
  });

/** Report page: one key's history by model. */
export const keyHistoryQuery = (input: { orgId: string; apiKeyId: string; from: number; to: number }) =>
  queryOptions({
    queryKey: ['report', 'key', input],
    queryFn: () => sendMessage('report:keyHistory', input),
  });

/** Report page: this month's forecasts, budgets and recent alerts. */
export const monthInsightsQuery = (orgId?: string) =>
  queryOptions({
    queryKey: ['report', 'month', { orgId: orgId ?? null }],
    queryFn: () => sendMessage('report:month', { orgId }),
  });

/** Options page: bytes used and rows per table of the history database; read again after each sync (`lastSync`). */
export const storageQuery = (lastSync = 0) =>
  queryOptions({ queryKey: ['history', 'storage', lastSync], queryFn: () => sendMessage('history:storage', undefined) });
