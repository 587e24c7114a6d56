// @vitest-environment node
import { strFromU8, unzipSync } from 'fflate';
import readXlsxFile from 'read-excel-file/node';
import { describe, expect, it } from 'vitest';
import { totalsOf } from '@/lib/export/aggregate';
import { columnsFor, STATUS_LABELS, TOTAL_LABEL } from '@/lib/export/columns';
import type { ExportDataset, ExportGrouping, ExportRow } from '@/lib/export/types';
import { EXPORT_GROUPINGS } from '@/lib/export/types';
import { buildXlsx, INT_FORMAT, MONEY_FORMAT, SHEET_NAMES } from '@/lib/export/xlsx';
import { PRICE_DATA } from '@/lib/pricing/price';
import { sampleDataset, sampleFacts, usage } from './fixtures';

type Cell = string | number | boolean | Date | null;

async function read(dataset: ExportDataset) {
  const file = await buildXlsx(dataset);
  const sheets = await readXlsxFile(Buffer.from(file.bytes));
  return { file, sheets: new Map(sheets.map((s) => [s.sheet, s.data as unknown as Cell[][]])) };
}

/** Sheet rows as objects keyed by the header row. */
function records(data: Cell[][]): Array<Record<string, Cell>> {
  const [header, ...rows] = data;
  return rows.map((row) => Object.fromEntries(header!.map((h, i) => [String(h), row[i] ?? null])));
}

const micros = (value: Cell) => (value === null ? null : Math.round((value as number) * 1_000_000));

function expectRowsEqual(sheet: Array<Record<string, Cell>>, rows: readonly ExportRow[]) {
  const body = sheet.slice(0, -1);
  expect(body).toHaveLength(rows.length);
  rows.forEach((expected, i) => {
    const row = body[i]!;
    if ('Requests' in row) expect(row.Requests).toBe(expected.requests);
    if ('Input tokens' in row) expect(row['Input tokens']).toBe(expected.inputTokens);
    expect(micros(row['Estimated cost']!)).toBe(expected.estimatedMicros);
    if ('Billed cost' in row) expect(micros(row['Billed cost']!)).toBe(expected.billedMicros);
    if ('Difference (billed − estimated)' in row) expect(micros(row['Difference (billed − estimated)']!)).toBe(expected.differenceMicros);
    expect(row['Price unknown']).toBe(expected.priceUnknown);
    if ('Key ID' in row) {
      expect(row['Key ID'] ?? '').toBe(expected.apiKeyId);
      expect(row.Status).toBe(expected.status ? STATUS_LABELS[expected.status] : null);
    }
  });
}

function expectTotalsAreSums(sheet: Array<Record<string, Cell>>) {
  const body = sheet.slice(0, -1);
  const total = sheet.at(-1)!;
  expect(total.Organisation).toBe(TOTAL_LABEL);
  for (const [field, value] of Object.entries(total)) {
    if (typeof value !== 'number') continue;
    const isMoney = /cost|Difference/.test(field);
    const sum = body.reduce((s, r) => s + (isMoney ? (micros(r[field]!) ?? 0) : ((r[field] as number | null) ?? 0)), 0);
    expect(isMoney ? micros(value) : value, field).toBe(sum);
  }
}

