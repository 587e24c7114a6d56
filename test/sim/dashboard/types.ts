/**
 * Wire types between the simulated dashboard's server (`index.ts`) and its SPA (`app/`).
 * These `/_sim/dash/…` JSON shapes are the simulator's own invention: the real dashboard's
 * internal calls are unknown (reference/openai-api.md §5), and Keymeter must never depend on them.
 * No imports: the SPA bundle includes this file, so it must not pull in server code.
 */

/** Three structurally different DOMs for the same pages (see README.md). */
export type Layout = '2024' | '2026' | 'compact';
export const LAYOUTS: readonly Layout[] = ['2024', '2026', 'compact'];

export interface DashConfig {
  /** Default layout; a page load can override it with `?layout=` (kept in sessionStorage). */
  layout: Layout;
  /** How long each usage section shows its loading skeleton before the data renders. */
  renderDelayMs: number;
  /** Server-side latency of the enable-tracking request, uniform in [min, max] ms. */
  enableLatencyMs: [number, number];
  /** Fraction (0–1) of enable-tracking requests that fail with an error toast. */
  enableFailureRate: number;
  /** Keys whose enable-tracking request always fails (deterministic failures for tests). */
  enableFailKeyIds: string[];
  /** Label of the confirm button in the "Enable usage tracking?" dialog. */
  confirmText: string;
  /** Rows per page on the API-keys page. */
  keysPageSize: number;
  /** Enable-tracking requests closer together than this (ms) are refused with 429. */
  rateLimitMs: number;
  /** When > 0, the "Top API keys" rows are re-rendered (replaced) this often, like a React re-render. */
  rerenderMs: number;
  /** Salt of the hashed CSS-module class names in the 2026 layout ("a new deploy" changes the hashes). */
  buildId: string;
}

export interface SessionInfo {
  org: { id: string; name: string };
  user: { name: string; email: string };
  projects: Array<{ id: string; name: string; status: 'active' | 'archived' }>;
  /** Server clock (ms since epoch): the SPA computes "today" and presets from it, not from the browser clock. */
  now: number;
  config: DashConfig;
}

export type TopDimension = 'api_keys' | 'users' | 'organizations';

export interface TopRow {
  /** key_…, user_… or org-…; null for the "Untracked" row (and users of service-account keys). Not rendered. */
  id: string | null;
  name: string;
  /** api_keys only: "sk-…abcd" / "sk-proj-…abcd"; null on the Untracked row. */
  redacted_value?: string | null;
  /** api_keys only: the key's project; null on the Untracked row when it spans projects. */
  project_id?: string | null;
  project_name?: string | null;
  /** users only. */
  email?: string | null;
  requests: number;
  untracked?: boolean;
}

export interface TopResponse {
  dimension: TopDimension;
  /** Inclusive UTC dates as requested (YYYY-MM-DD). */
  start: string;
  end: string;
  project_id: string | null;
  rows: TopRow[];
  total_requests: number;
}

export interface SummaryResponse {
  start: string;
  end: string;
  project_id: string | null;
  requests: number;
  /** input + output tokens of completions, plus embeddings input tokens. */
  tokens: number;
  /** Billed cost in USD, exact decimal rounded to cents, e.g. "1234.56". */
  spend_usd: string;
}

export type Permissions = 'All' | 'Restricted' | 'Read only';

export interface KeyItem {
  id: string;
  name: string;
  redacted_value: string;
  project_id: string;
  project_name: string;
  created_at: number; // Unix seconds
  last_used_at: number | null; // Unix seconds, as the mock Admin API's last_used_at
  legacy: boolean;
  tracking: boolean;
  tracking_since: number | null;
  permissions: Permissions;
  owner_name: string;
}

export interface KeysPage {
  data: KeyItem[];
  page: number; // 1-based
  page_count: number;
  page_size: number;
  total: number;
}

export interface ApiError {
  error: { message: string; code?: string };
}

/** Kinds of entries in the dashboard's event log (clicks from the SPA and server-side outcomes). */
export const EVENT_KINDS = [
  'navigate', // route change (keyId unset; outcome = new path)
  'enable', // clicked an "Enable" tracking control (opens the confirm dialog)
  'confirm', // confirmed the enable dialog
  'cancel', // dismissed any dialog (outcome = which dialog)
  'enable-tracking', // server: outcome = enabled | already-enabled | failed | rate-limited | not-found
  'edit', // clicked "Edit key"
  'edit-saved', // pressed Save in the edit dialog
  'permissions', // changed permissions inside the edit dialog
  'revoke', // clicked "Revoke key" (opens the revoke dialog)
  'revoke-confirmed', // pressed the revoke dialog's confirm button: a dangerous action
  'create', // clicked "Create new secret key"
  'create-confirmed', // pressed the create dialog's confirm button
  'delete', // clicked "Delete organization" on the settings page
  'decoy', // clicked a look-alike "Enable" that has nothing to do with key tracking (outcome = which)
  'page', // clicked Previous/Next in the keys table (outcome = page number)
] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export interface DashEvent {
  at: number; // ms since epoch (the dashboard's clock)
  kind: EventKind;
  keyId?: string;
  outcome?: string;
  /** e.g. the failure message of a failed enable-tracking request. */
  detail?: string;
}
