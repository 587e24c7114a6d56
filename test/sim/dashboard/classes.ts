import type { Layout } from './types';

/**
 * Class names per layout. Code and CSS name a class as `Module__element` (e.g. `Table__row`):
 * - '2024' and 'compact' turn it into a readable BEM-ish name: `table__row`;
 * - '2026' turns it into a hashed CSS-module name like a React build emits: `Table-module__row--a1B2c`.
 * The hash depends on `buildId`, so "a new deploy" changes every class while prefixes stay:
 * locators may match `[class^="Table-module__row"]` but never a full hashed name.
 * Shared by the server (rewrites app.css per layout) and the SPA (sets className).
 */

const BASE62 = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** Deterministic 5-character tag from FNV-1a (32 bit). */
export function hash5(input: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < input.length; i++) {
    h ^= input.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  let out = '';
  for (let i = 0; i < 5; i++) {
    out += BASE62[h % 62];
    h = Math.floor(h / 62) + i * 7919; // keep mixing so short inputs still give 5 varied chars
  }
  return out;
}

function kebab(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
}

export function className(layout: Layout, buildId: string, module: string, element: string): string {
  if (layout === '2026') return `${module}-module__${element}--${hash5(`${buildId}:${module}:${element}`)}`;
  return `${kebab(module)}__${kebab(element)}`;
}

/** `.Module__element` tokens in the stylesheet → the layout's class names. */
export function rewriteCss(css: string, layout: Layout, buildId: string): string {
  return css.replace(
    /\.([A-Z][A-Za-z0-9]*)__([A-Za-z][A-Za-z0-9]*)/g,
    (_m, module: string, element: string) => `.${className(layout, buildId, module, element)}`,
  );
}
