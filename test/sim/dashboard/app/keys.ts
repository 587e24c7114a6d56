/**
 * /api-keys: the keys table (NAME, SECRET KEY, TRACKING, CREATED, LAST USED, PERMISSIONS + actions),
 * the per-key "Enable" tracking control with its confirmation dialog, look-alike dangerous controls
 * (Edit, Revoke, Create) that only log, a decoy "Enable" elsewhere, and Previous/Next pagination.
 */

import type { KeyItem, KeysPage, Layout } from '../types';
import { getJson, HttpError, logEvent, postJson } from './api';
import type { Ctx } from './ctx';
import { cls, type DialogButton, formatUnixDate, h, icon, openDialog, spinner, toast, wait } from './dom';
import type { PageHandle } from './main';
import { type Column, renderTable } from './table';

const COLUMN_ORDER: Record<Layout, string[]> = {
  '2024': ['name', 'secret', 'tracking', 'created', 'last_used', 'permissions', 'actions'],
  '2026': ['secret', 'name', 'permissions', 'tracking', 'last_used', 'created', 'actions'],
  compact: ['name', 'secret', 'tracking', 'created', 'last_used', 'permissions', 'actions'],
};

/** 2024 and compact write headers in title case (2024 shows them uppercase via CSS); 2026 in capitals. */
const LABELS: Record<string, string> = {
  name: 'Name',
  secret: 'Secret key',
  tracking: 'Tracking',
  created: 'Created',
  last_used: 'Last used',
  permissions: 'Permissions',
  actions: 'Actions',
};

