// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { DAY, type SimUsageRow } from './model';
import {
  costRows,
  createOrg,
  DEMO_ADMIN_KEY,
  decimalToPico,
  E2E_ADMIN_KEY,
  expectedKeyTotals,
  HOLIDAY_SPIKE,
  picoToDecimal,
  SEED_END_DAY,
  SEED_FIRST_DAY,
  SEED_PRICES,
  SEED_UNIT_PRICES,
  TRACKING_DEFAULT_FROM,
  USAGE_ENDPOINTS,
  usageRows,
  utcDay,
} from './seed';

const org = createOrg();
const FROM = utcDay('2026-01-05');
const TO = utcDay('2026-04-05'); // 90 days
const isWeekend = (day: number) => [0, 6].includes(new Date(day * 1000).getUTCDay());

describe('seed: time frame', () => {
  it('covers 2025-06-01 to 2027-07-01 (exclusive) in Unix seconds', () => {
    expect(SEED_FIRST_DAY).toBe(Date.UTC(2025, 5, 1) / 1000);
    expect(SEED_END_DAY).toBe(Date.UTC(2027, 6, 1) / 1000);
    expect(usageRows(org, 'completions', SEED_FIRST_DAY - 7 * DAY, SEED_FIRST_DAY)).toEqual([]);
    expect(usageRows(org, 'completions', SEED_END_DAY, SEED_END_DAY + 7 * DAY)).toEqual([]);
    expect(usageRows(org, 'completions', SEED_END_DAY - DAY, SEED_END_DAY).length).toBeGreaterThan(0);
  });

  it('never reads the clock or Math.random', () => {
    const now = vi.spyOn(Date, 'now').mockImplementation(() => {
      throw new Error('Date.now used');
    });
    const random = vi.spyOn(Math, 'random').mockImplementation(() => {
      throw new Error('Math.random used');
    });
    const fresh = createOrg();
    for (const endpoint of USAGE_ENDPOINTS) usageRows(fresh, endpoint, FROM, FROM + 14 * DAY);
    costRows(fresh, FROM, FROM + 14 * DAY);
    expectedKeyTotals(fresh, FROM, FROM + 14 * DAY);
    expect(now).not.toHaveBeenCalled();
    expect(random).not.toHaveBeenCalled();
  });

  it('is deterministic: two orgs give identical usage and costs', () => {
    const a = createOrg();
    const b = createOrg();
    expect(a).toEqual(b);
    for (const endpoint of USAGE_ENDPOINTS) expect(usageRows(a, endpoint, FROM, TO)).toEqual(usageRows(b, endpoint, FROM, TO));
    expect(costRows(a, FROM, FROM + 30 * DAY)).toEqual(costRows(b, FROM, FROM + 30 * DAY));
  });

  it('gives each day the same rows whatever range it is asked in', () => {
    const day = utcDay('2026-02-10');
    const alone = usageRows(org, 'completions', day, day + DAY);
    const inRange = usageRows(org, 'completions', day - 10 * DAY, day + 10 * DAY).filter((r) => r.day === day);
    expect(inRange).toEqual(alone);
  });
});

