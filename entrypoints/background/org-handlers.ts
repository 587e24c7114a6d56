import { handleMessage } from '@/lib/message-inputs';
import { addOrg, removeOrg } from '@/lib/orgs';
import { orgsItem } from '@/lib/settings';
import { syncOrg } from '@/lib/sync/scheduler';

export function registerOrgHandlers() {
  handleMessage('orgs:list', () => orgsItem.getValue());
  // A new organisation starts its backfill at once; the panel shows its progress.
  handleMessage('orgs:add', (input) => addOrg(input, { onAdded: (org) => void syncOrg(org.id) }));
  handleMessage('orgs:remove', ({ orgId }) => removeOrg(orgId));
}
