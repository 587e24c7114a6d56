import { bodyCell, dataTable, headerCell, heading, row as rowSelector } from './selectors';

/**
 * A dashboard data table read the same way whether it is a `<table>` or an ARIA grid of divs:
 * its header row and header cells, and its body rows with their cells. Keymeter's own cells
 * (data-keymeter-col) are left out, so reading is the same before and after decorating.
 */
export interface DataTable {
  element: Element;
  kind: 'table' | 'grid';
  headerRow: Element | null;
  headers: Element[];
  rows: Array<{ element: Element; cells: Element[] }>;
}

const own = (el: Element) => !el.hasAttribute('data-keymeter-col');

export function normaliseText(text: string | null | undefined): string {
  return (text ?? '').replace(/\s+/g, ' ').trim();
}

export function readDataTable(element: Element): DataTable {
  const kind = element.tagName === 'TABLE' ? 'table' : 'grid';
  // Rows of this table only, not of a table nested inside one of its cells (asked per row only
  // when there is a nested table: thousands of `closest` calls otherwise, npm run bench).
  let rows = [...element.querySelectorAll(rowSelector)];
  if (element.querySelector(dataTable)) rows = rows.filter((r) => r.closest(dataTable) === element);
  const headerRow = rows.find((r) => [...r.children].some((c) => c.matches(headerCell))) ?? null;
  const headers = headerRow ? [...headerRow.children].filter((c) => own(c) && c.matches(headerCell)) : [];
  const body: DataTable['rows'] = [];
  for (const r of rows) {
    if (r === headerRow) continue;
    const cells: Element[] = [];
    // A <td> always matches bodyCell: skip the selector match for it (thousands of calls).
    for (let c = r.firstElementChild; c; c = c.nextElementSibling) if (own(c) && (c.tagName === 'TD' || c.matches(bodyCell))) cells.push(c);
    if (cells.length > 0) body.push({ element: r, cells });
  }
  return { element, kind, headerRow, headers, rows: body };
}

/** Index of the first header whose visible text matches, or -1. */
export function columnIndex(table: DataTable, pattern: RegExp): number {
  return table.headers.findIndex((h) => pattern.test(normaliseText(h.textContent)));
}

/** Headings whose visible text matches `title`, each with its card: the closest ancestor that holds a table. */
export function findCardsByTitle(root: ParentNode, title: RegExp): Array<{ heading: Element; card: Element }> {
  const found: Array<{ heading: Element; card: Element }> = [];
  for (const head of root.querySelectorAll(heading)) {
    if (!title.test(normaliseText(head.textContent))) continue;
    let card: Element | null = head.parentElement;
    while (card && !card.querySelector(dataTable)) card = card.parentElement;
    if (card) found.push({ heading: head, card });
  }
  return found;
}

/**
 * Data tables that sit under a heading matching `title`: the nearest table after the heading
 * within the heading's card, or a table whose aria-label matches. A card with several headings
 * claims only the table under its own.
 */
export function findTablesByTitle(root: ParentNode, title: RegExp): Element[] {
  const found = new Set<Element>();
  for (const table of root.querySelectorAll(dataTable)) {
    if (title.test(normaliseText(table.getAttribute('aria-label')))) found.add(table);
  }
  const follows = (head: Element, t: Element) => head.compareDocumentPosition(t) & Node.DOCUMENT_POSITION_FOLLOWING;
  for (const { heading: head, card } of findCardsByTitle(root, title)) {
    // Usually the card's first table: querySelector stops there, where querySelectorAll would
    // walk every row and cell of a 2,000-row table (npm run bench).
    const first = card.querySelector(dataTable);
    const table = first && follows(head, first) ? first : [...card.querySelectorAll(dataTable)].find((t) => follows(head, t));
    if (table) found.add(table);
  }
  return [...found];
}
