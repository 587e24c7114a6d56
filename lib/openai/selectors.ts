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
  [4, 'usage-2024.html'],
  [4, 'usage-2026.html'],
  [4, 'usage-compact.html'],
  [1, 'api-keys-2024.html'],
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
  [7, 'usage-2024.html'],
  [8, 'usage-2026.html'],
  [7, 'usage-compact.html'],
  [7, 'api-keys-2024.html'],
];

/** Body cells of a data table. */
export const bodyCell = 'td, [role="gridcell"], [role="cell"]';
export const bodyCell_: Expectations = [
  [115, 'usage-2024.html'],
  [146, 'usage-2026.html'],
  [115, 'usage-compact.html'],
  [140, 'api-keys-2024.html'],
];

/** Rows, header or body. */
export const row = 'tr, [role="row"]';
export const row_: Expectations = [
  [45, 'usage-2024.html'],
  [45, 'usage-2026.html'],
  [45, 'usage-compact.html'],
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

// ---------------------------------------------------------------------------------------------
// API-keys page: bulk-enable usage tracking (lib/bulk-enable). Appended section; owner: bulk-enable.
// The keys table itself is found with `dataTable` + header text (KEYS_*_HEADER below); a row's
// tracking control is only ever looked for inside that row's TRACKING cell, so look-alike
// "Enable" buttons elsewhere on the page (MFA banner, "Usage alerts" card) are never candidates.
// Fixtures: api-keys-<layout>.html (page 1), -page2.html (legacy keys), -enable-dialog.html,
// -revoke-dialog.html; captured by test/fixtures/capture.ts.
// ---------------------------------------------------------------------------------------------

/** An open modal dialog (the dashboard's confirmations: role=dialog aria-modal in every layout). */
export const modalDialog = '[role="dialog"], [role="alertdialog"], dialog[open]';
export const modalDialog_: Expectations = [
  [0, 'api-keys-2024.html'],
  [0, 'api-keys-2026.html'],
  [0, 'api-keys-compact.html'],
  [0, 'api-keys-2024-page2.html'],
  [0, 'api-keys-2026-page2.html'],
  [0, 'api-keys-compact-page2.html'],
  [1, 'api-keys-2024-enable-dialog.html'],
  [1, 'api-keys-2026-enable-dialog.html'],
  [1, 'api-keys-compact-enable-dialog.html'],
  [1, 'api-keys-2024-revoke-dialog.html'],
  [1, 'api-keys-2026-revoke-dialog.html'],
  [1, 'api-keys-compact-revoke-dialog.html'],
];

/** Error toasts (role=alert; success toasts are role=status). The usage pages have one alert (the untracked-usage note). */
export const alertToast = '[role="alert"]';
export const alertToast_: Expectations = [
  [1, 'usage-2024.html'],
  [0, 'api-keys-2024.html'],
  [0, 'api-keys-2024-page2.html'],
  [0, 'api-keys-2026-page2.html'],
  [0, 'api-keys-compact-page2.html'],
  [0, 'api-keys-2024-enable-dialog.html'],
];

/**
 * Anything clickable; counted per fixture so new controls show up. 2024 page 2 (42): 15 rows ×
 * (Edit, Revoke), 5 tracking "Enable"s, Create, the MFA "Enable", Previous, Next and the nav
 * links; compact adds a "Key actions" trigger (and its two menu items) per row.
 */
export const clickable = 'button, [role="button"], a[href], [role="switch"], input[type="checkbox"]';
export const clickable_: Expectations = [
  [47, 'api-keys-2024.html'],
  [47, 'api-keys-2026.html'],
  [67, 'api-keys-compact.html'],
  [42, 'api-keys-2024-page2.html'],
  [42, 'api-keys-2026-page2.html'],
  [57, 'api-keys-compact-page2.html'],
  [44, 'api-keys-2024-enable-dialog.html'],
  [49, 'api-keys-2024-revoke-dialog.html'],
];

/** Keymeter's own bulk-enable panel (a shadow host): never part of what the dashboard shows. */
export const bulkEnableHost = 'keymeter-bulk-enable';
export const bulkEnableHost_: Expectations = [
  [0, 'api-keys-2024.html'],
  [0, 'api-keys-2026-page2.html'],
];

/** Header texts of the keys table (2024 uppercases by CSS only; 2026 writes capitals). */
export const KEYS_NAME_HEADER = /^name$/i;
export const KEYS_SECRET_HEADER = /^(?:secret key|api key|key)$/i;
export const KEYS_TRACKING_HEADER = /^(?:usage )?tracking$/i;
export const KEYS_CREATED_HEADER = /^created(?: at| on)?$/i;
export const KEYS_LAST_USED_HEADER = /^last used$/i;
/** The per-row tracking control's accessible name: "Enable" (2024, compact), aria-label "Enable usage tracking" (2026). */
export const ENABLE_TRACKING_CONTROL = /^enable(?: usage)?(?: tracking)?$/i;
/** A tracking cell that shows tracking on: badge "Enabled" (2024), "On" (2026), text "Enabled" (compact). */
export const TRACKING_ON_TEXT = /^(?:enabled|on|tracked|tracking (?:on|enabled))$/i;
/** A control busy with the request ("Enabling…"). */
export const TRACKING_BUSY_TEXT = /^(?:enabling|loading|saving|working)\b/i;
/** The enable-tracking confirmation: "Enable usage tracking?" / "…will be tracked per API key…". */
export const DIALOG_TRACKING_TEXT = /\b(?:usage tracking|track(?:ing)? usage|tracked per (?:api )?key)\b/i;
export const DIALOG_ENABLE_WORDS = /\b(?:enable|turn on|start tracking|track)\b/i;
/** Words that make any dialog or button a no-go, whatever else it says. */
export const DANGER_WORDS =
  /\b(?:revoke[ds]?|delete[ds]?|remove[ds]?|disable[ds]?|rotate[ds]?|regenerate[ds]?|create[ds]?|save[ds]?|edit(?:s|ed)?)\b/i;
/** Buttons that dismiss a dialog. */
export const CANCEL_LABEL = /^(?:cancel|close|dismiss|no|not now|back|never mind)$/i;
/** The dashboard's rate-limit toast ("You're doing that too often. Try again in a moment."). */
export const RATE_LIMIT_TEXT = /too (?:often|many)|rate.?limit|slow down/i;
/** The keys table's pager: "Page 2 of 2", Previous / Next. */
export const PAGER_TEXT = /\bpage\s+(\d+)\s+(?:of|\/)\s+(\d+)\b/i;
export const NEXT_PAGE = /^(?:next(?: page)?|›|»|→)$/i;
export const PREVIOUS_PAGE = /^(?:prev(?:ious)?(?: page)?|‹|«|←)$/i;
