import { useQuery } from '@tanstack/react-query';
import { orgsQuery } from '@/lib/queries';

/** Full-tab history and export. Grows with the report issue; for now it lists what is connected. */
export function ReportPage() {
  const orgs = useQuery(orgsQuery());
  return (
    <main className="km-page">
      <h1>Keymeter report</h1>
      <p className="km-muted">{orgs.data?.length ? `${orgs.data.length} organisation(s).` : 'No organisation connected yet.'}</p>
    </main>
  );
}
