/**
 * Which dashboard page a URL is. Each predicate lists its sample URLs; the tests run every
 * sample through every predicate so overlaps show (the github-url-detection approach).
 */
export type PagePredicate = (url: URL) => boolean;

const onPlatform = (url: URL) => url.hostname === 'platform.openai.com';
const path = (url: URL) => url.pathname.replace(/\/+$/, '') || '/';

/** The usage dashboard (cost / activity views). The legacy view has no "Top API keys". */
export const isUsagePage: PagePredicate = (url) =>
  onPlatform(url) && /^\/(?:usage(?:\/(?:activity|cost))?|settings\/organization\/usage)$/.test(path(url));

/** The API-keys page where legacy keys carry an "Enable" tracking control. */
export const isApiKeysPage: PagePredicate = (url) =>
  onPlatform(url) && /^\/(?:api-keys|settings\/organization\/api-keys|account\/api-keys)$/.test(path(url));

export const pageSamples: Record<string, { matches: string[] }> = {
  isUsagePage: {
    matches: [
      'https://platform.openai.com/usage',
      'https://platform.openai.com/usage/',
      'https://platform.openai.com/usage?start=2025-12-20&end=2026-01-05',
      'https://platform.openai.com/usage/activity',
      'https://platform.openai.com/usage/cost?project=proj_1',
      'https://platform.openai.com/settings/organization/usage',
    ],
  },
  isApiKeysPage: {
    matches: [
      'https://platform.openai.com/api-keys',
      'https://platform.openai.com/api-keys?layout=2026',
      'https://platform.openai.com/settings/organization/api-keys',
      'https://platform.openai.com/account/api-keys',
    ],
  },
};

/** URLs no predicate should claim. */
export const unclaimedSamples = [
  'https://platform.openai.com/',
  'https://platform.openai.com/usage/legacy',
  'https://platform.openai.com/usage/scale-tier',
  'https://platform.openai.com/settings/organization/general',
  'https://platform.openai.com/settings/organization/admin-keys',
  'https://platform.openai.com/playground',
  'https://example.com/usage',
];

export const pagePredicates: Record<string, PagePredicate> = { isUsagePage, isApiKeysPage };

/** Opening the API-keys page with this hash opens Keymeter's bulk-enable preview (the usage panel links here). */
export const BULK_ENABLE_HASH = '#keymeter-bulk-enable';
export const BULK_ENABLE_URL = `https://platform.openai.com/api-keys${BULK_ENABLE_HASH}`;