describe('seed: organisation', () => {
  it('has the org, admin keys, projects, users and service accounts', () => {
    expect(org.id).toBe('org-keymetersim');
    expect(org.name).toBe('Acme Robotics');
    expect(org.adminKeys).toEqual([DEMO_ADMIN_KEY, E2E_ADMIN_KEY]);
    expect(DEMO_ADMIN_KEY).toBe('sk-admin-sim-demo-0000000000000000');
    expect(E2E_ADMIN_KEY).toMatch(/^sk-admin-e2e-/);
    expect(org.projects.length).toBeGreaterThanOrEqual(3);
    expect(org.projects.map((p) => p.name)).toContain('Default project');
    const archived = org.projects.filter((p) => p.status === 'archived');
    expect(archived).toHaveLength(1);
    expect(archived[0]?.archived_at).toBe(utcDay('2026-03-01'));
    expect(org.users.length).toBeGreaterThanOrEqual(5);
    expect(org.serviceAccounts.length).toBeGreaterThanOrEqual(2);
  });

  it('has at least 32 keys, user- and service-owned, with unique ids and suffixes', () => {
    expect(org.keys.length).toBeGreaterThanOrEqual(32);
    expect(org.keys.some((k) => k.owner.type === 'user')).toBe(true);
    expect(org.keys.some((k) => k.owner.type === 'service_account')).toBe(true);
    expect(new Set(org.keys.map((k) => k.id)).size).toBe(org.keys.length);
    const suffixes = org.keys.map((k) => k.redacted_value.slice(-4));
    expect(new Set(suffixes).size).toBe(org.keys.length);
    for (const key of org.keys) {
      expect(key.id).toMatch(/^key_[A-Za-z0-9]{16}$/);
      expect(org.projects.some((p) => p.id === key.project_id)).toBe(true);
      if (key.owner.type === 'user') expect(org.users.map((u) => u.id)).toContain(key.owner.user_id);
      else expect(org.serviceAccounts.map((s) => s.id)).toContain(key.owner.service_account_id);
    }
  });

  it('has legacy keys in the Default project, some tracked since 2024 and at least 4 untracked', () => {
    const defaultProject = org.projects.find((p) => p.name === 'Default project');
    const legacy = org.keys.filter((k) => k.legacy);
    for (const key of legacy) {
      expect(key.created_at).toBeLessThan(TRACKING_DEFAULT_FROM);
      expect(key.project_id).toBe(defaultProject?.id);
      expect(key.redacted_value).toMatch(/^sk-…[A-Za-z0-9]{4}$/);
    }
    const tracked = legacy.filter((k) => k.tracking_since != null);
    expect(tracked.length).toBeGreaterThanOrEqual(2);
    for (const key of tracked) expect(new Date((key.tracking_since ?? 0) * 1000).getUTCFullYear()).toBe(2024);
    expect(legacy.filter((k) => k.tracking_since == null).length).toBeGreaterThanOrEqual(4);
    for (const key of org.keys.filter((k) => !k.legacy)) {
      expect(key.redacted_value).toMatch(/^sk-(proj|svcacct)-…[A-Za-z0-9]{4}$/);
      expect(key.tracking_since).toBe(Math.floor(key.created_at / DAY) * DAY);
    }
  });

  it('has the awkward keys: deleted, same names, markup, formula, inactive', () => {
    const deleted = org.keys.filter((k) => k.deleted_at != null);
    expect(deleted).toHaveLength(1);
    expect(Math.floor((deleted[0]?.deleted_at ?? 0) / DAY) * DAY).toBe(utcDay('2026-02-15'));
    const ci = org.keys.filter((k) => k.name === 'ci-runner');
    const byProject = new Map<string, number>();
    for (const k of ci) byProject.set(k.project_id, (byProject.get(k.project_id) ?? 0) + 1);
    expect([...byProject.values()].sort()).toEqual([1, 2]);
    expect(org.keys.some((k) => k.name === '<img src=x onerror=alert(1)>')).toBe(true);
    expect(org.keys.some((k) => k.name.startsWith('=HYPERLINK("x")'))).toBe(true);
    expect(org.keys.filter((k) => k.owner_project_access === 'inactive').length).toBeGreaterThanOrEqual(2);
  });

  it('returns a fresh org each call', () => {
    const a = createOrg();
    const b = createOrg();
    const key = a.keys.find((k) => k.tracking_since == null);
    if (!key) throw new Error('no untracked key');
    key.tracking_since = FROM;
    expect(b.keys.find((k) => k.id === key.id)?.tracking_since).toBeNull();
  });
});

