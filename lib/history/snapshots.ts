import type { SnapshotRecord } from '../usage/records';
import type { HistoryDB } from './db';

/** Keeps a zero-setup snapshot unless the newest one shows the same range and rows (a reload or re-render). */
export async function recordSnapshot(
  db: HistoryDB,
  snapshot: Omit<SnapshotRecord, 'id' | 'at'>,
  now = Date.now(),
): Promise<'recorded' | 'unchanged'> {
  const latest = await db.snapshots.orderBy('at').last();
  if (
    latest &&
    latest.rangeStart === snapshot.rangeStart &&
    latest.rangeEnd === snapshot.rangeEnd &&
    JSON.stringify(latest.rows) === JSON.stringify(snapshot.rows)
  ) {
    return 'unchanged';
  }
  await db.snapshots.add({ ...snapshot, at: now });
  return 'recorded';
}
