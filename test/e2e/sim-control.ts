import type { FaultSpec } from '../sim/api/types';
import type { HostContact, SecretLeak } from '../sim/server';

/** Test-side client of the simulator's control channel (plain HTTP on 127.0.0.1). */
export function simControl(controlPort: number) {
  const base = `http://127.0.0.1:${controlPort}`;
  async function post(path: string, body: unknown = {}) {
    const response = await fetch(base + path, { method: 'POST', body: JSON.stringify(body) });
    if (!response.ok) throw new Error(`sim control ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<unknown>;
  }
  return {
    reset: () => post('/reset'),
    fault: (spec: FaultSpec) => post('/fault', spec),
    clearFaults: () => post('/faults/clear'),
    revokeAdminKey: (key: string) => post('/revoke-admin-key', { key }),
    dashboardConfig: (config: Record<string, unknown>) => post('/dashboard/config', config),
    async org(): Promise<import('../sim/model').SimOrg> {
      return (await fetch(`${base}/org`)).json() as never;
    },
    async state(): Promise<{
      api: Array<{ method: string; path: string; query: string; auth: string; keyHint: string | null; status: number }>;
      dashboard: Array<{ kind: string; keyId?: string; outcome?: string }>;
      hosts: HostContact[];
      leaks: SecretLeak[];
    }> {
      const response = await fetch(`${base}/state`);
      return response.json() as never;
    },
  };
}
export type SimControl = ReturnType<typeof simControl>;