describe('seed: usage', () => {
  const all = Object.fromEntries(USAGE_ENDPOINTS.map((e) => [e, usageRows(org, e, FROM, TO)])) as Record<string, SimUsageRow[]>;
  const completions = all.completions ?? [];

  it('fills every endpoint with a moderate number of rows', () => {
    for (const endpoint of USAGE_ENDPOINTS) expect(all[endpoint]?.length, endpoint).toBeGreaterThan(0);
    const total = Object.values(all).reduce((n, rows) => n + rows.length, 0);
    expect(total).toBeLessThan(40_000);
  });

  it('uses realistic models on each endpoint, 1–3 per key', () => {
    const models = (e: string) => new Set((all[e] ?? []).map((r) => r.model));
    expect(models('completions').size).toBeGreaterThanOrEqual(6);
    for (const m of ['gpt-4o-2024-08-06', 'gpt-4o-mini-2024-07-18', 'gpt-4.1-2025-04-14']) expect(models('completions')).toContain(m);
    expect([...models('completions')].some((m) => m?.startsWith('o3-mini'))).toBe(true);
    expect(models('embeddings')).toContain('text-embedding-3-small');
    expect(models('moderations')).toContain('omni-moderation-latest');
    expect([...models('images')].some((m) => m === 'gpt-image-1' || m === 'dall-e-3')).toBe(true);
    expect(models('audio_speeches')).toContain('tts-1');
    expect(models('audio_transcriptions')).toContain('whisper-1');
    const perKey = new Map<string, Set<string>>();
    for (const row of Object.values(all).flat()) {
      if (row.model) perKey.set(row.key_id, (perKey.get(row.key_id) ?? new Set()).add(row.model));
    }
    for (const [key, set] of perKey) expect(set.size, key).toBeLessThanOrEqual(3);
  });

  it('splits completions by batch and service tier, with cached ≤ input', () => {
    expect(completions.some((r) => r.batch === true)).toBe(true);
    expect(completions.some((r) => r.batch === false)).toBe(true);
    expect(new Set(completions.map((r) => r.service_tier))).toEqual(new Set(['default', 'flex', 'priority']));
    for (const r of completions) {
      const m = r.metrics;
      expect(m.input_cached_tokens).toBeLessThanOrEqual(m.input_tokens ?? 0);
      expect(m.input_tokens).toBe((m.input_uncached_tokens ?? 0) + (m.input_cached_tokens ?? 0));
      expect(m.num_model_requests).toBeGreaterThan(0);
    }
    expect(completions.some((r) => (r.metrics.input_cached_tokens ?? 0) > 0)).toBe(true);
  });

  it('has a weekly rhythm: weekends at about 40% of weekdays', () => {
    const perDay = new Map<number, number>();
    for (const r of completions) perDay.set(r.day, (perDay.get(r.day) ?? 0) + (r.metrics.num_model_requests ?? 0));
    const avg = (days: number[]) => days.reduce((s, d) => s + (perDay.get(d) ?? 0), 0) / days.length;
    const days = [...perDay.keys()];
    const ratio = avg(days.filter(isWeekend)) / avg(days.filter((d) => !isWeekend(d)));
    expect(ratio).toBeGreaterThan(0.3);
    expect(ratio).toBeLessThan(0.5);
  });

  it('uses keys only between creation and deletion (and project archival)', () => {
    const rows = USAGE_ENDPOINTS.flatMap((e) => usageRows(org, e, SEED_FIRST_DAY, SEED_END_DAY));
    for (const row of rows) {
      const key = org.keys.find((k) => k.id === row.key_id);
      const project = org.projects.find((p) => p.id === row.project_id);
      expect(row.day).toBeGreaterThanOrEqual(key?.created_at ?? Infinity);
      if (key?.deleted_at) expect(row.day + DAY).toBeLessThanOrEqual(key.deleted_at);
      if (project?.archived_at) expect(row.day + DAY).toBeLessThanOrEqual(project.archived_at);
    }
    const deleted = org.keys.find((k) => k.deleted_at != null);
    expect(rows.some((r) => r.key_id === deleted?.id && r.api_key_id === deleted.id)).toBe(true);
  });

  it('reports api_key_id only while tracking is on, user_id only for user keys', () => {
    for (const row of Object.values(all).flat()) {
      const key = org.keys.find((k) => k.id === row.key_id);
      if (!key) throw new Error(`unknown key ${row.key_id}`);
      const projectLevel = row.endpoint === 'vector_stores' || row.endpoint === 'code_interpreter_sessions';
      const tracked = key.tracking_since != null && row.day >= key.tracking_since;
      expect(row.api_key_id).toBe(tracked && !projectLevel ? key.id : null);
      expect(row.user_id).toBe(key.owner.type === 'user' && !projectLevel ? key.owner.user_id : null);
    }
    expect(completions.some((r) => r.api_key_id == null)).toBe(true);
  });

  it('follows tracking when a test switches it on', () => {
    const fresh = createOrg();
    const key = fresh.keys.find((k) => k.legacy && k.tracking_since == null);
    if (!key) throw new Error('no untracked legacy key');
    const switchDay = utcDay('2026-02-01');
    key.tracking_since = switchDay;
    const rows = usageRows(fresh, 'completions', FROM, TO).filter((r) => r.key_id === key.id);
    expect(rows.some((r) => r.day < switchDay)).toBe(true);
    for (const r of rows) expect(r.api_key_id).toBe(r.day >= switchDay ? key.id : null);
  });
});

