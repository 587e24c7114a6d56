import { bytesToBase64 } from '@/lib/export/base64';
import { buildExportDataset } from '@/lib/export/dataset';
import { buildExportFile } from '@/lib/export/index';
import { historyDb } from '@/lib/history/db';
import { handleMessage } from '@/lib/message-inputs';
import { orgsItem, priceOverridesItem, priceOverridesSchema, readValid } from '@/lib/settings';
import { tagsByKeyId } from '@/lib/tags/store';

/** Registers the export handler; returns its remover. */
export function registerExportHandlers(): () => void {
  return handleMessage('export:build', async ({ orgId, from, to, grouping, format, bom, tagsByKey }) => {
    const orgs = await orgsItem.getValue();
    const chosen = orgId ? orgs.filter((o) => o.id === orgId) : orgs;
    if (chosen.length === 0) {
      throw new Error(
        orgId
          ? 'That organisation is no longer connected.'
          : 'No organisation is connected yet: add an admin key in Keymeter’s options first.',
      );
    }
    const overrides = await readValid(priceOverridesItem, priceOverridesSchema);
    const dataset = await buildExportDataset(historyDb(), {
      orgs: chosen,
      from,
      to,
      grouping,
      // Tags the caller passes win; otherwise the cost-center tags stored on the report page.
      tagsByKey:
        tagsByKey ??
        (await tagsByKeyId(
          historyDb(),
          chosen.map((o) => o.id),
        )),
      generatedAt: Date.now(),
      priceOverrides: overrides.length,
    });
    const file = await buildExportFile(dataset, format, { bom });
    return { filename: file.filename, mimeType: file.mimeType, base64: bytesToBase64(file.bytes), rowCount: dataset.rows.length };
  });
}
