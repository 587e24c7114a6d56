/** Query-string parsing against a small per-route parameter table (mirrors the spec's parameter schemas). */
import { type ApiError, errors } from './errors';

export type ParamSpec =
  | { kind: 'int'; required?: boolean }
  | { kind: 'bool' }
  | { kind: 'string'; enum?: readonly string[] }
  | { kind: 'array'; enum?: readonly string[] };

export type ParamTable = Record<string, ParamSpec>;
export type ParamValue = number | boolean | string | string[];
export type Parsed = Record<string, ParamValue | undefined>;

/** `name[]` is accepted as an alias of `name` for arrays (both forms are common in clients). */
const baseName = (raw: string): string => (raw.endsWith('[]') ? raw.slice(0, -2) : raw);

const enumList = (values: readonly string[]): string => values.map((v) => `'${v}'`).join(', ');

function parseOne(name: string, spec: ParamSpec, values: string[]): ParamValue | ApiError {
  if (spec.kind === 'array') {
    const bad = spec.enum ? values.find((v) => !spec.enum?.includes(v)) : undefined;
    if (bad !== undefined) return errors.invalidValue(name, `'${bad}' is not one of ${enumList(spec.enum ?? [])}.`);
    return values;
  }
  if (values.length > 1) return errors.invalidValue(name, 'expected a single value.');
  const text = values[0] ?? '';
  switch (spec.kind) {
    case 'int':
      return /^-?\d{1,15}$/.test(text) ? Number(text) : errors.invalidValue(name, `expected an integer, got '${text}'.`);
    case 'bool':
      return text === 'true' ? true : text === 'false' ? false : errors.invalidValue(name, `expected 'true' or 'false', got '${text}'.`);
    case 'string':
      if (spec.enum && !spec.enum.includes(text)) return errors.invalidValue(name, `'${text}' is not one of ${enumList(spec.enum)}.`);
      return text;
  }
}

const isError = (v: unknown): v is ApiError => typeof v === 'object' && v !== null && 'status' in v && 'message' in v;

/** Parses and validates; unknown parameters are rejected, as a filter the endpoint lacks must be. */
export function parseQuery(params: URLSearchParams, table: ParamTable): Parsed | ApiError {
  const grouped = new Map<string, string[]>();
  for (const [raw, value] of params) {
    const name = baseName(raw);
    const spec = table[name];
    if (!spec) return errors.unknownParam(raw);
    if (raw !== name && spec.kind !== 'array') return errors.unknownParam(raw);
    grouped.set(name, [...(grouped.get(name) ?? []), value]);
  }
  const out: Parsed = {};
  for (const [name, spec] of Object.entries(table)) {
    const values = grouped.get(name);
    if (!values) {
      if (spec.kind === 'int' && spec.required) return errors.missingParam(name);
      continue;
    }
    const value = parseOne(name, spec, values);
    if (isError(value)) return value;
    out[name] = value;
  }
  return out;
}

export { isError };