describe('seed: costs', () => {
  const costs = costRows(org, FROM, TO);
  const usd = (usdAmount: number) => BigInt(Math.round(usdAmount * 1e6)) * 1_000_000n; // USD → p$

  it('writes amounts as exact 12-decimal strings', () => {
    for (const row of costs) expect(row.amount).toMatch(/^\d+\.\d{12}$/);
    expect(picoToDecimal(decimalToPico('0.003835980000'))).toBe('0.003835980000');
  });

  it('prices completions at SEED_PRICES with batch/flex/priority multipliers and the cached rate', () => {
    // Recompute the token lines independently from usage and compare per (day, project, key, line).
    const expected = new Map<string, bigint>();
    for (const r of usageRows(org, 'completions', FROM, TO)) {
      const price = SEED_PRICES[r.model ?? ''];
      if (!price) throw new Error(`no price for ${r.model}`);
      const factor = r.batch || r.service_tier === 'flex' ? 0.5 : r.service_tier === 'priority' ? 2 : 1;
      const cached = r.metrics.input_cached_tokens ?? 0;
      const parts: Array<[string, number, number]> = [
        ['input', (r.metrics.input_tokens ?? 0) - cached, price.input],
        ['cached input', cached, price.cached_input ?? price.input],
        ['output', r.metrics.output_tokens ?? 0, price.output],
      ];
      for (const [label, tokens, perMillion] of parts) {
        // p$ = tokens × (USD per 1M) × 10^6 … kept integral: (µ$ per 1M) = p$ per token.
        const pico = (BigInt(tokens) * BigInt(Math.round(perMillion * 1e6)) * BigInt(factor * 2)) / 2n;
        if (pico === 0n) continue;
        const id = `${r.day}|${r.project_id}|${r.api_key_id}|${r.model}, ${label}`;
        expected.set(id, (expected.get(id) ?? 0n) + pico);
      }
    }
    const actual = new Map(
      costs
        .filter((c) => SEED_PRICES[c.line_item.split(', ')[0] ?? ''] && c.line_item.split(', ')[0] !== 'text-embedding-3-small')
        .map((c) => [`${c.day}|${c.project_id}|${c.api_key_id}|${c.line_item}`, decimalToPico(c.amount)]),
    );
    expect(actual.size).toBe(expected.size);
    for (const [id, pico] of expected) expect(actual.get(id), id).toBe(pico);
  });

  it('prices images per image, speech per character and transcription per second', () => {
    const sum = (rows: typeof costs, prefix: string) =>
      rows.filter((c) => c.line_item.startsWith(prefix)).reduce((s, c) => s + decimalToPico(c.amount), 0n);
    let images = 0n;
    for (const r of usageRows(org, 'images', FROM, TO)) {
      images += usd(SEED_UNIT_PRICES.images[r.model ?? '']?.[r.extra?.size ?? ''] ?? Number.NaN) * BigInt(r.metrics.images ?? 0);
    }
    expect(sum(costs, 'dall-e-3') + sum(costs, 'gpt-image-1')).toBe(images);
    const characters = usageRows(org, 'audio_speeches', FROM, TO).reduce((s, r) => s + (r.metrics.characters ?? 0), 0);
    expect(sum(costs, 'tts-1')).toBe((BigInt(characters) * usd(15)) / 1_000_000n);
    const seconds = usageRows(org, 'audio_transcriptions', FROM, TO).reduce((s, r) => s + (r.metrics.seconds ?? 0), 0);
    expect(sum(costs, 'whisper-1')).toBe((BigInt(seconds) * usd(0.006)) / 60n);
    expect(costs.find((c) => c.line_item.startsWith('tts-1'))?.quantity_unit).toBe('characters');
  });

  it('has the holiday spike: the key’s GPT-4o spend at least doubles on 2025-12-24 … 2026-01-02', () => {
    const spikeDays = (HOLIDAY_SPIKE.to - HOLIDAY_SPIKE.from) / DAY;
    expect(spikeDays).toBe(10);
    const baseFrom = HOLIDAY_SPIKE.from - 5 * 7 * DAY; // five weeks earlier, same weekdays
    const spend = (from: number, onlyModel: boolean) =>
      costRows(org, from, from + spikeDays * DAY)
        .filter((c) => c.api_key_id === HOLIDAY_SPIKE.keyId && (!onlyModel || c.line_item.startsWith(`${HOLIDAY_SPIKE.model},`)))
        .reduce((s, c) => s + decimalToPico(c.amount), 0n);
    expect(spend(HOLIDAY_SPIKE.from, true)).toBeGreaterThanOrEqual(2n * spend(baseFrom, true));
    expect(spend(HOLIDAY_SPIKE.from, false)).toBeGreaterThanOrEqual(2n * spend(baseFrom, false));
    expect(HOLIDAY_SPIKE.model).toBe('gpt-4o-2024-08-06');
  });
});

