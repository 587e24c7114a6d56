/**
 * Every platform.openai.com selector, in one place. The real markup is unknown (reference
 * notes §5), so anchors are visible text, headings, roles and table structure; hashed
 * CSS-module classes would only ever be matched by prefix. Each selector has a twin `…_`
 * listing its expected match count per saved fixture (test/fixtures/html/*.html); the
 * selector test fails for a selector without expectations.
 */

export type Expectations = Array<[count: number, fixture: string]>;

/** Headings by element or ARIA role (2026 layout: `<div role="heading" aria-level="3">`). */
export const heading = 'h1, h2, h3, h4, h5, h6, [role="heading"]';
export const heading_: Expectations = [
  [7, 'usage-2024.html'],
  [7, 'usage-2026.html'],
  [7, 'usage-compact.html'],
  [2, 'api-keys-2024.html'],
];

/** A data table: a real `<table>` (2024, compact) or an ARIA grid of divs (2026). */
export const dataTable = 'table, [role="grid"], [role="table"]';
export const dataTable_: Expectations = [
  [3, 'usage-2024.html'],
  [3, 'usage-2026.html'],
  [3, 'usage-compact.html'],
  [1, 'api-keys-2024.html'],
];

/** Header cells of a data table. */
export const headerCell = 'th, [role="columnheader"]';
export const headerCell_: Expectations = [
  [9, 'usage-2024.html'],
  [9, 'usage-2026.html'],
  [9, 'usage-compact.html'],
  [7, 'api-keys-2024.html'],
];

/** Body cells of a data table. */
export const bodyCell = 'td, [role="gridcell"], [role="cell"]';
export const bodyCell_: Expectations = [
  [95, 'usage-2024.html'],
  [127, 'usage-2026.html'],
  [95, 'usage-compact.html'],
  [140, 'api-keys-2024.html'],
];

/** Rows, header or body. */
export const row = 'tr, [role="row"]';
export const row_: Expectations = [
  [47, 'usage-2024.html'],
  [47, 'usage-2026.html'],
  [47, 'usage-compact.html'],
  [21, 'api-keys-2024.html'],
];

/** The dashboard's range picker label (text like "Dec 15, 2025 – Jan 10, 2026"). */
export const rangePickerTrigger = 'button[aria-haspopup]';
export const rangePickerTrigger_: Expectations = [
  [1, 'usage-2024.html'],
  [1, 'usage-2026.html'],
  [1, 'usage-compact.html'],
  [0, 'api-keys-2024.html'],
];

/** Keymeter's own marks, so a re-render never adds columns twice. */
export const keymeterCell = '[data-keymeter-col]';
export const keymeterCell_: Expectations = [
  [0, 'usage-2024.html'],
  [0, 'usage-2026.html'],
  [0, 'usage-compact.html'],
  [0, 'api-keys-2024.html'],
];

/** Visible text of the view Keymeter augments. */
export const TOP_API_KEYS = /^top api keys$/i;
/** Redacted keys as the dashboard prints them: sk-…abcd, sk-proj-…abcd, sk-svcacct-…abcd (or "..."). */
export const REDACTED_KEY = /\bsk-(?:[a-z]+-)*(?:…|\.\.\.)\s*([A-Za-z0-9_-]{4})\b/;
/** The row the dashboard shows for usage without a key. */
export const UNTRACKED_LABEL = /^untracked$/i;

/**
 * XPath of the card holding "Top API keys": the nearest ancestor of that heading that also
 * holds a table or grid. WXT's autoMount takes XPath strings, which can match by text.
 */
export const topApiKeysCardXPath =
  "//*[self::h1 or self::h2 or self::h3 or self::h4 or self::h5 or self::h6 or @role='heading']" +
  "[translate(normalize-space(.), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')='top api keys']" +
  "/ancestor::*[.//table or .//*[@role='grid'] or .//*[@role='table']][1]";
