// @vitest-environment node
import { Agent, request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2E_ADMIN_KEY } from './seed';
import { type SimServer, startSim } from './server';

/** GET on api.openai.com through the simulator, on the one kept-alive connection of `agent`. */
function get(sim: SimServer, agent: Agent, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: sim.port,
        path,
        agent,
        rejectUnauthorized: false, // the simulator's throw-away certificate
        servername: 'api.openai.com',
        headers: { host: 'api.openai.com', authorization: `Bearer ${E2E_ADMIN_KEY}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('simulator server', () => {
  let sim: SimServer;
  beforeAll(async () => {
    sim = await startSim();
  });
  afterAll(() => sim.close());

  it('slow answers on one kept-alive connection leave no listener behind', async () => {
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.name);
    process.on('warning', onWarning);
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      sim.api.setFault({ endpoint: 'projects', kind: 'hang', hangMs: 5, times: 15 });
      for (let i = 0; i < 15; i++) expect(await get(sim, agent, '/v1/organization/projects')).toBe(200);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      agent.destroy();
      process.off('warning', onWarning);
    }
    expect(sim.api.faults).toEqual([]);
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });
});
