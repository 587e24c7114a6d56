/**
 * One data-table abstraction, three DOMs:
 * - '2024' and 'compact': a real <table><thead><tr><th> … <tbody><tr><td>;
 * - '2026': ARIA grid of divs (role=grid/rowgroup/row/columnheader/gridcell) laid out with CSS grid.
 * How re-renders behave differs on purpose (like different React trees): in '2024' the <table> and
 * its <thead> survive and only the <tbody> is replaced; in '2026' and 'compact' the whole table is
 * replaced. Either way every data row is a new element after each render.
 */

import type { Layout } from '../types';
import { cls, h, icon } from './dom';

export interface Column<R> {
  id: string;
  label: string;
  numeric?: boolean;
  sortable?: boolean;
  /** CSS grid track for the 2026 layout (default 1fr). */
  track?: string;
  /** Header shown only to assistive tech (the actions column). */
  srOnlyLabel?: boolean;
  cell: (row: R) => Node | string;
}

export interface Sort {
  column: string;
  dir: 'ascending' | 'descending';
}

export interface TableSpec<R> {
  layout: Layout;
  label: string;
  columns: Column<R>[];
  /** null = still loading: render skeleton rows. */
  rows: R[] | null;
  empty: string;
  sort?: Sort | null;
  onSort?: (column: string) => void;
}

const SKELETON_ROWS = 4;

/** Renders into `container`, reusing what the layout's React tree would keep. */
export function renderTable<R>(container: HTMLElement, spec: TableSpec<R>): void {
  if (spec.layout === '2026') {
    container.replaceChildren(renderGrid(spec));
    return;
  }
  const existing = container.querySelector(':scope > table');
  if (spec.layout === '2024' && existing instanceof HTMLTableElement && existing.tHead && existing.tBodies[0]) {
    updateHeaderSort(existing.tHead, spec);
    existing.tBodies[0].replaceWith(renderTbody(spec));
    return;
  }
  // 'compact' tables are named by their <section aria-labelledby>, not by an aria-label.
  container.replaceChildren(
    h(
      'table',
      { class: cls('Table.root'), 'aria-label': spec.layout === 'compact' ? null : spec.label },
      renderThead(spec),
      renderTbody(spec),
    ),
  );
}

/** th elements per kept thead, by column id (an extension may insert its own th between them). */
const headerCells = new WeakMap<HTMLTableSectionElement, Map<string, HTMLTableCellElement>>();

function sortIcon<R>(spec: TableSpec<R>, column: string): SVGSVGElement {
  if (spec.sort?.column !== column) return icon('sort', cls('Table.sortIcon'));
  return icon(spec.sort.dir === 'ascending' ? 'up' : 'down', cls('Table.sortIcon'));
}

function headerContent<R>(spec: TableSpec<R>, col: Column<R>): Node | string {
  if (col.srOnlyLabel) return h('span', { class: cls('Util.srOnly') }, col.label);
  if (!col.sortable || !spec.onSort) return col.label;
  const onSort = spec.onSort;
  return h('button', { type: 'button', class: cls('Table.sortButton'), onclick: () => onSort(col.id) }, col.label, sortIcon(spec, col.id));
}

function renderThead<R>(spec: TableSpec<R>): HTMLTableSectionElement {
  const cells = new Map<string, HTMLTableCellElement>();
  const thead = h(
    'thead',
    { class: cls('Table.head') },
    h(
      'tr',
      null,
      spec.columns.map((col) => {
        const th = h(
          'th',
          {
            scope: 'col',
            class: cls('Table.headerCell', col.numeric && 'Table.num'),
            'aria-sort': spec.sort?.column === col.id ? spec.sort.dir : col.sortable ? 'none' : null,
          },
          headerContent(spec, col),
        );
        cells.set(col.id, th);
        return th;
      }),
    ),
  );
  headerCells.set(thead, cells);
  return thead;
}

/** Keep the 2024 thead element (and anything an extension added to it); refresh sort state only. */
function updateHeaderSort<R>(thead: HTMLTableSectionElement, spec: TableSpec<R>): void {
  const cells = headerCells.get(thead);
  for (const col of spec.columns) {
    const th = cells?.get(col.id);
    if (!th || !col.sortable) continue;
    th.setAttribute('aria-sort', spec.sort?.column === col.id ? spec.sort.dir : 'none');
    const button = th.querySelector('button');
    const old = button?.querySelector('svg');
    if (old) old.replaceWith(sortIcon(spec, col.id));
  }
}

