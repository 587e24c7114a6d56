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
  /** The tooltip, when `RowContent.titles` does not give it later. */
  title?: string;
  tone?: 'up' | 'down' | 'muted' | 'warning';
}

export interface RowContent {
  /** Changes whenever the row shows another key or other figures (React may reuse the element). */
  signature(rowIndex: number): string;
  /** Only called for rows whose signature changed: formatting is the costly part. */
  cells(rowIndex: number): CellContent[];
  /**
   * The cells' tooltips, when they are costly enough to write after the text: decorateTable then
   * returns one task per new row that writes them (see runWhenIdle). Rows the page re-used for
   * another key get theirs at once, so a tooltip never describes a key the row no longer shows.
   */
  titles?(rowIndex: number): string[];
}

/** Writes one row's tooltips, unless the row has since been removed or shows another key. */
export type TitleTask = () => void;

const GRID_TRACK = 'minmax(4.75rem, auto)';
const COL = 'data-keymeter-col';
const FOR = 'data-keymeter-for';

/** What the read pass learned about one body row, so the write pass never reads layout or style. */
interface RowPlan {
  element: Element;
  rowIndex: number;
  /** Our cells when they are all there, in order, after the page's own; else null (remove and re-add). */
  cells: HTMLElement[] | null;
  /** Our misplaced or incomplete cells, to remove. */
  stray: HTMLElement[];
  signature: string;
  /** The row already shows this signature: nothing to format or write. */
  current: boolean;
  /** The grid template to give the row (ARIA grids only), or null. */
  grid: string | null;
  template: Element | undefined;
}

/**
 * Two passes over the rows: first every read (our cells, signatures, grid templates: a style
 * read after a write would force a style recalculation per row), then every write. A new row's
 * cells are cloned from one prototype per cell class, filled while detached and appended at
 * once, so the page (and every MutationObserver on it) sees one insertion per row, not one per
 * cell, attribute and text (2,000 rows: npm run bench).
 */
export function decorateTable(
  table: DataTable,
  columns: readonly ColumnSpec[],
  content: RowContent,
  templateFrom: { header?: Element; cell?: Element } = {},
): TitleTask[] {
  const isTable = table.kind === 'table';
  const count = columns.length;
  const header = table.headerRow;

  // Reads.
  const headerGrid = header ? gridTemplate(header, count) : null;
  const plans = table.rows.map((row, rowIndex): RowPlan => {
    const own = ownCells(row.element, count);
    const signature = content.signature(rowIndex);
    return {
      element: row.element,
      rowIndex,
      ...own,
      signature,
      current: own.cells?.[0]?.getAttribute(FOR) === signature,
      grid: gridTemplate(row.element, count),
      template: templateFrom.cell ?? row.cells.at(-1),
    };
  });

  // Writes.
  if (header) {
    const own = ownCells(header, count);
    for (const cell of own.stray) cell.remove();
    const fragment = own.cells
      ? null
      : cellPrototype(isTable ? 'th' : 'div', isTable ? null : 'columnheader', templateFrom.header ?? table.headers.at(-1), count);
    const cells = own.cells ?? ([...fragment!.children] as HTMLElement[]);
    cells.forEach((cell, i) => {
      const column = columns[i]!;
      setText(cell, column.title);
      setAttr(cell, 'title', column.help);
      if (isTable) setAttr(cell, 'scope', 'col');
    });
    if (fragment) header.append(fragment);
    if (headerGrid !== null) setGrid(header, headerGrid);
  }
  const prototypes = new Map<string, DocumentFragment>();
  const prototypeFor = (template: Element | undefined) => {
    const key = template?.className ?? '';
    let fragment = prototypes.get(key);
    if (!fragment) {
      fragment = cellPrototype(isTable ? 'td' : 'div', isTable ? null : 'gridcell', template, count);
      prototypes.set(key, fragment);
    }
    return fragment;
  };
  const later = content.titles;
  const tasks: TitleTask[] = [];
  for (const plan of plans) {
    if (plan.grid !== null) setGrid(plan.element, plan.grid);
    if (plan.current) continue;
    const { signature, rowIndex } = plan;
    const values = content.cells(rowIndex);
    if (plan.cells) {
      // The page re-used the row for another key: rewrite our cells in place, tooltips included.
      const titles = later?.(rowIndex);
      plan.cells.forEach((cell, i) => {
        const c = values[i] ?? EMPTY;
        setText(cell, c.text);
        setAttr(cell, 'title', (titles ? titles[i] : c.title) || null);
        setAttr(cell, 'data-keymeter-tone', c.tone ?? null);
      });
      setAttr(plan.cells[0]!, FOR, signature);
      continue;
    }
    for (const cell of plan.stray) cell.remove();
    const fragment = prototypeFor(plan.template).cloneNode(true) as DocumentFragment;
    const cells: Element[] = [];
    for (let cell = fragment.firstElementChild; cell; cell = cell.nextElementSibling) {
      const c = values[cells.length] ?? EMPTY;
      cell.textContent = c.text;
      if (c.title && !later) cell.setAttribute('title', c.title);
      if (c.tone) cell.setAttribute('data-keymeter-tone', c.tone);
      cells.push(cell);
    }
    cells[0]!.setAttribute(FOR, signature);
    plan.element.appendChild(fragment); // appendChild: a little cheaper than append(…nodes)
    if (later) tasks.push(() => writeTitles(cells, signature, () => later(rowIndex)));
  }
  return tasks;
}

