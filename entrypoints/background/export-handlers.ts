import { bytesToBase64 } from '@/lib/export/base64';
import { buildExportDataset } from '@/lib/export/dataset';
import { buildExportFile } from '@/lib/export/index';
import { historyDb } from '@/lib/history/db';
import { handleMessage } from '@/lib/message-inputs';
import { orgsItem, priceOverridesItem, priceOverridesSchema, readValid } from '@/lib/settings';

export function registerExportHandlers() {
  handleMessage('export:build', async ({ orgId, from, to, grouping, format, bom, tagsByKey }) => {
    const orgs = await orgsItem.getValue();
    const chosen = orgId ? orgs.filter((o) => o.id === orgId) : orgs;
    if (chosen.length === 0) {
      throw new Error(orgId ? 'That organisation is no longer connected.' : 'No organisation is connected yet: add an admin key in Keymeter’s options first.');
    }
    const overrides = await readValid(priceOverridesItem, priceOverridesSchema);
    const dataset = await buildExportDataset(historyDb(), {
      orgs: chosen,
      from,
      to,
      grouping,
      tagsByKey,
      generatedAt: Date.now(),
      priceOverrides: overrides.length,
    });
    const file = await buildExportFile(dataset, format, { bom });
    return { filename: file.filename, mimeType: file.mimeType, base64: bytesToBase64(file.bytes), rowCount: dataset.rows.length };
  });
}
