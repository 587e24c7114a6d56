import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  AMOUNT_PATTERN,
  type BudgetScope,
  type BudgetStatus,
  budgetDraftSchema,
  budgetLabel,
  DEFAULT_THRESHOLDS,
} from '@/lib/budgets/budgets';
import { sendMessage } from '@/lib/messaging';
import { parseMicros } from '@/lib/money';
import type { ReportKeyRow } from '@/lib/report/rows';
import type { MonthInsights, ReportOverview } from '@/lib/report/types';
import { type FormMessage, FormNote } from '../form-message';
import { monthName } from './forecast';
import { ConversionNote, useMoney } from './money';

/**
 * Monthly budgets per key, tag or project, with their use this month and projection. They are
 * alerts: OpenAI cannot cap a key's spend, so Keymeter can only notify (once per threshold per month).
 */

export function Budgets({
  month,
  rows,
  tags,
  projects,
}: {
  month: MonthInsights;
  rows: readonly ReportKeyRow[];
  tags: readonly string[];
  projects: ReportOverview['projects'];
}) {
  const queryClient = useQueryClient();
  const [message, setMessage] = useState<FormMessage | null>(null);
  const keyName = new Map(rows.map((r) => [`${r.orgId}|${r.apiKeyId}`, r.name]));
  const projectName = new Map(projects.map((p) => [`${p.orgId}|${p.projectId}`, p.name]));
  const names = {
    key: (o: string, k: string) => keyName.get(`${o}|${k}`) ?? k,
    project: (o: string, p: string) => projectName.get(`${o}|${p}`) ?? p,
  };
  const remove = useMutation({
    mutationFn: (id: string) => sendMessage('budgets:remove', { id }),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['report', 'month'] }),
    onError: (error) => setMessage({ tone: 'error', text: `Not removed: ${error.message}` }),
  });

  return (
    <section className="km-card" aria-labelledby="km-budgets-title" data-testid="budgets">
      <h2 id="km-budgets-title">Budgets · {monthName(month.period)}</h2>
      <p className="km-note" data-testid="budget-disclaimer">
        <strong>These are alerts, not limits.</strong> OpenAI offers no way to cap what an API key spends, so Keymeter cannot stop a key:
        after each sync it shows a browser notification when a budget reaches one of its thresholds (once per threshold per month).
      </p>
      <p className="km-muted km-small">Budgets are set in USD, as OpenAI bills; months are calendar months in UTC.</p>
      <ConversionNote />
      {month.budgets.length === 0 ? (
        <p className="km-muted">No budget yet.</p>
      ) : (
        <ul className="km-budget-list">
          {month.budgets.map((status) => (
            <BudgetRow
              key={status.budget.id}
              status={status}
              label={budgetLabel(status.budget, names)}
              onRemove={() => remove.mutate(status.budget.id)}
            />
          ))}
        </ul>
      )}
      <BudgetForm
        rows={rows}
        tags={tags}
        projects={projects}
        onSaved={(text) => setMessage({ tone: 'ok', text })}
        onError={(text) => setMessage({ tone: 'error', text })}
      />
      <FormNote message={message} />
      {month.alerts.length > 0 && (
        <details className="km-alert-log">
          <summary>Recent alerts ({month.alerts.length})</summary>
          <ul>
            {month.alerts.map((a) => (
              <li key={a.id}>
                {new Date(a.at).toISOString().slice(0, 16).replace('T', ' ')} UTC · <strong>{a.title}</strong>: {a.message}
                {a.notified ? '' : ' (no notification: turned off)'}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

function scopeText(scope: BudgetScope, label: string): string {
  return scope.kind === 'tag' ? `keys tagged “${scope.tag}”` : scope.kind === 'project' ? `keys of the project (${label})` : 'one key';
}

function BudgetRow({ status, label, onRemove }: { status: BudgetStatus; label: string; onRemove: () => void }) {
  const money = useMoney();
  const { budget, spentMicros, percent, reached, forecast } = status;
  const projectedPercent = (forecast.projectedMicros / budget.monthlyMicros) * 100;
  const tone = percent >= 100 ? 'over' : reached.length ? 'warn' : 'ok';
  return (
    <li className={`km-budget km-budget-${tone}`} data-testid="budget-row" data-budget-id={budget.id}>
      <div className="km-budget-head">
        <strong>{label}</strong>{' '}
        <span className="km-muted km-small">
          ({scopeText(budget.scope, label)}, {status.keyCount} key{status.keyCount === 1 ? '' : 's'})
        </span>
        <button type="button" className="km-link" onClick={onRemove} aria-label={`Remove budget ${label}`}>
          Remove
        </button>
      </div>
      <meter
        min={0}
        max={100}
        low={50}
        high={80}
        optimum={0}
        value={Math.min(percent, 100)}
        aria-label={`${label}: ${Math.round(percent)} % of the budget used`}
      />
      <div>
        {money.format(spentMicros)} of {money.format(budget.monthlyMicros)} ({Math.round(percent)} %) · alerts at{' '}
        {budget.thresholds.join(' / ')} %{reached.length ? ` · reached ${reached.join(', ')} %` : ''}
      </div>
      <div className="km-muted km-small">
        Month end likely {money.format(forecast.projectedMicros)} ({Math.round(projectedPercent)} % of the budget; range{' '}
        {money.format(forecast.lowMicros)} – {money.format(forecast.highMicros)}).
      </div>
    </li>
  );
}

function BudgetForm({
  rows,
  tags,
  projects,
  onSaved,
  onError,
}: {
  rows: readonly ReportKeyRow[];
  tags: readonly string[];
  projects: ReportOverview['projects'];
  onSaved: (text: string) => void;
  onError: (text: string) => void;
}) {
  const queryClient = useQueryClient();
  const ids = { kind: useId(), target: useId(), amount: useId(), thresholds: useId(), name: useId(), tags: useId() };
  const [kind, setKind] = useState<BudgetScope['kind']>('key');
  const [target, setTarget] = useState('');
  const [amount, setAmount] = useState('');
  const [thresholds, setThresholds] = useState(DEFAULT_THRESHOLDS.join(', '));
  const [name, setName] = useState('');
  const keys = rows.filter((r) => r.apiKeyId !== '' && !r.deleted);
  const save = useMutation({
    mutationFn: (input: Parameters<typeof sendMessage<'budgets:save'>>[1]) => sendMessage('budgets:save', input),
    onSuccess: () => {
      onSaved('Budget saved. Keymeter checks it after every sync.');
      setAmount('');
      setName('');
      void queryClient.invalidateQueries({ queryKey: ['report', 'month'] });
    },
    onError: (error) => onError(`Budget not saved: ${error.message}`),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    let scope: BudgetScope | null = null;
    if (kind === 'tag' && target.trim()) scope = { kind: 'tag', tag: target.trim() };
    if (kind === 'key' && target) {
      const [orgId, apiKeyId] = splitOnce(target);
      scope = { kind: 'key', orgId, apiKeyId };
    }
    if (kind === 'project' && target) {
      const [orgId, projectId] = splitOnce(target);
      scope = { kind: 'project', orgId, projectId };
    }
    if (!scope) return onError(`Choose the ${kind} the budget is for.`);
    if (!AMOUNT_PATTERN.test(amount.trim())) return onError('The monthly amount is a number of US dollars, e.g. 250 or 99.50.');
    const parsed = budgetDraftSchema.safeParse({
      name,
      scope,
      monthlyMicros: parseMicros(amount.trim()),
      thresholds: thresholds
        .split(/[,;\s]+/)
        .filter(Boolean)
        .map(Number),
    });
    if (!parsed.success) return onError(`Budget not saved: ${parsed.error.issues.map((i) => i.message).join('; ')}.`);
    save.mutate(parsed.data);
  }

  return (
    <form className="km-form km-budget-form" onSubmit={submit} aria-label="Add a budget">
      <label htmlFor={ids.kind}>Budget for</label>
      <select
        id={ids.kind}
        value={kind}
        onChange={(e) => {
          setKind(e.target.value as BudgetScope['kind']);
          setTarget('');
        }}
      >
        <option value="key">An API key</option>
        <option value="tag">A cost-center tag</option>
        <option value="project">A project</option>
      </select>
      <label htmlFor={ids.target}>{kind === 'key' ? 'Key' : kind === 'tag' ? 'Tag' : 'Project'}</label>
      {kind === 'tag' ? (
        <>
          <input id={ids.target} list={ids.tags} value={target} onChange={(e) => setTarget(e.target.value)} placeholder="support" />
          <datalist id={ids.tags}>
            {tags.map((t) => (
              <option key={t} value={t} />
            ))}
          </datalist>
        </>
      ) : (
        <select id={ids.target} value={target} onChange={(e) => setTarget(e.target.value)}>
          <option value="">Choose…</option>
          {kind === 'key'
            ? [...keys]
                .sort((a, b) => a.name.localeCompare(b.name))
                .map((r) => (
                  <option key={`${r.orgId}|${r.apiKeyId}`} value={`${r.orgId}|${r.apiKeyId}`}>
                    {r.name} ({r.redactedValue || r.apiKeyId}){r.orgLabel ? ` · ${r.orgLabel}` : ''}
                  </option>
                ))
            : projects.map((p) => (
                <option key={`${p.orgId}|${p.projectId}`} value={`${p.orgId}|${p.projectId}`}>
                  {p.name}
                </option>
              ))}
        </select>
      )}
      <label htmlFor={ids.amount}>Monthly budget (USD)</label>
      <input id={ids.amount} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder="250" />
      <label htmlFor={ids.thresholds}>Alert at (% of budget)</label>
      <input id={ids.thresholds} value={thresholds} onChange={(e) => setThresholds(e.target.value)} />
      <label htmlFor={ids.name}>Name (optional)</label>
      <input id={ids.name} value={name} onChange={(e) => setName(e.target.value)} />
      <button type="submit" disabled={save.isPending}>
        Add budget
      </button>
    </form>
  );
}

function splitOnce(value: string): [string, string] {
  const bar = value.indexOf('|');
  return [value.slice(0, bar), value.slice(bar + 1)];
}
