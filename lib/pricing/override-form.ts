import { type PriceOverride, priceOverrideSchema } from './overrides';

/**
 * The options page's price-override table as text fields, to and from the stored overrides
 * (validated with priceOverrideSchema). Pure.
 */
export interface OverrideFormRow {
  model: string;
  from: string;
  input: string;
  cached: string;
  output: string;
}

export function toFormRows(overrides: readonly PriceOverride[]): OverrideFormRow[] {
  return overrides.map((o) => ({
    model: o.model,
    from: o.from,
    input: String(o.inputPerMTok),
    cached: o.cachedInputPerMTok === undefined ? '' : String(o.cachedInputPerMTok),
    output: String(o.outputPerMTok),
  }));
}

const isBlank = (row: OverrideFormRow) => Object.values(row).every((v) => v.trim() === '');

function price(text: string, what: string, errors: string[]): number {
  const trimmed = text.trim();
  const value = trimmed === '' ? Number.NaN : Number(trimmed);
  if (!Number.isFinite(value) || value < 0) errors.push(`${what} must be a number of dollars, 0 or more`);
  return value;
}

/** Every row checked; fully blank rows are ignored. Errors name the row (1-based) and the field. */
export function parseFormRows(
  rows: readonly OverrideFormRow[],
): { ok: true; overrides: PriceOverride[] } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const overrides: PriceOverride[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (isBlank(row)) return;
    const rowErrors: string[] = [];
    const model = row.model.trim();
    if (!model) rowErrors.push('give a model id, or a prefix ending in * (e.g. gpt-4o-*)');
    else if (model.indexOf('*') !== -1 && model.indexOf('*') !== model.length - 1) rowErrors.push('* may only end a model prefix');
    const from = row.from.trim();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(from) || Number.isNaN(Date.parse(`${from}T00:00:00Z`)))
      rowErrors.push('the effective date must be a day (YYYY-MM-DD)');
    const inputPerMTok = price(row.input, 'the input price', rowErrors);
    const cachedInputPerMTok = row.cached.trim() === '' ? undefined : price(row.cached, 'the cached input price', rowErrors);
    const outputPerMTok = price(row.output, 'the output price', rowErrors);
    const candidate = { model, from, inputPerMTok, outputPerMTok, ...(cachedInputPerMTok === undefined ? {} : { cachedInputPerMTok }) };
    const parsed = priceOverrideSchema.safeParse(candidate);
    if (rowErrors.length === 0 && !parsed.success) rowErrors.push(parsed.error.issues.map((issue) => issue.message).join('; '));
    if (rowErrors.length === 0 && parsed.success) {
      const key = `${model}|${from}`;
      if (seen.has(key)) rowErrors.push(`${model} already has an override from ${from}`);
      seen.add(key);
      overrides.push(parsed.data);
    }
    errors.push(...rowErrors.map((e) => `Row ${i + 1}: ${e}.`));
  });
  return errors.length ? { ok: false, errors } : { ok: true, overrides };
}
