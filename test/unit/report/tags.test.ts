import { describe, expect, it } from 'vitest';
import { describeImportErrors, parseTagCsv, TAG_CSV_COLUMNS, tagsToCsv } from '@/lib/tags/csv';
import { applyTags, namePattern, normaliseTags, splitTags, tagListSchema, tagSchema } from '@/lib/tags/tags';

const KNOWN = [
  { orgId: 'org-a', apiKeyId: 'key_1' },
  { orgId: 'org-a', apiKeyId: 'key_2' },
  { orgId: 'org-b', apiKeyId: 'key_3' },
  // The same id in two organisations (only possible with odd data): org_id must say which.
  { orgId: 'org-a', apiKeyId: 'key_twin' },
  { orgId: 'org-b', apiKeyId: 'key_twin' },
];
const HEADER = TAG_CSV_COLUMNS.join(',');

describe('tags', () => {
  it.each([
    [
      ['b', 'a', ' a ', 'A'],
      ['a', 'b'],
    ],
    [['Team  X', 'team x'], ['Team X']],
    [[], []],
  ])('normaliseTags(%o) = %o', (input, expected) => {
    expect(normaliseTags(input)).toEqual(expected);
  });

  it.each([
    ['add', ['a'], ['b', 'a'], ['a', 'b']],
    ['remove', ['a', 'b'], ['B'], ['a']],
    ['replace', ['a', 'b'], ['c'], ['c']],
    ['replace', ['a'], [], []],
  ] as const)('applyTags %s', (mode, existing, tags, expected) => {
    expect(applyTags(existing, tags, mode)).toEqual(expected);
  });

  it.each([
    ['support-*', 'support-assistant-prod', true],
    ['support-*', 'Support-voice', true],
    ['support-*', 'my-support-bot', false],
    ['*-prod', 'support-assistant-prod', true],
    ['ci-??', 'ci-01', true],
    ['ci-??', 'ci-001', false],
    ['a.b', 'axb', false],
    ['(legacy)*', '(legacy) old', true],
  ])('namePattern(%s) on %s → %s', (pattern, name, expected) => {
    expect(namePattern(pattern)(name)).toBe(expected);
  });

  it('splits typed lists on commas and semicolons', () => {
    expect(splitTags('support; cc-4711, team a ,,')).toEqual(['cc-4711', 'support', 'team a']);
  });

  it.each([['=HYPERLINK("x")'], ['-1'], ['@sum'], [''], ['a;b'], ['x'.repeat(61)]])('rejects the tag %j', (tag) => {
    expect(tagSchema.safeParse(tag).success).toBe(false);
  });
  it('accepts ordinary tags and caps the count per key', () => {
    expect(tagSchema.parse('  cc: 4711 / R&D  ')).toBe('cc: 4711 / R&D');
    expect(tagListSchema.safeParse(Array.from({ length: 21 }, (_, i) => `t${i}`)).success).toBe(false);
  });
});

