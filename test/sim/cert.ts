import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SIM_HOSTS = ['platform.openai.com', 'api.openai.com'] as const;

/**
 * A throw-away self-signed certificate for the simulated hosts, made fresh at test time with
 * openssl so nothing secret is committed. Chromium is started with --ignore-certificate-errors.
 */
export function makeThrowAwayCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'keymeter-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  const san = ['localhost', ...SIM_HOSTS].map((h) => `DNS:${h}`).join(',');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '2',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-subj',
      '/CN=localhost',
      '-addext',
      `subjectAltName=${san}`,
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(keyPath, 'utf8'), cert: readFileSync(certPath, 'utf8') };
}
