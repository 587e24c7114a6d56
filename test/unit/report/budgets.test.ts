import { describe, expect, it } from 'vitest';
import {
  type Budget,
  type BudgetMember,
  budgetAlertId,
  budgetAlerts,
  budgetLabel,
  budgetSchema,
  budgetStatuses,
  DEFAULT_THRESHOLDS,
  inScope,
} from '@/lib/budgets/budgets';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const USD = 1_000_000;

const budget = (partial: Partial<Budget> = {}): Budget => ({
  id: 'b1',
  name: 'Support',
  scope: { kind: 'key', orgId: 'o1', apiKeyId: 'k1' },
  monthlyMicros: 100 * USD,
  thresholds: [...DEFAULT_THRESHOLDS],
  createdAt: 0,
  ...partial,
});

const members = new Map<string, BudgetMember>([
  ['o1|k1', { orgId: 'o1', apiKeyId: 'k1', projectId: 'p1', tags: ['support', 'cc-1'] }],
  ['o1|k2', { orgId: 'o1', apiKeyId: 'k2', projectId: 'p1', tags: ['Support'] }],
  ['o1|k3', { orgId: 'o1', apiKeyId: 'k3', projectId: 'p2', tags: [] }],
  ['o2|k4', { orgId: 'o2', apiKeyId: 'k4', projectId: 'p1', tags: ['support'] }],
]);

describe('budget scope', () => {
  it.each([
    [{ kind: 'key', orgId: 'o1', apiKeyId: 'k1' }, ['o1|k1']],
    [{ kind: 'project', orgId: 'o1', projectId: 'p1' }, ['o1|k1', 'o1|k2']],
    // A tag spans organisations and ignores case.
    [{ kind: 'tag', tag: 'support' }, ['o1|k1', 'o1|k2', 'o2|k4']],
    [{ kind: 'tag', tag: 'nobody' }, []],
  ] as const)('%o covers %o', (scope, expected) => {
    expect([...members].filter(([, m]) => inScope(scope, m)).map(([ref]) => ref)).toEqual(expected);
  });

  it('validates budgets: positive amount, thresholds sorted and unique', () => {
    expect(budgetSchema.parse(budget({ thresholds: [100, 50, 80, 50] })).thresholds).toEqual([50, 80, 100]);
    expect(budgetSchema.safeParse(budget({ monthlyMicros: 0 })).success).toBe(false);
    expect(budgetSchema.safeParse(budget({ thresholds: [] })).success).toBe(false);
    expect(budgetSchema.safeParse(budget({ thresholds: [0] })).success).toBe(false);
  });

  it('labels a budget by its name, else by what it covers', () => {
    expect(budgetLabel(budget())).toBe('Support');
    expect(budgetLabel(budget({ name: '' }), { key: () => 'support-bot' })).toBe('Key support-bot');
    expect(budgetLabel(budget({ name: '', scope: { kind: 'tag', tag: 'cc-1' } }))).toBe('Tag cc-1');
  });
});

describe('budgetStatuses', () => {
  it('sums the month so far of the keys in scope, and says which thresholds are reached', () => {
    const daily = new Map([
      [
        'o1|k1',
        new Map([
          [day('2026-06-01'), 30 * USD],
          [day('2026-06-02'), 25 * USD],
          [day('2026-05-31'), 500 * USD],
        ]),
      ],
      ['o1|k2', new Map([[day('2026-06-02'), 30 * USD]])],
      ['o1|k3', new Map([[day('2026-06-02'), 999 * USD]])],
    ]);
    const [byKey, byProject, byTag] = budgetStatuses(
      [
        budget(),
        budget({ id: 'b2', scope: { kind: 'project', orgId: 'o1', projectId: 'p1' } }),
        budget({ id: 'b3', scope: { kind: 'tag', tag: 'cc-1' } }),
      ],
      members,
      daily,
      { now: day('2026-06-02') + 3600, knownFrom: day('2026-05-01') },
    );
    expect(byKey).toMatchObject({ period: '2026-06', spentMicros: 55 * USD, reached: [50], keyCount: 1 });
    expect(byProject).toMatchObject({ spentMicros: 85 * USD, reached: [50, 80], keyCount: 2 });
    expect(byTag).toMatchObject({ spentMicros: 55 * USD, reached: [50] });
    expect(byProject!.percent).toBeCloseTo(85);
    // May's spend is not this month's.
    expect(byKey!.forecast.projectedMicros).toBeGreaterThan(byKey!.spentMicros);
  });

  it('reaches a threshold exactly at it', () => {
    const daily = new Map([['o1|k1', new Map([[day('2026-06-01'), 80 * USD]])]]);
    const [status] = budgetStatuses([budget()], members, daily, { now: day('2026-06-01') + 10, knownFrom: day('2026-06-01') });
    expect(status!.reached).toEqual([50, 80]);
  });
});

describe('budgetAlerts: one notification per threshold per period', () => {
  // Spend of key k1 through a June and into July, checked after each "sync"; the fired set persists.
  const steps: Array<{ at: string; spentThisMonth: number; notify: number | null; newly: number[] }> = [
    { at: '2026-06-03', spentThisMonth: 40, notify: null, newly: [] },
    { at: '2026-06-04', spentThisMonth: 55, notify: 50, newly: [50] },
    { at: '2026-06-04', spentThisMonth: 55, notify: null, newly: [] }, // a second sync the same day
    { at: '2026-06-05', spentThisMonth: 60, notify: null, newly: [] },
    { at: '2026-06-10', spentThisMonth: 95, notify: 80, newly: [80] },
    { at: '2026-06-20', spentThisMonth: 130, notify: 100, newly: [100] },
    { at: '2026-06-28', spentThisMonth: 150, notify: null, newly: [] },
    { at: '2026-07-01', spentThisMonth: 10, notify: null, newly: [] }, // a new month starts quiet…
    { at: '2026-07-09', spentThisMonth: 85, notify: 80, newly: [50, 80] }, // …and one sync jumps two thresholds: one notification
    { at: '2026-07-10', spentThisMonth: 86, notify: null, newly: [] },
  ];

  it('fires each threshold once per month, the highest when several are passed at once', () => {
    const fired = new Set<string>();
    const seen: Array<{ notify: number | null; newly: number[] }> = [];
    for (const step of steps) {
      const daily = new Map([['o1|k1', new Map([[day(step.at), step.spentThisMonth * USD]])]]);
      const statuses = budgetStatuses([budget()], members, daily, { now: day(step.at) + 3600, knownFrom: day('2026-06-01') });
      const alerts = budgetAlerts(statuses, fired);
      expect(alerts.length).toBeLessThanOrEqual(1);
      for (const alert of alerts) for (const id of alert.ids) fired.add(id);
      seen.push({ notify: alerts[0]?.threshold ?? null, newly: alerts[0]?.newly ?? [] });
    }
    expect(seen).toEqual(steps.map(({ notify, newly }) => ({ notify, newly })));
    expect([...fired].sort()).toEqual(
      [
        budgetAlertId('b1', '2026-06', 50),
        budgetAlertId('b1', '2026-06', 80),
        budgetAlertId('b1', '2026-06', 100),
        budgetAlertId('b1', '2026-07', 50),
        budgetAlertId('b1', '2026-07', 80),
      ].sort(),
    );
  });
});
