import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useId, useState } from 'react';
import { exactNumber } from '@/lib/format';
import { MAX_BACKUP_CHARS } from '@/lib/message-inputs';
import { sendMessage } from '@/lib/messaging';
import { storageQuery, syncStatusQuery } from '@/lib/queries';
import { type RetentionSettings, readValid, retentionSettingsItem, retentionSettingsSchema } from '@/lib/settings';
import { type FormMessage, FormNote } from './form-message';

/** "1 row", "1,234 rows". */
const rows = (n: number) => `${exactNumber(n)} row${n === 1 ? '' : 's'}`;

const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** After history changed: the storage figures, the panels and the report read it again. */
function useHistoryChanged() {
  const queryClient = useQueryClient();
  return () => {
    for (const key of ['history', 'usage', 'report']) void queryClient.invalidateQueries({ queryKey: [key] });
  };
}

const TABLE_NAMES: Record<string, string> = {
  usage: 'Usage rows',
  costs: 'Billed cost rows',
  keys: 'API keys',
  projects: 'Projects',
  syncState: 'Sync states',
  snapshots: 'Zero-setup snapshots',
  audit: 'Bulk-enable audit log',
  tags: 'Tagged keys',
  budgets: 'Budgets',
  alertsFired: 'Alerts raised',
  dayTotals: 'Daily totals (derived from usage and costs)',
};

export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}

