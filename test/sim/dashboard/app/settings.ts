/** /settings/organization/general: org name and id, plus a decoy "Enable" and a dangerous "Delete organization". */
import { logEvent } from './api';
import type { Ctx } from './ctx';
import { cls, h, openDialog, toast } from './dom';
import type { PageHandle } from './main';

export function renderSettings(ctx: Ctx, main: HTMLElement): PageHandle {
  const { layout, session } = ctx;
  document.title = 'Organization settings - OpenAI API';
  const heading = (text: string, level: 2 | 3) =>
    layout === '2026'
      ? h('div', { role: 'heading', 'aria-level': level, class: cls(level === 2 ? 'Page.title' : 'Card.title') }, text)
      : h(level === 2 ? 'h2' : 'h3', { class: cls(level === 2 ? 'Page.title' : 'Card.title') }, text);

  const field = (label: string, control: Node) =>
    h('label', { class: cls('Settings.field') }, h('span', { class: cls('Settings.label') }, label), control);

  main.append(
    h('div', { class: cls('Page.header') }, heading('Organization settings', 2)),
    h(
      'div',
      { class: cls('Card.root') },
      heading('General', 3),
      field('Organization name', h('input', { type: 'text', class: cls('Dialog.input'), value: session.org.name, readonly: true })),
      field('Organization ID', h('code', { class: cls('Settings.code') }, session.org.id)),
    ),
    h(
      'div',
      { class: cls('Card.root') },
      heading('Data sharing', 3),
      h('p', null, 'Share inputs and outputs with OpenAI to help improve models. Applies to all projects.'),
      // A decoy: "Enable" that is not a key-tracking control.
      h(
        'button',
        {
          type: 'button',
          class: cls('Button.base'),
          onclick: () => {
            logEvent('decoy', undefined, 'data-sharing');
            toast('Data sharing is managed by your organization owner.');
          },
        },
        'Enable',
      ),
    ),
    h(
      'div',
      { class: cls('Card.root', 'Settings.danger') },
      heading('Danger zone', 3),
      h('p', null, 'Deleting the organization removes all projects, keys and data.'),
      h(
        'button',
        {
          type: 'button',
          class: cls('Button.base', 'Button.danger'),
          onclick: async () => {
            logEvent('delete', undefined, 'clicked');
            const choice = await openDialog({
              layout,
              title: 'Delete organization?',
              body: [h('p', null, `This permanently deletes ${session.org.name}. This cannot be undone.`)],
              buttons: [
                { label: 'Cancel', value: 'cancel', variant: 'ghost' },
                { label: 'Delete organization', value: 'delete', variant: 'danger' },
              ],
              dismissValue: 'cancel',
            });
            logEvent(choice === 'delete' ? 'delete' : 'cancel', undefined, choice === 'delete' ? 'confirmed' : 'delete-dialog');
          },
        },
        'Delete organization',
      ),
    ),
  );
  return { path: location.pathname.replace(/\/+$/, '') };
}
