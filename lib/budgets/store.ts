import type { HistoryDB } from '../history/db';
import type { Budget } from './budgets';

/** Background only: the `budgets` table. */

export function listBudgets(db: HistoryDB): Promise<Budget[]> {
  return db.budgets.orderBy('id').toArray();
}

/**
 * Adds or changes a budget. A changed budget starts its alerts afresh: thresholds it had reached
 * under the old amount may alert again under the new one.
 */
export async function saveBudget(db: HistoryDB, budget: Budget): Promise<Budget> {
  await db.transaction('rw', db.budgets, db.alertsFired, async () => {
    const before = await db.budgets.get(budget.id);
    const changed = before && (before.monthlyMicros !== budget.monthlyMicros || before.thresholds.join() !== budget.thresholds.join());
    if (changed) await db.alertsFired.where('id').startsWith(`budget|${budget.id}|`).delete();
    await db.budgets.put(budget);
  });
  return budget;
}

/** Removes a budget; the alerts it raised stay in the log. */
export async function removeBudget(db: HistoryDB, id: string): Promise<void> {
  await db.budgets.delete(id);
}
