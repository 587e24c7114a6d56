import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useState } from 'react';
import { sendMessage } from '@/lib/messaging';
import { type OverrideFormRow, parseFormRows, toFormRows } from '@/lib/pricing/override-form';
import { priceOverridesItem, priceOverridesSchema, readValid } from '@/lib/settings';
import { type FormMessage, FormNote } from './form-message';

const EMPTY_ROW: OverrideFormRow = { model: '', from: '', input: '', cached: '', output: '' };
const FIELDS: Array<{ field: keyof OverrideFormRow; label: string; type: string; placeholder: string }> = [
  { field: 'model', label: 'Model or prefix*', type: 'text', placeholder: 'gpt-4o-*' },
  { field: 'from', label: 'Effective from', type: 'date', placeholder: 'YYYY-MM-DD' },
  { field: 'input', label: 'Input $ / 1M', type: 'text', placeholder: '2.50' },
  { field: 'cached', label: 'Cached input $ / 1M', type: 'text', placeholder: 'as input' },
  { field: 'output', label: 'Output $ / 1M', type: 'text', placeholder: '10.00' },
];

/**
 * Negotiated prices per model (or model prefix ending in *), each from an effective day. Saved
 * overrides price rows synced afterwards; "Re-price history" applies them to stored rows.
 */
export function PriceOverridesEditor() {
  const queryClient = useQueryClient();
  const [rows, setRows] = useState<OverrideFormRow[] | null>(null);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void readValid(priceOverridesItem, priceOverridesSchema).then((overrides) => setRows(toFormRows(overrides)));
  }, []);

  if (!rows) return null;
  const update = (index: number, field: keyof OverrideFormRow, value: string) =>
    setRows(rows.map((row, i) => (i === index ? { ...row, [field]: value } : row)));

  function save(event: FormEvent) {
    event.preventDefault();
    const parsed = parseFormRows(rows ?? []);
    if (!parsed.ok) {
      setMessage({ tone: 'error', text: `Not saved: ${parsed.errors.join(' ')}` });
      return;
    }
    void priceOverridesItem.setValue(parsed.overrides).then(() => {
      setRows(toFormRows(parsed.overrides));
      setMessage({
        tone: 'ok',
        text: `${parsed.overrides.length} price override${parsed.overrides.length === 1 ? '' : 's'} saved. They apply to usage synced from now on; “Re-price history” applies them to the rows already stored.`,
      });
    });
  }

  async function reprice() {
    setBusy(true);
    try {
      const result = await sendMessage('history:reprice', undefined);
      const kept = result.kept
        ? ` ${result.kept} rows of audio or realtime models without an override keep their synced estimate (their audio token split is not stored).`
        : '';
      setMessage({ tone: 'ok', text: `Re-priced history: ${result.changed} of ${result.rows} estimated rows changed.${kept}` });
      void queryClient.invalidateQueries({ queryKey: ['usage'] });
      void queryClient.invalidateQueries({ queryKey: ['report'] });
    } catch (error) {
      setMessage({
        tone: 'error',
        text: `Keymeter could not re-price the history: ${error instanceof Error ? error.message : String(error)}`,
      });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="prices-heading" className="km-card">
      <h2 id="prices-heading">Pricing overrides</h2>
      <p className="km-muted">
        Negotiated prices in US dollars per million tokens, for a model or every model starting with a prefix (end it with *), from an
        effective day (UTC). They replace the list price in Keymeter's estimates; billed costs from OpenAI are unchanged. New overrides
        apply to rows synced after saving; “Re-price history” recomputes the estimate of the rows already stored from their tokens.
      </p>
      <form onSubmit={save}>
        <table className="km-settings-table" aria-label="Price overrides">
          <thead>
            <tr>
              {FIELDS.map((f) => (
                <th key={f.field} scope="col">
                  {f.label}
                </th>
              ))}
              <th scope="col">
                <span className="km-visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity until saved; the index is their place in the table.
              <tr key={i}>
                {FIELDS.map((f) => (
                  <td key={f.field}>
                    <input
                      type={f.type}
                      aria-label={`${f.label}, row ${i + 1}`}
                      value={row[f.field]}
                      placeholder={f.placeholder}
                      inputMode={f.field === 'model' || f.field === 'from' ? undefined : 'decimal'}
                      onChange={(e) => update(i, f.field, e.target.value)}
                    />
                  </td>
                ))}
                <td>
                  <button type="button" aria-label={`Remove row ${i + 1}`} onClick={() => setRows(rows.filter((_, j) => j !== i))}>
                    ✕
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        {rows.length === 0 && <p>No override: every estimate uses the list price.</p>}
        <div className="km-actions">
          <button type="button" onClick={() => setRows([...rows, { ...EMPTY_ROW }])}>
            Add override
          </button>
          <button type="submit">Save overrides</button>
          <button type="button" onClick={() => void reprice()} disabled={busy}>
            {busy ? 'Re-pricing…' : 'Re-price history'}
          </button>
        </div>
      </form>
      <FormNote message={message} />
    </section>
  );
}
