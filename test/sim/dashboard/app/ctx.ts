import type { DashConfig, Layout, SessionInfo } from '../types';

/** What every page render gets from the shell. */
export interface Ctx {
  layout: Layout;
  session: SessionInfo;
  config: DashConfig;
  /** Aborted when the user navigates away: pending timers and fetches of the page stop. */
  signal: AbortSignal;
  /** Client-side navigation (history.pushState, no reload). */
  navigate(pathAndQuery: string, opts?: { replace?: boolean }): void;
  /** Today's UTC date (YYYY-MM-DD) by the server's clock. */
  today(): string;
}
