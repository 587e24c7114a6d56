import { columnIndex, type DataTable, findCardsByTitle, findTablesByTitle, normaliseText, readDataTable } from './data-table';
import { dataTable, REDACTED_KEY, TOP_API_KEYS, UNTRACKED_LABEL } from './selectors';

/** One row of "Top API keys" as the dashboard shows it. */
export interface TopKeyRow {
  element: Element;
  label: string;
  /** Last four characters of the redacted key, when the layout shows it. */
  suffix: string;
  /** The redacted key as shown, e.g. "sk-proj-…7AoP", or ''. */
  redacted: string;
  project: string;
  requests: number | null;
  untracked: boolean;
}

export interface TopKeysView {
  table: DataTable;
  rows: TopKeyRow[];
  hasKeyColumn: boolean;
  hasProjectColumn: boolean;
}

export class ViewNotUnderstoodError extends Error {
  override name = 'ViewNotUnderstoodError';
}

export function findTopApiKeysTables(root: ParentNode = document): Element[] {
  return findTablesByTitle(root, TOP_API_KEYS);
}

/** The card holding "Top API keys" (the panel is mounted after it), with its heading. */
export function findTopApiKeysCard(root: ParentNode = document): { heading: Element; card: Element } | undefined {
  return findCardsByTitle(root, TOP_API_KEYS)[0];
}

/**
 * Whether a card found earlier is still in the page, under its "Top API keys" heading and
 * holding a table: much cheaper than finding it again, a query over the whole document (2,000
 * rows and Keymeter's 12,000 cells) on every batch of changes.
 */
export function isStillTopApiKeysCard({ heading: head, card }: { heading: Element; card: Element }): boolean {
  return (
    card.isConnected && card.contains(head) && TOP_API_KEYS.test(normaliseText(head.textContent)) && card.querySelector(dataTable) !== null
  );
}

/** Reads the view; throws ViewNotUnderstoodError when it has no recognisable name column. */
export function readTopKeysView(tableElement: Element): TopKeysView {
  const table = readDataTable(tableElement);
  const nameAt = columnIndex(table, /^(name|api key|key name)$/i);
  if (nameAt < 0)
    throw new ViewNotUnderstoodError(
      `"Top API keys" has no Name column (headers: ${table.headers.map((h) => normaliseText(h.textContent)).join(', ') || 'none'})`,
    );
  const keyAt = columnIndex(table, /^(key|secret key|api key id)$/i);
  const projectAt = columnIndex(table, /^project$/i);
  const requestsAt = columnIndex(table, /^requests$/i);
  const rows = table.rows.map(({ element, cells }): TopKeyRow => {
    const text = (i: number) => (i >= 0 ? normaliseText(cells[i]?.textContent) : '');
    const label = text(nameAt);
    const keyText = keyAt >= 0 ? text(keyAt) : normaliseText(element.textContent);
    const match = REDACTED_KEY.exec(keyText);
    const requests = text(requestsAt);
    return {
      element,
      label,
      suffix: match?.[1] ?? '',
      redacted: match?.[0] ?? '',
      project: text(projectAt),
      requests: requests !== '' ? Number(requests.replace(/[^\d]/g, '')) : null,
      untracked: UNTRACKED_LABEL.test(label) && !match,
    };
  });
  return { table, rows, hasKeyColumn: keyAt >= 0, hasProjectColumn: projectAt >= 0 };
}
