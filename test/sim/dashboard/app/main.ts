/**
 * Simulated platform.openai.com SPA (bundled by the server with esbuild into one classic script).
 *
 * Picking a layout (three structurally different DOMs, see ../README.md):
 * - per page load: `?layout=2024` | `?layout=2026` | `?layout=compact` on any route; the choice is kept in
 *   sessionStorage (`sim-dash-layout`), so later route changes and reloads in that tab keep it;
 * - default for new tabs: `dashboard.setConfig({ layout })` (server side), or POST /_sim/dash/config.
 *
 * Everything is client-rendered after GET /_sim/dash/session; routes change with history.pushState.
 */

import { LAYOUTS, type Layout, type SessionInfo } from '../types';
import { getJson, logEvent } from './api';
import type { Ctx } from './ctx';
import { cls, h, icon, isoDay, mountToastRegion, setClassContext } from './dom';
import { renderKeys } from './keys';
import { renderSettings } from './settings';
import { renderUsage } from './usage';

const LAYOUT_KEY = 'sim-dash-layout';

/** What a page can do when only its query string changed (back/forward, its own pushState). */
export interface PageHandle {
  path: string;
  update?: () => void;
}

function isLayout(value: string | null): value is Layout {
  return value !== null && (LAYOUTS as readonly string[]).includes(value);
}

function chooseLayout(defaultLayout: Layout): Layout {
  const fromQuery = new URLSearchParams(location.search).get('layout');
  if (isLayout(fromQuery)) {
    sessionStorage.setItem(LAYOUT_KEY, fromQuery);
    return fromQuery;
  }
  const remembered = sessionStorage.getItem(LAYOUT_KEY);
  return isLayout(remembered) ? remembered : defaultLayout;
}

const NAV: Array<{ path: string; label: string; icon: 'chart' | 'key' | 'gear'; match: (p: string) => boolean }> = [
  { path: '/usage', label: 'Usage', icon: 'chart', match: (p) => p.startsWith('/usage') },
  { path: '/api-keys', label: 'API keys', icon: 'key', match: (p) => p.startsWith('/api-keys') },
  { path: '/settings/organization/general', label: 'Settings', icon: 'gear', match: (p) => p.startsWith('/settings') },
];

async function boot(): Promise<void> {
  const root = document.getElementById('root');
  if (!root) throw new Error('no #root');
  const session = await getJson<SessionInfo>('/session');
  const layout = chooseLayout(session.config.layout);
  const clockOffset = session.now - Date.now();
  document.documentElement.dataset.simLayout = layout;
  setClassContext(layout, session.config.buildId);
  document.head.appendChild(
    h('link', { rel: 'stylesheet', href: `/_sim/dash/app.css?layout=${layout}&build=${encodeURIComponent(session.config.buildId)}` }),
  );

  const main = h('main', { class: cls('App.main') });
  const links = NAV.map((item) =>
    h(
      'a',
      {
        href: item.path,
        class: cls('App.navLink'),
        onclick: (event: MouseEvent) => {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
          event.preventDefault();
          navigate(item.path);
        },
      },
      layout === '2026' && icon(item.icon),
      item.label,
    ),
  );
  const brand = h('div', { class: cls('App.brand') }, layout === 'compact' ? 'OpenAI' : 'OpenAI Platform');
  const orgBadge = h(
    'div',
    { class: cls('App.org') },
    h('span', { class: cls('App.orgName') }, session.org.name),
    layout !== 'compact' && h('span', { class: cls('App.orgUser') }, session.user.email),
  );
  if (layout === '2026') {
    // Sidebar app: vertical nav on the left.
    root.replaceChildren(
      h(
        'div',
        { class: cls('App.root') },
        h('aside', { class: cls('App.sidebar') }, brand, orgBadge, h('nav', { 'aria-label': 'Sidebar', class: cls('App.nav') }, links)),
        main,
      ),
    );
  } else if (layout === 'compact') {
    root.replaceChildren(
      h(
        'div',
        { class: cls('App.root') },
        h(
          'header',
          { class: cls('App.topbar') },
          brand,
          h(
            'nav',
            { 'aria-label': 'Main', class: cls('App.nav') },
            h(
              'ul',
              { class: cls('App.navList') },
              links.map((a) => h('li', null, a)),
            ),
          ),
          orgBadge,
        ),
        main,
      ),
    );
  } else {
    root.replaceChildren(
      h(
        'div',
        { class: cls('App.root') },
        h('header', { class: cls('App.topbar') }, brand, h('nav', { 'aria-label': 'Main', class: cls('App.nav') }, links), orgBadge),
        main,
      ),
    );
  }
  mountToastRegion(document.body);

  let controller: AbortController | null = null;
  let page: PageHandle | null = null;

  function navigate(to: string, opts: { replace?: boolean } = {}): void {
    if (opts.replace) history.replaceState(null, '', to);
    else history.pushState(null, '', to);
    route();
  }

  function route(): void {
    const path = location.pathname.replace(/\/+$/, '') || '/';
    if (page && page.path === path && page.update) {
      page.update(); // same page, new query: re-render in place like a mounted React route
      return;
    }
    if (path === '/') {
      navigate(`/usage${location.search}`, { replace: true });
      return;
    }
    controller?.abort();
    controller = new AbortController();
    links.forEach((a, i) => {
      if (NAV[i]?.match(path)) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
      a.className = cls('App.navLink', NAV[i]?.match(path) && 'App.navLinkActive');
    });
    const ctx: Ctx = {
      layout,
      session,
      config: session.config,
      signal: controller.signal,
      navigate,
      today: () => isoDay(Date.now() + clockOffset),
    };
    main.replaceChildren();
    if (path === '/usage' || path === '/usage/activity') page = renderUsage(ctx, main, path === '/usage' ? 'cost' : 'activity');
    else if (path === '/api-keys') page = renderKeys(ctx, main);
    else if (path.startsWith('/settings')) page = renderSettings(ctx, main);
    else page = renderNotFound(ctx, main, path);
    logEvent('navigate', undefined, path);
  }

  window.addEventListener('popstate', route);
  route();
}

function renderNotFound(ctx: Ctx, main: HTMLElement, path: string): PageHandle {
  document.title = 'Not found - OpenAI API';
  main.append(
    h('h2', { class: cls('Page.title') }, 'Page not found'),
    h(
      'p',
      null,
      'Nothing here. ',
      h(
        'a',
        {
          href: '/usage',
          onclick: (e: MouseEvent) => {
            e.preventDefault();
            ctx.navigate('/usage');
          },
        },
        'Go to Usage',
      ),
    ),
  );
  return { path };
}

boot().catch((error: unknown) => {
  document.body.textContent = `Dashboard failed to load: ${error instanceof Error ? error.message : String(error)}`;
});
