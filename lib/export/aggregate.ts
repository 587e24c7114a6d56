import { getOrCreate } from '../map-utils';
import type { Micros } from '../money';
import {
  BILLED_ALL_MODELS,
  blankIdentity,
  type ExportGrouping,
  type ExportIdentity,
  type ExportOrg,
  type ExportRow,
  type ExportTotals,
  type KeyStatus,
  UNTAGGED,
  UNTRACKED_NAME,
  zeroTotals,
} from './types';

/**
 * Pure aggregation of usage and billed facts into the export's tables. Money stays in integer
 * micro-dollars throughout; every total is a sum of the rows it covers.
 */

/** Usage of one (org, UTC day, project, key, model), summed over endpoints, batch and tiers. */
export interface UsageFact {
  orgId: string;
  /** Unix seconds, start of the UTC day. */
  day: number;
  projectId: string;
  /** '' = no API key. */
  apiKeyId: string;
  model: string;
  requests: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  /** Sum of the priced rows' estimates. */
  estimatedMicros: Micros;
  /** Rows whose price is unknown (not in estimatedMicros). Billed-only endpoints do not count. */
  unpricedRows: number;
}

/** Billed cost of one (org, UTC day, project, key), from the Costs API. It has no model dimension. */
export interface BilledFact {
  orgId: string;
  day: number;
  projectId: string;
  apiKeyId: string;
  micros: Micros;
}

export interface KeyInfo {
  orgId: string;
  apiKeyId: string;
  name: string;
  redactedValue: string;
  projectId: string;
  owner: string;
  deleted: boolean;
}

export interface ExportFacts {
  orgs: ExportOrg[];
  keys: KeyInfo[];
  projects: Array<{ orgId: string; projectId: string; name: string }>;
  usage: UsageFact[];
  billed: BilledFact[];
  /** apiKeyId → cost-center tags. Keys without one are grouped under "untagged". */
  tagsByKey?: Record<string, string[]>;
}

export interface ExportTables {
  rows: ExportRow[];
  byModel: ExportRow[];
  byDay: ExportRow[];
  reconciliation: ExportRow[];
}

const DAY_MS = 86_400_000;
export const isoDay = (unixSeconds: number): string => new Date(unixSeconds * 1000).toISOString().slice(0, 10);
/** Inclusive last day of a range whose `to` (unix seconds, exclusive) is a UTC day start. */
export const lastDayOf = (to: number): string => new Date(to * 1000 - DAY_MS).toISOString().slice(0, 10);

type Fact = { orgId: string; day: number; projectId: string; apiKeyId: string; model?: string };
type Describe = (fact: Fact, kind: 'usage' | 'billed') => { id: string; identity: ExportIdentity } | null;

