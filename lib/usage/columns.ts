import type { CellContent, ColumnSpec } from '../dom/key-columns';
import { change, compactNumber, exactMoney, exactNumber, money } from '../format';
import type { KeyTotals } from '../history/queries';
import { PRICE_DATA } from '../pricing/source';
import type { RowMatch } from './match';

/** Keymeter's columns in "Top API keys", with the header tooltip that says what each one means. */
export function keyColumns(rangeText: string): ColumnSpec[] {
  const basis = `Range: ${rangeText} (UTC).`;
  return [
    {
      id: 'input',
      title: 'Input tokens',
      help: `Input tokens, cached included (completions, embeddings, moderations), from the Admin Usage API. ${basis}`,
    },
    { id: 'cached', title: 'Cached', help: `Input tokens served from the prompt cache (billed at the cached rate). ${basis}` },
    { id: 'output', title: 'Output tokens', help: `Output tokens (completions). ${basis}` },
    {
      id: 'estimated',
      title: 'Est. cost',
      help: `Estimated: tokens × the price in force on each day (${PRICE_DATA.source} ${PRICE_DATA.version}; batch at 50 %, flex 50 %, priority 200 %; your overrides first). Images, audio and tools are not estimated: see Billed. ${basis}`,
    },
    {
      id: 'billed',
      title: 'Billed',
      help: `Billed: what the Costs API charged to this key, all line items. It reconciles with your invoice. ${basis}`,
    },
    {
      id: 'change',
      title: 'vs prev.',
      help: `Change in cost against the previous period of the same length (billed where known, else estimated). ${basis}`,
    },
  ];
}

const costOf = (t: KeyTotals) => t.billedMicros ?? t.estimatedMicros;

function count(value: number, what: string): CellContent {
  return { text: compactNumber(value), title: `${exactNumber(value)} ${what}` };
}

/** The six cells of one row, for a matched, ambiguous or unmatched row. */
export function cellsFor(match: RowMatch): CellContent[] {
  if (match.status !== 'matched') {
    const first: CellContent = {
      text: match.status === 'ambiguous' ? 'ambiguous' : '—',
      title: match.reason,
      tone: match.status === 'ambiguous' ? 'warning' : 'muted',
    };
    return [first, ...Array.from({ length: 5 }, (): CellContent => ({ text: '—', title: match.reason, tone: 'muted' }))];
  }
  const { current, previous } = match.key;
  const estimated: CellContent = {
    text: money(current.estimatedMicros),
    title:
      current.unpricedRows > 0
        ? `${exactMoney(current.estimatedMicros)}; ${current.unpricedRows} usage rows have no known price and are not included (price unknown).`
        : exactMoney(current.estimatedMicros),
    tone: current.unpricedRows > 0 ? 'warning' : undefined,
  };
  if (current.unpricedRows > 0) estimated.text += ' *';
  const billed: CellContent =
    current.billedMicros === null
      ? { text: '—', title: 'The Costs API reported no billed cost for this key in this range.', tone: 'muted' }
      : { text: money(current.billedMicros), title: exactMoney(current.billedMicros) };
  const delta = change(costOf(current), costOf(previous));
  return [
    count(current.inputTokens, 'input tokens'),
    count(current.cachedTokens, 'cached input tokens'),
    count(current.outputTokens, 'output tokens'),
    estimated,
    billed,
    {
      text: delta.text,
      title: `${exactMoney(costOf(current))} now vs ${exactMoney(costOf(previous))} in the previous period of the same length`,
      tone: delta.direction === 'up' || delta.direction === 'new' ? 'up' : delta.direction === 'down' ? 'down' : undefined,
    },
  ];
}
