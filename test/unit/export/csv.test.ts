// @vitest-environment node
import Papa from 'papaparse';
import { describe, expect, it } from 'vitest';
import { totalsOf } from '@/lib/export/aggregate';
import { COLUMNS, columnsFor, STATUS_LABELS, TOTAL_LABEL } from '@/lib/export/columns';
import { buildCsv } from '@/lib/export/csv';
import { EXPORT_GROUPINGS, type ExportRow } from '@/lib/export/types';
import { microsToDecimalString, parseMicros } from '@/lib/money';
import { billed, parseCsv, sampleDataset, sampleFacts, usage } from './fixtures';

/** The sample org with the active key renamed (and its project, owner and tags set to the same text). */
function datasetWithText(text: string, grouping: (typeof EXPORT_GROUPINGS)[number] = 'key') {
  const facts = sampleFacts();
  facts.keys[0] = { ...facts.keys[0]!, name: text, owner: text };
  facts.projects[0] = { ...facts.projects[0]!, name: text };
  facts.orgs[0] = { ...facts.orgs[0]!, label: text };
  facts.tagsByKey = { key_a: [text] };
  return sampleDataset(grouping, facts);
}

const csvOf = (dataset: ReturnType<typeof sampleDataset>, bom = false) => parseCsv(buildCsv(dataset, { bom }).bytes);
const activeRow = (rows: Array<Record<string, string>>) => rows.find((r) => r['Key ID'] === 'key_a')!;

describe('CSV: RFC 4180 quoting through papaparse', () => {
  it.each([
    ['plain', 'support-bot', 'support-bot'],
    ['comma', 'bot, the second', '"bot, the second"'],
    ['double quotes', 'the "prod" key', '"the ""prod"" key"'],
    ['line feed', 'two\nlines', '"two\nlines"'],
    ['CRLF', 'two\r\nlines', '"two\r\nlines"'],
    ['semicolon', 'a;b', 'a;b'],
    ['leading space', ' spaced', '" spaced"'],
  ])('%s: written %s and read back unchanged', (_case, name, raw) => {
    const dataset = datasetWithText(name);
    const { bytes } = buildCsv(dataset);
    expect(new TextDecoder().decode(bytes)).toContain(`,${raw},`);
    const { rows } = parseCsv(bytes);
    expect(activeRow(rows)['Key name']).toBe(name);
    expect(activeRow(rows).Project).toBe(name);
  });

  it('uses CRLF between records and the same number of fields on every record', () => {
    const { bytes } = buildCsv(sampleDataset('day-key'));
    const text = new TextDecoder().decode(bytes);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/); // no bare LF or CR: the sample has no line breaks in text
    const records = Papa.parse<string[]>(text.trimEnd(), { newline: '\r\n' });
    expect(records.errors).toEqual([]);
    expect(new Set(records.data.map((r) => r.length)).size).toBe(1);
  });
});

describe('CSV: formula neutralisation (CWE-1236)', () => {
  it.each([
    ['=', '=HYPERLINK("http://evil","x")'],
    ['+', '+1+2'],
    ['-', '-2+3'],
    ['@', '@SUM(A1:A9)'],
    ['tab', '\t=1+1'],
    ['CR', '\r=1+1'],
  ])('text starting with %s gets a leading apostrophe, in every text column', (_prefix, text) => {
    const { rows } = csvOf(datasetWithText(text));
    const row = activeRow(rows);
    for (const column of ['Organisation', 'Key name', 'Project', 'Owner']) expect(row[column], column).toBe(`'${text}`);
    expect(row.Tags).toBe(`'${text.trim()}`); // tags are trimmed, then neutralised
  });

  it.each([['a=b'], ['1+1'], ['sk-…aaaa'], ['käse=1']])('text not starting with a trigger stays as is: %s', (text) => {
    expect(activeRow(csvOf(datasetWithText(text)).rows)['Key name']).toBe(text);
  });

  it('numbers are never altered: a negative difference stays a plain negative number', () => {
    const { rows } = csvOf(sampleDataset('key'));
    const row = activeRow(rows);
    expect(row['Difference (billed − estimated)']).toBe('-0.184568');
    expect(Number(row['Difference (billed − estimated)'])).toBeCloseTo(-0.184568, 6);
  });
});

