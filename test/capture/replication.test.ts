import Redis from 'ioredis';
import { captureReplication, REPLICATION_ACL } from '../../lambdas/capture';
import { verifyRdbStream } from '../../lambdas/rdb';
import { freePort, RedisServer } from '../helpers/redis-server';
import { captureFailure, collect, connectedReplicas, eventually, plainKeys, streamOf, writeDataset } from './helpers';

/**
 * Replication capture against real redis-server processes (7.0 here): both
 * framings, passwords and ACL users, writes during the capture, renamed sync
 * commands, connections killed mid-payload.
 */

const servers: RedisServer[] = [];
async function server(config: Record<string, string | number> = {}): Promise<RedisServer> {
  const s = await RedisServer.start({ config: { 'repl-diskless-sync-delay': 0, ...config } });
  servers.push(s);
  return s;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

const endpointOf = (s: RedisServer, auth: { username?: string; password?: string } = {}): { host: string; port: number; username?: string; password?: string } => ({
  host: s.host,
  port: s.port,
  ...auth,
});

describe.each([
  ['diskless', 'yes', 'eof-marker'],
  ['disk-based', 'no', 'length'],
] as const)('%s replication (repl-diskless-sync %s)', (_name, diskless, framing) => {
  let s: RedisServer;
  let client: Redis;
  let expected: Map<string, unknown>;

  beforeAll(async () => {
    s = await server({ 'repl-diskless-sync': diskless });
    client = s.client();
    expected = await writeDataset(client);
  });

  test('a quiescent source: the payload verifies and holds exactly the data written', async () => {
    const capture = await captureReplication({ endpoint: endpointOf(s) });
    expect(capture.info).toMatchObject({ method: 'replication', framing, syncCommand: 'PSYNC', server: { engine: 'redis', version: '7.0.15', role: 'master' } });
    expect(capture.info.replId).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof capture.info.replOffset).toBe('number');
    const payload = await collect(capture);
    if (framing === 'length') expect(capture.info.declaredBytes).toBe(payload.length);
    const summary = await verifyRdbStream(streamOf(payload));
    expect(summary.checksum).toBe('ok');
    expect(plainKeys(payload)).toEqual(expected);
    // The server no longer lists the capture as a replica.
    await eventually(async () => (await connectedReplicas(client)) === 0);
  });

  test('writes running during the capture: the payload still parses cleanly', async () => {
    // A bigger dataset (about 3 MB) so that the transfer overlaps the writes.
    const p = client.pipeline();
    for (let i = 0; i < 30_000; i++) p.set(`bulk:${i}`, 'b'.repeat(100));
    await p.exec();
    const writer = s.client();
    let stop = false;
    let written = 0;
    const loop = (async () => {
      while (!stop) {
        await writer.set(`live:${written % 500}`, `value-${written}`);
        written++;
      }
    })();
    try {
      await eventually(async () => written > 10, 2000, 5);
      const before = written;
      const capture = await captureReplication({ endpoint: endpointOf(s) });
      const payload = await collect(capture, 1);
      expect(written).toBeGreaterThan(before); // writes did run while the snapshot was taken and sent
      const summary = await verifyRdbStream(streamOf(payload));
      expect(summary.checksum).toBe('ok');
      const keys = plainKeys(payload);
      for (const [k, v] of expected) expect(keys.get(k)).toEqual(v);
      expect(keys.get('bulk:29999')).toBe('b'.repeat(100));
    } finally {
      stop = true;
      await loop;
    }
  });
});

describe('authentication and ACL', () => {
  let s: RedisServer;
  let admin: Redis;

  beforeAll(async () => {
    s = await server({ requirepass: 'secret' });
    admin = s.client({ password: 'secret' });
    await writeDataset(admin, 20);
    // The minimal ACL for replication capture on 7.0: REPLCONF and PSYNC. AUTH needs no permission;
    // INFO is optional (engine/version/role are then not recorded); SYNC only matters on servers without PSYNC.
    await admin.call('ACL', 'SETUSER', 'backup', 'on', '>pw', ...REPLICATION_ACL.split(' '));
    await admin.call('ACL', 'SETUSER', 'noinfo-nopsync', 'on', '>pw', '+replconf', '+info');
    await admin.call('ACL', 'SETUSER', 'noreplconf', 'on', '>pw', '+psync', '+info');
  });

  test('requirepass: the password authenticates', async () => {
    const capture = await captureReplication({ endpoint: endpointOf(s, { password: 'secret' }) });
    await verifyRdbStream(streamOf(await collect(capture)));
  });

  test('a wrong password, an unknown user or no password at all: CAPTURE_AUTH_FAILED', async () => {
    const wrong = await captureFailure(() => captureReplication({ endpoint: endpointOf(s, { password: 'nope' }) }), 'CAPTURE_AUTH_FAILED');
    expect(wrong.message).not.toContain('nope');
    await captureFailure(() => captureReplication({ endpoint: endpointOf(s, { username: 'ghost', password: 'pw' }) }), 'CAPTURE_AUTH_FAILED');
    const none = await captureFailure(() => captureReplication({ endpoint: endpointOf(s) }), 'CAPTURE_AUTH_FAILED');
    expect(none.message).toMatch(/requires authentication/);
  });

  test(`an ACL user with only "${REPLICATION_ACL}" can capture`, async () => {
    const capture = await captureReplication({ endpoint: endpointOf(s, { username: 'backup', password: 'pw' }) });
    expect(capture.info.server).toBeUndefined(); // INFO is denied: tolerated
    const payload = await collect(capture);
    expect(plainKeys(payload).get('hash')).toEqual({ a: '1', b: 'two' });
  });

  test('a user without PSYNC or REPLCONF: CAPTURE_NO_PERMISSION naming the command and the rule', async () => {
    const noPsync = await captureFailure(
      () => captureReplication({ endpoint: endpointOf(s, { username: 'noinfo-nopsync', password: 'pw' }) }),
      'CAPTURE_NO_PERMISSION',
    );
    expect(noPsync.context).toMatchObject({ command: 'PSYNC', aclRule: REPLICATION_ACL });
    expect(noPsync.message).toContain(`ACL SETUSER noinfo-nopsync ${REPLICATION_ACL}`);
    const noReplconf = await captureFailure(
      () => captureReplication({ endpoint: endpointOf(s, { username: 'noreplconf', password: 'pw' }) }),
      'CAPTURE_NO_PERMISSION',
    );
    expect(noReplconf.context.command).toBe('REPLCONF');
  });
});

