import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { addOrgInput } from '@/lib/message-inputs';
import { sendMessage } from '@/lib/messaging';
import { describeApiError } from '@/lib/openai/errors';
import { orgsQuery, syncStatusQuery } from '@/lib/queries';
import { type FormMessage, FormNote } from './form-message';
import { SyncState } from './sync-state';

/** Add, check and remove organisations (one admin key each). The key never comes back to this page. */
export function OrgSettings() {
  const queryClient = useQueryClient();
  const orgs = useQuery(orgsQuery());
  const status = useQuery(syncStatusQuery());
  const statusOf = (orgId: string) => status.data?.find((s) => s.orgId === orgId);
  const [label, setLabel] = useState('');
  const [adminKey, setAdminKey] = useState('');
  const [message, setMessage] = useState<FormMessage | null>(null);
  const labelId = useId();
  const keyId = useId();

  const add = useMutation({
    mutationFn: (input: { label: string; adminKey: string }) => sendMessage('orgs:add', input),
    onSuccess: (result) => {
      if (result.ok) {
        setAdminKey('');
        setMessage({
          tone: 'ok',
          text: `Connected to “${result.value.label}”: ${result.value.projectCount ?? 0} projects, ${result.value.keyCount ?? 0} API keys.`,
        });
      } else {
        setMessage({ tone: 'error', text: describeApiError(result.error) });
      }
      void queryClient.invalidateQueries({ queryKey: orgsQuery().queryKey });
      void queryClient.invalidateQueries({ queryKey: syncStatusQuery().queryKey });
    },
    onError: (error) => setMessage({ tone: 'error', text: `Keymeter could not save the key: ${error.message}` }),
  });

  // Removing asks first whether the organisation's stored history goes with it.
  const [confirming, setConfirming] = useState<string | null>(null);
  const remove = useMutation({
    mutationFn: (input: { orgId: string; deleteHistory: boolean }) => sendMessage('orgs:remove', input),
    onSuccess: (_result, input) => {
      const label = orgs.data?.find((o) => o.id === input.orgId)?.label ?? 'The organisation';
      setMessage({
        tone: 'ok',
        text: input.deleteHistory
          ? `Removed “${label}” and deleted its history.`
          : `Removed “${label}”. Its history stays in this browser (in backups too) until you clear it.`,
      });
    },
    onError: (error) => setMessage({ tone: 'error', text: `Keymeter could not remove the organisation: ${error.message}` }),
    onSettled: () => {
      setConfirming(null);
      void queryClient.invalidateQueries({ queryKey: orgsQuery().queryKey });
      void queryClient.invalidateQueries({ queryKey: syncStatusQuery().queryKey });
      void queryClient.invalidateQueries({ queryKey: ['history'] });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = addOrgInput.safeParse({ label: label || 'My organisation', adminKey });
    if (!parsed.success) {
      setMessage({ tone: 'error', text: parsed.error.issues[0]?.message ?? 'Check the fields.' });
      return;
    }
    setMessage(null);
    add.mutate(parsed.data);
  }

  return (
    <section aria-labelledby="orgs-heading" className="km-card">
      <h2 id="orgs-heading">Organisations</h2>
      <p className="km-muted">
        Keymeter reads usage with an OpenAI <strong>admin key</strong> (sk-admin-…). It is kept in this browser's extension storage, used
        only by the background to call https://api.openai.com, and never shown again.
      </p>
      {orgs.data && orgs.data.length > 0 ? (
        <ul className="km-list" aria-label="Connected organisations">
          {orgs.data.map((org) => (
            <li key={org.id}>
              <span>
                <strong>{org.label}</strong> · key …{org.keyHint} · {org.projectCount ?? '?'} projects, {org.keyCount ?? '?'} keys ·{' '}
                <SyncState status={statusOf(org.id)} />
              </span>
              {confirming === org.id ? (
                <fieldset className="km-confirm" aria-label={`Remove ${org.label}`}>
                  <legend>
                    Remove “{org.label}”? Its admin key is deleted from this browser. Its usage history can go with it or stay.
                  </legend>
                  <button
                    type="button"
                    className="km-danger"
                    onClick={() => remove.mutate({ orgId: org.id, deleteHistory: true })}
                    disabled={remove.isPending}
                  >
                    Remove and delete its history
                  </button>
                  <button type="button" onClick={() => remove.mutate({ orgId: org.id, deleteHistory: false })} disabled={remove.isPending}>
                    Remove, keep history
                  </button>
                  <button type="button" onClick={() => setConfirming(null)} disabled={remove.isPending}>
                    Cancel
                  </button>
                </fieldset>
              ) : (
                <button type="button" onClick={() => setConfirming(org.id)} disabled={remove.isPending}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>No organisation yet.</p>
      )}
      <form onSubmit={submit} className="km-form">
        <label htmlFor={labelId}>Label</label>
        <input id={labelId} value={label} onChange={(e) => setLabel(e.target.value)} placeholder="e.g. Acme production" />
        <label htmlFor={keyId}>Admin key</label>
        <input
          id={keyId}
          type="password"
          autoComplete="off"
          spellCheck={false}
          value={adminKey}
          onChange={(e) => setAdminKey(e.target.value)}
          placeholder="sk-admin-…"
        />
        <button type="submit" disabled={add.isPending}>
          {add.isPending ? 'Checking…' : 'Save'}
        </button>
      </form>
      <FormNote message={message} />
    </section>
  );
}
