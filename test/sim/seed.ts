/**
 * The seeded organisation "Acme Robotics" that the mock Admin API and the simulated dashboard
 * both read. Every number is a pure function of (day, key, model, …) through a string hash,
 * never Math.random or the clock, so any range can be recomputed by tests as ground truth.
 *
 * Money is computed in integer pico-dollars (BigInt, 1 USD = 10^12 p$) and printed as exact
 * decimal strings; the seed's prices are chosen so that every amount is a whole number of p$.
 */
import {
  DAY,
  type SimCostRow,
  type SimKey,
  type SimOrg,
  type SimProject,
  type SimServiceAccount,
  type SimUsageRow,
  type SimUser,
  type UsageEndpoint,
} from './model';

// ---------------------------------------------------------------------------------------------
// Time helpers

/** 'YYYY-MM-DD' → Unix seconds at 00:00 UTC (Date.UTC is pure; no clock involved). */
export function utcDay(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 1000;
}

export const dayFloor = (t: number): number => Math.floor(t / DAY) * DAY;
export const dayCeil = (t: number): number => Math.ceil(t / DAY) * DAY;

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
const weekday = (day: number): number => (Math.floor(day / DAY) + 4) % 7;
const isWeekend = (day: number): boolean => weekday(day) === 0 || weekday(day) === 6;

export const SEED_FIRST_DAY = utcDay('2025-06-01');
/** Exclusive. */
export const SEED_END_DAY = utcDay('2027-07-01');

// ---------------------------------------------------------------------------------------------
// Deterministic hashing