describe('renamed or disabled sync commands', () => {
  let s: RedisServer;

  beforeAll(async () => {
    // Options of the form "--rename-command PSYNC" "mypsync" are how redis-server takes two-word directives on its command line.
    s = await server({ 'rename-command PSYNC': 'mypsync', 'rename-command SYNC': 'mysync' });
    await writeDataset(s.client(), 10);
  });

  test('CAPTURE_SYNC_REFUSED names the alternatives', async () => {
    const err = await captureFailure(() => captureReplication({ endpoint: endpointOf(s) }), 'CAPTURE_SYNC_REFUSED');
    expect(err.message).toContain('ElastiCache');
    expect(err.message).toContain('--method bgsave --data-dir DIR');
    expect(err.message).toContain('redis-backup import PATH');
    expect(err.message).toContain('syncCommand');
    expect(err.message).toContain("unknown command 'PSYNC'");
  });

  test.each(['mypsync', 'mysync'])('capture succeeds with syncCommand %s', async (syncCommand) => {
    const capture = await captureReplication({ endpoint: endpointOf(s), syncCommand });
    // A renamed PSYNC is run as SYNC by the server (it checks the name): no +FULLRESYNC line.
    expect(capture.info).toMatchObject({ syncCommand, framing: 'eof-marker' });
    expect(plainKeys(await collect(capture)).get('list')).toEqual(['x', 'y', 'z']);
  });

  test('a configured command the server does not know: CAPTURE_SYNC_REFUSED', async () => {
    await captureFailure(() => captureReplication({ endpoint: endpointOf(s), syncCommand: 'nosuchsync' }), 'CAPTURE_SYNC_REFUSED');
  });
});

describe('connections that fail', () => {
  test('a port nothing listens on: CAPTURE_CONNECT_FAILED at once', async () => {
    const port = await freePort();
    const t0 = Date.now();
    const err = await captureFailure(() => captureReplication({ endpoint: { host: '127.0.0.1', port } }), 'CAPTURE_CONNECT_FAILED');
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(err.message).toContain('ECONNREFUSED');
    expect(err.context).toMatchObject({ phase: 'connect', host: '127.0.0.1', port });
  });

  describe('a slow diskless transfer (rdb-key-save-delay)', () => {
    let s: RedisServer;
    let client: Redis;

    beforeAll(async () => {
      // 3000 keys of ~200 bytes at 1 ms each: a transfer of about 3 s that starts at once.
      s = await server({ 'repl-diskless-sync': 'yes', 'rdb-key-save-delay': 1000 });
      client = s.client();
      await writeDataset(client, 3000, 200);
    });

    test('killed mid-payload with CLIENT KILL TYPE replica: CAPTURE_CLOSED with the bytes received', async () => {
      const capture = await captureReplication({ endpoint: endpointOf(s) });
      const it = capture.payload[Symbol.asyncIterator]();
      const first = await it.next();
      expect(first.done).toBe(false);
      expect(await client.call('CLIENT', 'KILL', 'TYPE', 'replica')).toBe(1);
      const err = await captureFailure(async () => {
        for (;;) if ((await it.next()).done === true) return;
      }, 'CAPTURE_CLOSED');
      expect(err.context.phase).toBe('payload');
      expect(err.context.bytesReceived).toBeGreaterThan(0);
      await eventually(async () => (await connectedReplicas(client)) === 0);
    });

    test('an abort signal stops the capture mid-payload: CAPTURE_ABORTED, and the server lets the replica go', async () => {
      const controller = new AbortController();
      const capture = await captureReplication({ endpoint: endpointOf(s), signal: controller.signal });
      const it = capture.payload[Symbol.asyncIterator]();
      await it.next();
      controller.abort();
      await captureFailure(async () => {
        for (;;) if ((await it.next()).done === true) return;
      }, 'CAPTURE_ABORTED');
      await eventually(async () => (await connectedReplicas(client)) === 0);
    });
  });
});