describe('tag CSV import', () => {
  it('reads a well-formed file: BOM, CRLF, quotes, blank lines, extra columns, empty tags', () => {
    const text = `\uFEFF${HEADER},note\r\norg-a,Acme,key_1,"support, bot",sk-…abcd,"support; cc-4711",x\r\n\r\norg-b,Beta,key_3,=cmd,sk-…efgh,,\r\n`;
    expect(parseTagCsv(text, KNOWN)).toEqual({
      ok: true,
      entries: [
        { orgId: 'org-a', apiKeyId: 'key_1', tags: ['cc-4711', 'support'] },
        { orgId: 'org-b', apiKeyId: 'key_3', tags: [] },
      ],
    });
  });

  it('needs only api_key_id and tags, in any order', () => {
    expect(parseTagCsv('tags,api_key_id\nsupport,key_2\n', KNOWN)).toEqual({
      ok: true,
      entries: [{ orgId: 'org-a', apiKeyId: 'key_2', tags: ['support'] }],
    });
  });

  // Each malformed file is rejected whole, with the line of each problem.
  it.each([
    ['an empty file', '', [[1, /empty/]]],
    ['only blank lines', '\n\n', [[1, /empty/]]],
    ['a header without tags', 'api_key_id,name\nkey_1,x\n', [[1, /no tags column/]]],
    ['a header without the key id', 'org_id,tags\norg-a,x\n', [[1, /no api_key_id column/]]],
    ['a header but no rows', `${HEADER}\n`, [[2, /no keys/]]],
    ['a row with a missing field', 'api_key_id,tags\nkey_1,a\nkey_2\n', [[3, /Expected 2 fields/]]],
    ['a row with one field too many', 'api_key_id,tags\nkey_1,a,b\n', [[2, /found 3/]]],
    ['an unknown key', 'api_key_id,tags\nkey_1,a\nkey_nope,b\n', [[3, /Unknown API key id "key_nope"/]]],
    ['an empty key id', 'api_key_id,tags\n ,a\n', [[2, /api_key_id is empty/]]],
    ['a key of another organisation', 'org_id,api_key_id,tags\norg-b,key_1,a\n', [[2, /does not belong to organisation "org-b"/]]],
    ['an ambiguous key without org_id', 'api_key_id,tags\nkey_twin,a\n', [[2, /several organisations/]]],
    ['a key listed twice', 'api_key_id,tags\nkey_1,a\nkey_2,b\nkey_1,c\n', [[4, /listed twice \(first on line 2\)/]]],
    ['a formula as a tag', 'api_key_id,tags\nkey_1,"=1+1"\n', [[2, /Tag "=1\+1": a tag starts with a letter or digit/]]],
    ['too many tags', `api_key_id,tags\nkey_1,${Array.from({ length: 21 }, (_, i) => `t${i}`).join(';')}\n`, [[2, /at most 20 tags/]]],
    [
      'a quoted field spanning lines, then a bad row (line numbers follow the file, not the records)',
      'api_key_id,tags,note\nkey_1,a,"two\nlines"\nkey_nope,b,c\n',
      [[4, /Unknown API key id/]],
    ],
    ['an unterminated quote', 'api_key_id,tags\nkey_1,a\nkey_2,"b\n', [[3, /Not valid CSV: Quoted field unterminated/]]],
    [
      'several problems at once',
      'api_key_id,tags\nkey_nope,a\nkey_1,"=x"\nkey_2\n',
      [
        [2, /Unknown/],
        [3, /Tag/],
        [4, /Expected/],
      ],
    ],
  ] as const)('rejects %s', (_, text, expected) => {
    const result = parseTagCsv(text, KNOWN);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.line)).toEqual(expected.map(([line]) => line));
    for (const [i, e] of result.errors.entries()) expect(e.message).toMatch(expected[i]![1]);
    expect(describeImportErrors(result.errors)).toMatch(new RegExp(`^line ${expected[0]![0]}: `));
  });

  it('caps the errors it lists', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `key_x${i},a`).join('\n');
    const result = parseTagCsv(`api_key_id,tags\n${rows}\n`, KNOWN);
    expect(!result.ok && result.errors.length).toBe(20);
  });

  it('round-trips what it exports, formula-safe, untagged keys included', () => {
    const csv = tagsToCsv([
      { orgId: 'org-a', orgLabel: 'Acme', apiKeyId: 'key_2', name: '=evil()', redactedValue: 'sk-…2222', tags: [] },
      { orgId: 'org-a', orgLabel: 'Acme', apiKeyId: 'key_1', name: 'bot, "prod"', redactedValue: 'sk-…1111', tags: ['cc-4711', 'support'] },
      { orgId: 'org-a', orgLabel: 'Acme', apiKeyId: '', name: 'Untracked usage', redactedValue: '', tags: [] },
    ]);
    expect(csv.split('\r\n')).toEqual([
      HEADER,
      "org-a,Acme,key_2,'=evil(),sk-…2222,",
      'org-a,Acme,key_1,"bot, ""prod""",sk-…1111,cc-4711; support',
      '',
    ]);
    expect(parseTagCsv(csv, KNOWN)).toEqual({
      ok: true,
      entries: [
        { orgId: 'org-a', apiKeyId: 'key_2', tags: [] },
        { orgId: 'org-a', apiKeyId: 'key_1', tags: ['cc-4711', 'support'] },
      ],
    });
  });
});
