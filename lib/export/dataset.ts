import type { HistoryDB } from '../history/db';
import { addUsage, costsInRange, emptyTotals, type KeyTotals, usageInRange } from '../history/queries';
import { getOrCreate } from '../map-utils';
import { assembleDataset } from './about';
import type { BilledFact, ExportFacts, KeyInfo, UsageFact } from './aggregate';
import { EXPORT_CURRENCY, type ExportDataset, type ExportGrouping, type ExportOrg } from './types';

/** Background only: reads local history for a range and builds the dataset every export format takes. */

const DAY = 86_400;

export interface DatasetRequest {
  orgs: ReadonlyArray<{ id: string; label: string }>;
  /** Unix seconds; widened to whole UTC days, `to` exclusive. */
  from: number;
  to: number;
  grouping: ExportGrouping;
  tagsByKey?: Record<string, string[]>;
  /** Unix milliseconds. */
  generatedAt: number;
  /** How many user price overrides are in force (stated in About). */
  priceOverrides?: number;
}

/** Usage buckets are whole UTC days: a range is widened to the days it touches. */
export function wholeDays(from: number, to: number): { from: number; to: number } {
  const start = Math.floor(from / DAY) * DAY;
  return { from: start, to: Math.max(Math.ceil(to / DAY) * DAY, start + DAY) };
}

export async function loadExportFacts(
  db: HistoryDB,
  orgs: DatasetRequest['orgs'],
  range: { from: number; to: number },
  tagsByKey?: Record<string, string[]>,
): Promise<ExportFacts> {
  const facts: ExportFacts = { orgs: [], keys: [], projects: [], usage: [], billed: [], tagsByKey };
  for (const org of orgs) {
    const [usage, costs, keys, projects, state] = await Promise.all([
      usageInRange(db, org.id, range.from, range.to),
      costsInRange(db, org.id, range.from, range.to),
      db.keys.where('orgId').equals(org.id).toArray(),
      db.projects.where('orgId').equals(org.id).toArray(),
      db.syncState.get(org.id),
    ]);
    facts.orgs.push({ orgId: org.id, label: org.label, lastSyncAt: state?.lastSuccessAt ?? null } satisfies ExportOrg);
    facts.keys.push(
      ...keys.map(
        (k): KeyInfo => ({
          orgId: org.id,
          apiKeyId: k.keyId,
          name: k.name,
          redactedValue: k.redactedValue,
          projectId: k.projectId,
          owner: k.ownerName || k.ownerEmail,
          deleted: k.deleted,
        }),
      ),
    );
    facts.projects.push(...projects.map((p) => ({ orgId: org.id, projectId: p.projectId, name: p.name })));

    // Endpoints, batch and service tiers are summed: the export's finest grain is day × project × key × model.
    const usageFacts = new Map<string, { key: Omit<UsageFact, keyof KeyTotals>; totals: KeyTotals }>();
    for (const row of usage) {
      const entry = getOrCreate(usageFacts, [row.day, row.projectId, row.apiKeyId, row.model].join('|'), () => ({
        key: { orgId: org.id, day: row.day, projectId: row.projectId, model: row.model },
        totals: emptyTotals(row.apiKeyId),
      }));
      addUsage(entry.totals, row); // the same rules as every other total in Keymeter
    }
    for (const { key, totals } of usageFacts.values()) {
      const { billedMicros: _none, ...usageTotals } = totals;
      facts.usage.push({ ...key, ...usageTotals });
    }

    const billedFacts = new Map<string, BilledFact>();
    for (const row of costs) {
      if (row.currency.toUpperCase() !== EXPORT_CURRENCY) {
        throw new Error(
          `Billed costs of ${org.label} are in ${row.currency.toUpperCase()}; Keymeter exports only ${EXPORT_CURRENCY} beside its USD estimates.`,
        );
      }
      const fact = getOrCreate(billedFacts, [row.day, row.projectId, row.apiKeyId].join('|'), () => ({
        orgId: org.id,
        day: row.day,
        projectId: row.projectId,
        apiKeyId: row.apiKeyId,
        micros: 0,
      }));
      fact.micros += row.micros;
    }
    facts.billed.push(...billedFacts.values());
  }
  return facts;
}

export async function buildExportDataset(db: HistoryDB, request: DatasetRequest): Promise<ExportDataset> {
  const range = wholeDays(request.from, request.to);
  const facts = await loadExportFacts(db, request.orgs, range, request.tagsByKey);
  return assembleDataset({
    facts,
    range,
    grouping: request.grouping,
    generatedAt: request.generatedAt,
    priceOverrides: request.priceOverrides,
  });
}