export function renderKeys(ctx: Ctx, main: HTMLElement): PageHandle {
  const { layout } = ctx;
  document.title = 'API keys - OpenAI API';
  let data: KeysPage | null = null;
  let page = 1;
  let generation = 0;
  /** Keys whose enable request is in flight. */
  const busy = new Set<string>();
  /** The element inside each row's TRACKING cell, to update in place. */
  const trackingCells = new Map<string, HTMLElement>();

  // ---- header ---------------------------------------------------------------------------------
  const title =
    layout === '2026'
      ? h('div', { role: 'heading', 'aria-level': 1, class: cls('Page.title') }, 'API Keys')
      : h(layout === 'compact' ? 'h3' : 'h2', { class: cls('Page.title'), id: layout === 'compact' ? 'api-keys-title' : null }, 'API keys');
  const intro = h(
    'div',
    { class: cls('Page.intro') },
    h('p', null, 'As an owner of this organization, you can view and manage all API keys in this organization.'),
    layout !== 'compact' && h('p', null, 'Do not share your API key with others or expose it in the browser or other client-side code.'),
  );
  const createButton = h(
    'button',
    { type: 'button', class: cls('Button.base', 'Button.primary'), onclick: onCreate },
    // An icon in 2026, a literal "+" elsewhere: the accessible name differs slightly between layouts.
    layout === '2026' && icon('plus'),
    layout === '2026' ? 'Create new secret key' : '+ Create new secret key',
  );

  // A decoy: an "Enable" button that has nothing to do with key tracking.
  const decoy =
    layout === '2026'
      ? h(
          'div',
          { class: cls('Card.root', 'Decoy.card') },
          h('div', { role: 'heading', 'aria-level': 3, class: cls('Card.title') }, 'Usage alerts'),
          h('p', null, "Get an email when an API key's daily usage spikes."),
          h('button', { type: 'button', class: cls('Button.base'), onclick: () => onDecoy('usage-alerts') }, 'Enable'),
        )
      : h(
          'div',
          { class: cls('Banner.root'), role: 'note' },
          icon('shield'),
          h('span', { class: cls('Banner.text') }, 'Protect your organization: require multi-factor authentication for every member.'),
          h('button', { type: 'button', class: cls('Button.base', 'Button.small'), onclick: () => onDecoy('mfa') }, 'Enable'),
        );

  const tableHost = h('div', { class: cls('Keys.tableHost') });
  const pager = h('div', { class: cls('Pager.root') });

  if (layout === '2026') {
    main.append(
      h('div', { class: cls('Page.header') }, title, createButton),
      intro,
      h('div', { class: cls('Card.root') }, tableHost, pager),
      decoy,
    );
  } else if (layout === 'compact') {
    main.append(
      decoy,
      h(
        'section',
        { 'aria-labelledby': 'api-keys-title', class: cls('Card.section') },
        h('div', { class: cls('Page.header') }, title, createButton),
        intro,
        tableHost,
        pager,
      ),
    );
  } else {
    main.append(
      h('div', { class: cls('Page.header') }, title),
      intro,
      decoy,
      h('div', { class: cls('Page.toolbar') }, createButton),
      h('div', { class: cls('Card.root') }, tableHost),
      pager,
    );
  }

  // ---- cells ------------------------------------------------------------------------------------
  function trackingContent(key: KeyItem): Node {
    if (busy.has(key.id)) {
      return h(
        'button',
        { type: 'button', class: cls('Button.base', 'Button.small'), disabled: true, 'aria-busy': 'true' },
        spinner(),
        'Enabling…',
      );
    }
    if (key.tracking) {
      if (layout === '2026')
        return h('span', { class: cls('Badge.on') }, h('span', { class: cls('Badge.dot'), 'aria-hidden': 'true' }), 'On');
      if (layout === 'compact') return document.createTextNode('Enabled');
      return h('span', { class: cls('Badge.on') }, 'Enabled');
    }
    return h(
      'button',
      {
        type: 'button',
        class: cls('Button.base', 'Button.small'),
        'aria-label': layout === '2026' ? 'Enable usage tracking' : null,
        onclick: () => onEnable(key),
      },
      'Enable',
    );
  }

  function trackingCell(key: KeyItem): HTMLElement {
    const holder = h('span', { class: cls('Keys.tracking') }, trackingContent(key));
    trackingCells.set(key.id, holder);
    return holder;
  }

  function actionsCell(key: KeyItem): HTMLElement {
    if (layout === 'compact') return actionsMenu(key);
    return h(
      'div',
      { class: cls('Keys.actions') },
      h(
        'button',
        {
          type: 'button',
          class: cls('Button.icon'),
          'aria-label': 'Edit key',
          title: layout === '2026' ? 'Edit' : null,
          onclick: () => onEdit(key),
        },
        icon('pencil'),
      ),
      h(
        'button',
        {
          type: 'button',
          class: cls('Button.icon'),
          'aria-label': 'Revoke key',
          title: layout === '2026' ? 'Revoke' : null,
          onclick: () => onRevoke(key),
        },
        icon('trash'),
      ),
    );
  }

  /** compact: the row actions hide behind a "⋯" menu. */
  function actionsMenu(key: KeyItem): HTMLElement {
    const menu = h(
      'div',
      { role: 'menu', class: cls('Menu.root'), hidden: true },
      h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          class: cls('Menu.item'),
          onclick: () => {
            close();
            void onEdit(key);
          },
        },
        'Edit key',
      ),
      h(
        'button',
        {
          type: 'button',
          role: 'menuitem',
          class: cls('Menu.item', 'Menu.danger'),
          onclick: () => {
            close();
            void onRevoke(key);
          },
        },
        'Revoke key',
      ),
    );
    const trigger = h(
      'button',
      {
        type: 'button',
        class: cls('Button.icon'),
        'aria-label': 'Key actions',
        'aria-haspopup': 'menu',
        'aria-expanded': 'false',
        onclick: () => (menu.hidden ? open() : close()),
      },
      icon('dots'),
    );
    const wrap = h('div', { class: cls('Menu.wrap') }, trigger, menu);
    const outside = (event: MouseEvent) => {
      if (!wrap.contains(event.target as Node)) close();
    };
    function open() {
      menu.hidden = false;
      trigger.setAttribute('aria-expanded', 'true');
      document.addEventListener('mousedown', outside);
    }
    function close() {
      menu.hidden = true;
      trigger.setAttribute('aria-expanded', 'false');
      document.removeEventListener('mousedown', outside);
    }
    return wrap;
  }

  function columns(): Column<KeyItem>[] {
    const all: Record<string, Column<KeyItem>> = {
      name: {
        id: 'name',
        label: LABELS.name ?? '',
        track: 'minmax(0, 1.6fr)',
        cell: (k) => (layout === '2026' ? h('span', { class: cls('Keys.name') }, k.name) : k.name),
      },
      secret: {
        id: 'secret',
        label: LABELS.secret ?? '',
        track: 'minmax(0, 1.3fr)',
        cell: (k) => h('code', { class: cls('Keys.secret') }, k.redacted_value),
      },
      tracking: { id: 'tracking', label: LABELS.tracking ?? '', track: '8.5rem', cell: trackingCell },
      created: { id: 'created', label: LABELS.created ?? '', track: '7.5rem', cell: (k) => formatUnixDate(k.created_at) },
      last_used: {
        id: 'last_used',
        label: LABELS.last_used ?? '',
        track: '7.5rem',
        cell: (k) => (k.last_used_at === null ? 'Never' : formatUnixDate(k.last_used_at)),
      },
      permissions: { id: 'permissions', label: LABELS.permissions ?? '', track: '6.5rem', cell: (k) => k.permissions },
      actions: { id: 'actions', label: LABELS.actions ?? '', srOnlyLabel: true, track: '5rem', cell: actionsCell },
    };
    return COLUMN_ORDER[layout].map((id) => {
      const col = all[id] as Column<KeyItem>;
      return layout === '2026' && !col.srOnlyLabel ? { ...col, label: col.label.toUpperCase() } : col;
    });
  }

  function renderRows() {
    trackingCells.clear();
    renderTable(tableHost, {
      layout,
      label: layout === '2026' ? 'API Keys' : 'API keys',
      columns: columns(),
      rows: data ? data.data : null,
      empty: 'No API keys yet',
    });
    renderPager();
  }

  function renderPager() {
    if (!data || data.page_count <= 1) {
      pager.replaceChildren();
      return;
    }
    const current = data;
    const button = (label: string, to: number, disabled: boolean) =>
      h(
        'button',
        {
          type: 'button',
          class: cls('Button.base', 'Button.small'),
          disabled,
          onclick: () => {
            logEvent('page', undefined, String(to));
            void load(to, true);
          },
        },
        label,
      );
    const text = h('span', { class: cls('Pager.text') }, `Page ${current.page} of ${current.page_count}`);
    const children = [
      button('Previous', current.page - 1, current.page <= 1),
      text,
      button('Next', current.page + 1, current.page >= current.page_count),
    ];
    pager.replaceChildren(
      layout === '2026'
        ? h('nav', { 'aria-label': 'Pagination', class: cls('Pager.nav') }, children)
        : h('div', { class: cls('Pager.inner') }, children),
    );
  }

  /** Fetches a page; `skeleton` shows loading rows first (page changes), otherwise rows swap in place. */
  async function load(nextPage: number, skeleton: boolean) {
    generation += 1;
    const gen = generation;
    const started = performance.now();
    if (skeleton) {
      data = null;
      renderRows();
    }
    try {
      const fresh = await getJson<KeysPage>(`/api-keys?page=${nextPage}`, ctx.signal);
      if (skeleton) await wait(ctx.config.renderDelayMs - (performance.now() - started), ctx.signal);
      if (gen !== generation || ctx.signal.aborted) return;
      data = fresh;
      page = fresh.page;
      renderRows();
    } catch (error) {
      if (gen !== generation || ctx.signal.aborted) return;
      tableHost.replaceChildren(
        h('div', { class: cls('Card.error') }, `Couldn't load API keys: ${error instanceof Error ? error.message : String(error)}`),
      );
    }
  }

  // ---- actions ------------------------------------------------------------------------------------
  function dialogButtons(confirm: DialogButton): DialogButton[] {
    const cancel: DialogButton = { label: 'Cancel', value: 'cancel', variant: 'ghost' };
    // The 2026 redesign puts the primary action first.
    return layout === '2026' ? [confirm, cancel] : [cancel, confirm];
  }

  async function onEnable(key: KeyItem) {
    logEvent('enable', key.id);
    const choice = await openDialog({
      layout,
      title: 'Enable usage tracking?',
      body: [
        h('p', null, `Usage of the key “${key.name}” (${key.redacted_value}) will be tracked per API key going forward.`),
        h('p', { class: cls('Dialog.note') }, 'Usage from before today stays under “Untracked”. Tracking cannot be turned off again.'),
      ],
      buttons: dialogButtons({ label: ctx.config.confirmText, value: 'confirm', variant: 'primary' }),
      dismissValue: 'cancel',
    });
    if (choice !== 'confirm') {
      logEvent('cancel', key.id, 'enable-dialog');
      return;
    }
    busy.add(key.id);
    updateTracking(key);
    try {
      await logEvent('confirm', key.id); // so the log reads confirm → enable-tracking
      await postJson(`/api-keys/${encodeURIComponent(key.id)}/tracking`, { enabled: true });
      key.tracking = true;
      toast(`Usage tracking enabled for “${key.name}”.`);
    } catch (error) {
      toast(error instanceof HttpError ? error.message : 'Failed to enable tracking: network error', 'error');
    } finally {
      busy.delete(key.id);
    }
    if (ctx.signal.aborted) return;
    // 2026 refetches the page and re-renders every row (React Query invalidation); the others patch the cell.
    if (layout === '2026') await load(page, false);
    else updateTracking(key);
  }

  function updateTracking(key: KeyItem) {
    trackingCells.get(key.id)?.replaceChildren(trackingContent(key));
  }

  async function onRevoke(key: KeyItem) {
    logEvent('revoke', key.id);
    const choice = await openDialog({
      layout,
      title: 'Revoke secret key',
      body: [
        h(
          'p',
          null,
          'This API key will immediately be disabled. API requests made using this key will be rejected, which could cause any systems still depending on it to break. Once revoked, you will no longer be able to view or modify this API key.',
        ),
        h('p', null, h('code', null, key.redacted_value), ` ${key.name}`),
      ],
      buttons: dialogButtons({ label: 'Revoke key', value: 'revoke', variant: 'danger' }),
      dismissValue: 'cancel',
    });
    if (choice === 'revoke') {
      logEvent('revoke-confirmed', key.id);
      // The simulator never deletes anything, so tests stay repeatable.
      toast('Revoke requested (simulator: nothing was revoked).', 'error');
    } else logEvent('cancel', key.id, 'revoke-dialog');
  }

  async function onEdit(key: KeyItem) {
    logEvent('edit', key.id);
    const nameInput = h('input', { type: 'text', class: cls('Dialog.input'), value: key.name });
    const radios = (['All', 'Restricted', 'Read only'] as const).map((p) =>
      h(
        'label',
        { class: cls('Dialog.radio') },
        h('input', {
          type: 'radio',
          name: 'permissions',
          value: p,
          checked: p === key.permissions,
          onchange: () => logEvent('permissions', key.id, p),
        }),
        p,
      ),
    );
    const choice = await openDialog({
      layout,
      title: 'Edit secret key',
      body: [
        h('label', { class: cls('Dialog.field') }, h('span', null, 'Name'), nameInput),
        h('fieldset', { class: cls('Dialog.fieldset') }, h('legend', null, 'Permissions'), radios),
      ],
      buttons: dialogButtons({ label: 'Save', value: 'save', variant: 'primary' }),
      dismissValue: 'cancel',
    });
    if (choice === 'save') {
      logEvent('edit-saved', key.id);
      toast('Changes saved (simulator: nothing was changed).');
    } else logEvent('cancel', key.id, 'edit-dialog');
  }

  async function onCreate() {
    logEvent('create');
    const choice = await openDialog({
      layout,
      title: 'Create new secret key',
      body: [
        h(
          'label',
          { class: cls('Dialog.field') },
          h('span', null, 'Name'),
          h('input', { type: 'text', class: cls('Dialog.input'), placeholder: 'My Test Key' }),
        ),
        h(
          'label',
          { class: cls('Dialog.field') },
          h('span', null, 'Project'),
          h(
            'select',
            { class: cls('Select.root') },
            ctx.session.projects.filter((p) => p.status === 'active').map((p) => h('option', { value: p.id }, p.name)),
          ),
        ),
      ],
      buttons: dialogButtons({ label: 'Create secret key', value: 'create', variant: 'primary' }),
      dismissValue: 'cancel',
    });
    if (choice === 'create') {
      logEvent('create-confirmed');
      toast('Key creation is disabled in the simulator.', 'error');
    } else logEvent('cancel', undefined, 'create-dialog');
  }

  function onDecoy(which: string) {
    logEvent('decoy', undefined, which);
    toast(
      which === 'mfa'
        ? 'Multi-factor authentication settings are in Settings → Security.'
        : 'Usage alerts are not available in this organization.',
    );
  }

  void load(1, true);
  return { path: '/api-keys' };
}
