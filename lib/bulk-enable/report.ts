import type { ItemStatus, RunItem, RunState } from './run';

/** Counts and the plain-text report of a run (copied to the clipboard or downloaded as .txt). */

export interface RunCounts {
  enabled: number;
  already: number;
  failed: number;
  skipped: number;
  pending: number;
  /** Keys the person ticked. */
  selected: number;
  /** Ticked keys with an outcome (enabled, already on, failed). */
  processed: number;
}

export function countRun(state: Pick<RunState, 'items'>): RunCounts {
  const by = (status: ItemStatus) => state.items.filter((i) => i.status === status).length;
  const unticked = state.items.filter((i) => i.status === 'skipped' && i.skipReason === 'unticked').length;
  const counts = { enabled: by('enabled'), already: by('already'), failed: by('failed'), skipped: by('skipped'), pending: by('pending') };
  return { ...counts, selected: state.items.length - unticked, processed: counts.enabled + counts.already + counts.failed };
}

const STATUS_WORDS: Record<RunState['status'], string> = {
  running: 'running',
  interrupted: 'interrupted',
  done: 'finished',
  cancelled: 'cancelled',
  stopped: 'stopped',
};

const SKIP_WORDS = {
  unticked: 'not selected',
  cancelled: 'cancelled before it was reached',
  stopped: 'not reached: the run stopped',
} as const;

function utc(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function paginationSentence(state: Pick<RunState, 'pagination' | 'pageCount'>): string {
  if (state.pagination === 'walked') return `All ${state.pageCount} pages of the keys table were checked.`;
  if (state.pagination === 'single') return 'The keys table has one page.';
  return 'Only the visible page of the keys table was handled: Keymeter did not recognise its pagination.';
}

function line(item: RunItem): string {
  const key = `${item.key.name} (${item.key.redacted})`;
  if (item.status === 'failed')
    return `  - ${key}: ${item.error ?? 'no message'} (${item.attempts} attempt${item.attempts === 1 ? '' : 's'})`;
  if (item.status === 'skipped') return `  - ${key}: ${item.skipReason ? SKIP_WORDS[item.skipReason] : 'skipped'}`;
  return `  - ${key}`;
}

export function reportText(state: RunState): string {
  const c = countRun(state);
  const lines = [
    'Keymeter: enable usage tracking on API keys',
    `Run ${state.id}, started ${utc(state.startedAt)}${state.finishedAt ? `, ${STATUS_WORDS[state.status]} ${utc(state.finishedAt)}` : ` (${STATUS_WORDS[state.status]})`}`,
  ];
  if (state.reason) lines.push(state.reason);
  lines.push(paginationSentence(state));
  lines.push(
    `Enabled: ${c.enabled} · Already on: ${c.already} · Failed: ${c.failed} · Skipped: ${c.skipped}${c.pending ? ` · Not done yet: ${c.pending}` : ''}`,
  );
  const section = (title: string, status: ItemStatus) => {
    const items = state.items.filter((i) => i.status === status);
    if (items.length === 0) return;
    lines.push('', `${title} (${items.length})`, ...items.map(line));
  };
  section('Enabled', 'enabled');
  section('Already on', 'already');
  section('Failed', 'failed');
  section('Skipped', 'skipped');
  section('Not done yet', 'pending');
  return `${lines.join('\n')}\n`;
}

export function reportFileName(state: Pick<RunState, 'startedAt'>): string {
  return `keymeter-enable-tracking-${new Date(state.startedAt).toISOString().slice(0, 19).replace(/[:T]/g, '-')}.txt`;
}

/** One line for the audit log and the toolbar. */
export function runSummary(state: RunState): string {
  const c = countRun(state);
  return `${STATUS_WORDS[state.status]}: ${c.enabled} enabled, ${c.already} already on, ${c.failed} failed, ${c.skipped} skipped${c.pending ? `, ${c.pending} left` : ''}`;
}

/** What the audit log keeps of a run (sent to the background as `bulk:audit`). */
export interface BulkRunAuditEntry {
  runId: string;
  startedAt: number;
  updatedAt: number;
  finishedAt: number | null;
  status: RunState['status'];
  reason: string | null;
  pagination: RunState['pagination'];
  pageCount: number;
  pacingMs: number;
  items: Array<{
    name: string;
    redacted: string;
    created: string;
    status: ItemStatus;
    attempts: number;
    error: string | null;
    skipReason: NonNullable<RunItem['skipReason']> | null;
  }>;
}

export function auditEntryOf(state: RunState): BulkRunAuditEntry {
  return {
    runId: state.id,
    startedAt: state.startedAt,
    updatedAt: state.updatedAt,
    finishedAt: state.finishedAt,
    status: state.status,
    reason: state.reason,
    pagination: state.pagination,
    pageCount: state.pageCount,
    pacingMs: state.pacingMs,
    items: state.items.map((i) => ({
      name: i.key.name,
      redacted: i.key.redacted,
      created: i.key.created,
      status: i.status,
      attempts: i.attempts,
      error: i.error ?? null,
      skipReason: i.skipReason ?? null,
    })),
  };
}