const EMPTY: CellContent = { text: '—' };

function writeTitles(cells: Element[], signature: string, titles: () => string[]): void {
  // Still the row's cells for the same key: they have had no tooltip yet.
  if (!cells[0]!.isConnected || cells[0]!.getAttribute(FOR) !== signature) return;
  titles().forEach((title, i) => {
    if (title) cells[i]?.setAttribute('title', title);
  });
}

/** Removes every Keymeter cell from a table (when the feature is switched off or aborted). */
export function undecorateTable(tableElement: Element): void {
  for (const cell of tableElement.querySelectorAll(`[${COL}]`)) cell.remove();
  for (const row of tableElement.querySelectorAll<HTMLElement>('[data-keymeter-grid]')) {
    row.style.gridTemplateColumns = row.getAttribute('data-keymeter-grid') ?? '';
    row.removeAttribute('data-keymeter-grid');
  }
}

/** Our cells in a row: in place when there are `count` of them after the page's last own cell. */
function ownCells(row: Element, count: number): { cells: HTMLElement[] | null; stray: HTMLElement[] } {
  const found: HTMLElement[] = [];
  let nativeAfterOurs = false;
  for (let child = row.firstElementChild; child; child = child.nextElementSibling) {
    if (child.hasAttribute(COL)) found.push(child as HTMLElement);
    else if (found.length > 0) nativeAfterOurs = true;
  }
  // Keep ours last: if the page appended a cell after them, they are re-added at the end.
  return found.length === count && !nativeAfterOurs ? { cells: found, stray: [] } : { cells: null, stray: found };
}

/**
 * `count` empty cells, detached, that borrow the template's classes. No text node: setting
 * textContent on an empty detached cell is cheaper from a content script's isolated world than
 * reaching a text node (each node touched there gets a wrapper of its own).
 */
function cellPrototype(tag: string, role: string | null, template: Element | undefined, count: number): DocumentFragment {
  const doc = template?.ownerDocument ?? document;
  const fragment = doc.createDocumentFragment();
  for (let i = 0; i < count; i++) {
    const cell = doc.createElement(tag);
    cell.className = `${template?.className ?? ''} keymeter-cell`.trim();
    if (role) cell.setAttribute('role', role);
    cell.setAttribute(COL, String(i));
    fragment.append(cell);
  }
  return fragment;
}

/**
 * ARIA-grid rows lay out with a grid template: the template that gives our cells tracks of
 * their own, or null for a row that is not a grid or already has them. Reads only.
 */
function gridTemplate(row: Element, count: number): string | null {
  // A <tr> lays out as a table row; reading its computed style would only force a style
  // recalculation of the table the page has just rendered.
  if (row.tagName === 'TR' || !(row instanceof HTMLElement)) return null;
  const inline = row.style.gridTemplateColumns;
  const ours = ` repeat(${count}, ${GRID_TRACK})`;
  if (inline) return inline.endsWith(ours) || inline.endsWith(ours.replace(', ', ',')) ? null : inline + ours;
  const style = row.ownerDocument.defaultView?.getComputedStyle(row);
  if (style?.display !== 'grid' && style?.display !== 'inline-grid') return null;
  return (style.gridTemplateColumns || '') + ours;
}

function setGrid(row: Element, template: string): void {
  const style = (row as HTMLElement).style;
  row.setAttribute('data-keymeter-grid', style.gridTemplateColumns);
  style.gridTemplateColumns = template;
}

function setText(el: Element, text: string) {
  if (el.textContent !== text) el.textContent = text;
}

function setAttr(el: Element, name: string, value: string | null) {
  if (value === null) {
    if (el.hasAttribute(name)) el.removeAttribute(name);
  } else if (el.getAttribute(name) !== value) el.setAttribute(name, value);
}
