import type { Micros } from '../money';

/**
 * What a finance export holds. Everything here is plain data (no zod, no DB, no DOM) so the
 * content script and extension pages can import the constants without pulling in a builder.
 */

export const EXPORT_GROUPINGS = ['key', 'key-model', 'project', 'tag', 'day-key'] as const;
export type ExportGrouping = (typeof EXPORT_GROUPINGS)[number];

export const GROUPING_LABELS: Record<ExportGrouping, string> = {
  key: 'Key',
  'key-model': 'Key × model',
  project: 'Project',
  tag: 'Cost-center tag',
  'day-key': 'Day × key',
};

export const EXPORT_FORMATS = ['csv', 'xlsx', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const MIME_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv;charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  json: 'application/json',
};

/** Estimates are in US dollars (list prices); billed costs must be in the same currency or the export refuses. */
export const EXPORT_CURRENCY = 'USD';

/** Label of usage and costs the API reports without an API key. */
export const UNTRACKED_NAME = 'Untracked usage';
/** Cost-center group of keys that have no tag. */
export const UNTAGGED = 'untagged';
/** Model column of the one row per key that carries its billed cost in the key × model grouping (costs have no model). */
export const BILLED_ALL_MODELS = '(billed cost, all models)';

/** 'untracked' = usage without an API key (tracking off on a legacy key, or project-level items). */
export type KeyStatus = 'active' | 'deleted' | 'untracked';

/** What a row of the export groups by. Fields that the table does not group by are '' / null. */
export interface ExportIdentity {
  orgId: string;
  organisation: string;
  projectId: string;
  projectName: string;
  /** '' on untracked rows and on rows not grouped by key. */
  apiKeyId: string;
  keyName: string;
  redactedKey: string;
  owner: string;
  /** null on rows not grouped by key. */
  status: KeyStatus | null;
  tags: string[];
  /** Cost-center tag group (tag grouping only). */
  costCenter: string | null;
  /** Model (key × model, By model); null elsewhere. */
  model: string | null;
  /** UTC day YYYY-MM-DD (day × key, By day); null elsewhere. */
  day: string | null;
}

/** The figures of a row, or of a whole table (each the sum of its rows; money in integer micros). */
export interface ExportTotals {
  requests: number;
  inputTokens: number;
  cachedTokens: number;
  outputTokens: number;
  estimatedMicros: Micros;
  /** null when the Costs API gave nothing for this group (never 0 by assumption). */
  billedMicros: Micros | null;
  /** billed − estimated; null when billed is null. */
  differenceMicros: Micros | null;
  /** Some usage of the group had no known price: its cost is not in the estimate. */
  priceUnknown: boolean;
}

/** One row of any table of the export. */
export interface ExportRow extends ExportIdentity, ExportTotals {}

/** An identity that groups by nothing yet: the caller fills in what its table groups by. */
export const blankIdentity = (orgId: string, organisation: string): ExportIdentity => ({
  orgId,
  organisation,
  projectId: '',
  projectName: '',
  apiKeyId: '',
  keyName: '',
  redactedKey: '',
  owner: '',
  status: null,
  tags: [],
  costCenter: null,
  model: null,
  day: null,
});

/** Figures of nothing: zero usage, no billed cost known. */
export const zeroTotals = (): ExportTotals => ({
  requests: 0,
  inputTokens: 0,
  cachedTokens: 0,
  outputTokens: 0,
  estimatedMicros: 0,
  billedMicros: null,
  differenceMicros: null,
  priceUnknown: false,
});

export interface ExportOrg {
  orgId: string;
  label: string;
  /** Unix seconds of the last successful sync, or null. */
  lastSyncAt: number | null;
}

export interface ExportAbout {
  sources: Array<{ name: string; used: boolean; detail: string }>;
  priceData: { source: string; version: string; basis: string; overrides: number };
  definitions: { estimated: string; billed: string; difference: string; untracked: string; deleted: string; tokens: string };
  notes: string[];
}

export interface ExportDataset {
  orgs: ExportOrg[];
  /** Unix seconds, whole UTC days, `to` exclusive. */
  range: { from: number; to: number };
  /** Unix milliseconds. */
  generatedAt: number;
  grouping: ExportGrouping;
  currency: string;
  /** The chosen grouping. */
  rows: ExportRow[];
  /** Per organisation × model (no billed cost: the Costs API has no model dimension). */
  byModel: ExportRow[];
  /** Per organisation × UTC day. */
  byDay: ExportRow[];
  /** Per key: estimated vs billed. */
  reconciliation: ExportRow[];
  about: ExportAbout;
}

export interface ExportFile {
  filename: string;
  mimeType: string;
  bytes: Uint8Array;
}

/** What `export:build` answers: the file, base64-encoded so it survives the message boundary. */
export interface ExportBuildResult {
  filename: string;
  mimeType: string;
  base64: string;
  rowCount: number;
}
