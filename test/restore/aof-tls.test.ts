import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFormatFor } from '../../lambdas/rdb';
import { loadAof, localAofSource } from '../../lambdas/restore/aof';
import { AOF_FIXTURES } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { freePort, RedisServer } from '../helpers/redis-server';
import { compareWithTruth } from '../helpers/truth';

/** An AOF replayed over TLS (private CA, client certificate, SNI) with AUTH: base keys and commands both go through it. */

const dir = mkdtempSync(join(tmpdir(), 'aof-restore-tls-'));
const pem = (name: string): Buffer => readFileSync(join(dir, name));
const openssl = (...args: string[]): void => void execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

function makeCerts(): void {
  openssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '2', '-subj', '/CN=aof-restore-test-ca');
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  for (const cn of ['server', 'client']) {
    openssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${cn}.key`, '-out', `${cn}.csr`, '-subj', `/CN=${cn === 'server' ? 'localhost' : 'client'}`);
    openssl('x509', '-req', '-in', `${cn}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', `${cn}.crt`, '-days', '2', '-extfile', 'san.ext');
  }
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('load over TLS with a client certificate and a password', async () => {
  makeCerts();
  const tlsPort = await freePort();
  const server = await RedisServer.start({
    config: { 'tls-port': tlsPort, 'tls-cert-file': join(dir, 'server.crt'), 'tls-key-file': join(dir, 'server.key'), 'tls-ca-cert-file': join(dir, 'ca.crt'), 'tls-auth-clients': 'yes', requirepass: 'tls-sekrit' },
  });
  try {
    const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!;
    const tls = { ca: pem('ca.crt'), cert: pem('client.crt'), key: pem('client.key'), servername: 'localhost' };
    const report = await loadAof({ source: await localAofSource(fixture.dir), target: { host: '127.0.0.1', port: tlsPort, password: 'tls-sekrit', tls } });
    expect(report.ok).toBe(true);
    expect(report.keys.restored).toBeGreaterThan(0);
    expect(report.commands.sent).toBeGreaterThan(0);
    const dataset = await readDataset(server.client({ password: 'tls-sekrit' }));
    compareWithTruth(dataset, fixture.truth, scoreFormatFor('redis', fixture.truth.version, 0), scoreFormatFor('redis', dataset.version, 0));
  } finally {
    await server.stop();
  }
});
