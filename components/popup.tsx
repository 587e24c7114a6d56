import { useQuery } from '@tanstack/react-query';
import { orgsQuery } from '@/lib/queries';

/** The toolbar popup: which organisations are connected, and the way to the full pages. */
export function Popup() {
  const orgs = useQuery(orgsQuery());
  return (
    <main className="km-page" style={{ width: 320, padding: 16 }}>
      <h1 style={{ fontSize: 16, margin: '0 0 8px' }}>Keymeter</h1>
      <p className="km-muted">
        {orgs.data?.length
          ? `${orgs.data.length} organisation(s) connected.`
          : 'No admin key yet: the usage page shows zero-setup history only.'}
      </p>
      <p>
        <a href={browser.runtime.getURL('/report.html')} target="_blank" rel="noreferrer">
          Open report
        </a>{' '}
        ·{' '}
        <a href={browser.runtime.getURL('/options.html')} target="_blank" rel="noreferrer">
          Settings
        </a>
      </p>
    </main>
  );
}