describe('seed: expectedKeyTotals', () => {
  const totals = expectedKeyTotals(org, FROM, TO);

  it('sums completions per api_key_id, untracked usage under null', () => {
    const rows = usageRows(org, 'completions', FROM, TO);
    const untracked = totals.find((t) => t.api_key_id === null);
    expect(untracked?.requests).toBeGreaterThan(0);
    for (const t of totals) {
      const mine = rows.filter((r) => r.api_key_id === t.api_key_id);
      expect(t.requests).toBe(mine.reduce((s, r) => s + (r.metrics.num_model_requests ?? 0), 0));
      expect(t.input_tokens).toBe(mine.reduce((s, r) => s + (r.metrics.input_tokens ?? 0), 0));
      expect(t.cached_tokens).toBe(mine.reduce((s, r) => s + (r.metrics.input_cached_tokens ?? 0), 0));
      expect(t.output_tokens).toBe(mine.reduce((s, r) => s + (r.metrics.output_tokens ?? 0), 0));
    }
    const untrackedIds = org.keys.filter((k) => k.tracking_since == null).map((k) => k.id);
    for (const id of untrackedIds) expect(totals.some((t) => t.api_key_id === id)).toBe(false);
  });

  it('adds up to the total bill', () => {
    const bill = costRows(org, FROM, TO).reduce((s, c) => s + decimalToPico(c.amount), 0n);
    expect(totals.reduce((s, t) => s + decimalToPico(t.cost), 0n)).toBe(bill);
  });
});
