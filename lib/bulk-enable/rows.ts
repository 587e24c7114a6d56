import { columnIndex, type DataTable, normaliseText, readDataTable } from '../openai/data-table';
import {
  clickable,
  dataTable,
  ENABLE_TRACKING_CONTROL,
  KEYS_CREATED_HEADER,
  KEYS_LAST_USED_HEADER,
  KEYS_NAME_HEADER,
  KEYS_SECRET_HEADER,
  KEYS_TRACKING_HEADER,
  REDACTED_KEY,
  TRACKING_BUSY_TEXT,
  TRACKING_ON_TEXT,
} from '../openai/selectors';

/**
 * The API-keys table, read as data: which rows have usage tracking off and carry a tracking
 * control. Pure functions of the DOM, so the saved fixtures of every layout test them.
 *
 * A tracking control is only ever looked for inside the row's TRACKING cell of the table whose
 * headers include Name, Secret key and Tracking. Anything else on the page called "Enable" (an
 * MFA banner, a "Usage alerts" card) is outside that cell and can never be a candidate; Edit and
 * Revoke live in another column and are never read.
 */

/** How a key is told apart from the others: what the row shows, since the page shows no id. */
export interface KeyRef {
  name: string;
  /** As shown: "sk-…abcd" (legacy), "sk-proj-…abcd". */
  redacted: string;
  /** The "Created" cell's text, as shown ("Apr 12, 2023"); '' when the layout has no such column. */
  created: string;
}

/** off = tracking is off and the row carries one identified tracking control. */
export type TrackingState = 'off' | 'on' | 'busy' | 'unknown';

export interface KeyRow extends KeyRef {
  element: Element;
  lastUsed: string;
  tracking: TrackingState;
  /** The row's tracking control, only when `tracking` is 'off'. */
  control: HTMLElement | null;
  /** False when a row with tracking off, or its control, is hidden (never clicked). Other rows: true. */
  visible: boolean;
}

export interface KeysTable {
  table: DataTable;
  rows: KeyRow[];
}

export class KeysTableNotUnderstoodError extends Error {
  override name = 'KeysTableNotUnderstoodError';
}

function headerTexts(table: DataTable): string[] {
  return table.headers.map((h) => normaliseText(h.textContent));
}

/** True when a data table has the keys table's headers (Name, Secret key, Tracking). */
export function isKeysTable(table: DataTable): boolean {
  return (
    columnIndex(table, KEYS_NAME_HEADER) >= 0 &&
    columnIndex(table, KEYS_SECRET_HEADER) >= 0 &&
    columnIndex(table, KEYS_TRACKING_HEADER) >= 0
  );
}

/** The keys table on the page, or null when it is not (yet) rendered. */
export function findKeysTable(root: ParentNode = document): Element | null {
  for (const element of root.querySelectorAll(dataTable)) {
    if (isKeysTable(readDataTable(element))) return element;
  }
  return null;
}

/** The table shows loading skeletons (aria-busy) rather than keys. */
export function isLoading(tableElement: Element): boolean {
  return tableElement.matches('[aria-busy="true"]') || tableElement.querySelector('[aria-busy="true"]:not(button)') !== null;
}

/**
 * Visible text with a space between text nodes, so that "Cancel" + "Delete" or "Previous" +
 * "Page 1 of 2" never run together into one word that a \b-bounded pattern would miss.
 */
export function spacedText(element: Node): string {
  const parts: string[] = [];
  const doc = element.ownerDocument ?? document;
  const walker = doc.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) parts.push(node.nodeValue ?? '');
  return normaliseText(parts.join(' '));
}

/** An element's accessible name, near enough: aria-label, else its visible text. */
export function accessibleName(element: Element): string {
  return normaliseText(element.getAttribute('aria-label') || element.textContent);
}

export function isDisabled(element: Element): boolean {
  return (
    element.hasAttribute('disabled') || element.getAttribute('aria-disabled') === 'true' || element.getAttribute('aria-busy') === 'true'
  );
}

/** Hidden by attribute or style; `checkVisibility` where the browser has it. */
export function isVisible(element: Element): boolean {
  if (element.closest('[hidden], [aria-hidden="true"], [inert]')) return false;
  const check = (element as Element & { checkVisibility?: (o?: object) => boolean }).checkVisibility;
  return typeof check === 'function' ? check.call(element, { checkOpacity: true, checkVisibilityCSS: true }) : true;
}