function renderTbody<R>(spec: TableSpec<R>): HTMLTableSectionElement {
  const tbody = h('tbody', { class: cls('Table.body') });
  if (spec.rows === null) {
    tbody.setAttribute('aria-busy', 'true');
    for (let i = 0; i < SKELETON_ROWS; i++) {
      tbody.appendChild(
        h(
          'tr',
          { class: cls('Table.row', 'Skeleton.row') },
          spec.columns.map(() => h('td', { class: cls('Table.cell') }, h('div', { class: cls('Skeleton.bar') }))),
        ),
      );
    }
  } else if (spec.rows.length === 0) {
    tbody.appendChild(h('tr', null, h('td', { colspan: spec.columns.length, class: cls('Table.empty') }, spec.empty)));
  } else {
    for (const row of spec.rows) {
      tbody.appendChild(
        h(
          'tr',
          { class: cls('Table.row') },
          spec.columns.map((col) => h('td', { class: cls('Table.cell', col.numeric && 'Table.num') }, col.cell(row))),
        ),
      );
    }
  }
  return tbody;
}

function renderGrid<R>(spec: TableSpec<R>): HTMLElement {
  const template = spec.columns.map((c) => c.track ?? 'minmax(0, 1fr)').join(' ');
  const rowStyle = `grid-template-columns: ${template}`;
  const headRow = h(
    'div',
    { role: 'row', class: cls('Grid.headRow'), style: rowStyle },
    spec.columns.map((col) =>
      h(
        'div',
        {
          role: 'columnheader',
          class: cls('Grid.columnHeader', col.numeric && 'Grid.num'),
          'aria-sort': spec.sort?.column === col.id ? spec.sort.dir : col.sortable ? 'none' : null,
        },
        headerContent(spec, col),
      ),
    ),
  );
  const bodyRows: HTMLElement[] = [];
  if (spec.rows === null) {
    for (let i = 0; i < SKELETON_ROWS; i++) {
      bodyRows.push(
        h(
          'div',
          { role: 'row', class: cls('Grid.row'), style: rowStyle },
          spec.columns.map(() => h('div', { role: 'gridcell', class: cls('Grid.cell') }, h('div', { class: cls('Skeleton.bar') }))),
        ),
      );
    }
  } else if (spec.rows.length === 0) {
    bodyRows.push(
      h(
        'div',
        { role: 'row', class: cls('Grid.row') },
        h('div', { role: 'gridcell', class: cls('Grid.empty'), 'aria-colspan': spec.columns.length }, spec.empty),
      ),
    );
  } else {
    spec.rows.forEach((row, i) => {
      bodyRows.push(
        h(
          'div',
          { role: 'row', 'aria-rowindex': i + 2, class: cls('Grid.row'), style: rowStyle },
          spec.columns.map((col) => h('div', { role: 'gridcell', class: cls('Grid.cell', col.numeric && 'Grid.num') }, col.cell(row))),
        ),
      );
    });
  }
  return h(
    'div',
    {
      role: 'grid',
      'aria-label': spec.label,
      'aria-busy': spec.rows === null ? 'true' : null,
      'aria-rowcount': spec.rows ? spec.rows.length + 1 : null,
      'aria-colcount': spec.columns.length,
      class: cls('Grid.root'),
    },
    h('div', { role: 'rowgroup', class: cls('Grid.head') }, headRow),
    h('div', { role: 'rowgroup', class: cls('Grid.body') }, bodyRows),
  );
}

/** Sorts a copy by the column's value getter. */
export function sortRows<R>(rows: R[], sort: Sort | null | undefined, value: (row: R, column: string) => string | number): R[] {
  if (!sort) return rows;
  const factor = sort.dir === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = value(a, sort.column);
    const vb = value(b, sort.column);
    if (typeof va === 'number' && typeof vb === 'number') return (va - vb) * factor;
    return String(va).localeCompare(String(vb)) * factor;
  });
}
