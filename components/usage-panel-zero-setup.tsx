import { useQuery } from '@tanstack/react-query';
import { snapshotsQuery } from '@/lib/queries';
import type { SnapshotRecord } from '@/lib/usage/records';

const RECORDED = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' });
const COUNT = new Intl.NumberFormat('en-US');
const SHOWN = 20;

/** No admin key: what one would add, and the history Keymeter recorded from "Top API keys" anyway. */
export function ZeroSetup() {
  const snapshots = useQuery(snapshotsQuery());
  return (
    <section className="kmp-zero" data-testid="zero-setup" aria-labelledby="kmp-zero-title">
      <h3 id="kmp-zero-title" className="kmp-section-title">
        No admin key yet
      </h3>
      <p>
        Keymeter is recording what “Top API keys” shows each time you open this page (key names and request counts), so history builds up
        without any setup. An OpenAI <strong>admin key</strong> (sk-admin-…, organisation owners only) adds tokens and cost for every key
        and model, billed cost from the Costs API, spike alerts, and history beyond the dashboard's range.
      </p>
      <p>
        <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
          Add an admin key in Keymeter settings
        </a>
      </p>
      <h4 className="kmp-subtitle">Recorded snapshots</h4>
      {snapshots.isPending ? (
        <p className="kmp-muted">Loading snapshots…</p>
      ) : snapshots.isError ? (
        <p role="alert" className="kmp-error">
          Keymeter could not read its recorded snapshots: {snapshots.error.message}
        </p>
      ) : snapshots.data.length === 0 ? (
        <p className="kmp-muted">No snapshots yet: one is recorded each time this page shows “Top API keys”.</p>
      ) : (
        <SnapshotTable snapshots={snapshots.data} />
      )}
    </section>
  );
}

function SnapshotTable({ snapshots }: { snapshots: SnapshotRecord[] }) {
  const shown = snapshots.slice(0, SHOWN);
  return (
    <>
      <table className="kmp-table">
        <thead>
          <tr>
            <th scope="col">Recorded</th>
            <th scope="col">Range</th>
            <th scope="col" className="kmp-num">
              Keys
            </th>
            <th scope="col" className="kmp-num">
              Requests
            </th>
            <th scope="col">Top keys</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((snapshot, i) => {
            const requests = snapshot.rows.reduce((sum, row) => sum + row.requests, 0);
            const top = [...snapshot.rows]
              .sort((a, b) => b.requests - a.requests)
              .slice(0, 3)
              .map((row) => row.label || row.redacted);
            return (
              <tr key={snapshot.id ?? `${snapshot.at}-${i}`}>
                <td>{RECORDED.format(toMillis(snapshot.at))}</td>
                <td>{snapshot.rangeLabel || `${snapshot.rangeStart} – ${snapshot.rangeEnd}`}</td>
                <td className="kmp-num">{COUNT.format(snapshot.rows.length)}</td>
                <td className="kmp-num">{COUNT.format(requests)}</td>
                <td>{top.join(', ')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {snapshots.length > shown.length && (
        <p className="kmp-muted kmp-small">
          Showing the latest {shown.length} of {snapshots.length} snapshots.
        </p>
      )}
    </>
  );
}

/** SnapshotRecord.at is in milliseconds (recordSnapshot stores Date.now()); a value in seconds is accepted too. */
const toMillis = (at: number) => (at < 1e12 ? at * 1000 : at);
