/** The bench's phases, for BENCH_ONLY (test/bench/run.ts). */
export const PHASES = ['sizes', 'sync', 'columns', 'history-db'] as const;
export type Phase = (typeof PHASES)[number];

/** The phases BENCH_ONLY names (comma-separated), or all of them when it is unset or empty. */
export function selectedPhases(only: string | undefined): Set<Phase> {
  const names = (only ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (names.length === 0) return new Set(PHASES);
  const unknown = names.filter((n) => !(PHASES as readonly string[]).includes(n));
  if (unknown.length > 0) throw new Error(`BENCH_ONLY: unknown phase ${unknown.join(', ')} (phases: ${PHASES.join(', ')})`);
  return new Set(names as Phase[]);
}
