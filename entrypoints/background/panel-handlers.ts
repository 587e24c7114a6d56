import { historyDb } from '@/lib/history/db';
import { panelData, recentSnapshots } from '@/lib/history/panel-queries';
import { handleMessage } from '@/lib/message-inputs';
import { orgsItem } from '@/lib/settings';

export function registerPanelHandlers() {
  handleMessage('usage:panel', async ({ orgId, from, to }) => {
    const orgs = await orgsItem.getValue();
    return panelData(historyDb(), orgId ? orgs.filter((o) => o.id === orgId) : orgs, { from, to });
  });
  handleMessage('history:snapshots', () => recentSnapshots(historyDb()));
}
