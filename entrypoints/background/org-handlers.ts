import { handleMessage } from '@/lib/message-inputs';
import { addOrg, removeOrg } from '@/lib/orgs';
import { orgsItem } from '@/lib/settings';

export function registerOrgHandlers() {
  handleMessage('orgs:list', () => orgsItem.getValue());
  handleMessage('orgs:add', (input) => addOrg(input));
  handleMessage('orgs:remove', ({ orgId }) => removeOrg(orgId));
}
