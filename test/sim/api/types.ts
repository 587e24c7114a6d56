/** The mock Admin API as a pure request handler; the simulator's HTTPS server adapts node req/res to these. */
import type { SimOrg } from '../model';

export interface SimRequest {
  method: string;
  url: URL;
  /** Lower-case header names (as node gives them). */
  headers: Record<string, string | undefined>;
  body?: string;
}

export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  /** The server should wait this long before answering (or until the client gives up). */
  hangMs?: number;
}

export type FaultKind = '429' | '500' | 'hang' | 'malformed' | 'unknown-fields' | 'repeat-cursor';

export interface FaultSpec {
  /** Path after /v1/organization/ or its tail ('usage/completions', 'completions', 'costs', 'api_keys'); '*' or omitted = all. */
  endpoint?: string;
  kind: FaultKind;
  /** How many matching requests it hits; omitted = until cleared. */
  times?: number;
  /** 429 only: Retry-After seconds (default 1); null sends no Retry-After header. */
  retryAfter?: number | null;
  /** hang only: how long the server should stall (default 120 000 ms). */
  hangMs?: number;
}

/** Who called: a valid admin key, a project/user key (sk-…), nothing, or something unrecognised. */
export type AuthKind = 'admin' | 'project' | 'none' | 'unknown';

export interface LogEntry {
  /** Unix seconds from the mock's clock. */
  at: number;
  method: string;
  /** URL path, e.g. /v1/organization/usage/completions. */
  path: string;
  /** The raw query string without '?' (anything looking like a key is redacted). */
  query: string;
  auth: AuthKind;
  /** Last 4 characters of the bearer token, never more. */
  keyHint: string | null;
  status: number;
  /** The fault that shaped this response, if any. */
  fault?: FaultKind;
}

export interface MockApiOptions {
  /** The clock in Unix seconds (default: the real clock). Buckets at/after now are empty. */
  now?: () => number;
  /**
   * 'utc' (default, as in OpenAI's real 2025 output): the first bucket runs from start_time to the
   * next UTC boundary of the width, later buckets are aligned [midnight, next midnight) etc.
   * 'start': buckets are [start_time + k·width, start_time + (k+1)·width).
   */
  bucketAlignment?: 'utc' | 'start';
  /**
   * Whether GET …/projects/{id}/api_keys also lists legacy user keys (sk-…, created before 2023-12-20).
   * Default false: the reference notes that no official endpoint lists them.
   */
  listLegacyKeys?: boolean;
}

export interface MockApi {
  readonly org: SimOrg;
  handle(req: SimRequest): Promise<SimResponse>;
  setFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Active faults with their remaining counts. */
  readonly faults: ReadonlyArray<Readonly<FaultSpec>>;
  readonly log: LogEntry[];
  /** Clears the log and all faults. */
  reset(): void;
}

/** Response header naming the fault that shaped a response, so contract tests can tell deliberate deviations. */
export const FAULT_HEADER = 'x-sim-fault';
