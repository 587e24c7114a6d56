import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as selectors from '@/lib/openai/selectors';

/**
 * Every selector in lib/openai/selectors.ts is checked against the saved simulator layouts
 * (test/fixtures/html) with the counts its `…_` twin expects. A selector without a twin, or a
 * twin naming a missing fixture, fails: this test cannot pass by having nothing to check.
 */
const FIXTURES = resolve(import.meta.dirname, '../fixtures/html');
const fixtureNames = new Set(readdirSync(FIXTURES).filter((f) => f.endsWith('.html')));
const parsed = new Map<string, Document>();
function fixture(name: string): Document {
  let doc = parsed.get(name);
  if (!doc) {
    const html = readFileSync(resolve(FIXTURES, name), 'utf8').replace(/<link\b[^>]*>/g, ''); // no network in unit tests
    doc = new DOMParser().parseFromString(html, 'text/html');
    parsed.set(name, doc);
  }
  return doc;
}

const entries = Object.entries(selectors).filter(
  ([name, value]) => typeof value === 'string' && !name.endsWith('_'),
);

describe('dashboard selectors against saved layouts', () => {
  it('has selectors to check', () => expect(entries.length).toBeGreaterThan(5));

  it.each(entries)('%s has expectations', (name) => {
    const twin = (selectors as Record<string, unknown>)[`${name}_`];
    expect(Array.isArray(twin) && twin.length > 0, `${name}_ is missing`).toBe(true);
  });

  const cases = entries.flatMap(([name, selector]) =>
    (((selectors as Record<string, unknown>)[`${name}_`] as selectors.Expectations | undefined) ?? []).map(
      ([count, file]) => [name, file, count, selector as string] as const,
    ),
  );
  it.each(cases)('%s matches in %s: %i', (_name, file, count, selector) => {
    expect(fixtureNames.has(file), `fixture ${file} exists`).toBe(true);
    expect(fixture(file).querySelectorAll(selector).length).toBe(count);
  });
});
