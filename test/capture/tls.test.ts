import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureReplication } from '../../lambdas/capture';
import { verifyRdbStream } from '../../lambdas/rdb';
import { freePort, RedisServer } from '../helpers/redis-server';
import { captureFailure, collect, plainKeys, streamOf, writeDataset } from './helpers';

/** Replication capture over TLS with a private CA and a client certificate (tls-auth-clients yes). */

const dir = mkdtempSync(join(tmpdir(), 'capture-tls-'));
let server: RedisServer;
let tlsPort: number;
const pem = (name: string): Buffer => readFileSync(join(dir, name));

function openssl(...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

/** A CA, and a certificate it signs for `cn` (EC keys: fast to make). */
function makeCerts(): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=capture-test-ca');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const cn of ['server', 'client']) {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${cn}.key`, '-out', `${cn}.csr`, '-subj', `/CN=${cn === 'server' ? 'localhost' : 'client'}`);
    openssl('x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${cn}.crt`, '-days', '2', '-extfile', 'san.ext');
  }
}

beforeAll(async () => {
  makeCerts();
  tlsPort = await freePort();
  server = await RedisServer.start({
    config: {
      'tls-port': tlsPort,
      'tls-cert-file': join(dir, 'server.crt'),
      'tls-key-file': join(dir, 'server.key'),
      'tls-ca-cert-file': join(dir, 'ca.crt'),
      'tls-auth-clients': 'yes',
      'repl-diskless-sync-delay': 0,
    },
  });
  await writeDataset(server.client(), 50);
});

afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('capture over TLS with the CA, a client certificate and SNI', async () => {
  const capture = await captureReplication({
    endpoint: { host: '127.0.0.1', port: tlsPort, tls: { ca: pem('ca.crt'), cert: pem('client.crt'), key: pem('client.key'), servername: 'localhost' } },
  });
  expect(capture.info.server?.version).toBe('7.0.15');
  const payload = await collect(capture);
  await verifyRdbStream(streamOf(payload));
  expect(plainKeys(payload).get('set')).toEqual(['m1', 'm2']);
});

test('an untrusted server certificate: CAPTURE_CONNECT_FAILED saying to pass the CA', async () => {
  const err = await captureFailure(
    () => captureReplication({ endpoint: { host: '127.0.0.1', port: tlsPort, tls: { cert: pem('client.crt'), key: pem('client.key') } } }),
    'CAPTURE_CONNECT_FAILED',
  );
  expect(err.message).toContain('tls.ca');
});

test('plain TCP to the TLS port: the server hangs up, and the message suggests rediss://', async () => {
  const err = await captureFailure(() => captureReplication({ endpoint: { host: '127.0.0.1', port: tlsPort }, timeouts: { replyMs: 2000 } }));
  expect(['CAPTURE_CLOSED', 'CAPTURE_TIMEOUT']).toContain(err.code);
  expect(err.message).toContain('rediss://');
});
