import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { sendMessage } from '@/lib/messaging';
import { describeApiError } from '@/lib/openai/errors';
import { syncStatusQuery } from '@/lib/queries';

/** Freshness of the history, "Sync now", and a reload of the report when a sync ends. */
export function SyncBar() {
  const queryClient = useQueryClient();
  const status = useQuery(syncStatusQuery());
  const sync = useMutation({
    mutationFn: () => sendMessage('sync:now', {}),
    onSettled: () => void queryClient.invalidateQueries(),
  });
  const running = sync.isPending || (status.data?.some((s) => s.running !== null) ?? false);
  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) void queryClient.invalidateQueries({ queryKey: ['report'] });
    wasRunning.current = running;
  }, [running, queryClient]);

  const last = (status.data ?? []).map((s) => s.lastSuccessAt).filter((t): t is number => t !== null);
  const errors = (status.data ?? []).filter((s) => s.lastError).map((s) => `${s.label}: ${describeApiError(s.lastError!)}`);
  return (
    <span className="km-syncbar">
      <span role="status" data-testid="report-sync-state" data-last-success={last.length ? Math.min(...last) : undefined}>
        {running
          ? 'Syncing…'
          : last.length
            ? `Last synced ${new Date(Math.min(...last) * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC`
            : 'Not synced yet'}
      </span>
      <button type="button" onClick={() => sync.mutate()} disabled={running}>
        Sync now
      </button>
      {errors.map((e) => (
        <span key={e} role="alert" className="km-error km-inline">
          {e}
        </span>
      ))}
    </span>
  );
}
