import Dexie, { type Table, type Transaction } from 'dexie';
import type { AlertFiredRecord } from '../alerts/fired';
import type { Budget } from '../budgets/budgets';
import type { TagRecord } from '../tags/tags';
import type { CostRecord, KeyRecord, ProjectRecord, SnapshotRecord, UsageRecord } from '../usage/records';
import { DAY_TOTALS_STORE, type DayTotalsRecord, rebuildDayTotals } from './day-totals';

/** Where a sync stands, so a sync cut off by the service worker stopping resumes where it was. */
export interface SyncStateRecord {
  orgId: string;
  /** Start of the last UTC day fully synced; the next sync refetches from two days before it. */
  watermark: number | null;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: { kind: string; detail: string; status?: number } | null;
  /** The sync under way (null when none): its range and each step's cursor. */
  pending: PendingSync | null;
}

export interface PendingSync {
  from: number;
  to: number;
  startedAt: number;
  steps: SyncStep[];
}

export interface SyncStep {
  name: string;
  /** Cursor of the next page to fetch; undefined = from the start. */
  cursor?: string;
  done: boolean;
  pagesDone: number;
  pagesPlanned: number;
}

export interface AuditRecord {
  id?: number;
  at: number;
  kind: 'bulk-enable';
  summary: string;
  details: unknown;
}

export interface SchemaVersion {
  version: number;
  stores: Record<string, string | null>;
  /** Fills what this version adds from the rows already stored (runs once, when an older database opens). */
  upgrade?: (tx: Transaction) => Promise<void>;
}

/**
 * Schema versions, oldest first. A new version only adds: Dexie upgrades an existing
 * database in place and keeps every row (see test/unit/lib/history-migration.test.ts).
 */
export const SCHEMA_VERSIONS: SchemaVersion[] = [
  {
    version: 1,
    stores: {
      usage: 'id, [orgId+day], [orgId+apiKeyId+day]',
      costs: 'id, [orgId+day]',
      keys: 'id, orgId',
      projects: 'id, orgId',
      syncState: 'orgId',
      snapshots: '++id, at',
    },
  },
  {
    version: 2,
    stores: {
      usage: 'id, [orgId+day], [orgId+apiKeyId+day], [orgId+projectId+day]',
      audit: '++id, at, kind',
    },
  },
  {
    // Report insights: cost-center tags per key, monthly budgets, and the alerts already raised
    // (so each budget threshold and each spike notifies once).
    version: 3,
    stores: {
      tags: 'id, orgId, *tags',
      budgets: 'id',
      alertsFired: 'id, at',
    },
  },
  {
    // Per-day, per-key totals (lib/history/day-totals.ts), built here from the stored rows.
    version: 4,
    stores: { dayTotals: DAY_TOTALS_STORE },
    upgrade: (tx) => rebuildDayTotals({ usage: tx.table('usage'), costs: tx.table('costs'), dayTotals: tx.table('dayTotals') }),
  },
];

export class HistoryDB extends Dexie {
  usage!: Table<UsageRecord, string>;
  costs!: Table<CostRecord, string>;
  keys!: Table<KeyRecord, string>;
  projects!: Table<ProjectRecord, string>;
  syncState!: Table<SyncStateRecord, string>;
  snapshots!: Table<SnapshotRecord, number>;
  audit!: Table<AuditRecord, number>;
  tags!: Table<TagRecord, string>;
  budgets!: Table<Budget, string>;
  alertsFired!: Table<AlertFiredRecord, string>;
  dayTotals!: Table<DayTotalsRecord, [string, number]>;

  constructor(name = 'keymeter', upToVersion = SCHEMA_VERSIONS.at(-1)!.version) {
    super(name);
    for (const { version, stores, upgrade } of SCHEMA_VERSIONS) {
      if (version > upToVersion) break;
      const declared = this.version(version).stores(stores);
      if (upgrade) declared.upgrade(upgrade);
    }
  }
}

let shared: HistoryDB | undefined;
/** The background's one database handle (views never open it: they ask the background). */
export function historyDb(): HistoryDB {
  shared ??= new HistoryDB();
  return shared;
}
