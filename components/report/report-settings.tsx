import { type FormEvent, useId, useState } from 'react';
import { convertedCurrencySchema, type DisplayCurrency, isConverted } from '@/lib/currency';
import {
  type AlertSettings,
  alertSettingsItem,
  alertSettingsSchema,
  displayCurrencyItem,
  displayCurrencySchema,
} from '@/lib/report-settings';
import { type FormMessage, FormNote } from '../form-message';

import { useSetting } from './use-setting';

/** Display currency (USD, or another at your rate and its date) and which alerts notify. */

export function CurrencySettings() {
  const [currency, save] = useSetting<DisplayCurrency>(displayCurrencyItem, displayCurrencySchema);
  if (!currency) return null;
  return <CurrencyForm key={JSON.stringify(currency)} currency={currency} onSave={save} />;
}

function CurrencyForm({ currency, onSave }: { currency: DisplayCurrency; onSave: (c: DisplayCurrency) => Promise<void> }) {
  const ids = { code: useId(), rate: useId(), date: useId(), heading: useId() };
  const [code, setCode] = useState(currency.code);
  const [rate, setRate] = useState(isConverted(currency) ? currency.perUsd : '');
  const [date, setDate] = useState(isConverted(currency) ? currency.rateDate : new Date().toISOString().slice(0, 10));
  const [message, setMessage] = useState<FormMessage | null>(null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const upper = code.trim().toUpperCase();
    if (upper === 'USD' || upper === '') {
      void onSave({ code: 'USD' }).then(() => setMessage({ tone: 'ok', text: 'Amounts are shown in USD.' }));
      return;
    }
    const parsed = convertedCurrencySchema.safeParse({ code: upper, perUsd: rate, rateDate: date });
    if (!parsed.success) {
      setMessage({ tone: 'error', text: `Not saved: ${parsed.error.issues.map((i) => i.message).join('; ')}.` });
      return;
    }
    void onSave(parsed.data).then(() =>
      setMessage({ tone: 'ok', text: `Amounts are shown in ${upper} at your rate of ${parsed.data.rateDate}.` }),
    );
  }

  return (
    <section className="km-card" aria-labelledby={ids.heading}>
      <h2 id={ids.heading}>Display currency</h2>
      <p className="km-muted km-small">
        OpenAI prices and bills in USD. To read the report in another currency, give the rate and the day it is from; every converted amount
        says so. Finance exports stay in USD.
      </p>
      <form className="km-form" onSubmit={submit} aria-label="Display currency">
        <label htmlFor={ids.code}>Currency (ISO code)</label>
        <input id={ids.code} value={code} onChange={(e) => setCode(e.target.value)} maxLength={3} placeholder="USD" />
        {code.trim().toUpperCase() !== 'USD' && code.trim() !== '' && (
          <>
            <label htmlFor={ids.rate}>Units per 1 USD</label>
            <input id={ids.rate} inputMode="decimal" value={rate} onChange={(e) => setRate(e.target.value)} placeholder="0.92" />
            <label htmlFor={ids.date}>Rate of (date)</label>
            <input id={ids.date} type="date" value={date} onChange={(e) => setDate(e.target.value)} />
          </>
        )}
        <button type="submit">Save currency</button>
      </form>
      <FormNote message={message} />
    </section>
  );
}

export function AlertSettingsForm() {
  const [settings, save] = useSetting<AlertSettings>(alertSettingsItem, alertSettingsSchema);
  const heading = useId();
  if (!settings) return null;
  const toggle = (patch: Partial<AlertSettings>) => void save({ ...settings, ...patch });
  return (
    <section className="km-card" aria-labelledby={heading} data-testid="alert-settings">
      <h2 id={heading}>Notifications</h2>
      <p className="km-muted km-small">Checked after every sync. Each spike day and each budget threshold notifies once.</p>
      <label className="km-check">
        <input type="checkbox" checked={settings.spikeNotifications} onChange={(e) => toggle({ spikeNotifications: e.target.checked })} />{' '}
        Notify me of a new spending spike
      </label>
      <label className="km-check">
        <input type="checkbox" checked={settings.budgetNotifications} onChange={(e) => toggle({ budgetNotifications: e.target.checked })} />{' '}
        Notify me when a budget reaches a threshold
      </label>
    </section>
  );
}
