// @vitest-environment node
import { describe, expect, it, vi } from 'vitest';
import { createAdminClient, parseJsonKeepingAmounts } from '@/lib/openai/client';
import { AdminApiError, describeApiError, toErrorInfo } from '@/lib/openai/errors';
import { createMockApi } from '../../sim/api/index';
import { mockFetch } from '../../sim/fetch-adapter';
import { createOrg, DEMO_ADMIN_KEY, utcDay } from '../../sim/seed';

const NOW = utcDay('2026-01-20');
const FROM = utcDay('2025-12-01');
const TO = utcDay('2026-01-10');

function setup(options: { apiKey?: string; timeoutMs?: number; maxAttempts?: number; now?: number } = {}) {
  const api = createMockApi(createOrg(), { now: () => options.now ?? NOW });
  const sleep = vi.fn(async (_ms: number) => {});
  const client = createAdminClient({
    apiKey: options.apiKey ?? DEMO_ADMIN_KEY,
    fetch: mockFetch(api),
    sleep,
    random: () => 0.5,
    timeoutMs: options.timeoutMs ?? 1000,
    maxAttempts: options.maxAttempts ?? 4,
  });
  return { api, client, sleep };
}

async function collect(client: ReturnType<typeof setup>['client']) {
  const pages = [];
  for await (const page of client.usagePages('completions', {
    start_time: FROM,
    end_time: TO,
    bucket_width: '1d',
    limit: 31,
    group_by: ['api_key_id', 'model'],
  }))
    pages.push(page);
  return pages;
}

async function failure(promise: Promise<unknown>): Promise<AdminApiError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AdminApiError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('Admin API client against the mock', () => {
  it('walks cursor pages with group_by sent as repeated keys', async () => {
    const { api, client } = setup();
    const pages = await collect(client);
    expect(pages.length).toBe(2); // 40 days at 31 per page
    expect(pages.flatMap((p) => p.data).length).toBe(40);
    expect(api.log[0]?.query).toContain('group_by=api_key_id&group_by=model');
    expect(api.log.every((entry) => entry.status === 200)).toBe(true);
  });

  it('walks after/has_more lists to the end, archived projects included', async () => {
    const { client } = setup({ now: utcDay('2026-06-01') });
    const projects = await client.listProjects();
    expect(projects.length).toBeGreaterThanOrEqual(3);
    expect(projects.some((p) => p.status === 'archived')).toBe(true);
  });

  it('honours Retry-After on 429 and succeeds when the limit lifts', async () => {
    const { api, client, sleep } = setup();
    api.setFault({ endpoint: 'usage/completions', kind: '429', times: 2, retryAfter: 7 });
    await collect(client);
    expect(sleep).toHaveBeenCalledTimes(2);
    for (const [ms] of sleep.mock.calls) expect(ms).toBeGreaterThanOrEqual(7000);
  });

  it('gives up on a persistent 429 with a rate-limited error', async () => {
    const { api, client } = setup({ maxAttempts: 3 });
    api.setFault({ endpoint: '*', kind: '429' });
    const error = await failure(collect(client));
    expect(error.kind).toBe('rate-limited');
    expect(api.log.length).toBe(3);
  });

  it('retries 500 with growing, jittered delays', async () => {
    const { api, client, sleep } = setup();
    api.setFault({ endpoint: 'usage/completions', kind: '500', times: 3 });
    await collect(client);
    const delays = sleep.mock.calls.map(([ms]) => ms);
    expect(delays).toEqual([750, 1500, 3000]);
  });

  it('times out a hanging request', async () => {
    const { api, client } = setup({ timeoutMs: 50, maxAttempts: 2 });
    api.setFault({ endpoint: '*', kind: 'hang', hangMs: 5000 });
    const error = await failure(client.listProjects());
    expect(error.kind).toBe('timeout');
  });

  it('reports malformed JSON as an unexpected response', async () => {
    const { api, client } = setup();
    api.setFault({ endpoint: 'projects', kind: 'malformed' });
    const error = await failure(client.listProjects());
    expect(error.kind).toBe('unexpected-response');
    expect(describeApiError(toErrorInfo(error))).toMatch(/could not read/);
  });

  it('tolerates unknown extra fields', async () => {
    const { api, client } = setup();
    api.setFault({ endpoint: '*', kind: 'unknown-fields' });
    const pages = await collect(client);
    expect(pages.flatMap((p) => p.data).length).toBe(40);
  });

  it('stops on a cursor that repeats', async () => {
    const { api, client } = setup();
    api.setFault({ endpoint: 'usage/completions', kind: 'repeat-cursor' });
    const error = await failure(collect(client));
    expect(error.kind).toBe('cursor-loop');
    expect(api.log.length).toBeLessThan(5);
  });

  it('says a project key lacks api.usage.read, and never echoes the key', async () => {
    const { client } = setup({ apiKey: 'sk-proj-abcdefghijklmnop1234' });
    const error = await failure(client.listProjects());
    expect(error.kind).toBe('missing-scope');
    expect(describeApiError(toErrorInfo(error))).toContain('This key is not an admin key: it lacks api.usage.read');
    expect(error.detail).not.toContain('abcdefghijklmnop');
  });

  it('says an unknown key is unauthorised', async () => {
    const { client } = setup({ apiKey: 'sk-admin-unknownunknownunknown' });
    const error = await failure(client.listProjects());
    expect(error.kind).toBe('unauthorized');
    expect(error.detail).not.toContain('unknownunknownunknown');
  });

  it('keeps every decimal of cost amounts', async () => {
    const { client } = setup();
    const amounts: string[] = [];
    for await (const page of client.costPages({ start_time: FROM, end_time: TO, limit: 180, group_by: ['line_item'] }))
      for (const bucket of page.data) for (const r of bucket.results) if (r.amount) amounts.push(r.amount.value);
    expect(amounts.length).toBeGreaterThan(0);
    expect(amounts.every((a) => typeof a === 'string' && /^\d+(\.\d+)?$/.test(a))).toBe(true);
  });

  it('parses 30-decimal amounts without losing digits (as the dashboard export shows them)', () => {
    const body = '{"amount":{"value":0.003835980000000000000000000001,"currency":"usd"},"n":1.5}';
    expect(parseJsonKeepingAmounts(body)).toEqual({ amount: { value: '0.003835980000000000000000000001', currency: 'usd' }, n: 1.5 });
  });
});
