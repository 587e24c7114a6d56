import { type FormEvent, useEffect, useId, useState } from 'react';
import { type SyncSettings, syncSettingsItem, syncSettingsSchema } from '@/lib/settings';
import { type FormMessage, FormNote } from './form-message';

/** How often to sync and how far back the first sync reaches. */
export function SyncSettingsForm() {
  const [settings, setSettings] = useState<SyncSettings | null>(null);
  const [message, setMessage] = useState<FormMessage | null>(null);
  const intervalId = useId();
  const backfillId = useId();

  useEffect(() => {
    void syncSettingsItem.getValue().then(setSettings);
  }, []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = syncSettingsSchema.safeParse({
      intervalMinutes: Number(form.get('intervalMinutes')),
      backfillDays: Number(form.get('backfillDays')),
    });
    if (!parsed.success) {
      setMessage({ tone: 'error', text: `Not saved: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}` });
      return;
    }
    void syncSettingsItem.setValue(parsed.data).then(() => {
      setSettings(parsed.data);
      setMessage({ tone: 'ok', text: 'Sync settings saved.' });
    });
  }

  if (!settings) return null;
  return (
    <section aria-labelledby="sync-heading" className="km-card">
      <h2 id="sync-heading">Sync</h2>
      <p className="km-muted">
        Keymeter syncs on a schedule and when you press “Sync now”. The first sync of an organisation reaches back the backfill days.
      </p>
      <form onSubmit={submit} className="km-form">
        <label htmlFor={intervalId}>Sync every (minutes)</label>
        <input id={intervalId} name="intervalMinutes" type="number" min={15} max={1440} defaultValue={settings.intervalMinutes} />
        <label htmlFor={backfillId}>Backfill (days)</label>
        <input id={backfillId} name="backfillDays" type="number" min={1} max={1095} defaultValue={settings.backfillDays} />
        <button type="submit">Save sync settings</button>
      </form>
      <FormNote message={message} />
    </section>
  );
}
