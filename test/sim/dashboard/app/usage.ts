/**
 * /usage (Cost tab) and /usage/activity (Activity tab): range picker, project selector, summary cards and
 * the "Top users" / "Top organizations" / "Top API keys" sections. Each section shows a skeleton first
 * and renders its rows late (renderDelayMs), and replaces them whenever range, project or sort change.
 */

import type { Layout, SummaryResponse, TopDimension, TopResponse, TopRow } from '../types';
import { getJson } from './api';
import type { Ctx } from './ctx';
import { cls, formatInt, formatUsd, h, uid, wait } from './dom';
import type { PageHandle } from './main';
import { datePicker, defaultRange, isIsoDate, type Range } from './picker';
import { type Column, renderTable, type Sort, sortRows } from './table';

/** Visible texts per layout: same words, different casing, as a redesign would do. */
const TITLES: Record<Layout, Record<TopDimension, string>> = {
  '2024': { users: 'Top users', organizations: 'Top organizations', api_keys: 'Top API keys' },
  '2026': { users: 'Top Users', organizations: 'Top Organizations', api_keys: 'Top API Keys' },
  compact: { users: 'Top users', organizations: 'Top organizations', api_keys: 'Top API keys' },
};

/** Column order per layout (ids); labels below. */
const COLUMNS: Record<Layout, Record<TopDimension, string[]>> = {
  '2024': { users: ['user', 'requests'], organizations: ['organization', 'requests'], api_keys: ['name', 'key', 'requests'] },
  '2026': { users: ['requests', 'user'], organizations: ['organization', 'requests'], api_keys: ['project', 'name', 'requests', 'key'] },
  compact: { users: ['user', 'requests'], organizations: ['organization', 'requests'], api_keys: ['name', 'project', 'requests'] },
};

/** Sections in page order: the 2026 redesign moves "Top API keys" to the top. */
const ORDER: Record<Layout, TopDimension[]> = {
  '2024': ['users', 'organizations', 'api_keys'],
  '2026': ['api_keys', 'users', 'organizations'],
  compact: ['users', 'organizations', 'api_keys'],
};

/** Sections arrive one after another, the keys last (fractions of renderDelayMs). */
const DELAY_FACTOR: Record<TopDimension | 'summary', number> = { summary: 0.4, users: 0.6, organizations: 0.8, api_keys: 1 };

function readQuery(ctx: Ctx): { range: Range; project: string | null; explicit: boolean } {
  const q = new URLSearchParams(location.search);
  const start = q.get('start');
  const end = q.get('end');
  const project = q.get('project') || null;
  if (isIsoDate(start) && isIsoDate(end) && start <= end) return { range: { start, end }, project, explicit: true };
  return { range: defaultRange(ctx.today()), project, explicit: false };
}

