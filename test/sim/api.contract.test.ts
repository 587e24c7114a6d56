// @vitest-environment node
// biome-ignore-all lint/suspicious/noExplicitAny: tests read untyped JSON bodies
/**
 * Contract: every kind of response the mock sends must validate against the response schema of
 * its operation in reference/openai-admin-api.openapi.json, and the mock must reject the request
 * parameters the spec does not allow. Allowed values come from the spec's parameter schemas.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createMockApi, describeRoutes, FAULT_HEADER, type MockApi } from './api/index';
import { type Answer, get, type QueryValue } from './api/testing';
import { DAY } from './model';
import { createOrg, utcDay } from './seed';

const here = path.dirname(fileURLToPath(import.meta.url));
const REFERENCE = path.resolve(here, '../../../shared/reference');
const EXAMPLES = path.join(REFERENCE, 'openai-api-examples');

// ---------------------------------------------------------------------------------------------
// The spec and a validator per operation

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema: { type?: string; enum?: string[]; default?: unknown; items?: { type?: string; enum?: string[] } };
}
interface Operation {
  operationId: string;
  parameters?: Parameter[];
  responses: Record<string, any>;
  'x-oaiMeta'?: { examples?: { response?: string } };
}
const spec = JSON.parse(readFileSync(path.join(REFERENCE, 'openai-admin-api.openapi.json'), 'utf8')) as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, unknown>; responses: Record<string, any> };
};

/** OpenAPI 3.0's `nullable: true` (not JSON Schema) → an explicit null alternative. */
function withoutNullable(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutNullable);
  if (node === null || typeof node !== 'object') return node;
  const { nullable, ...rest } = node as Record<string, unknown>;
  const out = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, withoutNullable(v)]));
  return nullable === true ? { anyOf: [out, { type: 'null' }] } : out;
}

const BASE = 'https://keymeter.test/openapi.json';
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('unixtime', { type: 'number', validate: (n: number) => Number.isInteger(n) });
ajv.addSchema({ $id: BASE, components: { schemas: withoutNullable(spec.components.schemas) } });

const operations = Object.entries(spec.paths).flatMap(([p, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ path: p, method, op })),
);
const byId = (operationId: string) => {
  const found = operations.find((o) => o.op.operationId === operationId);
  if (!found) throw new Error(`no operation ${operationId}`);
  return found;
};

const validators = new Map<string, ValidateFunction>();
/** The validator for an operation's response (following a components.responses $ref like TooManyRequests). */
function validatorFor(operationId: string, status = '200'): ValidateFunction {
  const id = `${operationId} ${status}`;
  const cached = validators.get(id);
  if (cached) return cached;
  let response = byId(operationId).op.responses[status];
  if (!response) throw new Error(`${operationId} declares no ${status} response`);
  if (response.$ref) response = spec.components.responses[String(response.$ref).split('/').pop() ?? ''];
  const ref = response.content['application/json'].schema.$ref as string;
  const validate = ajv.compile({ $ref: `${BASE}${ref}` });
  validators.set(id, validate);
  return validate;
}
const schemaValidator = (name: string) => ajv.compile({ $ref: `${BASE}#/components/schemas/${name}` });