/** Builds the tables of an export: the chosen grouping plus By model, By day and Reconciliation. */
export function buildTables(facts: ExportFacts, grouping: ExportGrouping): ExportTables {
  const orgLabel = new Map(facts.orgs.map((o) => [o.orgId, o.label]));
  const keyInfo = new Map(facts.keys.map((k) => [`${k.orgId}|${k.apiKeyId}`, k]));
  const projectName = new Map(facts.projects.map((p) => [`${p.orgId}|${p.projectId}`, p.name]));
  const tags = facts.tagsByKey ?? {};
  const tagsOf = (apiKeyId: string): string[] =>
    apiKeyId === '' ? [] : [...new Set((tags[apiKeyId] ?? []).map((t) => t.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));

  const org = (orgId: string) => orgLabel.get(orgId) ?? orgId;
  const project = (orgId: string, projectId: string) => (projectId === '' ? '' : (projectName.get(`${orgId}|${projectId}`) ?? projectId));

  const keyIdentity = (fact: Fact): ExportIdentity => {
    const info = fact.apiKeyId === '' ? undefined : keyInfo.get(`${fact.orgId}|${fact.apiKeyId}`);
    const projectId = fact.projectId || info?.projectId || '';
    const status: KeyStatus = fact.apiKeyId === '' ? 'untracked' : !info || info.deleted ? 'deleted' : 'active';
    return {
      ...blankIdentity(fact.orgId, org(fact.orgId)),
      projectId,
      projectName: project(fact.orgId, projectId),
      apiKeyId: fact.apiKeyId,
      // A key id no key list ever showed was deleted before Keymeter saw it: its id is all we have.
      keyName: fact.apiKeyId === '' ? UNTRACKED_NAME : (info?.name ?? fact.apiKeyId),
      redactedKey: info?.redactedValue ?? '',
      owner: info?.owner ?? '',
      status,
      tags: tagsOf(fact.apiKeyId),
    };
  };
  const keyId = (fact: Fact, identity: ExportIdentity) => `${fact.orgId}|${identity.projectId}|${fact.apiKeyId}`;

  const byKey: Describe = (fact) => {
    const identity = keyIdentity(fact);
    return { id: keyId(fact, identity), identity };
  };
  const byKeyModel: Describe = (fact, kind) => {
    const identity = keyIdentity(fact);
    const model = kind === 'billed' ? BILLED_ALL_MODELS : fact.model || '(no model)';
    return { id: `${keyId(fact, identity)}|${model}`, identity: { ...identity, model } };
  };
  const byDayKey: Describe = (fact) => {
    const identity = { ...keyIdentity(fact), day: isoDay(fact.day) };
    return { id: `${fact.day}|${keyId(fact, identity)}`, identity };
  };
  const byProject: Describe = (fact) => {
    const projectId = fact.projectId || keyInfo.get(`${fact.orgId}|${fact.apiKeyId}`)?.projectId || '';
    return {
      id: `${fact.orgId}|${projectId}`,
      identity: { ...blankIdentity(fact.orgId, org(fact.orgId)), projectId, projectName: project(fact.orgId, projectId) || '(no project)' },
    };
  };
  const byTag: Describe = (fact) => {
    const keyTags = tagsOf(fact.apiKeyId);
    // A key with several tags is a group of its own, so that every cost is counted once.
    const costCenter = keyTags.length === 0 ? UNTAGGED : keyTags.join(' + ');
    return { id: `${fact.orgId}|${costCenter}`, identity: { ...blankIdentity(fact.orgId, org(fact.orgId)), costCenter, tags: keyTags } };
  };
  const byModel: Describe = (fact, kind) => {
    if (kind === 'billed') return null; // the Costs API has no model dimension
    const model = fact.model || '(no model)';
    return { id: `${fact.orgId}|${model}`, identity: { ...blankIdentity(fact.orgId, org(fact.orgId)), model } };
  };
  const byDay: Describe = (fact) => ({
    id: `${fact.orgId}|${fact.day}`,
    identity: { ...blankIdentity(fact.orgId, org(fact.orgId)), day: isoDay(fact.day) },
  });

  const describe: Record<ExportGrouping, Describe> = {
    key: byKey,
    'key-model': byKeyModel,
    project: byProject,
    tag: byTag,
    'day-key': byDayKey,
  };
  const rows = aggregate(facts, describe[grouping]);
  if (grouping === 'key-model') {
    // Estimated (per model) and billed (per key) never meet on one row: no difference is claimed.
    for (const row of rows) row.differenceMicros = null;
  }
  const reconciliation = grouping === 'key' ? rows : aggregate(facts, byKey);
  return { rows, byModel: aggregate(facts, byModel), byDay: aggregate(facts, byDay), reconciliation };
}

function aggregate(facts: ExportFacts, describe: Describe): ExportRow[] {
  const groups = new Map<string, ExportRow>();
  const rowFor = (fact: Fact, kind: 'usage' | 'billed') => {
    const described = describe(fact, kind);
    if (!described) return undefined;
    return getOrCreate(groups, described.id, () => ({ ...described.identity, ...zeroTotals() }));
  };
  for (const fact of facts.usage) {
    const row = rowFor(fact, 'usage');
    if (!row) continue;
    row.requests += fact.requests;
    row.inputTokens += fact.inputTokens;
    row.cachedTokens += fact.cachedTokens;
    row.outputTokens += fact.outputTokens;
    row.estimatedMicros += fact.estimatedMicros;
    if (fact.unpricedRows > 0) row.priceUnknown = true;
  }
  for (const fact of facts.billed) {
    const row = rowFor(fact, 'billed');
    if (row) row.billedMicros = (row.billedMicros ?? 0) + fact.micros;
  }
  const rows = [...groups.values()];
  for (const row of rows) row.differenceMicros = row.billedMicros === null ? null : row.billedMicros - row.estimatedMicros;
  return rows.sort(compareRows);
}

const STATUS_ORDER: Record<KeyStatus, number> = { active: 0, deleted: 1, untracked: 2 };

function compareRows(a: ExportRow, b: ExportRow): number {
  return (
    a.organisation.localeCompare(b.organisation) ||
    a.orgId.localeCompare(b.orgId) ||
    (a.day ?? '').localeCompare(b.day ?? '') ||
    Number(a.costCenter === UNTAGGED) - Number(b.costCenter === UNTAGGED) ||
    (a.costCenter ?? '').localeCompare(b.costCenter ?? '') ||
    a.projectName.localeCompare(b.projectName) ||
    a.projectId.localeCompare(b.projectId) ||
    (a.status === null || b.status === null ? 0 : STATUS_ORDER[a.status] - STATUS_ORDER[b.status]) ||
    a.keyName.localeCompare(b.keyName) ||
    a.apiKeyId.localeCompare(b.apiKeyId) ||
    Number(a.model === BILLED_ALL_MODELS) - Number(b.model === BILLED_ALL_MODELS) ||
    (a.model ?? '').localeCompare(b.model ?? '')
  );
}

/** The totals row: each column is the sum of the rows (money in integer micros). */
export function totalsOf(rows: readonly ExportRow[]): ExportTotals {
  const totals = zeroTotals();
  for (const row of rows) {
    totals.requests += row.requests;
    totals.inputTokens += row.inputTokens;
    totals.cachedTokens += row.cachedTokens;
    totals.outputTokens += row.outputTokens;
    totals.estimatedMicros += row.estimatedMicros;
    if (row.billedMicros !== null) totals.billedMicros = (totals.billedMicros ?? 0) + row.billedMicros;
    if (row.differenceMicros !== null) totals.differenceMicros = (totals.differenceMicros ?? 0) + row.differenceMicros;
    totals.priceUnknown ||= row.priceUnknown;
  }
  return totals;
}
