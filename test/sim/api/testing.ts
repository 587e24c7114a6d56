// biome-ignore-all lint/suspicious/noExplicitAny: tests read untyped JSON bodies
/** Small helpers for tests that talk to the mock API in-process (no server). */
import { DEMO_ADMIN_KEY } from '../seed';
import type { MockApi, SimResponse } from './types';

export type QueryValue = string | number | boolean | ReadonlyArray<string | number>;

/** https://api.openai.com/v1/organization/<path>?…; arrays become repeated keys (group_by=a&group_by=b). */
export function apiUrl(path: string, query: Record<string, QueryValue | undefined> = {}): URL {
  const url = new URL(`https://api.openai.com/v1/organization/${path.replace(/^\//, '')}`);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) url.searchParams.append(name, String(v));
    else url.searchParams.append(name, String(value));
  }
  return url;
}

export interface Answer extends SimResponse {
  /** Parsed body (undefined when it is not JSON). */
  json: any;
}

export async function get(
  api: MockApi,
  path: string,
  query: Record<string, QueryValue | undefined> = {},
  key: string | null = DEMO_ADMIN_KEY,
): Promise<Answer> {
  const headers: Record<string, string | undefined> = key == null ? {} : { authorization: `Bearer ${key}` };
  const response = await api.handle({ method: 'GET', url: apiUrl(path, query), headers });
  let json: unknown;
  try {
    json = JSON.parse(response.body);
  } catch {
    json = undefined;
  }
  return { ...response, json };
}

export interface Bucket {
  object: 'bucket';
  start_time: number;
  end_time: number;
  results: Array<Record<string, any>>;
}

/** Follows next_page until has_more is false (at most maxPages); returns every bucket and the page count. */
export async function walkPages(
  api: MockApi,
  path: string,
  query: Record<string, QueryValue | undefined>,
  maxPages = 200,
): Promise<{ buckets: Bucket[]; pages: number; cursors: string[] }> {
  const buckets: Bucket[] = [];
  const cursors: string[] = [];
  let page: string | undefined;
  for (let pages = 1; pages <= maxPages; pages++) {
    const answer = await get(api, path, { ...query, page });
    if (answer.status !== 200) throw new Error(`${path} page ${pages}: ${answer.status} ${answer.body}`);
    buckets.push(...answer.json.data);
    if (!answer.json.has_more) return { buckets, pages, cursors };
    page = answer.json.next_page;
    cursors.push(String(page));
  }
  throw new Error(`${path}: still has_more after ${maxPages} pages`);
}
