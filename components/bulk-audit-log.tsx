import { useQuery } from '@tanstack/react-query';
import type { BulkAuditLogEntry } from '@/lib/history/audit';
import { bulkAuditLogQuery } from '@/lib/queries';

/**
 * The audit log of bulk "enable usage tracking" runs (for the report page): when, how each ended,
 * counts, and per key the outcome with the dashboard's own error text. Key names are shown as text.
 */

const STATUS_WORDS: Record<BulkAuditLogEntry['status'], string> = {
  running: 'Running',
  interrupted: 'Interrupted',
  done: 'Finished',
  cancelled: 'Cancelled',
  stopped: 'Stopped',
};

const ITEM_WORDS: Record<BulkAuditLogEntry['items'][number]['status'], string> = {
  pending: 'not done yet',
  enabled: 'enabled',
  already: 'already on',
  failed: 'failed',
  skipped: 'skipped',
};

const SKIP_WORDS = { unticked: 'not selected', cancelled: 'cancelled', stopped: 'run stopped' } as const;

function when(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function count(entry: BulkAuditLogEntry, status: BulkAuditLogEntry['items'][number]['status']): number {
  return entry.items.filter((i) => i.status === status).length;
}

export function BulkAuditLog() {
  const log = useQuery(bulkAuditLogQuery());
  return (
    <section className="km-card" aria-labelledby="km-bulk-audit-title" data-testid="bulk-audit-log">
      <h2 id="km-bulk-audit-title">Usage tracking runs</h2>
      {log.isPending && <p className="km-muted">Loading…</p>}
      {log.isError && <p className="km-error">Could not read the audit log: {log.error.message}</p>}
      {log.data?.length === 0 && (
        <p className="km-muted">No runs yet. On the API-keys page, Keymeter can enable usage tracking on old keys in one go.</p>
      )}
      {log.data && log.data.length > 0 && (
        <table>
          <thead>
            <tr>
              <th scope="col">Started</th>
              <th scope="col">Outcome</th>
              <th scope="col">Enabled</th>
              <th scope="col">Already on</th>
              <th scope="col">Failed</th>
              <th scope="col">Skipped</th>
              <th scope="col">Keys</th>
            </tr>
          </thead>
          <tbody>
            {log.data.map((run) => (
              <tr key={run.id} data-run-id={run.runId} data-status={run.status}>
                <td>{when(run.startedAt)}</td>
                <td>
                  {STATUS_WORDS[run.status]}
                  {run.reason && <div className="km-muted">{run.reason}</div>}
                </td>
                <td>{count(run, 'enabled')}</td>
                <td>{count(run, 'already')}</td>
                <td>{count(run, 'failed')}</td>
                <td>{count(run, 'skipped')}</td>
                <td>
                  <details>
                    <summary>{run.items.length} keys</summary>
                    <ul>
                      {run.items.map((item) => (
                        <li key={`${item.redacted}|${item.name}|${item.created}`}>
                          {item.name} <code>{item.redacted}</code>: {ITEM_WORDS[item.status]}
                          {item.status === 'skipped' && item.skipReason ? ` (${SKIP_WORDS[item.skipReason]})` : ''}
                          {item.error && item.status === 'failed' ? ` (${item.error})` : ''}
                        </li>
                      ))}
                    </ul>
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
