// A throwaway private CA and a server certificate it signed for 127.0.0.1 and localhost, made
// with openssl: for brokers a client must trust through a CA file (mqtts:// tests).
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requireExecutable } from './service-requirement.ts';

export interface TestCertificateAuthority {
  /** the CA's certificate (PEM): what a client trusts */
  caFile: string;
  /** the server's certificate and key, signed by the CA */
  certFile: string;
  keyFile: string;
  dir: string;
  remove(): Promise<void>;
}

const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** undefined (the suite skips) when openssl is missing and services are optional */
export async function testCertificateAuthority(): Promise<TestCertificateAuthority | undefined> {
  const openssl = requireExecutable('openssl', 'Debian package openssl');
  if (!openssl) return undefined;
  const run = (args: string[]) => promisify(execFile)(openssl, args);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'gw-test-ca-'));
  const file = (name: string) => path.join(dir, name);
  await run([
    'req',
    '-x509',
    ...EC_KEY,
    '-days',
    '2',
    '-subj',
    '/CN=Gateway Test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
  ]);
  await run(['req', ...EC_KEY, '-subj', '/CN=127.0.0.1', '-keyout', file('server.key'), '-out', file('server.csr')]);
  await writeFile(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  await run([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  ]);
  // Readable by all: Mosquitto started as root drops to its own user before it loads them.
  await chmod(dir, 0o755);
  for (const name of await readdir(dir)) await chmod(file(name), 0o644);
  return {
    caFile: file('ca.pem'),
    certFile: file('server.pem'),
    keyFile: file('server.key'),
    dir,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}
