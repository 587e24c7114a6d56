/**
 * The simulator's shared model: one seeded organisation that both the mock Admin API
 * (api.openai.com) and the simulated dashboard (platform.openai.com) read, so that their
 * numbers agree for any range. Plain data + pure functions; no I/O here.
 *
 * Time: every timestamp is Unix seconds, UTC. Data exists for whole UTC days from
 * SEED_FIRST_DAY; a day's values depend only on (day, key, model, ...), never on "now",
 * so tests can compute expectations for any range. The API only reports days before `now`.
 */

export const DAY = 86_400;

export type UsageEndpoint =
  | 'completions'
  | 'embeddings'
  | 'moderations'
  | 'images'
  | 'audio_speeches'
  | 'audio_transcriptions'
  | 'vector_stores'
  | 'code_interpreter_sessions'
  | 'file_search_calls'
  | 'web_search_calls';

export interface SimProject {
  id: string; // proj_…
  name: string;
  created_at: number;
  archived_at: number | null;
  status: 'active' | 'archived';
}

export interface SimUser {
  id: string; // user_…
  name: string;
  email: string;
  role: 'owner' | 'reader';
  added_at: number;
}

export interface SimServiceAccount {
  id: string; // svc_acct_…
  name: string;
  created_at: number;
  role: 'owner' | 'member';
}

export interface SimKey {
  id: string; // key_… (the "tracking id", same as usage's api_key_id)
  name: string; // may repeat across keys, may contain markup or formula prefixes on purpose
  redacted_value: string; // "sk-proj-…abcd" (project keys) or "sk-…abcd" (legacy user keys)
  project_id: string;
  created_at: number;
  owner: { type: 'user'; user_id: string } | { type: 'service_account'; service_account_id: string };
  /** Created before 2023-12-20: tracking had to be switched on by hand. */
  legacy: boolean;
  /** Start of the UTC day from which usage is attributed to this key; null = tracking off. */
  tracking_since: number | null;
  /** When the key was deleted (it then disappears from the keys list), or null. */
  deleted_at: number | null;
  owner_project_access: 'active' | 'inactive';
}

/** One row of usage for one UTC day and one combination of every dimension the API can group by. */
export interface SimUsageRow {
  endpoint: UsageEndpoint;
  day: number; // start of the UTC day
  project_id: string;
  user_id: string | null;
  /** The key that made the calls (always known to the simulator). */
  key_id: string;
  /** What the API reports: null when the key's tracking was off that day. */
  api_key_id: string | null;
  model: string | null;
  batch: boolean | null; // completions only
  service_tier: string | null; // completions only
  /** Metrics; names as in the API result of that endpoint (input_tokens, images, characters, …). */
  metrics: Record<string, number>;
  /** Extra dimensions some endpoints have (size, source, vector_store_id, context_level). */
  extra?: Record<string, string | null>;
}

/** One billed line for one UTC day (what /v1/organization/costs aggregates). */
export interface SimCostRow {
  day: number;
  project_id: string;
  api_key_id: string | null; // null when the key's tracking was off that day
  line_item: string; // e.g. "gpt-4o-2024-08-06, input"
  /** Exact amount in USD as a decimal string (no float drift), e.g. "0.003835980000". */
  amount: string;
  quantity: number | null;
  quantity_unit: string | null;
}

export interface SimOrg {
  id: string; // org-…
  name: string;
  projects: SimProject[];
  users: SimUser[];
  serviceAccounts: SimServiceAccount[];
  keys: SimKey[];
  /** Admin keys the mock accepts (full secret values). */
  adminKeys: string[];
}