describe('CSV: Unicode, long names, big numbers, money', () => {
  it.each([
    ['emoji and scripts', '🔑 Ключ café 中文 العربية'],
    ['combining marks', 'e\u0301te\u0301'],
    ['very long', 'x'.repeat(20_000)],
  ])('%s round-trips in UTF-8', (_case, name) => {
    const { rows } = csvOf(datasetWithText(name));
    expect(activeRow(rows)['Key name']).toBe(name);
  });

  it('an optional BOM for Excel; otherwise none', () => {
    const withBom = buildCsv(sampleDataset(), { bom: true }).bytes;
    expect([...withBom.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect([...buildCsv(sampleDataset()).bytes.slice(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    expect(parseCsv(withBom).rows).toEqual(parseCsv(buildCsv(sampleDataset()).bytes).rows);
  });

  it.each([
    ['beyond 2^31', 3_000_000_000],
    ['beyond 2^40', 2 ** 40 + 7],
    ['near 2^52', 2 ** 52 - 1],
  ])('token counts %s are written as plain integers', (_case, tokens) => {
    const facts = sampleFacts();
    facts.usage = [usage({ apiKeyId: 'key_a', inputTokens: tokens, outputTokens: tokens })];
    const { rows } = csvOf(sampleDataset('key', facts));
    expect(activeRow(rows)['Input tokens']).toBe(String(tokens));
    expect(activeRow(rows)['Input tokens']).toMatch(/^\d+$/);
    expect(rows.at(-1)!['Output tokens']).toBe(String(tokens));
  });

  it.each([
    ['one micro-dollar', [1], '0.000001'],
    ['cents that floats get wrong', [100_000, 200_000], '0.300000'],
    ['a cent many times', Array.from({ length: 1000 }, () => 10_000), '10.000000'],
    ['millions', [1_234_567_890_123, 1], '1234567.890124'],
  ])('money to the cent and below: %s', (_case, amounts, total) => {
    const facts = sampleFacts();
    facts.usage = amounts.map((micros, i) =>
      usage({ apiKeyId: 'key_a', day: facts.usage[0]!.day + (i % 28) * 86_400, estimatedMicros: micros }),
    );
    facts.billed = amounts.map((micros, i) => billed({ apiKeyId: 'key_a', day: facts.usage[0]!.day + (i % 28) * 86_400, micros }));
    const { rows } = csvOf(sampleDataset('day-key', facts));
    const totalRow = rows.at(-1)!;
    expect(totalRow.Organisation).toBe(TOTAL_LABEL);
    expect(totalRow['Estimated cost']).toBe(total);
    expect(totalRow['Billed cost']).toBe(total);
    expect(totalRow['Difference (billed − estimated)']).toBe('0.000000');
  });
});

const MONEY = new Set(['Estimated cost', 'Billed cost', 'Difference (billed − estimated)']);
const INTS = new Set(['Requests', 'Input tokens', 'Cached input tokens', 'Output tokens']);

describe.each(EXPORT_GROUPINGS)('CSV read back, grouping %s', (grouping) => {
  const dataset = sampleDataset(grouping);
  const { fields, rows } = csvOf(dataset);
  const body = rows.slice(0, -1);
  const totalRow = rows.at(-1)!;

  it("has the grouping's columns, then range, generation time and price basis on every row", () => {
    expect(fields).toEqual([
      ...columnsFor(grouping).map((c) => c.label),
      'Range from (UTC)',
      'Range to (UTC, inclusive)',
      'Generated at (UTC)',
      'Price basis',
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        'Range from (UTC)': '2026-01-01',
        'Range to (UTC, inclusive)': '2026-01-31',
        'Generated at (UTC)': '2026-02-03T09:30:00.000Z',
        Currency: 'USD',
      });
      expect(row['Price basis']).toMatch(/^list prices of @pydantic\/genai-prices \d+\.\d+\.\d+ in force on each usage day$/);
    }
  });

  it('each row equals the aggregate it came from', () => {
    expect(body).toHaveLength(dataset.rows.length);
    dataset.rows.forEach((expected: ExportRow, i) => {
      const row = body[i]!;
      expect(Number(row.Requests)).toBe(expected.requests);
      expect(Number(row['Input tokens'])).toBe(expected.inputTokens);
      expect(Number(row['Cached input tokens'])).toBe(expected.cachedTokens);
      expect(Number(row['Output tokens'])).toBe(expected.outputTokens);
      expect(parseMicros(row['Estimated cost']!)).toBe(expected.estimatedMicros);
      expect(row['Billed cost']).toBe(expected.billedMicros === null ? '' : microsToDecimalString(expected.billedMicros));
      expect(row['Price unknown']).toBe(String(expected.priceUnknown));
      if ('Key ID' in row) {
        expect(row['Key ID']).toBe(expected.apiKeyId);
        expect(row.Status).toBe(expected.status ? STATUS_LABELS[expected.status] : '');
      }
    });
  });

  it('the totals row equals the sum of the rows (money summed in micros)', () => {
    expect(totalRow.Organisation).toBe(TOTAL_LABEL);
    for (const field of fields) {
      if (INTS.has(field)) expect(Number(totalRow[field]), field).toBe(body.reduce((sum, r) => sum + Number(r[field]), 0));
      if (MONEY.has(field)) {
        const cells = body.map((r) => r[field]!).filter((v) => v !== '');
        const expected = cells.length === 0 ? '' : microsToDecimalString(cells.reduce((sum, v) => sum + parseMicros(v), 0));
        expect(totalRow[field], field).toBe(expected);
      }
    }
    const totals = totalsOf(dataset.rows);
    expect(Number(totalRow['Input tokens'])).toBe(totals.inputTokens);
    expect(totalRow['Price unknown']).toBe('true');
  });
});

describe('CSV columns', () => {
  it('money columns are the three money fields, never formatted with currency signs or separators', () => {
    expect(
      columnsFor('key')
        .filter((c) => c.kind === 'money')
        .map((c) => c.label),
    ).toEqual([...MONEY]);
    const text = new TextDecoder().decode(buildCsv(sampleDataset()).bytes);
    expect(text).not.toMatch(/\$\d/);
    expect(COLUMNS.currency.label).toBe('Currency');
  });
});
