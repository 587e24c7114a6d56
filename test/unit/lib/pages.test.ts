import { describe, expect, it } from 'vitest';
import { pagePredicates, pageSamples, unclaimedSamples } from '@/lib/openai/pages';

// Every sample URL goes through every predicate, so an overlap between pages shows up here.
describe('page predicates', () => {
  const all = Object.entries(pageSamples).flatMap(([owner, { matches }]) => matches.map((url) => [owner, url] as const));

  it('has samples for every predicate', () => {
    expect(Object.keys(pageSamples).sort()).toEqual(Object.keys(pagePredicates).sort());
  });

  it.each(all)('%s claims %s, and no other predicate does', (owner, url) => {
    for (const [name, predicate] of Object.entries(pagePredicates)) {
      expect(predicate(new URL(url)), `${name}(${url})`).toBe(name === owner);
    }
  });

  it.each(unclaimedSamples)('no predicate claims %s', (url) => {
    for (const [name, predicate] of Object.entries(pagePredicates)) expect(predicate(new URL(url)), name).toBe(false);
  });
});
