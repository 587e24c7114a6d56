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

/** What the six cells show (text and tone), without their tooltips. */
export function cellTexts(match: RowMatch): CellContent[] {
  if (match.status !== 'matched') {
    const first: CellContent = match.status === 'ambiguous' ? { text: 'ambiguous', tone: 'warning' } : { text: '—', tone: 'muted' };
    return [first, ...Array.from({ length: 5 }, (): CellContent => ({ text: '—', tone: 'muted' }))];
  }
  const { current, previous } = match.key;
  const unpriced = current.unpricedRows > 0;
  const delta = change(costOf(current), costOf(previous));
  return [
    { text: compactNumber(current.inputTokens) },
    { text: compactNumber(current.cachedTokens) },
    { text: compactNumber(current.outputTokens) },
    { text: unpriced ? `${money(current.estimatedMicros)} *` : money(current.estimatedMicros), tone: unpriced ? 'warning' : undefined },
    current.billedMicros === null ? { text: '—', tone: 'muted' } : { text: money(current.billedMicros) },
    {
      text: delta.text,
      tone: delta.direction === 'up' || delta.direction === 'new' ? 'up' : delta.direction === 'down' ? 'down' : undefined,
    },
  ];
}

/**
 * The six cells' tooltips: the exact figures. Half the formatting of a row, and only read on
 * hover, so the columns write them after the text (lib/dom/key-columns).
 */
export function cellTitles(match: RowMatch): string[] {
  if (match.status !== 'matched') return Array.from({ length: 6 }, () => match.reason);
  const { current, previous } = match.key;
  return [
    `${exactNumber(current.inputTokens)} input tokens`,
    `${exactNumber(current.cachedTokens)} cached input tokens`,
    `${exactNumber(current.outputTokens)} output tokens`,
    current.unpricedRows > 0
      ? `${exactMoney(current.estimatedMicros)}; ${current.unpricedRows} usage rows have no known price and are not included (price unknown).`
      : exactMoney(current.estimatedMicros),
    current.billedMicros === null ? 'The Costs API reported no billed cost for this key in this range.' : exactMoney(current.billedMicros),
    `${exactMoney(costOf(current))} now vs ${exactMoney(costOf(previous))} in the previous period of the same length`,
  ];
}