/** Bytes used (the browser's estimate for the extension) and rows per table. */
export function StorageUsed() {
  // Read again whenever a sync has finished (the sync state polls while one runs).
  const status = useQuery(syncStatusQuery());
  const lastSync = Math.max(0, ...(status.data ?? []).map((s) => s.lastSuccessAt ?? 0));
  const storage = useQuery(storageQuery(lastSync));
  const report = storage.data;
  return (
    <div>
      <h3 id="storage-heading">Storage used</h3>
      {storage.isError && <p role="alert">Keymeter could not read its storage: {errorText(storage.error)}</p>}
      {report && (
        <>
          <p data-testid="storage-used">
            {report.usageBytes === null
              ? 'This browser does not say how much space Keymeter uses.'
              : // Not "of N allowed": Chromium pads the quota it reports, so that figure is not the real limit.
                `Keymeter uses ${formatBytes(report.usageBytes)}.`}{' '}
            {rows(report.totalRows)} in all.
          </p>
          <table className="km-settings-table km-counts" aria-label="Rows per table">
            <tbody>
              {report.tables.map((t) => (
                <tr key={t.name} data-table={t.name}>
                  <th scope="row">{TABLE_NAMES[t.name] ?? t.name}</th>
                  <td>{exactNumber(t.rows)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}

/** Keep everything (default) or N months; applied after each sync and on demand. */
export function RetentionForm() {
  const historyChanged = useHistoryChanged();
  const [settings, setSettings] = useState<RetentionSettings | null>(null);
  const [mode, setMode] = useState<'all' | 'months'>('all');
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState(false);
  const modeId = useId();
  const monthsId = useId();

  useEffect(() => {
    void readValid(retentionSettingsItem, retentionSettingsSchema).then((value) => {
      setSettings(value);
      setMode(value.keepMonths === null ? 'all' : 'months');
    });
  }, []);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = retentionSettingsSchema.safeParse({ keepMonths: mode === 'all' ? null : Number(form.get('keepMonths')) });
    if (!parsed.success) {
      setMessage({ tone: 'error', text: `Not saved: ${parsed.error.issues.map((i) => i.message).join('; ')}.` });
      return;
    }
    void retentionSettingsItem.setValue(parsed.data).then(() => {
      setSettings(parsed.data);
      setMessage({
        tone: 'ok',
        text:
          parsed.data.keepMonths === null
            ? 'Retention saved: Keymeter keeps all history.'
            : `Retention saved: history older than ${parsed.data.keepMonths} months is removed after each sync. “Apply now” removes it at once.`,
      });
    });
  }

  async function applyNow() {
    setBusy(true);
    try {
      const result = await sendMessage('history:prune', undefined);
      setMessage({
        tone: 'ok',
        text:
          result.cutoff === null
            ? 'Retention keeps all history: nothing was removed.'
            : `Removed ${rows(result.total)} from before ${new Date(result.cutoff * 1000).toISOString().slice(0, 10)} (the days a sync is fetching are always kept).`,
      });
      historyChanged();
    } catch (error) {
      setMessage({ tone: 'error', text: `Keymeter could not apply the retention: ${errorText(error)}` });
    } finally {
      setBusy(false);
    }
  }

  if (!settings) return null;
  return (
    <div>
      <h3>Retention</h3>
      <p className="km-muted">
        Keymeter keeps all usage history unless you choose a number of months. Older usage, billed costs and snapshots are then removed
        after each sync; key names stay. The days a sync is fetching are never removed.
      </p>
      <form onSubmit={submit} className="km-form">
        <label htmlFor={modeId}>Keep history</label>
        <select id={modeId} value={mode} onChange={(e) => setMode(e.target.value as 'all' | 'months')}>
          <option value="all">Everything (default)</option>
          <option value="months">The last months only</option>
        </select>
        <label htmlFor={monthsId}>Months to keep</label>
        <input
          id={monthsId}
          name="keepMonths"
          type="number"
          min={1}
          max={120}
          disabled={mode === 'all'}
          defaultValue={settings.keepMonths ?? 12}
        />
        <button type="submit">Save retention</button>
      </form>
      <p className="km-actions">
        <button type="button" onClick={() => void applyNow()} disabled={busy || settings.keepMonths === null}>
          {busy ? 'Removing…' : 'Apply now'}
        </button>
      </p>
      <FormNote message={message} />
    </div>
  );
}

function downloadText(filename: string, text: string) {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: the download reads the URL after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Backup to a JSON file; restore from one (checked in full by the background before anything is written). */
export function BackupRestore() {
  const historyChanged = useHistoryChanged();
  const [message, setMessage] = useState<FormMessage | null>(null);
  const [busy, setBusy] = useState<'backup' | 'restore' | null>(null);
  const fileId = useId();

  async function backup() {
    setBusy('backup');
    setMessage(null);
    try {
      const backupFile = await sendMessage('history:backup', undefined);
      downloadText(backupFile.filename, backupFile.text);
      setMessage({ tone: 'ok', text: `Backup saved as ${backupFile.filename}: ${rows(backupFile.rows)}.` });
    } catch (error) {
      setMessage({ tone: 'error', text: `Keymeter could not build the backup: ${errorText(error)}` });
    } finally {
      setBusy(null);
    }
  }

  async function restore(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    setBusy('restore');
    setMessage(null);
    try {
      if (file.size > MAX_BACKUP_CHARS) {
        setMessage({
          tone: 'error',
          text: `This file is too large to restore (${formatBytes(file.size)}; at most 60 MB). Nothing was changed.`,
        });
        return;
      }
      const result = await sendMessage('history:restore', { text: await file.text() });
      if (!result.ok) {
        setMessage({ tone: 'error', text: result.message });
        return;
      }
      const elsewhere = result.notConnected.length
        ? ` Rows of ${result.notConnected.join(', ')} were kept too, but that organisation is not connected in this browser, so they are not shown.`
        : '';
      setMessage({
        tone: 'ok',
        text: `Restored ${rows(result.rows)} from ${file.name} (${exactNumber(result.added)} new, ${exactNumber(result.rows - result.added)} already here).${elsewhere}`,
      });
      historyChanged();
    } catch (error) {
      setMessage({ tone: 'error', text: `Keymeter could not restore ${file.name}: ${errorText(error)}. Nothing was changed.` });
    } finally {
      input.value = ''; // the same file can be picked again
      setBusy(null);
    }
  }

  return (
    <div>
      <h3>Backup and restore</h3>
      <p className="km-muted">
        A backup is a JSON file of the history in this browser: usage, billed costs, key names, projects, snapshots, the bulk-enable log and
        tags. It never holds an admin key or a setting. Restoring merges a backup into the history; restoring the same file twice changes
        nothing the second time.
      </p>
      <p className="km-actions">
        <button type="button" onClick={() => void backup()} disabled={busy !== null}>
          {busy === 'backup' ? 'Building the backup…' : 'Download backup'}
        </button>
      </p>
      <div className="km-form">
        <label htmlFor={fileId}>Restore from a backup file</label>
        <input id={fileId} type="file" accept=".json,application/json" onChange={(e) => void restore(e)} disabled={busy !== null} />
      </div>
      {busy === 'restore' && <p className="km-muted">Checking and restoring…</p>}
      <FormNote message={message} />
    </div>
  );
}

/** Deletes the history of every organisation, after a confirm step. */
export function ClearHistory() {
  const historyChanged = useHistoryChanged();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<FormMessage | null>(null);

  async function clear() {
    setBusy(true);
    try {
      const { deleted } = await sendMessage('history:clear', undefined);
      setMessage({
        tone: 'ok',
        text: `History cleared: ${rows(deleted)} deleted. The next sync fetches the backfill days again from OpenAI.`,
      });
      historyChanged();
    } catch (error) {
      setMessage({ tone: 'error', text: `Keymeter could not clear the history: ${errorText(error)}` });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }

  return (
    <div>
      <h3>Clear history</h3>
      {confirming ? (
        <fieldset className="km-confirm" aria-label="Clear history">
          <legend>
            Delete the usage history, billed costs, key names and snapshots of every organisation from this browser? Organisations, admin
            keys and settings stay. Download a backup first if you may want it back.
          </legend>
          <button type="button" className="km-danger" onClick={() => void clear()} disabled={busy}>
            Delete all history
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </button>
        </fieldset>
      ) : (
        <p className="km-actions">
          <button type="button" onClick={() => setConfirming(true)}>
            Clear history…
          </button>
        </p>
      )}
      <FormNote message={message} />
    </div>
  );
}

export function HistorySettings() {
  return (
    <section aria-labelledby="history-heading" className="km-card">
      <h2 id="history-heading">History</h2>
      <StorageUsed />
      <RetentionForm />
      <BackupRestore />
      <ClearHistory />
    </section>
  );
}
