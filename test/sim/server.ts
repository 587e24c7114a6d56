import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { type AddressInfo, createServer as createTcpServer, type Socket } from 'node:net';
import { createMockApi, type MockApi } from './api/index';
import { makeThrowAwayCert } from './cert';
import { createDashboard, type Dashboard } from './dashboard/index';
import type { SimOrg } from './model';
import { createOrg } from './seed';

/**
 * One local port that plays both OpenAI hosts over HTTPS. Chromium maps every host name to it
 * (`--host-resolver-rules=MAP * 127.0.0.1:<port>`), so the server also sees any host the
 * browser tries to reach that is not ours, over HTTPS or plain HTTP: tests read that list and
 * fail on strangers. A second, plain-HTTP server on 127.0.0.1 is the test-control channel.
 */

export const ALLOWED_HOSTS = ['platform.openai.com', 'api.openai.com'];

export interface HostContact {
  host: string;
  scheme: 'https' | 'http';
  at: number;
  path: string;
}

/** A place an admin key showed up where it must not: anywhere but the Authorization header of an api.openai.com request. */
export interface SecretLeak {
  host: string;
  path: string;
  where: 'url' | 'header' | 'body';
  name?: string;
}

export interface SimServer {
  port: number;
  controlPort: number;
  readonly org: SimOrg;
  readonly api: MockApi;
  readonly dashboard: Dashboard;
  hosts: HostContact[];
  leaks: SecretLeak[];
  reset(): void;
  close(): Promise<void>;
}

export interface SimOptions {
  port?: number;
  controlPort?: number;
  host?: string;
}

export async function startSim(options: SimOptions = {}): Promise<SimServer> {
  let org = createOrg();
  let api = createMockApi(org);
  let dashboard = createDashboard(org);
  const hosts: HostContact[] = [];
  const leaks: SecretLeak[] = [];
  const openSockets = new Set<Socket>();

  const tls = makeThrowAwayCert();
  const handler = (scheme: 'https' | 'http') => (req: IncomingMessage, res: ServerResponse) => {
    void route(req, res, scheme).catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`simulator error: ${error instanceof Error ? error.stack : String(error)}`);
    });
  };
  const httpsServer = createHttpsServer({ ...tls }, handler('https'));
  const plainServer = createHttpServer(handler('http'));
  // One port for both: a TLS handshake starts with byte 0x16, anything else is plain HTTP.
  const server = createTcpServer((socket: Socket) => {
    openSockets.add(socket);
    socket.on('close', () => openSockets.delete(socket));
    socket.once('readable', () => {
      const first = socket.read(1) as Buffer | null;
      if (!first) return socket.destroy();
      socket.unshift(first);
      (first[0] === 0x16 ? httpsServer : plainServer).emit('connection', socket);
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, scheme: 'https' | 'http') {
    const host = (req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
    const url = new URL(req.url ?? '/', `${scheme}://${host || 'unknown'}`);
    hosts.push({ host, scheme, at: Date.now(), path: url.pathname });
    const headers = flattenHeaders(req);
    const body = await readBody(req);
    leaks.push(...findLeaks(org.adminKeys, host, req, body));
    const simRequest = { method: req.method ?? 'GET', url, headers, body };
    if (scheme === 'https' && host === 'api.openai.com') {
      const answer = await api.handle(simRequest);
      if (answer.hangMs) await waitUnlessClosed(answer.hangMs, req);
      if (res.destroyed) return;
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return;
    }
    if (scheme === 'https' && host === 'platform.openai.com') {
      const answer = await dashboard.handle(simRequest);
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
      return;
    }
    res.writeHead(421, { 'content-type': 'text/plain' });
    res.end(`The Keymeter simulator serves only ${ALLOWED_HOSTS.join(' and ')}; ${host} is not allowed.`);
  }

  const control = createHttpServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const input = body ? (JSON.parse(body) as Record<string, unknown>) : {};
      const path = new URL(req.url ?? '/', 'http://control').pathname;
      const reply = (status: number, value: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (path === '/state') return reply(200, { api: api.log, dashboard: dashboard.log, hosts, leaks });
      if (path === '/reset') {
        sim.reset();
        return reply(200, { ok: true });
      }
      if (path === '/fault') {
        api.setFault(input as unknown as Parameters<MockApi['setFault']>[0]);
        return reply(200, { ok: true });
      }
      if (path === '/faults/clear') {
        api.clearFaults();
        return reply(200, { ok: true });
      }
      if (path === '/dashboard/config') {
        dashboard.setConfig(input as Parameters<Dashboard['setConfig']>[0]);
        return reply(200, { ok: true });
      }
      if (path === '/org') return reply(200, org);
      if (path === '/revoke-admin-key') {
        // An owner revokes the key on OpenAI's side: from now on it gets 401.
        org.adminKeys = org.adminKeys.filter((key) => key !== input.key);
        return reply(200, { ok: true });
      }
      reply(404, { error: `no control route ${path}` });
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });

  const bindHost = options.host ?? '127.0.0.1';
  await listen(server, options.port ?? 0, bindHost);
  await listen(control, options.controlPort ?? 0, bindHost);

  const sim: SimServer = {
    port: (server.address() as AddressInfo).port,
    controlPort: (control.address() as AddressInfo).port,
    get org() {
      return org;
    },
    get api() {
      return api;
    },
    get dashboard() {
      return dashboard;
    },
    hosts,
    leaks,
    reset() {
      org = createOrg();
      api = createMockApi(org);
      dashboard = createDashboard(org);
      hosts.length = 0;
      leaks.length = 0;
    },
    async close() {
      for (const socket of openSockets) socket.destroy();
      await Promise.all([closeServer(server), closeServer(control)]);
    },
  };
  return sim;
}

/** Every admin key must travel only as `Authorization: Bearer …` to api.openai.com. */
function findLeaks(secrets: readonly string[], host: string, req: IncomingMessage, body: string): SecretLeak[] {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const found: SecretLeak[] = [];
  for (const secret of secrets) {
    if ((req.url ?? '').includes(secret)) found.push({ host, path, where: 'url' });
    if (body.includes(secret)) found.push({ host, path, where: 'body' });
    for (const [name, value] of Object.entries(req.headers)) {
      const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
      if (!text.includes(secret)) continue;
      if (host === 'api.openai.com' && name === 'authorization' && text === `Bearer ${secret}`) continue;
      found.push({ host, path, where: 'header', name });
    }
  }
  return found;
}

function flattenHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function waitUnlessClosed(ms: number, req: IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    const onClose = () => {
      clearTimeout(timer);
      resolve();
    };
    // A kept-alive socket carries many requests: take the listener off again when the wait ends.
    const timer = setTimeout(() => {
      req.socket.off('close', onClose);
      resolve();
    }, ms);
    req.socket.once('close', onClose);
  });
}

function listen(server: import('node:net').Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

function closeServer(server: import('node:net').Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
