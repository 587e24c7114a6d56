import type { DataTable } from '../openai/data-table';

/**
 * Adds Keymeter's columns to a dashboard table, idempotently: run it as often as the page
 * re-renders and it adds each cell once, rewrites only what changed, and leaves the page's
 * own cells alone. Cells are plain elements (a table cell cannot host a shadow root) that
 * borrow the classes of the page's numeric column so they look native, plus a keymeter- class.
 */

export interface ColumnSpec {
  id: string;
  title: string;
  help: string;
}

export interface CellContent {
  text: string;
  title: string;
  tone?: 'up' | 'down' | 'muted' | 'warning';
}

export interface RowContent {
  /** Changes whenever the row shows another key or other figures (React may reuse the element). */
  signature(rowIndex: number): string;
  /** Only called for rows whose signature changed: formatting is the costly part. */
  cells(rowIndex: number): CellContent[];
}

const GRID_TRACK = 'minmax(4.75rem, auto)';

export function decorateTable(
  table: DataTable,
  columns: readonly ColumnSpec[],
  content: RowContent,
  templateFrom: { header?: Element; cell?: Element } = {},
): void {
  const isTable = table.kind === 'table';
  const header = table.headerRow;
  // Which rows lay out as a grid, read for all rows at once: one style read after each row's
  // writes would force a style recalculation per row (2,000 rows: npm run bench).
  let grids: Set<Element> | undefined;
  const isGrid = (row: Element) => {
    grids ??= new Set([header, ...table.rows.map((r) => r.element)].filter((r): r is Element => r !== null && laysOutAsGrid(r)));
    return grids.has(row);
  };
  if (header) {
    ensureCells(
      header,
      columns.length,
      () => makeCell(isTable ? 'th' : 'div', isTable ? null : 'columnheader', templateFrom.header ?? table.headers.at(-1)),
      (cell, i) => {
        const column = columns[i]!;
        setText(cell, column.title);
        setAttr(cell, 'title', column.help);
        if (isTable) setAttr(cell, 'scope', 'col');
      },
    );
    extendGrid(header, columns.length, isGrid(header));
  }
  table.rows.forEach((row, rowIndex) => {
    const template = templateFrom.cell ?? row.cells.at(-1);
    const cells = ensureCells(
      row.element,
      columns.length,
      () => makeCell(isTable ? 'td' : 'div', isTable ? null : 'gridcell', template),
      () => {},
    );
    extendGrid(row.element, columns.length, isGrid(row.element));
    const signature = content.signature(rowIndex);
    if (cells[0]?.getAttribute('data-keymeter-for') === signature) return;
    const values = content.cells(rowIndex);
    cells.forEach((cell, i) => {
      const c = values[i] ?? { text: '—', title: '' };
      setText(cell, c.text);
      setAttr(cell, 'title', c.title);
      setAttr(cell, 'data-keymeter-tone', c.tone ?? null);
    });
    setAttr(cells[0]!, 'data-keymeter-for', signature);
  });
}

/** Removes every Keymeter cell from a table (when the feature is switched off or aborted). */
export function undecorateTable(tableElement: Element): void {
  for (const cell of tableElement.querySelectorAll('[data-keymeter-col]')) cell.remove();
  for (const row of tableElement.querySelectorAll<HTMLElement>('[data-keymeter-grid]')) {
    row.style.gridTemplateColumns = row.getAttribute('data-keymeter-grid') ?? '';
    row.removeAttribute('data-keymeter-grid');
  }
}

function ensureCells(
  row: Element,
  count: number,
  make: () => HTMLElement,
  init: (cell: HTMLElement, index: number) => void,
): HTMLElement[] {
  const existing = [...row.children].filter((c): c is HTMLElement => c.hasAttribute('data-keymeter-col'));
  // Keep ours last: if the page appended a cell after them, move them back to the end.
  const lastNative = [...row.children].filter((c) => !c.hasAttribute('data-keymeter-col')).at(-1);
  if (
    existing.length === count &&
    (!lastNative || existing.every((c) => lastNative.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING))
  ) {
    existing.forEach(init);
    return existing;
  }
  for (const cell of existing) cell.remove();
  const fragment = row.ownerDocument.createDocumentFragment();
  const created: HTMLElement[] = [];
  for (let i = 0; i < count; i++) {
    const cell = make();
    cell.setAttribute('data-keymeter-col', String(i));
    init(cell, i);
    created.push(cell);
    fragment.append(cell);
  }
  row.append(fragment);
  return created;
}

function makeCell(tag: string, role: string | null, template: Element | undefined): HTMLElement {
  const cell = (template?.ownerDocument ?? document).createElement(tag);
  cell.className = `${template?.className ?? ''} keymeter-cell`.trim();
  if (role) cell.setAttribute('role', role);
  return cell;
}

function laysOutAsGrid(row: Element): boolean {
  if (!(row instanceof HTMLElement)) return false;
  if (row.style.gridTemplateColumns) return true;
  // A <tr> lays out as a table row; reading its computed style would only force a style
  // recalculation of the table the page has just rendered.
  if (row instanceof HTMLTableRowElement) return false;
  const display = row.ownerDocument.defaultView?.getComputedStyle(row).display;
  return display === 'grid' || display === 'inline-grid';
}

/** ARIA-grid rows lay out with an inline grid template: give our cells tracks of their own. */
function extendGrid(row: Element, count: number, isGrid: boolean): void {
  if (!(row instanceof HTMLElement) || !isGrid) return;
  const inline = row.style.gridTemplateColumns;
  const ours = ` repeat(${count}, ${GRID_TRACK})`;
  if (inline.endsWith(ours) || inline.endsWith(ours.replace(', ', ','))) return;
  const base = inline || row.ownerDocument.defaultView?.getComputedStyle(row).gridTemplateColumns || '';
  row.setAttribute('data-keymeter-grid', inline);
  row.style.gridTemplateColumns = base + ours;
}

function setText(el: Element, text: string) {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el: Element, name: string, value: string | null) {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
