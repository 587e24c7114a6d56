import { isoDay, lastDayOf } from './aggregate';
import type { ExportFormat, ExportGrouping, ExportOrg } from './types';

/** "Acme Robotics (prod)" → "acme-robotics-prod"; accents folded, anything else dropped, at most 40 characters. */
export function slugify(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, 40)
    .replace(/-+$/, '');
}

/** keymeter_<org>_<from>_<to>_<grouping>.<ext>, dates as UTC days with an inclusive end. */
export function exportFilename(
  orgs: readonly Pick<ExportOrg, 'label'>[],
  range: { from: number; to: number },
  grouping: ExportGrouping,
  format: ExportFormat,
): string {
  const org = orgs.length === 1 ? slugify(orgs[0]!.label) || 'org' : 'all-orgs';
  return `keymeter_${org}_${isoDay(range.from)}_${lastDayOf(range.to)}_${grouping}.${format}`;
}
