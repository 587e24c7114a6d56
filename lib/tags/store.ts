import type { HistoryDB } from '../history/db';
import type { KeyRef } from '../usage/panel-data';
import type { TagImportEntry } from './csv';
import { applyTags, type TagMode, type TagRecord, tagId } from './tags';

/** Background only: the `tags` table. Every write is one transaction, so nothing is half-applied. */

export async function tagsOf(db: HistoryDB, orgIds: readonly string[]): Promise<Map<string, string[]>> {
  const records = await db.tags
    .where('orgId')
    .anyOf([...orgIds])
    .toArray();
  return new Map(records.map((r) => [r.id, r.tags]));
}

/** Every tag in use, sorted. */
export async function allTags(db: HistoryDB, orgIds: readonly string[]): Promise<string[]> {
  const records = await db.tags
    .where('orgId')
    .anyOf([...orgIds])
    .toArray();
  return [...new Set(records.flatMap((r) => r.tags))].sort((a, b) => a.localeCompare(b));
}

/** apiKeyId → tags, as the finance export takes them (key ids are unique across organisations). */
export async function tagsByKeyId(db: HistoryDB, orgIds: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const record of await db.tags
    .where('orgId')
    .anyOf([...orgIds])
    .toArray())
    if (record.tags.length) out[record.apiKeyId] = record.tags;
  return out;
}

function put(db: HistoryDB, ref: KeyRef, tags: string[], now: number) {
  const id = tagId(ref.orgId, ref.apiKeyId);
  return tags.length === 0
    ? db.tags.delete(id)
    : db.tags.put({ id, orgId: ref.orgId, apiKeyId: ref.apiKeyId, tags, updatedAt: now } satisfies TagRecord);
}

/** Adds, removes or replaces tags on many keys at once; returns how many keys changed. */
export async function assignTags(
  db: HistoryDB,
  refs: readonly KeyRef[],
  tags: readonly string[],
  mode: TagMode,
  now = Date.now(),
): Promise<number> {
  return db.transaction('rw', db.tags, async () => {
    const existing = await db.tags.bulkGet(refs.map((r) => tagId(r.orgId, r.apiKeyId)));
    let changed = 0;
    for (const [i, ref] of refs.entries()) {
      const before = existing[i]?.tags ?? [];
      const after = applyTags(before, tags, mode);
      if (after.join('\u0000') === before.join('\u0000')) continue;
      await put(db, ref, after, now);
      changed++;
    }
    return changed;
  });
}

/** An imported file: each listed key gets exactly the file's tags (an empty cell clears them); other keys keep theirs. */
export async function importTags(db: HistoryDB, entries: readonly TagImportEntry[], now = Date.now()): Promise<number> {
  return db.transaction('rw', db.tags, async () => {
    for (const entry of entries) await put(db, entry, entry.tags, now);
    return entries.length;
  });
}
