/** Formatting for the bench table. */

export interface GoalLine {
  id: string;
  label: string;
  /** The figure as printed. */
  result: string;
  goal: string;
  /** null: no goal (informational). */
  met: boolean | null;
  value: number | null;
  unit: string;
}

export const ms = (value: number) =>
  Number.isFinite(value) ? `${value < 100 ? value.toFixed(1) : Math.round(value).toLocaleString('en-US')} ms` : 'n/a';
export const int = (value: number) => Math.round(value).toLocaleString('en-US');
export const ratio = (value: number) => (Number.isFinite(value) ? `${value < 10 ? value.toFixed(2) : value.toFixed(1)}×` : 'n/a');
export const mark = (met: boolean | null) => (met === null ? ' ' : met ? '✓' : '✗');

export function table(headers: string[], rows: string[][], align: Array<'l' | 'r'> = []): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const cell = (text: string, i: number) => (align[i] === 'r' ? text.padStart(widths[i]!) : text.padEnd(widths[i]!));
  const line = (cells: string[]) => cells.map(cell).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