/** FNV-1a followed by murmur3's finaliser: cheap, well mixed, stable across runs and engines. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A number in [0, 1) fixed by its parts. */
export const rand = (...parts: Array<string | number>): number => hash32(parts.join('|')) / 2 ** 32;

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Random-looking but fixed base62 text, e.g. for ids and key suffixes. */
function base62(seed: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE62[hash32(`${seed}#${i}`) % 62];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Organisation

export const DEMO_ADMIN_KEY = 'sk-admin-sim-demo-0000000000000000';
export const E2E_ADMIN_KEY = 'sk-admin-e2e-7f3c9a1b5d2e4f60a8c1';

export const ORG_ID = 'org-keymetersim';
export const ORG_NAME = 'Acme Robotics';

/** Tracking had to be switched on by hand for keys created before this day. */
export const TRACKING_DEFAULT_FROM = utcDay('2023-12-20');

type ProjectSlug = 'default' | 'platform' | 'research' | 'support' | 'chatbot';
type UserSlug = 'dana' | 'marco' | 'priya' | 'tomas' | 'lena' | 'kenji';
type ServiceSlug = 'ci' | 'gateway' | 'etl' | 'support';

const PROJECTS: Record<ProjectSlug, { id: string; name: string; created: string; archived?: string }> = {
  default: { id: 'proj_Dq7mXc2RkT9vLw4nB8sYhE3a', name: 'Default project', created: '2023-01-10' },
  platform: { id: 'proj_Pl4tF0rmA9x2Ke7QmZ3vN6wd', name: 'Platform API', created: '2024-02-01' },
  research: { id: 'proj_R3s34rcHb8Lq1Vt6yWm2Xz9c', name: 'Research', created: '2024-05-15' },
  support: { id: 'proj_SuPp0rtB0tK5n8Rj2Gh7Ye4f', name: 'Support Bot', created: '2024-08-20' },
  chatbot: {
    id: 'proj_Ch4tB0tV1Ar4Cm9Dp3Fs6Hk2',
    name: 'Legacy Chatbot',
    created: '2024-01-15',
    archived: '2026-03-01',
  },
};

const USERS: Record<UserSlug, { id: string; name: string; email: string; role: SimUser['role']; added: string }> = {
  dana: { id: 'user_Dn8wH3kQp2Lx7Rv5', name: 'Dana Whitfield', email: 'dana@acme-robotics.example', role: 'owner', added: '2023-01-10' },
  marco: { id: 'user_Mr4cZ9tY1Bn6Kq3e', name: 'Marco Ruiz', email: 'marco@acme-robotics.example', role: 'owner', added: '2023-02-02' },
  priya: {
    id: 'user_Pr1yA5nV8Jc2Wd7g',
    name: 'Priya Natarajan',
    email: 'priya@acme-robotics.example',
    role: 'reader',
    added: '2023-03-15',
  },
  tomas: { id: 'user_T0m4sG6xL3Fh9Ns1', name: 'Tomás Alves', email: 'tomas@acme-robotics.example', role: 'reader', added: '2023-05-08' },
  lena: { id: 'user_L3n4Fq7Mb2Vk8Tp4', name: 'Lena Fischer', email: 'lena@acme-robotics.example', role: 'reader', added: '2023-09-21' },
  kenji: { id: 'user_K3nJ1Rw5Ds9Yc2Hm', name: 'Kenji Watanabe', email: 'kenji@acme-robotics.example', role: 'reader', added: '2023-11-02' },
};

const SERVICE_ACCOUNTS: Record<ServiceSlug, { id: string; name: string; created: string; role: SimServiceAccount['role'] }> = {
  ci: { id: 'svc_acct_Ci7Bt2Qw9Lk4', name: 'ci-bot', created: '2024-03-01', role: 'member' },
  gateway: { id: 'svc_acct_Gw3Ay8Pn5Rx1', name: 'api-gateway', created: '2024-02-20', role: 'member' },
  etl: { id: 'svc_acct_Et1Lb6Vm4Zs8', name: 'batch-etl', created: '2024-06-10', role: 'member' },
  support: { id: 'svc_acct_Sp5Rt9Dk2Hf7', name: 'support-bot', created: '2024-01-20', role: 'owner' },
};

// ---------------------------------------------------------------------------------------------
// Usage profiles: what each key does on a typical weekday at the start of the period

/** How a key's completions requests split over (batch, service tier); shares sum to 1. */
type Split = Array<readonly [batch: boolean, tier: 'default' | 'flex' | 'priority', share: number]>;

interface Use {
  endpoint: UsageEndpoint;
  model: string | null;
  /** Requests on a weekday (sessions for code interpreter, calls for search tools). */
  perDay: number;
  /** completions/embeddings/moderations: tokens per request. */
  inPerReq?: number;
  outPerReq?: number;
  /** Share of input tokens served from the cache (non-batch completions only). */
  cached?: number;
  split?: Split;
  /** images per request, characters per request, seconds per request, bytes stored. */
  unitsPerReq?: number;
  size?: string;
  source?: string;
  vectorStoreId?: string;
  contextLevel?: string;
}

interface KeySpec {
  /** Stable seed for the key's id and suffix; never shown. */
  slug: string;
  name: string;
  project: ProjectSlug;
  owner: { user: UserSlug } | { service: ServiceSlug };
  created: string;
  /** Legacy keys only: the day tracking was switched on, or null when it never was. */
  trackingSince?: string | null;
  deleted?: string;
  inactive?: boolean;
  /** Chance that a (user) key is not used at all on a given day. */
  idle?: number;
  uses: Use[];
}

const DEFAULT_ONLY: Split = [[false, 'default', 1]];

const chat = (model: string, perDay: number, inPerReq: number, outPerReq: number, cached = 0.3, split: Split = DEFAULT_ONLY): Use => ({
  endpoint: 'completions',
  model,
  perDay,
  inPerReq,
  outPerReq,
  cached,
  split,
});

const GPT4O = 'gpt-4o-2024-08-06';
const GPT4O_MINI = 'gpt-4o-mini-2024-07-18';
const GPT41 = 'gpt-4.1-2025-04-14';
const GPT41_MINI = 'gpt-4.1-mini-2025-04-14';
const O3_MINI = 'o3-mini-2025-01-31';
const GPT35 = 'gpt-3.5-turbo-0125';
const EMBED = 'text-embedding-3-small';
const MODERATION = 'omni-moderation-latest';

const KEY_SPECS: KeySpec[] = [
  // Default project: legacy user keys (created before 2023-12-20), tracking switched on for some.
  {
    slug: 'legacy-dana',
    name: 'dana-laptop',
    project: 'default',
    owner: { user: 'dana' },
    created: '2023-04-12',
    trackingSince: '2024-03-05',
    idle: 0.3,
    uses: [chat(GPT4O, 40, 1200, 400, 0.2), chat(GPT4O_MINI, 120, 800, 300)],
  },
  {
    slug: 'legacy-prod',
    name: 'prod-chat (old)',
    project: 'default',
    owner: { user: 'marco' },
    created: '2023-06-01',
    trackingSince: '2024-01-10',
    uses: [chat(GPT4O_MINI, 1500, 900, 200, 0.5), chat(GPT35, 300, 700, 250, 0)],
  },
  {
    slug: 'legacy-notebook',
    name: 'old-notebook',
    project: 'default',
    owner: { user: 'priya' },
    created: '2023-08-20',
    trackingSince: null,
    idle: 0.2,
    uses: [chat(GPT4O_MINI, 60, 1500, 500), chat(GPT4O, 15, 2000, 600)],
  },
  {
    slug: 'legacy-zapier',
    name: 'zapier-integration',
    project: 'default',
    owner: { user: 'tomas' },
    created: '2023-09-14',
    trackingSince: null,
    uses: [chat(GPT35, 400, 600, 200, 0), chat(GPT4O_MINI, 200, 600, 200)],
  },
  {
    slug: 'legacy-eval',
    name: 'eval-scripts',
    project: 'default',
    owner: { user: 'lena' },
    created: '2023-10-02',
    trackingSince: null,
    idle: 0.25,
    uses: [
      chat(GPT4O, 80, 2500, 300, 0.1, [
        [false, 'default', 0.5],
        [true, 'default', 0.5],
      ]),
      { endpoint: 'embeddings', model: EMBED, perDay: 200, inPerReq: 900 },
    ],
  },
  {
    slug: 'legacy-marketing',
    name: 'marketing-copy',
    project: 'default',
    owner: { user: 'kenji' },
    created: '2023-11-30',
    trackingSince: null,
    idle: 0.3,
    uses: [
      chat(GPT4O, 50, 1000, 800),
      { endpoint: 'images', model: 'dall-e-3', perDay: 8, unitsPerReq: 1, size: '1024x1024', source: 'image.generation' },
    ],
  },
  {
    slug: 'legacy-jupyter',
    name: 'jupyter',
    project: 'default',
    owner: { user: 'kenji' },
    created: '2023-05-05',
    trackingSince: null,
    idle: 0.5,
    uses: [chat(GPT4O_MINI, 30, 1200, 400)],
  },
  {
    slug: 'legacy-test',
    name: 'test',
    project: 'default',
    owner: { user: 'dana' },
    created: '2023-12-01',
    trackingSince: '2024-06-17',
    idle: 0.6,
    uses: [chat(GPT4O_MINI, 10, 500, 150)],
  },
  // Default project: newer keys (tracked from creation).
  {
    slug: 'formula',
    name: '=HYPERLINK("x")',
    project: 'default',
    owner: { user: 'tomas' },
    created: '2024-08-08',
    uses: [chat(GPT4O_MINI, 90, 700, 250)],
  },
  {
    slug: 'local-dev',
    name: 'local-dev',
    project: 'default',
    owner: { user: 'lena' },
    created: '2025-01-05',
    idle: 0.3,
    uses: [chat(GPT41_MINI, 60, 1500, 400)],
  },

  // Platform API
  {
    slug: 'ci-runner-1',
    name: 'ci-runner',
    project: 'platform',
    owner: { service: 'ci' },
    created: '2024-03-01',
    uses: [chat(GPT4O_MINI, 250, 1100, 200, 0.6)],
  },
  {
    slug: 'ci-runner-2',
    name: 'ci-runner',
    project: 'platform',
    owner: { service: 'ci' },
    created: '2025-02-11',
    uses: [chat(GPT41_MINI, 180, 1300, 250, 0.6)],
  },
  {
    slug: 'gateway-prod',
    name: 'api-gateway-prod',
    project: 'platform',
    owner: { service: 'gateway' },
    created: '2024-02-20',
    uses: [
      chat(GPT41, 2200, 1400, 300, 0.55, [
        [false, 'default', 0.85],
        [false, 'priority', 0.15],
      ]),
      chat(GPT4O_MINI, 5000, 600, 150, 0.4),
    ],
  },
  {
    slug: 'gateway-staging',
    name: 'api-gateway-staging',
    project: 'platform',
    owner: { service: 'gateway' },
    created: '2024-02-21',
    uses: [chat(GPT41, 150, 1400, 300, 0.5), chat(GPT4O_MINI, 300, 600, 150, 0.4)],
  },
  {
    slug: 'nightly-batch',
    name: 'nightly-batch',
    project: 'platform',
    owner: { service: 'etl' },
    created: '2024-07-01',
    uses: [chat(GPT4O_MINI, 4000, 2500, 400, 0, [[true, 'default', 1]]), chat(GPT41, 600, 3000, 500, 0, [[true, 'default', 1]])],
  },
  {
    slug: 'xss',
    name: '<img src=x onerror=alert(1)>',
    project: 'platform',
    owner: { user: 'kenji' },
    created: '2025-03-03',
    idle: 0.4,
    uses: [chat(GPT4O_MINI, 20, 800, 200)],
  },
  {
    slug: 'marco-dev',
    name: 'marco-dev',
    project: 'platform',
    owner: { user: 'marco' },
    created: '2024-04-01',
    inactive: true,
    idle: 0.5,
    uses: [chat(GPT41, 40, 2000, 500, 0.2)],
  },
  {
    slug: 'analytics',
    name: 'analytics-dashboard',
    project: 'platform',
    owner: { user: 'dana' },
    created: '2024-11-12',
    uses: [chat(GPT41_MINI, 300, 1800, 350, 0.5), { endpoint: 'embeddings', model: EMBED, perDay: 500, inPerReq: 400 }],
  },
  {
    slug: 'realtime-router',
    name: 'realtime-router',
    project: 'platform',
    owner: { service: 'gateway' },
    created: '2025-05-06',
    uses: [
      chat(GPT41_MINI, 800, 900, 200, 0.3, [
        [false, 'default', 0.5],
        [false, 'priority', 0.5],
      ]),
      { endpoint: 'web_search_calls', model: GPT41_MINI, perDay: 60, contextLevel: 'low' },
    ],
  },

  // Research
  {
    slug: 'research-nb',
    name: 'research-notebook',
    project: 'research',
    owner: { user: 'priya' },
    created: '2024-06-01',
    idle: 0.15,
    uses: [
      chat(O3_MINI, 70, 3000, 2500, 0.2),
      chat(GPT41, 40, 5000, 800, 0.3),
      { endpoint: 'code_interpreter_sessions', model: null, perDay: 12 },
    ],
  },
  {
    slug: 'embed-indexer',
    name: 'embeddings-indexer',
    project: 'research',
    owner: { service: 'etl' },
    created: '2024-06-10',
    uses: [
      { endpoint: 'embeddings', model: EMBED, perDay: 3000, inPerReq: 700 },
      { endpoint: 'file_search_calls', model: null, perDay: 400, vectorStoreId: 'vs_Kb7Wq2Nf9Lx4Tz1c' },
      { endpoint: 'file_search_calls', model: null, perDay: 90, vectorStoreId: 'vs_Ht3Rm8Pd5Gy2Vb6e' },
      { endpoint: 'vector_stores', model: null, perDay: 1, unitsPerReq: 412_000_000 },
    ],
  },
  {
    slug: 'eval-harness',
    name: 'eval-harness',
    project: 'research',
    owner: { user: 'lena' },
    created: '2025-04-15',
    idle: 0.2,
    uses: [
      chat(O3_MINI, 300, 2200, 1800, 0.1, [
        [false, 'flex', 0.7],
        [false, 'default', 0.3],
      ]),
      chat(GPT41_MINI, 200, 1500, 300, 0.1, [[false, 'flex', 1]]),
    ],
  },
  {
    slug: 'ci-runner-research',
    name: 'ci-runner',
    project: 'research',
    owner: { service: 'ci' },
    created: '2025-05-01',
    uses: [chat(GPT4O_MINI, 120, 1000, 200, 0.6)],
  },
  {
    slug: 'transcribe',
    name: 'transcribe-meetings',
    project: 'research',
    owner: { user: 'tomas' },
    created: '2024-10-01',
    idle: 0.1,
    uses: [{ endpoint: 'audio_transcriptions', model: 'whisper-1', perDay: 40, unitsPerReq: 600 }, chat(GPT4O_MINI, 60, 6000, 700, 0.1)],
  },
  {
    slug: 'image-play',
    name: 'image-playground',
    project: 'research',
    owner: { user: 'kenji' },
    created: '2025-01-20',
    idle: 0.3,
    uses: [
      { endpoint: 'images', model: 'gpt-image-1', perDay: 15, unitsPerReq: 1, size: '1024x1024', source: 'image.generation' },
      { endpoint: 'images', model: 'gpt-image-1', perDay: 4, unitsPerReq: 1, size: '1024x1024', source: 'image.edit' },
      { endpoint: 'images', model: 'dall-e-3', perDay: 5, unitsPerReq: 1, size: '1024x1792', source: 'image.generation' },
    ],
  },
  {
    slug: 'labeling',
    name: 'data-labeling',
    project: 'research',
    owner: { user: 'priya' },
    created: '2025-09-01',
    uses: [
      chat(GPT4O_MINI, 1500, 1200, 100, 0.2, [
        [true, 'default', 0.8],
        [false, 'default', 0.2],
      ]),
    ],
  },
  {
    slug: 'kenji-sandbox',
    name: 'kenji-sandbox',
    project: 'research',
    owner: { user: 'kenji' },
    created: '2024-12-01',
    inactive: true,
    idle: 0.6,
    uses: [chat(GPT4O_MINI, 15, 600, 200)],
  },

  // Support Bot (holds the holiday spike)
  {
    slug: 'support-prod',
    name: 'support-assistant-prod',
    project: 'support',
    owner: { service: 'support' },
    created: '2024-09-05',
    uses: [
      chat(GPT4O, 900, 1800, 350, 0.45),
      chat(GPT4O_MINI, 1200, 900, 200, 0.5),
      { endpoint: 'moderations', model: MODERATION, perDay: 2100, inPerReq: 120 },
    ],
  },
  {
    slug: 'support-staging',
    name: 'support-assistant-staging',
    project: 'support',
    owner: { service: 'support' },
    created: '2024-09-05',
    uses: [chat(GPT4O, 40, 1800, 350, 0.45), chat(GPT4O_MINI, 80, 900, 200, 0.5)],
  },
  {
    slug: 'support-voice',
    name: 'support-voice',
    project: 'support',
    owner: { service: 'support' },
    created: '2024-10-15',
    uses: [
      { endpoint: 'audio_speeches', model: 'tts-1', perDay: 250, unitsPerReq: 400 },
      { endpoint: 'audio_transcriptions', model: 'whisper-1', perDay: 120, unitsPerReq: 90 },
    ],
  },
  {
    slug: 'moderation',
    name: 'moderation-filter',
    project: 'support',
    owner: { service: 'support' },
    created: '2024-09-10',
    uses: [{ endpoint: 'moderations', model: MODERATION, perDay: 3000, inPerReq: 150 }],
  },
  {
    slug: 'deleted-exp',
    name: 'experiment-summaries',
    project: 'support',
    owner: { user: 'priya' },
    created: '2025-08-10',
    deleted: '2026-02-15',
    uses: [chat(GPT4O, 150, 2500, 500, 0.2), chat(GPT4O_MINI, 300, 1500, 300)],
  },
  {
    slug: 'web-agent',
    name: 'web-research-agent',
    project: 'support',
    owner: { user: 'lena' },
    created: '2025-06-20',
    idle: 0.1,
    uses: [
      chat(GPT41, 100, 4000, 600, 0.3),
      { endpoint: 'web_search_calls', model: GPT41, perDay: 200, contextLevel: 'medium' },
      { endpoint: 'web_search_calls', model: GPT41, perDay: 40, contextLevel: 'high' },
    ],
  },

  // Legacy Chatbot (archived 2026-03-01: its keys stop working then)
  {
    slug: 'chatbot-v1',
    name: 'chatbot-v1',
    project: 'chatbot',
    owner: { service: 'support' },
    created: '2024-01-20',
    uses: [chat(GPT35, 2000, 800, 220, 0), chat(GPT4O_MINI, 500, 900, 250, 0.3)],
  },
  {
    slug: 'chatbot-admin',
    name: 'chatbot-v1-admin',
    project: 'chatbot',
    owner: { user: 'marco' },
    created: '2024-01-22',
    inactive: true,
    idle: 0.8,
    uses: [chat(GPT4O_MINI, 5, 700, 200)],
  },
  // Created in the middle of the period: absent from lists (and usage) before that.
  {
    slug: 'q3-launch',
    name: 'q3-launch',
    project: 'platform',
    owner: { user: 'marco' },
    created: '2026-06-15',
    uses: [chat(GPT41, 400, 1600, 400, 0.4), chat(GPT41_MINI, 600, 1000, 250, 0.4)],
  },
];

/** Key id derived from the spec's slug, so ids stay put when the table is reordered. */
const keyIdOf = (slug: string): string => `key_${base62(`key:${slug}`, 16)}`;

/** A time during a day's working hours, so created_at values do not all sit at midnight. */
const timeOfDay = (seed: string): number => 8 * 3600 + Math.floor(rand(seed, 'tod') * 9 * 3600);

const SPEC_BY_KEY_ID: ReadonlyMap<string, KeySpec> = new Map(KEY_SPECS.map((spec) => [keyIdOf(spec.slug), spec]));

/** Four unique base62 characters per key; collisions are re-drawn with a salt. */
function keySuffixes(): Map<string, string> {
  const seen = new Set<string>();
  const out = new Map<string, string>();
  for (const spec of KEY_SPECS) {
    let salt = 0;
    let suffix = base62(`suffix:${spec.slug}`, 4);
    while (seen.has(suffix)) suffix = base62(`suffix:${spec.slug}:${++salt}`, 4);
    seen.add(suffix);
    out.set(spec.slug, suffix);
  }
  return out;
}

function buildKey(spec: KeySpec, suffix: string): SimKey {
  const created_at = utcDay(spec.created) + timeOfDay(spec.slug);
  const legacy = created_at < TRACKING_DEFAULT_FROM;
  const isService = 'service' in spec.owner;
  // Legacy user keys are "sk-…", project keys "sk-proj-…", service-account keys "sk-svcacct-…".
  const prefix = legacy ? 'sk-' : isService ? 'sk-svcacct-' : 'sk-proj-';
  const tracking_since = legacy ? (spec.trackingSince ? utcDay(spec.trackingSince) : null) : dayFloor(created_at);
  return {
    id: keyIdOf(spec.slug),
    name: spec.name,
    redacted_value: `${prefix}…${suffix}`,
    project_id: PROJECTS[spec.project].id,
    created_at,
    owner:
      'service' in spec.owner
        ? { type: 'service_account', service_account_id: SERVICE_ACCOUNTS[spec.owner.service].id }
        : { type: 'user', user_id: USERS[spec.owner.user].id },
    legacy,
    tracking_since,
    deleted_at: spec.deleted ? utcDay(spec.deleted) + timeOfDay(`${spec.slug}:deleted`) : null,
    owner_project_access: spec.inactive ? 'inactive' : 'active',
  };
}

/** A fresh, mutable organisation (tests switch tracking on and off). */
export function createOrg(): SimOrg {
  const suffixes = keySuffixes();
  const projects: SimProject[] = Object.values(PROJECTS).map((p) => ({
    id: p.id,
    name: p.name,
    created_at: utcDay(p.created) + timeOfDay(p.id),
    archived_at: p.archived ? utcDay(p.archived) : null,
    status: p.archived ? 'archived' : 'active',
  }));
  const users: SimUser[] = Object.values(USERS).map((u) => ({
    id: u.id,
    name: u.name,
    email: u.email,
    role: u.role,
    added_at: utcDay(u.added) + timeOfDay(u.id),
  }));
  const serviceAccounts: SimServiceAccount[] = Object.values(SERVICE_ACCOUNTS).map((s) => ({
    id: s.id,
    name: s.name,
    created_at: utcDay(s.created) + timeOfDay(s.id),
    role: s.role,
  }));
  const keys = KEY_SPECS.map((spec) => buildKey(spec, suffixes.get(spec.slug) ?? '0000'));
  return { id: ORG_ID, name: ORG_NAME, projects, users, serviceAccounts, keys, adminKeys: [DEMO_ADMIN_KEY, E2E_ADMIN_KEY] };
}

// ---------------------------------------------------------------------------------------------
// The holiday spike: the story behind Keymeter

export const HOLIDAY_SPIKE = {
  keyId: keyIdOf('support-prod'),
  model: GPT4O,
  from: utcDay('2025-12-24'),
  /** Exclusive. */
  to: utcDay('2026-01-03'),
  /** Requests on spike days vs a normal weekday; weekends do not dip during the spike. */
  factor: 3,
} as const;

const inSpike = (keyId: string, model: string | null, day: number): boolean =>
  keyId === HOLIDAY_SPIKE.keyId && model === HOLIDAY_SPIKE.model && day >= HOLIDAY_SPIKE.from && day < HOLIDAY_SPIKE.to;

// ---------------------------------------------------------------------------------------------
// Usage rows

/** First and last (exclusive) whole days on which a key can be used: after creation, before deletion/archival. */
function activeDays(org: SimOrg, key: SimKey): { first: number; end: number } {
  const project = org.projects.find((p) => p.id === key.project_id);
  const stops = [SEED_END_DAY, key.deleted_at, project?.archived_at].filter((t): t is number => t != null);
  return { first: Math.max(dayCeil(key.created_at), SEED_FIRST_DAY), end: dayFloor(Math.min(...stops)) };
}

/** Requests a key makes for one use on one day (0 = no row). */
function requestsOn(key: SimKey, use: Use, useIndex: number, day: number, idle: number): number {
  if (idle > 0 && rand(day, key.id, 'idle') < idle) return 0;
  const spike = inSpike(key.id, use.model, day);
  const weekend = isWeekend(day) && !spike ? 0.4 : 1;
  const growth = 1 + (0.35 * (day - SEED_FIRST_DAY)) / (365 * DAY);
  const noise = 0.75 + 0.5 * rand(day, key.id, useIndex, 'n');
  return Math.round(use.perDay * weekend * growth * noise * (spike ? HOLIDAY_SPIKE.factor : 1));
}

/** Scales a per-request figure with a little noise, as an integer. */
const around = (count: number, perReq: number, ...seed: Array<string | number>): number =>
  Math.round(count * perReq * (0.8 + 0.4 * rand(...seed)));

/** The completions metrics of the 2026 field set; text only, no cache writes. */
export function completionsMetrics(requests: number, uncached: number, cached: number, output: number): Record<string, number> {
  return {
    input_tokens: uncached + cached,
    input_cached_tokens: cached,
    input_cache_write_tokens: 0,
    input_uncached_tokens: uncached,
    output_tokens: output,
    input_text_tokens: uncached,
    output_text_tokens: output,
    input_cached_text_tokens: cached,
    input_audio_tokens: 0,
    input_cached_audio_tokens: 0,
    output_audio_tokens: 0,
    input_image_tokens: 0,
    input_cached_image_tokens: 0,
    output_image_tokens: 0,
    num_model_requests: requests,
  };
}

/** Endpoints whose results carry no key or user (project-level resources). */
export const PROJECT_LEVEL_ENDPOINTS: ReadonlySet<UsageEndpoint> = new Set(['vector_stores', 'code_interpreter_sessions']);

function rowsForUse(key: SimKey, use: Use, useIndex: number, day: number, idle: number): SimUsageRow[] {
  const requests = requestsOn(key, use, useIndex, day, idle);
  if (requests <= 0) return [];
  const projectLevel = PROJECT_LEVEL_ENDPOINTS.has(use.endpoint);
  const tracked = key.tracking_since != null && day >= key.tracking_since;
  const base = {
    endpoint: use.endpoint,
    day,
    project_id: key.project_id,
    user_id: projectLevel || key.owner.type !== 'user' ? null : key.owner.user_id,
    key_id: key.id,
    api_key_id: tracked && !projectLevel ? key.id : null,
    model: use.model,
    batch: null,
    service_tier: null,
  };
  const seed = [day, key.id, useIndex] as const;
  switch (use.endpoint) {
    case 'completions':
      return (use.split ?? DEFAULT_ONLY).flatMap(([batch, tier, share], i) => {
        const n = Math.round(requests * share);
        if (n <= 0) return [];
        const input = around(n, use.inPerReq ?? 0, ...seed, i, 'in');
        const cachedShare = batch ? 0 : (use.cached ?? 0) * (0.7 + 0.6 * rand(...seed, i, 'c'));
        const cached = Math.min(input, Math.floor(input * cachedShare));
        const output = around(n, use.outPerReq ?? 0, ...seed, i, 'out');
        return [{ ...base, batch, service_tier: tier, metrics: completionsMetrics(n, input - cached, cached, output) }];
      });
    case 'embeddings':
    case 'moderations':
      return [{ ...base, metrics: { input_tokens: around(requests, use.inPerReq ?? 0, ...seed, 'in'), num_model_requests: requests } }];
    case 'images':
      return [
        {
          ...base,
          metrics: { images: requests * (use.unitsPerReq ?? 1), num_model_requests: requests },
          extra: { size: use.size ?? '1024x1024', source: use.source ?? 'image.generation' },
        },
      ];
    case 'audio_speeches':
      return [{ ...base, metrics: { characters: around(requests, use.unitsPerReq ?? 0, ...seed, 'ch'), num_model_requests: requests } }];
    case 'audio_transcriptions':
      return [{ ...base, metrics: { seconds: around(requests, use.unitsPerReq ?? 0, ...seed, 's'), num_model_requests: requests } }];
    case 'vector_stores': {
      // A gauge: bytes stored that day, slowly growing.
      const growth = 1 + (day - SEED_FIRST_DAY) / (365 * DAY);
      return [{ ...base, model: null, metrics: { usage_bytes: Math.round((use.unitsPerReq ?? 0) * growth) } }];
    }
    case 'code_interpreter_sessions':
      return [{ ...base, model: null, metrics: { num_sessions: requests } }];
    case 'file_search_calls':
      return [{ ...base, model: null, metrics: { num_requests: requests }, extra: { vector_store_id: use.vectorStoreId ?? null } }];
    case 'web_search_calls':
      // Every search call is made by one model request.
      return [
        {
          ...base,
          metrics: { num_model_requests: requests, num_requests: requests },
          extra: { context_level: use.contextLevel ?? 'medium' },
        },
      ];
  }
}

/**
 * Usage for whole UTC days whose start lies in [fromDay, toDay), one row per combination of all
 * dimensions. Keys added to the org by tests (no seed profile) have no usage.
 */
export function usageRows(org: SimOrg, endpoint: UsageEndpoint, fromDay: number, toDay: number): SimUsageRow[] {
  const rows: SimUsageRow[] = [];
  for (const key of org.keys) {
    const spec = SPEC_BY_KEY_ID.get(key.id);
    if (!spec) continue;
    const uses = spec.uses.map((use, index) => ({ use, index })).filter(({ use }) => use.endpoint === endpoint);
    if (uses.length === 0) continue;
    const { first, end } = activeDays(org, key);
    for (let day = Math.max(first, dayCeil(fromDay)); day < Math.min(end, toDay); day += DAY) {
      for (const { use, index } of uses) rows.push(...rowsForUse(key, use, index, day, spec.idle ?? 0));
    }
  }
  return rows;
}

/** Whether the key made any request that day (for last_used_at). */
export function keyUsedOn(org: SimOrg, key: SimKey, day: number): boolean {
  const spec = SPEC_BY_KEY_ID.get(key.id);
  if (!spec) return false;
  const { first, end } = activeDays(org, key);
  if (day < first || day >= end) return false;
  return spec.uses.some((use, index) => requestsOn(key, use, index, day, spec.idle ?? 0) > 0);
}

export const USAGE_ENDPOINTS: readonly UsageEndpoint[] = [
  'completions',
  'embeddings',
  'moderations',
  'images',
  'audio_speeches',
  'audio_transcriptions',
  'vector_stores',
  'code_interpreter_sessions',
  'file_search_calls',
  'web_search_calls',
];

// ---------------------------------------------------------------------------------------------
// Prices and costs

/** USD per 1M tokens. Cached input is billed at `cached_input` (null = no caching discount offered). */
export interface TokenPrice {
  input: number;
  cached_input: number | null;
  output: number;
}

export const SEED_PRICES: Readonly<Record<string, TokenPrice>> = {
  [GPT4O]: { input: 2.5, cached_input: 1.25, output: 10 },
  [GPT4O_MINI]: { input: 0.15, cached_input: 0.075, output: 0.6 },
  [GPT41]: { input: 2, cached_input: 0.5, output: 8 },
  [GPT41_MINI]: { input: 0.4, cached_input: 0.1, output: 1.6 },
  [O3_MINI]: { input: 1.1, cached_input: 0.55, output: 4.4 },
  [GPT35]: { input: 0.5, cached_input: null, output: 1.5 },
  [EMBED]: { input: 0.02, cached_input: null, output: 0 },
  [MODERATION]: { input: 0, cached_input: null, output: 0 },
};

/** Prices for what is not billed per token (USD). */
export const SEED_UNIT_PRICES = {
  /** Per image, by size. */
  images: { 'dall-e-3': { '1024x1024': 0.04, '1024x1792': 0.08 }, 'gpt-image-1': { '1024x1024': 0.042 } } as Record<
    string,
    Record<string, number>
  >,
  /** Per 1M characters. */
  ttsPerMillionCharacters: { 'tts-1': 15 } as Record<string, number>,
  /** Per minute of audio, billed by the second. */
  transcriptionPerMinute: { 'whisper-1': 0.006 } as Record<string, number>,
  webSearchPerThousandCalls: 10,
  fileSearchPerThousandCalls: 2.5,
  codeInterpreterPerSession: 0.03,
} as const;

/** Multipliers on token prices: batch halves input and output; flex halves, priority doubles. */
export const SEED_TIER_MULTIPLIERS = { batch: 0.5, default: 1, flex: 0.5, priority: 2 } as const;

const PICO_PER_USD = 10n ** 12n;

/** USD (at most 6 decimals, as all seed prices are) → µ$ as BigInt, without float error. */
const usdToMicros = (usd: number): bigint => BigInt(Math.round(usd * 1e6));

/** Exact p$ → decimal string with 12 decimals, e.g. 3835980000n → "0.003835980000". */
export function picoToDecimal(pico: bigint): string {
  const sign = pico < 0n ? '-' : '';
  const abs = pico < 0n ? -pico : pico;
  return `${sign}${abs / PICO_PER_USD}.${(abs % PICO_PER_USD).toString().padStart(12, '0')}`;
}

/** Decimal string (as produced by picoToDecimal) → p$. */
export function decimalToPico(text: string): bigint {
  const match = /^(-)?(\d+)(?:\.(\d{0,12}))?$/.exec(text);
  if (!match) throw new Error(`not a 12-decimal amount: ${text}`);
  const value = BigInt(match[2] ?? '0') * PICO_PER_USD + BigInt((match[3] ?? '').padEnd(12, '0'));
  return match[1] ? -value : value;
}

/** Cost of `count` units at `microsPerMillion` µ$ per 1M units, times num/den, in p$ (exact for seed prices). */
const perMillion = (count: number, microsPerMillion: bigint, num = 1n, den = 1n): bigint => (BigInt(count) * microsPerMillion * num) / den;

function tierFactor(batch: boolean | null, tier: string | null): [bigint, bigint] {
  if (batch) return [1n, 2n];
  if (tier === 'flex') return [1n, 2n];
  if (tier === 'priority') return [2n, 1n];
  return [1n, 1n];
}

interface CostLine {
  line_item: string;
  pico: bigint;
  quantity: number;
  quantity_unit: string | null;
}

/** The billed lines one usage row produces (zero-amount lines are left out, like free moderation). */
export function costLinesOf(row: SimUsageRow): CostLine[] {
  const m = row.metrics;
  const model = row.model ?? '';
  const lines: CostLine[] = [];
  const add = (line_item: string, pico: bigint, quantity: number, quantity_unit: string | null) => {
    if (pico > 0n) lines.push({ line_item, pico, quantity, quantity_unit });
  };
  switch (row.endpoint) {
    case 'completions': {
      const price = SEED_PRICES[model];
      if (!price) return [];
      const [num, den] = tierFactor(row.batch, row.service_tier);
      const cached = m.input_cached_tokens ?? 0;
      const uncached = (m.input_tokens ?? 0) - cached;
      add(`${model}, input`, perMillion(uncached, usdToMicros(price.input), num, den), uncached, 'tokens');
      add(`${model}, cached input`, perMillion(cached, usdToMicros(price.cached_input ?? price.input), num, den), cached, 'tokens');
      add(`${model}, output`, perMillion(m.output_tokens ?? 0, usdToMicros(price.output), num, den), m.output_tokens ?? 0, 'tokens');
      return lines;
    }
    case 'embeddings':
    case 'moderations': {
      const price = SEED_PRICES[model];
      if (price) add(`${model}, input`, perMillion(m.input_tokens ?? 0, usdToMicros(price.input)), m.input_tokens ?? 0, 'tokens');
      return lines;
    }
    case 'images': {
      const size = row.extra?.size ?? '';
      const each = SEED_UNIT_PRICES.images[model]?.[size] ?? 0;
      add(`${model}, image ${size}`, usdToMicros(each) * 1_000_000n * BigInt(m.images ?? 0), m.images ?? 0, 'images');
      return lines;
    }
    case 'audio_speeches': {
      const price = SEED_UNIT_PRICES.ttsPerMillionCharacters[model] ?? 0;
      add(`${model}, characters`, perMillion(m.characters ?? 0, usdToMicros(price)), m.characters ?? 0, 'characters');
      return lines;
    }
    case 'audio_transcriptions': {
      const perMinute = SEED_UNIT_PRICES.transcriptionPerMinute[model] ?? 0;
      add(
        `${model}, transcription`,
        (usdToMicros(perMinute) * 1_000_000n * BigInt(m.seconds ?? 0)) / 60n,
        m.seconds ?? 0,
        'duration_seconds',
      );
      return lines;
    }
    case 'web_search_calls':
      add(
        'Web search',
        usdToMicros(SEED_UNIT_PRICES.webSearchPerThousandCalls) * 1000n * BigInt(m.num_requests ?? 0),
        m.num_requests ?? 0,
        null,
      );
      return lines;
    case 'file_search_calls':
      add(
        'File search',
        usdToMicros(SEED_UNIT_PRICES.fileSearchPerThousandCalls) * 1000n * BigInt(m.num_requests ?? 0),
        m.num_requests ?? 0,
        null,
      );
      return lines;
    case 'code_interpreter_sessions':
      add(
        'Code interpreter sessions',
        usdToMicros(SEED_UNIT_PRICES.codeInterpreterPerSession) * 1_000_000n * BigInt(m.num_sessions ?? 0),
        m.num_sessions ?? 0,
        null,
      );
      return lines;
    case 'vector_stores':
      // Stays under the free first GiB: no charge.
      return lines;
  }
}

/**
 * Billed lines per (day, project, api_key_id, line_item) for whole days in [fromDay, toDay).
 * Project-level costs (code interpreter) carry api_key_id null, like untracked keys.
 */
export function costRows(org: SimOrg, fromDay: number, toDay: number): SimCostRow[] {
  const totals = new Map<string, { row: Omit<SimCostRow, 'amount'>; pico: bigint }>();
  for (const endpoint of USAGE_ENDPOINTS) {
    for (const usage of usageRows(org, endpoint, fromDay, toDay)) {
      for (const line of costLinesOf(usage)) {
        const id = `${usage.day}|${usage.project_id}|${usage.api_key_id ?? ''}|${line.line_item}`;
        const entry = totals.get(id);
        if (entry) {
          entry.pico += line.pico;
          entry.row.quantity = (entry.row.quantity ?? 0) + line.quantity;
        } else {
          totals.set(id, {
            row: {
              day: usage.day,
              project_id: usage.project_id,
              api_key_id: usage.api_key_id,
              line_item: line.line_item,
              quantity: line.quantity,
              quantity_unit: line.quantity_unit,
            },
            pico: line.pico,
          });
        }
      }
    }
  }
  return [...totals.values()]
    .map(({ row, pico }) => ({ ...row, amount: picoToDecimal(pico) }))
    .sort(
      (a, b) =>
        a.day - b.day ||
        a.project_id.localeCompare(b.project_id) ||
        (a.api_key_id ?? '').localeCompare(b.api_key_id ?? '') ||
        a.line_item.localeCompare(b.line_item),
    );
}

// ---------------------------------------------------------------------------------------------
// Ground truth for tests

export interface KeyTotals {
  /** null = usage of keys whose tracking was off (plus project-level costs). */
  api_key_id: string | null;
  /** Completions only. */
  requests: number;
  input_tokens: number;
  cached_tokens: number;
  output_tokens: number;
  /** Everything billed to that api_key_id, all endpoints, as an exact decimal string. */
  cost: string;
}

/** Per api_key_id totals over whole days in [fromDay, toDay), sorted by id (null first). */
export function expectedKeyTotals(org: SimOrg, fromDay: number, toDay: number): KeyTotals[] {
  const byKey = new Map<string | null, Omit<KeyTotals, 'cost'> & { pico: bigint }>();
  const entry = (id: string | null) => {
    let e = byKey.get(id);
    if (!e) {
      e = { api_key_id: id, requests: 0, input_tokens: 0, cached_tokens: 0, output_tokens: 0, pico: 0n };
      byKey.set(id, e);
    }
    return e;
  };
  for (const row of usageRows(org, 'completions', fromDay, toDay)) {
    const e = entry(row.api_key_id);
    e.requests += row.metrics.num_model_requests ?? 0;
    e.input_tokens += row.metrics.input_tokens ?? 0;
    e.cached_tokens += row.metrics.input_cached_tokens ?? 0;
    e.output_tokens += row.metrics.output_tokens ?? 0;
  }
  for (const row of costRows(org, fromDay, toDay)) entry(row.api_key_id).pico += decimalToPico(row.amount);
  return [...byKey.values()]
    .map(({ pico, ...rest }) => ({ ...rest, cost: picoToDecimal(pico) }))
    .sort((a, b) => (a.api_key_id ?? '').localeCompare(b.api_key_id ?? ''));
}
