import { z } from 'zod';

/**
 * Cost-center tags: free labels on API keys ("support", "team-a", "cc:4711") that finance groups
 * costs by. A key has zero or more. Pure rules here; storage is lib/tags/store.ts (background).
 */

/** One stored row per tagged key (Dexie `tags` table, multi-entry index on `tags`). */
export interface TagRecord {
  /** `${orgId}|${apiKeyId}` */
  id: string;
  orgId: string;
  apiKeyId: string;
  tags: string[];
  updatedAt: number;
}

export const MAX_TAG_LENGTH = 60;
export const MAX_TAGS_PER_KEY = 20;

/**
 * A tag starts with a letter or digit (so no spreadsheet formula can hide in one) and holds
 * letters, digits, spaces and - _ . / : & # + ( ). ";" separates tags in a CSV cell, so it never is one.
 */
const TAG_PATTERN = /^[\p{L}\p{N}][\p{L}\p{N} _\-./:&#+()]*$/u;

export const tagSchema = z
  .string()
  .transform((t) => t.trim().replace(/\s+/g, ' '))
  .pipe(
    z
      .string()
      .min(1, 'a tag cannot be empty')
      .max(MAX_TAG_LENGTH, `a tag has at most ${MAX_TAG_LENGTH} characters`)
      .regex(TAG_PATTERN, 'a tag starts with a letter or digit and holds only letters, digits, spaces and - _ . / : & # + ( )'),
  );

export const tagListSchema = z.array(tagSchema).max(MAX_TAGS_PER_KEY, `a key has at most ${MAX_TAGS_PER_KEY} tags`);

/** Trimmed, de-duplicated (case-insensitively, first spelling wins), sorted. */
export function normaliseTags(tags: readonly string[]): string[] {
  const seen = new Map<string, string>();
  for (const raw of tags) {
    const tag = raw.trim().replace(/\s+/g, ' ');
    if (tag && !seen.has(tag.toLowerCase())) seen.set(tag.toLowerCase(), tag);
  }
  return [...seen.values()].sort((a, b) => a.localeCompare(b));
}

/** Splits a typed list or a CSV cell ("support; team-a, cc 4711") into tags. */
export function splitTags(text: string): string[] {
  return normaliseTags(text.split(/[;,]/));
}

export type TagMode = 'add' | 'remove' | 'replace';

/** A key's tags after an assignment. */
export function applyTags(existing: readonly string[], tags: readonly string[], mode: TagMode): string[] {
  if (mode === 'replace') return normaliseTags(tags);
  if (mode === 'add') return normaliseTags([...existing, ...tags]);
  const drop = new Set(tags.map((t) => t.trim().toLowerCase()));
  return normaliseTags(existing.filter((t) => !drop.has(t.toLowerCase())));
}

/**
 * A name pattern as people type them: `*` matches any run of characters, `?` one character, the
 * rest literally, case-insensitively, over the whole name ("support-*", "*-prod", "ci-??").
 */
export function namePattern(pattern: string): (name: string) => boolean {
  const source = pattern
    .trim()
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  const regex = new RegExp(`^${source}$`, 'iu');
  return (name) => regex.test(name);
}

export const tagId = (orgId: string, apiKeyId: string) => `${orgId}|${apiKeyId}`;