/** What a tracking cell shows. Exactly one clickable named like "Enable" → off; text "Enabled"/"On" → on. */
export function readTrackingCell(cell: Element): { tracking: TrackingState; control: HTMLElement | null } {
  const controls = [...cell.querySelectorAll<HTMLElement>(clickable)];
  const text = normaliseText(cell.textContent);
  if (controls.length === 0)
    return { tracking: TRACKING_ON_TEXT.test(text) ? 'on' : TRACKING_BUSY_TEXT.test(text) ? 'busy' : 'unknown', control: null };
  if (controls.length > 1) return { tracking: 'unknown', control: null };
  const control = controls[0]!;
  const name = accessibleName(control);
  if (TRACKING_BUSY_TEXT.test(normaliseText(control.textContent)) || TRACKING_BUSY_TEXT.test(name))
    return { tracking: 'busy', control: null };
  if (!ENABLE_TRACKING_CONTROL.test(name) || !ENABLE_TRACKING_CONTROL.test(normaliseText(control.textContent)))
    return { tracking: 'unknown', control: null };
  if (isDisabled(control)) return { tracking: 'busy', control: null };
  return { tracking: 'off', control };
}

/** Reads the keys table; throws KeysTableNotUnderstoodError when a required column is missing. */
export function readKeysTable(tableElement: Element): KeysTable {
  const table = readDataTable(tableElement);
  const nameAt = columnIndex(table, KEYS_NAME_HEADER);
  const secretAt = columnIndex(table, KEYS_SECRET_HEADER);
  const trackingAt = columnIndex(table, KEYS_TRACKING_HEADER);
  if (nameAt < 0 || secretAt < 0 || trackingAt < 0)
    throw new KeysTableNotUnderstoodError(
      `The API-keys table has no Name, Secret key and Tracking columns (headers: ${headerTexts(table).join(', ') || 'none'})`,
    );
  const createdAt = columnIndex(table, KEYS_CREATED_HEADER);
  const lastUsedAt = columnIndex(table, KEYS_LAST_USED_HEADER);
  const rows: KeyRow[] = [];
  for (const { element, cells } of table.rows) {
    // Skeleton and "No API keys yet" rows do not have a cell per column.
    if (cells.length !== table.headers.length) continue;
    const text = (i: number) => (i >= 0 ? normaliseText(cells[i]?.textContent) : '');
    const match = REDACTED_KEY.exec(text(secretAt));
    if (!match) continue;
    const { tracking, control } = readTrackingCell(cells[trackingAt]!);
    rows.push({
      element,
      name: text(nameAt),
      redacted: match[0],
      created: text(createdAt),
      lastUsed: text(lastUsedAt),
      tracking,
      control,
      // Only rows Keymeter might click need the (style-computing) visibility check.
      visible: tracking !== 'off' || (isVisible(element) && (!control || isVisible(control))),
    });
  }
  return { table, rows };
}

/** Rows Keymeter may act on: tracking off, one identified control, visible. */
export function trackingCandidates(rows: readonly KeyRow[]): KeyRow[] {
  return rows.filter((row) => row.tracking === 'off' && row.control !== null && row.visible);
}

export function sameKey(a: KeyRef, b: KeyRef): boolean {
  return a.redacted === b.redacted && a.name === b.name && a.created === b.created;
}

export function keyRefOf(row: KeyRef): KeyRef {
  return { name: row.name, redacted: row.redacted, created: row.created };
}

/** "name (sk-…abcd)" for messages. */
export function keyLabel(key: KeyRef): string {
  return `“${key.name}” (${key.redacted})`;
}

/** The row of one key on the current page: found, missing, or ambiguous (two rows look the same). */
export function locateKey(rows: readonly KeyRow[], key: KeyRef): { found: KeyRow } | { missing: true } | { ambiguous: number } {
  const matches = rows.filter((row) => sameKey(row, key));
  if (matches.length === 1) return { found: matches[0]! };
  if (matches.length === 0) return { missing: true };
  return { ambiguous: matches.length };
}