describe.each(EXPORT_GROUPINGS)('XLSX read back with read-excel-file, grouping %s', (grouping: ExportGrouping) => {
  const dataset = sampleDataset(grouping);

  it('has the grouping sheet, By model, By day, Reconciliation and About, in that order', async () => {
    const { file, sheets } = await read(dataset);
    expect([...sheets.keys()]).toEqual([SHEET_NAMES[grouping], 'By model', 'By day', 'Reconciliation', 'About']);
    expect(file.filename).toBe(`keymeter_acme-robotics_2026-01-01_2026-01-31_${grouping}.xlsx`);
    expect(file.mimeType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(sheets.get(SHEET_NAMES[grouping])![0]).toEqual(columnsFor(grouping).map((c) => c.label));
  });

  it('every sheet equals its aggregates, with typed cells, and its totals row is the sum of its rows', async () => {
    const { sheets } = await read(dataset);
    const tables: Array<[string, readonly ExportRow[]]> = [
      [SHEET_NAMES[grouping], dataset.rows],
      ['By model', dataset.byModel],
      ['By day', dataset.byDay],
      ['Reconciliation', dataset.reconciliation],
    ];
    for (const [name, rows] of tables) {
      const sheet = records(sheets.get(name)!);
      expectRowsEqual(sheet, rows);
      expectTotalsAreSums(sheet);
      expect(micros(sheet.at(-1)!['Estimated cost']!)).toBe(totalsOf(rows).estimatedMicros);
      for (const row of sheet) {
        expect(typeof row['Estimated cost']).toBe('number');
        expect(typeof row['Price unknown']).toBe('boolean');
        if ('Day (UTC)' in row && row.Organisation !== TOTAL_LABEL) expect(row['Day (UTC)']).toBeInstanceOf(Date);
      }
    }
  });
});

describe('XLSX cells, formats and safety', () => {
  it('freezes the header row of every table sheet; numbers carry thousands and currency formats', async () => {
    const { bytes } = await buildXlsx(sampleDataset('day-key'));
    const files = unzipSync(bytes);
    const styles = strFromU8(files['xl/styles.xml']!);
    const formatId = (code: string) =>
      new RegExp(`numFmtId="(\\d+)" formatCode="${code.replace(/"/g, '&quot;').replace(/[$#.]/g, '\\$&')}"`).exec(styles)?.[1];
    expect(formatId(INT_FORMAT)).toBeDefined();
    expect(formatId(MONEY_FORMAT)).toBeDefined();
    for (const sheet of [1, 2, 3, 4]) {
      const xml = strFromU8(files[`xl/worksheets/sheet${sheet}.xml`]!);
      expect(xml, `sheet ${sheet}`).toMatch(/<pane [^>]*ySplit="1"[^>]*topLeftCell="A2"[^>]*state="frozen"/);
      // Numeric cells are numbers (no t="s"/"str"), styled with a number format.
      expect(xml).toMatch(/<c r="[A-Z]+2" s="\d+"><v>-?[\d.]+<\/v><\/c>/);
      expect(xml).not.toMatch(/<f>/); // no formulas anywhere
    }
    const cellXfs = /<cellXfs[^>]*>(.*)<\/cellXfs>/.exec(styles)![1]!;
    const moneyStyles = [...cellXfs.matchAll(/<xf ([^>]*)>/g)]
      .map((m) => m[1]!)
      .filter((a) => a.includes(`numFmtId="${formatId(MONEY_FORMAT)}"`));
    expect(moneyStyles.length).toBeGreaterThan(0);
  });

  it.each([
    ['=', '=HYPERLINK("http://evil","x")'],
    ['+', '+1+2'],
    ['-', '-2+3'],
    ['@', '@SUM(A1:A9)'],
    ['tab', '\t=1'],
    ['CR', '\r=1'],
  ])('text starting with %s is neutralised in text cells; numbers stay numbers', async (_prefix, text) => {
    const facts = sampleFacts();
    facts.keys[0] = { ...facts.keys[0]!, name: text };
    facts.orgs[0] = { ...facts.orgs[0]!, label: text };
    const { sheets } = await read(sampleDataset('key', facts));
    const sheet = records(sheets.get('By key')!);
    const row = sheet.find((r) => r['Key ID'] === 'key_a')!;
    expect(row['Key name']).toBe(`'${text}`);
    expect(row.Organisation).toBe(`'${text}`);
    expect(row['Difference (billed − estimated)']).toBeCloseTo(-0.184568, 9); // a negative number, untouched
    const about = sheets.get('About')!;
    expect(about.find((r) => r[0] === 'Organisations')?.[1]).toBe(`'${text}`);
  });

  it.each([
    ['Unicode', '🔑 Ключ café 中文 العربية e\u0301'],
    ['very long', 'y'.repeat(20_000)],
    ['XML specials', '<b>&"quoted"</b>'],
  ])('%s names survive', async (_case, name) => {
    const facts = sampleFacts();
    facts.keys[0] = { ...facts.keys[0]!, name };
    const { sheets } = await read(sampleDataset('key', facts));
    expect(records(sheets.get('By key')!).find((r) => r['Key ID'] === 'key_a')?.['Key name']).toBe(name);
  });

  it.each([[3_000_000_000], [2 ** 40 + 7], [2 ** 52 - 1]])('token count %d stays exact', async (tokens) => {
    const facts = sampleFacts();
    facts.usage = [usage({ apiKeyId: 'key_a', inputTokens: tokens })];
    const { sheets } = await read(sampleDataset('key', facts));
    const sheet = records(sheets.get('By key')!);
    expect(sheet.find((r) => r['Key ID'] === 'key_a')?.['Input tokens']).toBe(tokens);
    expect(sheet.at(-1)?.['Input tokens']).toBe(tokens);
  });

  it('Reconciliation: estimated vs billed per key and the difference', async () => {
    const { sheets } = await read(sampleDataset('project'));
    const rec = records(sheets.get('Reconciliation')!);
    expect(
      rec.map((r) => [
        r['Key name'],
        micros(r['Estimated cost']!),
        micros(r['Billed cost']!),
        micros(r['Difference (billed − estimated)']!),
      ]),
    ).toEqual([
      ['old-batch-job', 0, 400_000, 400_000],
      ['support-bot', 3_984_568, 3_800_000, -184_568],
      ['Untracked usage', 300_000, 90_000, -210_000],
      [null, 4_284_568, 4_290_000, 5_432], // the totals row: "Total" is in the first column
    ]);
  });

  it('About states range, generation time, sources, price data and definitions', async () => {
    const { sheets } = await read(sampleDataset('key-model'));
    const about = new Map(sheets.get('About')!.map((r) => [String(r[0]), String(r[1])]));
    expect(about.get('Range from (UTC, inclusive)')).toBe('2026-01-01');
    expect(about.get('Range to (UTC, inclusive)')).toBe('2026-01-31');
    expect(about.get('Generated at (UTC)')).toBe('2026-02-03T09:30:00.000Z');
    expect(about.get('Currency')).toBe('USD');
    expect(about.get('Price data')).toBe(`version ${PRICE_DATA.version} of ${PRICE_DATA.source}`);
    expect(about.get('Price date basis')).toMatch(/UTC day/);
    expect(about.get('Estimated')).toMatch(/dated list price/);
    expect(about.get('Billed')).toMatch(/Costs API/);
    expect(about.get('Source: OpenAI Admin API (Usage and Costs)')).toMatch(/^used/);
    expect(about.get('Source: Zero-setup snapshots of "Top API keys"')).toMatch(/^not used/);
    const notes = sheets
      .get('About')!
      .filter((r) => r[0] === 'Note')
      .map((r) => String(r[1]));
    expect(notes.some((n) => n.includes('not split by model'))).toBe(true);
  });

  it('builds a sheet far over 160 kB (fflate would hand that to a Web Worker) synchronously', async () => {
    const facts = sampleFacts();
    const base = facts.usage[0]!;
    facts.usage = Array.from({ length: 6000 }, (_, i) =>
      usage({ ...base, apiKeyId: `key_${i % 200}`, day: base.day + (i % 30) * 86_400, estimatedMicros: i }),
    );
    const dataset = sampleDataset('day-key', facts);
    const { bytes } = await buildXlsx(dataset);
    const sheetXml = unzipSync(bytes)['xl/worksheets/sheet1.xml']!;
    expect(sheetXml.length).toBeGreaterThan(160_000);
    const { sheets } = await read(dataset);
    expect(records(sheets.get('By day × key')!)).toHaveLength(dataset.rows.length + 1);
  });
});