function expectValid(validate: ValidateFunction, value: unknown, label: string) {
  const ok = validate(value);
  expect(ok, `${label}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

// ---------------------------------------------------------------------------------------------
// The mock, frozen at a fixed time

const NOW = utcDay('2026-03-20') + 10 * 3600;
const org = createOrg();
const api: MockApi = createMockApi(org, { now: () => NOW });
const projectWithKeys = org.projects.find((p) => p.name === 'Platform API')?.id ?? '';
const someKey = org.keys.find((k) => k.project_id === projectWithKeys && k.owner_project_access === 'active' && !k.legacy)?.id ?? '';

/** Spec path → mock path (relative to /v1/organization/) with real ids filled in. */
const mockPath = (specPath: string) =>
  specPath.replace('/organization/', '').replace('{project_id}', projectWithKeys).replace('{api_key_id}', someKey);

const served = describeRoutes().map((r) => r.operationId);
const servedOps = operations.filter((o) => o.method === 'get' && served.includes(o.op.operationId));
const usageOps = servedOps.filter((o) => o.path.startsWith('/organization/usage/'));
const paramsOf = (op: Operation) => (op.parameters ?? []).filter((p) => p.in === 'query');
const enumOf = (p: Parameter | undefined) => p?.schema.enum ?? p?.schema.items?.enum ?? [];
const param = (op: Operation, name: string) => paramsOf(op).find((p) => p.name === name);

/** All subsets of a list (group_by combinations). */
const subsets = <T>(items: readonly T[]): T[][] => items.reduce<T[][]>((acc, item) => acc.concat(acc.map((s) => [...s, item])), [[]]);

const START = utcDay('2026-03-02');

async function validResponse(operationId: string, p: string, query: Record<string, QueryValue | undefined>): Promise<Answer> {
  const answer = await get(api, p, query);
  expect(answer.status, `${p} ${JSON.stringify(query)}: ${answer.body.slice(0, 300)}`).toBe(200);
  expectValid(validatorFor(operationId), answer.json, `${operationId} ${JSON.stringify(query)}`);
  return answer;
}

const resultCount = (answer: Answer) => (answer.json.data as Array<{ results: unknown[] }>).reduce((n, b) => n + b.results.length, 0);

// ---------------------------------------------------------------------------------------------

describe('contract: the validator itself', () => {
  it('registers every component schema and compiles every operation response', () => {
    for (const name of Object.keys(spec.components.schemas)) expect(() => schemaValidator(name), name).not.toThrow();
    for (const { op } of operations)
      for (const status of Object.keys(op.responses)) expect(() => validatorFor(op.operationId, status)).not.toThrow();
  });

  it('accepts every verbatim example in openai-api-examples/ that belongs to an operation', () => {
    const toOperation: Record<string, string> = {
      costs: 'usage-costs',
      projects: 'list-projects',
      'project-api-keys': 'list-project-api-keys',
      'project-api-key': 'retrieve-project-api-key',
      users: 'list-users',
      'admin-api-keys': 'admin-api-keys-list',
    };
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.example.json') && !f.startsWith('legacy-'));
    expect(files.length).toBeGreaterThanOrEqual(16);
    for (const file of files) {
      const stem = file.replace('.example.json', '');
      const operationId = toOperation[stem] ?? (stem.startsWith('usage-') ? stem : undefined);
      if (!operationId) throw new Error(`${file}: which operation is this?`);
      expectValid(validatorFor(operationId), JSON.parse(readFileSync(path.join(EXAMPLES, file), 'utf8')), file);
    }
  });

  it('accepts the real 2025 buckets (old field set, mid-day first bucket) as UsageTimeBucket', () => {
    const buckets = JSON.parse(
      readFileSync(path.join(EXAMPLES, 'usage-completions.cookbook-real-buckets.excerpt.json'), 'utf8'),
    ) as unknown[];
    const validate = schemaValidator('UsageTimeBucket');
    for (const [i, b] of buckets.entries()) expectValid(validate, b, `cookbook bucket ${i}`);
  });

  it("accepts the spec's own response examples (x-oaiMeta)", () => {
    let count = 0;
    for (const { op } of operations) {
      const text = op['x-oaiMeta']?.examples?.response;
      if (!text || !op.responses['200']) continue;
      expectValid(validatorFor(op.operationId), JSON.parse(text), `${op.operationId} x-oaiMeta example`);
      count++;
    }
    expect(count).toBeGreaterThanOrEqual(15);
  });

  it('rejects broken responses (so these tests can fail)', async () => {
    const usage = (await validResponse('usage-completions', 'usage/completions', { start_time: START, limit: 1 })).json;
    const costs = (await validResponse('usage-costs', 'costs', { start_time: START, limit: 1 })).json;
    const keys = (await validResponse('list-project-api-keys', `projects/${projectWithKeys}/api_keys`, {})).json;
    const broken: Array<[string, string, (v: any) => void, any]> = [
      [
        'usage-completions',
        'requests as a string',
        (v) => {
          v.data[0].results[0].num_model_requests = '5';
        },
        usage,
      ],
      [
        'usage-completions',
        'no has_more',
        (v) => {
          delete v.has_more;
        },
        usage,
      ],
      [
        'usage-completions',
        'unknown result object',
        (v) => {
          v.data[0].results[0].object = 'organization.usage.bogus.result';
        },
        usage,
      ],
      [
        'usage-completions',
        'bucket without end_time',
        (v) => {
          delete v.data[0].end_time;
        },
        usage,
      ],
      [
        'usage-costs',
        'amount as a string',
        (v) => {
          v.data[0].results[0].amount.value = '0.06';
        },
        costs,
      ],
      [
        'list-project-api-keys',
        'unknown access value',
        (v) => {
          v.data[0].owner_project_access = 'maybe';
        },
        keys,
      ],
      [
        'list-project-api-keys',
        'key without id',
        (v) => {
          delete v.data[0].id;
        },
        keys,
      ],
    ];
    for (const [operationId, label, breakIt, original] of broken) {
      const copy = structuredClone(original);
      breakIt(copy);
      expect(validatorFor(operationId)(copy), label).toBe(false);
    }
  });
});

describe('contract: mock responses match the spec', () => {
  it('serves every GET operation of the spec except admin API keys', () => {
    const gets = operations.filter((o) => o.method === 'get').map((o) => o.op.operationId);
    expect([...served].sort()).toEqual(gets.filter((id) => id !== 'admin-api-keys-list').sort());
  });

  it.each(usageOps.map((o) => [o.op.operationId, o] as const))(
    '%s: every group_by combination, full and empty buckets',
    async (operationId, o) => {
      const dims = enumOf(param(o.op, 'group_by'));
      expect(dims.length).toBeGreaterThan(0);
      const combos = subsets(dims).filter((s) => s.length <= 2 || s.length === dims.length);
      let results = 0;
      for (const group_by of combos) {
        results += resultCount(
          await validResponse(operationId, mockPath(o.path), { start_time: START, end_time: START + 2 * DAY, group_by }),
        );
      }
      expect(results, 'some results were validated').toBeGreaterThan(0);
      // Mid-day start, a bucket cut by now and empty future buckets, in every width.
      const around = await validResponse(operationId, mockPath(o.path), {
        start_time: NOW - DAY - 3 * 3600,
        end_time: NOW + 3 * DAY,
        group_by: dims,
      });
      expect(around.json.data.at(-1).results).toEqual([]);
      for (const width of enumOf(param(o.op, 'bucket_width'))) {
        await validResponse(operationId, mockPath(o.path), {
          start_time: START + 9 * 3600,
          end_time: START + 11 * 3600,
          bucket_width: width,
          group_by: dims.slice(0, 2),
        });
      }
    },
  );

  it('usage-costs: every group_by combination', async () => {
    const o = byId('usage-costs');
    let results = 0;
    for (const group_by of subsets(enumOf(param(o.op, 'group_by')))) {
      results += resultCount(await validResponse('usage-costs', 'costs', { start_time: START, end_time: START + 2 * DAY, group_by }));
    }
    expect(results).toBeGreaterThan(0);
    const future = await validResponse('usage-costs', 'costs', { start_time: NOW, end_time: NOW + 3 * DAY });
    expect(future.json.data.every((b: { results: unknown[] }) => b.results.length === 0)).toBe(true);
  });

  it('list-projects, list-users, list-project-api-keys, retrieve-project-api-key', async () => {
    for (const include_archived of [undefined, true, false]) await validResponse('list-projects', 'projects', { include_archived });
    await validResponse('list-projects', 'projects', { limit: 1 });
    await validResponse('list-users', 'users', {});
    await validResponse('list-users', 'users', { emails: [org.users[0]?.email ?? ''], limit: 1 });
    const access = enumOf(param(byId('list-project-api-keys').op, 'owner_project_access'));
    for (const project of org.projects) {
      for (const owner_project_access of [undefined, ...access]) {
        const list = await validResponse('list-project-api-keys', `projects/${project.id}/api_keys`, { owner_project_access, limit: 100 });
        if (owner_project_access !== 'any') continue;
        for (const key of list.json.data) await validResponse('retrieve-project-api-key', `projects/${project.id}/api_keys/${key.id}`, {});
      }
    }
  });

  it('error bodies (400, 401, 403, 404, 429, 500) are ErrorResponse; 429 as the spec declares it', async () => {
    const validate = schemaValidator('ErrorResponse');
    const errorsSeen = [
      await get(api, 'usage/completions', {}),
      await get(api, 'usage/completions', { start_time: START }, null),
      await get(api, 'usage/completions', { start_time: START }, 'sk-admin-wrong-wrong-wrong-0000'),
      await get(api, 'usage/completions', { start_time: START }, 'sk-proj-abcdefghijklmnopqrstuvwx'),
      await get(api, 'projects/proj_missing/api_keys'),
    ];
    expect(errorsSeen.map((a) => a.status)).toEqual([400, 401, 401, 403, 404]);
    for (const [i, a] of errorsSeen.entries()) expectValid(validate, a.json, `error ${i}`);
    const faulty = createMockApi(createOrg(), { now: () => NOW });
    faulty.setFault({ kind: '500', times: 1 });
    expectValid(validate, (await get(faulty, 'costs', { start_time: START })).json, '500');
    for (const o of [...usageOps, byId('usage-costs')]) {
      faulty.setFault({ kind: '429', times: 1, retryAfter: 3 });
      const limited = await get(faulty, mockPath(o.path), { start_time: START });
      expect(limited.status).toBe(429);
      expectValid(validatorFor(o.op.operationId, '429'), limited.json, `${o.op.operationId} 429`);
      const header = spec.components.responses.TooManyRequests.headers['Retry-After'].schema;
      expect(Number.isInteger(Number(limited.headers['retry-after']))).toBe(true);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(header.minimum);
    }
  });

  it('unknown-fields responses are marked and still fit the schemas (they allow extra properties)', async () => {
    const faulty = createMockApi(createOrg(), { now: () => NOW });
    faulty.setFault({ kind: 'unknown-fields' });
    for (const o of servedOps) {
      const answer = await get(
        faulty,
        mockPath(o.path),
        o.path.includes('usage') || o.path.endsWith('costs') ? { start_time: START, limit: 2 } : {},
      );
      expect(answer.headers[FAULT_HEADER]).toBe('unknown-fields');
      expect(answer.json.x_sim_unknown_field).toBeDefined();
      expectValid(validatorFor(o.op.operationId), answer.json, `${o.op.operationId} with unknown fields`);
    }
    faulty.clearFaults();
    faulty.setFault({ kind: 'malformed' });
    const malformed = await get(faulty, 'projects');
    expect(malformed.headers[FAULT_HEADER]).toBe('malformed');
    expect(malformed.json).toBeUndefined();
  });
});

describe('contract: the mock rejects what the spec does not allow', () => {
  /** A valid value for a parameter, by its schema (cursors are left out: they need real ids). */
  const sample = (p: Parameter): QueryValue | undefined => {
    if (p.name === 'start_time') return START;
    if (p.name === 'end_time') return START + DAY;
    if (p.name === 'limit' || p.name === 'page' || p.name === 'after') return undefined;
    if (p.schema.type === 'array') return [p.schema.items?.enum?.[0] ?? 'x'];
    if (p.schema.type === 'boolean') return true;
    return p.schema.enum?.[0] ?? 'x';
  };
  const required = (op: Operation) =>
    Object.fromEntries(
      paramsOf(op)
        .filter((p) => p.required)
        .map((p) => [p.name, sample(p)]),
    );

  it.each(servedOps.map((o) => [o.op.operationId, o] as const))(
    '%s: accepts each documented parameter and enum value',
    async (operationId, o) => {
      for (const p of paramsOf(o.op)) {
        const value = sample(p);
        if (value === undefined) continue;
        const answer = await get(api, mockPath(o.path), { ...required(o.op), [p.name]: value });
        expect(answer.status, `${operationId} ${p.name}=${value}: ${answer.body.slice(0, 200)}`).toBe(200);
        for (const allowed of enumOf(p)) {
          const withValue = await get(api, mockPath(o.path), {
            ...required(o.op),
            [p.name]: p.schema.type === 'array' ? [allowed] : allowed,
          });
          expect(withValue.status, `${operationId} ${p.name}=${allowed}`).toBe(200);
        }
      }
    },
  );

  it.each(servedOps.map((o) => [o.op.operationId, o] as const))(
    '%s: rejects bad enum values, missing required and foreign parameters',
    async (operationId, o) => {
      const expect400 = async (query: Record<string, QueryValue | undefined>, param: string, label: string) => {
        const answer = await get(api, mockPath(o.path), query);
        expect(answer.status, `${operationId} ${label}: ${answer.body.slice(0, 200)}`).toBe(400);
        expectValid(schemaValidator('ErrorResponse'), answer.json, label);
        expect(answer.json.error.param, label).toBe(param);
      };
      for (const p of paramsOf(o.op)) {
        if (enumOf(p).length > 0) {
          await expect400(
            { ...required(o.op), [p.name]: p.schema.type === 'array' ? ['not-a-valid-value'] : 'not-a-valid-value' },
            p.name,
            `${p.name} outside enum`,
          );
        }
        if (p.required) await expect400({ ...required(o.op), [p.name]: undefined }, p.name, `${p.name} missing`);
      }
      const own = new Set(paramsOf(o.op).map((p) => p.name));
      const foreign = new Set(servedOps.flatMap((x) => paramsOf(x.op).map((p) => p.name)).filter((n) => !own.has(n)));
      for (const name of foreign) await expect400({ ...required(o.op), [name]: 'x' }, name, `foreign parameter ${name}`);
    },
  );

  it('enforces the documented limit ranges', async () => {
    /** Reads "`bucket_width=1d`: default: 7, max: 31" or "between 1 and 180" from a limit description. */
    const limitsOf = (p: Parameter | undefined): Array<{ width?: string; min: number; max: number }> => {
      const text = p?.description ?? '';
      const perWidth = [...text.matchAll(/bucket_width=(\w+)`: default: \d+, max: (\d+)/g)].map((m) => ({
        width: m[1],
        min: 1,
        max: Number(m[2]),
      }));
      if (perWidth.length > 0) return perWidth;
      const range = /between (\d+) and (\d+)/.exec(text);
      return range ? [{ min: Number(range[1]), max: Number(range[2]) }] : [];
    };
    let checked = 0;
    for (const o of servedOps) {
      const limits = limitsOf(param(o.op, 'limit'));
      if (!param(o.op, 'limit')) continue;
      expect(limits.length, `${o.op.operationId} documents its limit`).toBeGreaterThan(0);
      for (const { width, min, max } of limits) {
        const base = { ...required(o.op), bucket_width: width };
        expect((await get(api, mockPath(o.path), { ...base, limit: max })).status, `${o.op.operationId} ${width} limit=${max}`).toBe(200);
        expect(
          (await get(api, mockPath(o.path), { ...base, limit: max + 1 })).status,
          `${o.op.operationId} ${width} limit=${max + 1}`,
        ).toBe(400);
        expect((await get(api, mockPath(o.path), { ...base, limit: min - 1 })).status).toBe(400);
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(usageOps.length * 3 + 1);
  });
});
