import { clickable, dataTable, NEXT_PAGE, PAGER_TEXT, PREVIOUS_PAGE } from '../openai/selectors';
import { accessibleName, isDisabled, isVisible, spacedText } from './rows';

/**
 * The keys table's pager: Previous / "Page 2 of 2" / Next, looked for next to the table (in the
 * nearest enclosing container that holds a Next control outside the table, at most a few levels
 * up). Nothing else on the page is ever taken for pagination.
 */
export interface Pager {
  element: Element;
  next: HTMLElement | null;
  previous: HTMLElement | null;
  /** From "Page X of Y"; null when the pager shows no such text. */
  current: number | null;
  total: number | null;
}

const MAX_LEVELS = 4;

function pagerButtons(container: Element, table: Element, pattern: RegExp): HTMLElement[] {
  return [...container.querySelectorAll<HTMLElement>(clickable)].filter(
    (b) => !table.contains(b) && b.closest(dataTable) === null && isVisible(b) && pattern.test(accessibleName(b)),
  );
}

export function findPager(table: Element): Pager | null {
  let container: Element | null = table.parentElement;
  for (let level = 0; container && level < MAX_LEVELS; level++, container = container.parentElement) {
    const nexts = pagerButtons(container, table, NEXT_PAGE);
    if (nexts.length === 0) continue;
    if (nexts.length > 1) return null; // two candidates: not sure which one pages this table
    const next = nexts[0]!;
    // The pager: the smallest ancestor of Next (inside `container`) that also holds Previous or the page text.
    let element: Element = next.parentElement ?? container;
    while (element !== container && !PAGER_TEXT.test(spacedText(element)) && pagerButtons(element, table, PREVIOUS_PAGE).length === 0)
      element = element.parentElement ?? container;
    const previous = pagerButtons(element, table, PREVIOUS_PAGE)[0] ?? null;
    const match = PAGER_TEXT.exec(spacedText(element));
    return {
      element,
      next,
      previous,
      current: match ? Number(match[1]) : null,
      total: match ? Number(match[2]) : null,
    };
  }
  return null;
}

export function canGo(button: HTMLElement | null): button is HTMLElement {
  return button !== null && !isDisabled(button);
}

/**
 * How many pages the keys table has: 1 without a pager; the pager's total; or null when there is a
 * Next control but no "Page X of Y" (walkable, page count unknown up front).
 */
export function pageCount(pager: Pager | null): number | null {
  if (!pager) return 1;
  return pager.total;
}
