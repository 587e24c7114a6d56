import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useId, useState } from 'react';
import { sendMessage } from '@/lib/messaging';
import { type ReportKeyRow, rowRef, rowsMatching } from '@/lib/report/rows';
import { describeImportErrors } from '@/lib/tags/csv';
import { splitTags, type TagMode, tagListSchema } from '@/lib/tags/tags';
import { type FormMessage, FormNote } from '../form-message';

/**
 * Cost-center tags: assign to the selected keys or to keys whose name matches a pattern; download
 * and import the key → tags mapping as CSV (all or nothing, errors by line).
 */

type Target = 'selection' | 'pattern';

const MODE_WORDS: Record<TagMode, string> = { add: 'Add these tags', remove: 'Remove these tags', replace: 'Replace all tags with these' };

export function TagTools({
  rows,
  selected,
  orgId,
  onDone,
}: {
  rows: readonly ReportKeyRow[];
  selected: ReadonlySet<string>;
  orgId?: string;
  onDone?: () => void;
}) {
  const queryClient = useQueryClient();
  const ids = { tags: useId(), mode: useId(), pattern: useId(), file: useId(), heading: useId() };
  const [target, setTarget] = useState<Target>('selection');
  const [pattern, setPattern] = useState('');
  const [tagText, setTagText] = useState('');
  const [mode, setMode] = useState<TagMode>('add');
  const [message, setMessage] = useState<FormMessage | null>(null);

  const chosen = target === 'selection' ? rows.filter((r) => r.apiKeyId !== '' && selected.has(rowRef(r))) : rowsMatching(rows, pattern);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ['report'] });
    onDone?.();
  };

  const assign = useMutation({
    mutationFn: (input: { keys: Array<{ orgId: string; apiKeyId: string }>; tags: string[]; mode: TagMode }) =>
      sendMessage('tags:assign', input),
    onSuccess: (result, input) => {
      setMessage({
        tone: 'ok',
        text: `Tags ${input.mode === 'remove' ? 'removed from' : 'set on'} ${result.changed} of ${input.keys.length} keys.`,
      });
      refresh();
    },
    onError: (error) => setMessage({ tone: 'error', text: `Tags not saved: ${error.message}` }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = tagListSchema.safeParse(splitTags(tagText));
    if (!parsed.success || parsed.data.length === 0) {
      setMessage({
        tone: 'error',
        text: parsed.success ? 'Type at least one tag.' : `Tags not saved: ${parsed.error.issues[0]?.message}.`,
      });
      return;
    }
    if (chosen.length === 0) {
      setMessage({ tone: 'error', text: target === 'selection' ? 'Select keys in the table first.' : 'No key name matches the pattern.' });
      return;
    }
    assign.mutate({ keys: chosen.map((r) => ({ orgId: r.orgId, apiKeyId: r.apiKeyId })), tags: parsed.data, mode });
  }

  async function download() {
    try {
      const { filename, text } = await sendMessage('tags:csv', { orgId });
      const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
      const link = document.createElement('a');
      link.href = url;
      link.download = filename;
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (error) {
      setMessage({ tone: 'error', text: `Could not build the CSV: ${error instanceof Error ? error.message : String(error)}` });
    }
  }

  async function importFile(event: ChangeEvent<HTMLInputElement>) {
    const input = event.currentTarget;
    const file = input.files?.[0];
    if (!file) return;
    try {
      const result = await sendMessage('tags:import', { csv: await file.text() });
      if (result.ok) {
        setMessage({ tone: 'ok', text: `Imported ${file.name}: tags set on ${result.applied} keys.` });
        refresh();
      } else {
        setMessage({ tone: 'error', text: `${file.name} was not imported (nothing changed):\n${describeImportErrors(result.errors)}` });
      }
    } catch (error) {
      setMessage({ tone: 'error', text: `${file.name} was not imported: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      input.value = '';
    }
  }

  return (
    <section className="km-card" aria-labelledby={ids.heading} data-testid="tag-tools">
      <h2 id={ids.heading}>Cost-center tags</h2>
      <p className="km-muted km-small">
        Tags group keys for budgets and for the finance export (“Group by: Cost-center tag”). A key can have several.
      </p>
      <form className="km-form" onSubmit={submit} aria-label="Assign tags">
        <span>Keys</span>
        <span className="km-radios">
          <label>
            <input type="radio" name="tag-target" checked={target === 'selection'} onChange={() => setTarget('selection')} /> Selected in
            the table ({rows.filter((r) => selected.has(rowRef(r))).length})
          </label>
          <label>
            <input type="radio" name="tag-target" checked={target === 'pattern'} onChange={() => setTarget('pattern')} /> Name matches a
            pattern
          </label>
        </span>
        {target === 'pattern' && (
          <>
            <label htmlFor={ids.pattern}>Name pattern</label>
            <span>
              <input id={ids.pattern} value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder="support-*" />{' '}
              <span className="km-muted km-small" role="status" data-testid="pattern-preview">
                * matches anything, ? one character · {chosen.length} key{chosen.length === 1 ? '' : 's'} match
                {chosen.length > 0
                  ? `: ${chosen
                      .slice(0, 5)
                      .map((r) => r.name)
                      .join(', ')}${chosen.length > 5 ? ', …' : ''}`
                  : ''}
              </span>
            </span>
          </>
        )}
        <label htmlFor={ids.tags}>Tags</label>
        <input id={ids.tags} value={tagText} onChange={(e) => setTagText(e.target.value)} placeholder="support, cc-4711" />
        <label htmlFor={ids.mode}>Action</label>
        <select id={ids.mode} value={mode} onChange={(e) => setMode(e.target.value as TagMode)}>
          {(Object.keys(MODE_WORDS) as TagMode[]).map((m) => (
            <option key={m} value={m}>
              {MODE_WORDS[m]}
            </option>
          ))}
        </select>
        <button type="submit" disabled={assign.isPending}>
          Apply tags
        </button>
      </form>
      <div className="km-toolbar">
        <button type="button" onClick={() => void download()}>
          Download tags (CSV)
        </button>
        <label htmlFor={ids.file} className="km-file">
          Import tags (CSV)
        </label>
        <input id={ids.file} type="file" accept=".csv,text/csv" onChange={(e) => void importFile(e)} />
        <span className="km-muted km-small">
          Columns org_id, api_key_id, tags (tags separated by “;”). Listed keys get exactly the file’s tags; others keep theirs.
        </span>
      </div>
      <FormNote message={message} className="km-pre" />
    </section>
  );
}