export function renderUsage(ctx: Ctx, main: HTMLElement, tab: 'cost' | 'activity'): PageHandle {
  const { layout } = ctx;
  document.title = 'Usage - OpenAI API';
  let { range, project, explicit } = readQuery(ctx);

  // Put the effective range in the URL so it is always visible there (no history entry for that).
  if (!explicit) writeQuery(true);

  function writeQuery(replace: boolean) {
    const q = new URLSearchParams(location.search);
    q.set('start', range.start);
    q.set('end', range.end);
    if (project) q.set('project', project);
    else q.delete('project');
    const url = `${location.pathname}?${q.toString()}`;
    if (replace) history.replaceState(null, '', url);
    else history.pushState(null, '', url);
  }

  // ---- header, tabs, toolbar -----------------------------------------------------------------
  const title =
    layout === '2026'
      ? h('div', { role: 'heading', 'aria-level': 1, class: cls('Page.title') }, 'Usage')
      : h(layout === 'compact' ? 'h3' : 'h2', { class: cls('Page.title') }, 'Usage');
  const tabLink = (label: string, path: string, active: boolean) =>
    h(
      'a',
      {
        href: path,
        class: cls('Tabs.tab', active && 'Tabs.tabActive'),
        'aria-current': active ? 'page' : null,
        onclick: (event: MouseEvent) => {
          event.preventDefault();
          ctx.navigate(`${path}${location.search}`);
        },
      },
      label,
    );
  const tabs = h(
    'div',
    { class: cls('Tabs.list') },
    tabLink('Cost', '/usage', tab === 'cost'),
    tabLink('Activity', '/usage/activity', tab === 'activity'),
  );

  const picker = datePicker(
    ctx.today(),
    range,
    (next) => {
      range = next;
      writeQuery(false);
      load();
    },
    ctx.signal,
  );

  const projectSelect = h(
    'select',
    {
      class: cls('Select.root'),
      'aria-label': layout === '2026' ? 'Project' : null,
      onchange: () => {
        project = projectSelect.value || null;
        writeQuery(false);
        load();
      },
    },
    h('option', { value: '' }, 'All projects'),
    ctx.session.projects.map((p) => h('option', { value: p.id }, p.status === 'archived' ? `${p.name} (archived)` : p.name)),
  );
  projectSelect.value = project ?? '';
  const projectControl =
    layout === '2026'
      ? projectSelect
      : h('label', { class: cls('Select.field') }, h('span', { class: cls('Select.label') }, 'Project'), projectSelect);

  const header = h('div', { class: cls('Page.header') }, title, tabs);
  const toolbar = h('div', { class: cls('Page.toolbar') }, picker.el, projectControl);

  // ---- summary ---------------------------------------------------------------------------------
  const summaryEl = h('div', { class: cls('Summary.root') });
  function renderSummary(data: SummaryResponse | null) {
    const items: Array<[string, string]> = [
      ['Total spend', data ? formatUsd(data.spend_usd) : ''],
      ['Total requests', data ? formatInt(data.requests) : ''],
      ['Total tokens', data ? formatInt(data.tokens) : ''],
    ];
    if (tab === 'activity') items.push(items.shift() as [string, string]); // Activity puts spend last
    const value = (v: string) => (data ? v : h('div', { class: cls('Skeleton.bar') }));
    if (layout === 'compact') {
      summaryEl.replaceChildren(
        h(
          'dl',
          { class: cls('Summary.list') },
          items.map(([label, v]) => [h('dt', null, label), h('dd', null, value(v))]),
        ),
      );
    } else if (layout === '2026') {
      summaryEl.replaceChildren(
        ...items.map(([label, v]) =>
          h(
            'div',
            { role: 'group', 'aria-label': label, class: cls('Summary.card') },
            h('div', { class: cls('Summary.label') }, label),
            h('div', { class: cls('Summary.value') }, value(v)),
          ),
        ),
      );
    } else {
      summaryEl.replaceChildren(
        ...items.map(([label, v]) =>
          h(
            'div',
            { class: cls('Card.root', 'Summary.card') },
            h('div', { class: cls('Summary.label') }, label),
            h('div', { class: cls('Summary.value') }, value(v)),
          ),
        ),
      );
    }
  }

  // ---- top sections ------------------------------------------------------------------------------
  interface Section {
    dim: TopDimension;
    el: HTMLElement;
    body: HTMLElement;
    rows: TopRow[] | null;
    sort: Sort;
    error: string | null;
  }
  const sections = new Map<TopDimension, Section>();
  for (const dim of ORDER[layout]) {
    const body = h('div', { class: cls('Card.body') });
    const text = TITLES[layout][dim];
    let el: HTMLElement;
    if (layout === '2026') {
      el = h(
        'div',
        { class: cls('Card.root') },
        h('div', { class: cls('Card.header') }, h('div', { role: 'heading', 'aria-level': 3, class: cls('Card.title') }, text)),
        body,
      );
    } else if (layout === 'compact') {
      const id = uid();
      el = h('section', { 'aria-labelledby': id, class: cls('Card.section') }, h('h3', { id, class: cls('Card.title') }, text), body);
    } else {
      el = h(
        'div',
        { class: cls('Card.root') },
        h(
          'div',
          { class: cls('Card.header') },
          h('h3', { class: cls('Card.title') }, text),
          h('span', { class: cls('Card.hint') }, 'By requests'),
        ),
        body,
      );
    }
    sections.set(dim, { dim, el, body, rows: null, sort: { column: 'requests', dir: 'descending' }, error: null });
  }

  const sectionsEl = h(
    'div',
    { class: cls('Page.sections') },
    [...sections.values()].map((s) => s.el),
  );
  main.append(header, toolbar, summaryEl, sectionsEl);

  function columnsFor(dim: TopDimension): Column<TopRow>[] {
    const dash = '—';
    const all: Record<string, Column<TopRow>> = {
      name: {
        id: 'name',
        label: 'Name',
        sortable: true,
        track: 'minmax(0, 2fr)',
        cell: (r) => (layout === '2026' ? h('span', { class: cls('Top.name') }, r.name) : r.name),
      },
      key: {
        id: 'key',
        label: 'Key',
        track: 'minmax(0, 1.2fr)',
        cell: (r) => (r.redacted_value ? h('code', { class: cls('Top.key') }, r.redacted_value) : dash),
      },
      project: { id: 'project', label: 'Project', sortable: true, cell: (r) => r.project_name ?? dash },
      requests: { id: 'requests', label: 'Requests', numeric: true, sortable: true, track: '8rem', cell: (r) => formatInt(r.requests) },
      user: {
        id: 'user',
        label: 'User',
        sortable: true,
        track: 'minmax(0, 2fr)',
        cell: (r) =>
          layout === '2024' && r.email ? h('div', null, h('div', null, r.name), h('div', { class: cls('Table.muted') }, r.email)) : r.name,
      },
      organization: { id: 'organization', label: 'Organization', track: 'minmax(0, 2fr)', cell: (r) => r.name },
    };
    return COLUMNS[layout][dim].map((id) => all[id] as Column<TopRow>);
  }

  function sortValue(row: TopRow, column: string): string | number {
    if (column === 'requests') return row.requests;
    if (column === 'project') return row.project_name ?? '';
    return row.name;
  }

  function renderSection(s: Section) {
    if (s.error) {
      const message = s.error;
      s.body.replaceChildren(
        h(
          'div',
          { class: cls('Card.error') },
          h('span', null, `Couldn't load data: ${message}`),
          h('button', { type: 'button', class: cls('Button.base'), onclick: () => load() }, 'Retry'),
        ),
      );
      return;
    }
    renderTable(s.body, {
      layout,
      label: TITLES[layout][s.dim],
      columns: columnsFor(s.dim),
      rows: s.rows && sortRows(s.rows, s.sort, sortValue),
      empty: 'No usage in this period',
      sort: s.sort,
      onSort: (column) => {
        s.sort =
          s.sort.column === column
            ? { column, dir: s.sort.dir === 'descending' ? 'ascending' : 'descending' }
            : { column, dir: column === 'requests' ? 'descending' : 'ascending' };
        renderSection(s);
      },
    });
  }

  // ---- loading -------------------------------------------------------------------------------
  let generation = 0;
  function load() {
    generation += 1;
    const gen = generation;
    const q = new URLSearchParams({ start: range.start, end: range.end });
    if (project) q.set('project_id', project);
    const started = performance.now();
    const settle = async <T>(factor: number, promise: Promise<T>): Promise<T> => {
      const value = await promise;
      await wait(ctx.config.renderDelayMs * factor - (performance.now() - started), ctx.signal);
      return value;
    };
    const current = () => gen === generation && !ctx.signal.aborted;

    renderSummary(null);
    settle(DELAY_FACTOR.summary, getJson<SummaryResponse>(`/usage/summary?${q}`, ctx.signal))
      .then((data) => current() && renderSummary(data))
      .catch(() => current() && renderSummary(null));

    for (const s of sections.values()) {
      s.rows = null;
      s.error = null;
      renderSection(s);
      settle(DELAY_FACTOR[s.dim], getJson<TopResponse>(`/usage/top/${s.dim}?${q}`, ctx.signal))
        .then((data) => {
          if (!current()) return;
          s.rows = data.rows;
          renderSection(s);
        })
        .catch((error: unknown) => {
          if (!current()) return;
          s.error = error instanceof Error ? error.message : String(error);
          renderSection(s);
        });
    }
  }
  load();

  // Optional periodic re-render of the keys rows (same data, new elements), like React re-rendering.
  if (ctx.config.rerenderMs > 0) {
    const timer = setInterval(() => {
      const keys = sections.get('api_keys');
      if (keys?.rows) renderSection(keys);
    }, ctx.config.rerenderMs);
    ctx.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  return {
    path: location.pathname.replace(/\/+$/, ''),
    update: () => {
      ({ range, project, explicit } = readQuery(ctx));
      if (!explicit) writeQuery(true);
      picker.set(range);
      projectSelect.value = project ?? '';
      load();
    },
  };
}
