import { checkAlertsAfterSync } from '@/lib/alerts/after-sync';
import { removeBudget, saveBudget } from '@/lib/budgets/store';
import { historyDb } from '@/lib/history/db';
import { handleMessage } from '@/lib/message-inputs';
import { keyHistory, monthInsights, reportOverview } from '@/lib/report/load';
import { alertSettingsItem, alertSettingsSchema, orgsItem, readValid } from '@/lib/settings';
import { onSyncDone } from '@/lib/sync/scheduler';
import { parseTagCsv, tagsToCsv } from '@/lib/tags/csv';
import { assignTags, importTags, tagsOf } from '@/lib/tags/store';

const nowSeconds = () => Math.floor(Date.now() / 1000);

async function chosenOrgs(orgId: string | undefined) {
  const orgs = await orgsItem.getValue();
  if (!orgId) return orgs;
  const chosen = orgs.filter((o) => o.id === orgId);
  if (chosen.length === 0) throw new Error('That organisation is no longer connected.');
  return chosen;
}

/** The report page's messages: overview, key history, month insights, tags, budgets. */
export function registerReportHandlers() {
  handleMessage('report:overview', async ({ orgId, from, to }) =>
    reportOverview(historyDb(), await chosenOrgs(orgId), { from, to }, nowSeconds()),
  );
  handleMessage('report:keyHistory', async ({ orgId, apiKeyId, from, to }) => {
    const [org] = await chosenOrgs(orgId);
    return keyHistory(historyDb(), org!, apiKeyId, { from, to });
  });
  handleMessage('report:month', async ({ orgId }) =>
    monthInsights(historyDb(), await chosenOrgs(orgId), await orgsItem.getValue(), nowSeconds()),
  );

  handleMessage('tags:assign', async ({ keys, tags, mode }) => ({ changed: await assignTags(historyDb(), keys, tags, mode) }));
  handleMessage('tags:import', async ({ csv }) => {
    const db = historyDb();
    const orgIds = (await orgsItem.getValue()).map((o) => o.id);
    const [keys, tagged] = await Promise.all([
      db.keys.where('orgId').anyOf(orgIds).toArray(),
      db.tags.where('orgId').anyOf(orgIds).toArray(),
    ]);
    const known = [
      ...keys.map((k) => ({ orgId: k.orgId, apiKeyId: k.keyId })),
      ...tagged.map((t) => ({ orgId: t.orgId, apiKeyId: t.apiKeyId })),
    ];
    const unique = [...new Map(known.map((k) => [`${k.orgId}|${k.apiKeyId}`, k])).values()];
    const parsed = parseTagCsv(csv, unique);
    if (!parsed.ok) return parsed;
    return { ok: true, applied: await importTags(db, parsed.entries) };
  });
  handleMessage('tags:csv', async ({ orgId }) => {
    const db = historyDb();
    const orgs = await chosenOrgs(orgId);
    const ids = orgs.map((o) => o.id);
    const [keys, tags] = await Promise.all([db.keys.where('orgId').anyOf(ids).toArray(), tagsOf(db, ids)]);
    const label = new Map(orgs.map((o) => [o.id, o.label]));
    const text = tagsToCsv(
      keys.map((k) => ({
        orgId: k.orgId,
        orgLabel: label.get(k.orgId) ?? k.orgId,
        apiKeyId: k.keyId,
        name: k.name,
        redactedValue: k.redactedValue,
        tags: tags.get(`${k.orgId}|${k.keyId}`) ?? [],
      })),
    );
    return { filename: `keymeter-key-tags-${new Date().toISOString().slice(0, 10)}.csv`, text };
  });

  handleMessage('budgets:save', async (input) =>
    saveBudget(historyDb(), { ...input, id: input.id ?? crypto.randomUUID(), createdAt: input.createdAt ?? Date.now() }),
  );
  handleMessage('budgets:remove', ({ id }) => removeBudget(historyDb(), id));
  handleMessage('report:open', async () => {
    await browser.tabs.create({ url: browser.runtime.getURL('/report.html') });
  });
}

/** After every successful sync: new spikes and budget thresholds → browser notifications (lib/alerts/after-sync.ts). */
export function registerAlerts() {
  browser.notifications?.onClicked.addListener((id) => {
    void browser.tabs.create({ url: browser.runtime.getURL('/report.html') });
    void browser.notifications.clear(id);
  });
  onSyncDone(async (orgId) => {
    await checkAlertsAfterSync({
      db: historyDb(),
      orgs: await orgsItem.getValue(),
      orgId,
      now: nowSeconds(),
      settings: await readValid(alertSettingsItem, alertSettingsSchema),
      notify: async (id, note) => {
        await browser.notifications.create(id, {
          type: 'basic',
          iconUrl: browser.runtime.getURL('/icon/128.png'),
          title: note.title,
          message: note.message,
          priority: 1,
        });
      },
    });
  });
}
