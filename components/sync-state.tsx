import type { SyncStatus } from '@/lib/messaging';
import { describeApiError } from '@/lib/openai/errors';

/** One organisation's sync state in words: syncing with progress, last success, or the error sentence. */
export function SyncState({ status }: { status: SyncStatus | undefined }) {
  if (!status) return <span className="km-muted">…</span>;
  if (status.running) {
    return (
      <span data-testid="sync-state" data-state="running">
        Syncing… {status.running.pagesDone} / {status.running.pagesPlanned} pages
      </span>
    );
  }
  if (status.lastError) {
    return (
      <span data-testid="sync-state" data-state="error" className="km-error-text">
        {describeApiError(status.lastError)}
      </span>
    );
  }
  if (status.lastSuccessAt) {
    return (
      <span data-testid="sync-state" data-state="synced">
        Synced {new Date(status.lastSuccessAt * 1000).toLocaleString()}
      </span>
    );
  }
  return (
    <span data-testid="sync-state" data-state="never">
      Not synced yet
    </span>
  );
}
