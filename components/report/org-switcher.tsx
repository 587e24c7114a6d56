import { useId } from 'react';
import type { Org } from '@/lib/settings';

/** One organisation, or all of them combined (shown only when there are several). */
export function OrgSwitcher({
  orgs,
  value,
  onChange,
}: {
  orgs: readonly Org[];
  value: string | undefined;
  onChange: (orgId: string | undefined) => void;
}) {
  const id = useId();
  if (orgs.length < 2) return orgs[0] ? <span className="km-org-label">{orgs[0].label}</span> : null;
  return (
    <span className="km-org-switch">
      <label htmlFor={id}>Organisation</label>
      <select id={id} value={value ?? ''} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">All {orgs.length} combined</option>
        {orgs.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </span>
  );
}
