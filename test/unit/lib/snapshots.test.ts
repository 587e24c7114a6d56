// @vitest-environment node
import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { HistoryDB } from '@/lib/history/db';
import { recordSnapshot } from '@/lib/history/snapshots';

describe('zero-setup snapshots', () => {
  const snap = (requests: number) => ({
    rangeStart: '2025-12-15',
    rangeEnd: '2026-01-10',
    rangeLabel: '2025-12-15 – 2026-01-10',
    rows: [{ label: 'api-gateway-prod', redacted: 'sk-svcacct-…2v6X', project: '', requests }],
  });

  it('records a visit, skips an identical one, records a changed one', async () => {
    const db = new HistoryDB(`snap-${Math.random()}`);
    expect(await recordSnapshot(db, snap(10), 1)).toBe('recorded');
    expect(await recordSnapshot(db, snap(10), 2)).toBe('unchanged');
    expect(await recordSnapshot(db, snap(11), 3)).toBe('recorded');
    expect((await db.snapshots.toArray()).map((s) => s.rows[0]?.requests)).toEqual([10, 11]);
  });
});
