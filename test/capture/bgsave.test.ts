import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { BGSAVE_ACL, captureBgsave } from '../../lambdas/capture';
import { verifyRdbStream } from '../../lambdas/rdb';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { RedisServer } from '../helpers/redis-server';
import { captureFailure, collect, eventually, plainKeys, streamOf, writeDataset } from './helpers';

/** BGSAVE capture against real servers, reading the file from the server's own directory. */

const servers: RedisServer[] = [];
const dirs: string[] = [];
async function server(config: Record<string, string | number> = {}): Promise<RedisServer> {
  const s = await RedisServer.start({ config });
  servers.push(s);
  return s;
}
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'capture-bgsave-'));
  dirs.push(d);
  return d;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const endpointOf = (s: RedisServer): { host: string; port: number } => ({ host: s.host, port: s.port });
const fastPoll = { pollMs: 50 };

async function persistenceField(client: Redis, field: string): Promise<string | undefined> {
  const info = await client.info('persistence');
  return new RegExp(`^${field}:(.*)$`, 'm').exec(info)?.[1]?.trim();
}

async function bgsaveCalls(client: Redis): Promise<number> {
  const info = await client.info('commandstats');
  return Number(/^cmdstat_bgsave:calls=(\d+)/m.exec(info)?.[1] ?? -1);
}

test('the saved file is streamed, and holds exactly the data written', async () => {
  const s = await server();
  const expected = await writeDataset(s.client());
  const capture = await captureBgsave({ endpoint: endpointOf(s), dataDir: s.dir, ...fastPoll });
  expect(capture.info).toMatchObject({ method: 'bgsave', path: join(s.dir, 'dump.rdb'), server: { engine: 'redis', version: '7.0.15' } });
  const payload = await collect(capture);
  expect(capture.info.declaredBytes).toBe(payload.length);
  await verifyRdbStream(streamOf(payload));
  expect(plainKeys(payload)).toEqual(expected);
});

test(`an ACL user with "${BGSAVE_ACL}" can capture, and without CONFIG GET dbfilename defaults to dump.rdb`, async () => {
  const s = await server();
  const admin = s.client();
  await writeDataset(admin, 10);
  await admin.call('ACL', 'SETUSER', 'saver', 'on', '>pw', ...BGSAVE_ACL.split(' '));
  await admin.call('ACL', 'SETUSER', 'saver-noconfig', 'on', '>pw', '+bgsave', '+info', '+time');
  await admin.call('ACL', 'SETUSER', 'no-bgsave', 'on', '>pw', '+info', '+time');
  for (const username of ['saver', 'saver-noconfig']) {
    const capture = await captureBgsave({ endpoint: { ...endpointOf(s), username, password: 'pw' }, dataDir: s.dir, ...fastPoll });
    expect(capture.info.path).toBe(join(s.dir, 'dump.rdb'));
    await verifyRdbStream(capture.payload);
  }
  const denied = await captureFailure(
    () => captureBgsave({ endpoint: { ...endpointOf(s), username: 'no-bgsave', password: 'pw' }, dataDir: s.dir, ...fastPoll }),
    'CAPTURE_NO_PERMISSION',
  );
  expect(denied.context).toMatchObject({ command: 'BGSAVE', aclRule: BGSAVE_ACL });
});

test('a BGSAVE already in progress: we wait for it and use a save that started after our request', async () => {
  const s = await server();
  const client = s.client();
  await writeDataset(client, 200);
  // The first save takes about 1 s (5 ms a key); ours will be quick (the delay is read when the child forks).
  await client.config('SET', 'rdb-key-save-delay', '5000');
  expect(await client.bgsave()).toBe('Background saving started');
  await client.config('SET', 'rdb-key-save-delay', '0');
  await client.set('written-after-the-first-save-started', 'yes');
  const capture = await captureBgsave({ endpoint: endpointOf(s), dataDir: s.dir, ...fastPoll });
  const keys = plainKeys(await collect(capture));
  expect(keys.get('written-after-the-first-save-started')).toBe('yes');
  expect(await persistenceField(client, 'rdb_saves')).toBe('2');
  // Ours was refused once ("already in progress"), then started after the first one ended.
  expect(await bgsaveCalls(client)).toBe(3);
});

test('another child (an AOF rewrite) is active: BGSAVE SCHEDULE, then the scheduled save is awaited', async () => {
  const s = await server();
  const client = s.client();
  await writeDataset(client, 200);
  await client.config('SET', 'rdb-key-save-delay', '3000');
  await client.bgrewriteaof();
  await client.config('SET', 'rdb-key-save-delay', '0');
  await client.set('written-during-the-rewrite', 'yes');
  const capture = await captureBgsave({ endpoint: endpointOf(s), dataDir: s.dir, ...fastPoll });
  expect(plainKeys(await collect(capture)).get('written-during-the-rewrite')).toBe('yes');
  expect(await bgsaveCalls(client)).toBe(2); // BGSAVE refused, then BGSAVE SCHEDULE
});

test('a save that fails on the server: CAPTURE_BGSAVE_FAILED', async () => {
  const s = await server();
  await writeDataset(s.client(), 10);
  // The server's working directory disappears: the save child cannot create its temp file.
  rmSync(s.dir, { recursive: true, force: true });
  const err = await captureFailure(() => captureBgsave({ endpoint: endpointOf(s), dataDir: tempDir(), ...fastPoll }), 'CAPTURE_BGSAVE_FAILED');
  expect(err.message).toContain('rdb_last_bgsave_status');
  await eventually(async () => (await persistenceField(s.client(), 'rdb_last_bgsave_status')) === 'err');
});

describe('the data directory', () => {
  let s: RedisServer;
  beforeAll(async () => {
    s = await server();
    await writeDataset(s.client(), 10);
  });

  test('missing: CAPTURE_DATA_DIR before any save is forced', async () => {
    const err = await captureFailure(() => captureBgsave({ endpoint: endpointOf(s), dataDir: join(tempDir(), 'not-mounted') }), 'CAPTURE_DATA_DIR');
    expect(err.message).toContain('not-mounted');
    expect(await persistenceField(s.client(), 'rdb_saves')).toBe('0');
  });

  test('not the server\'s (no RDB there): CAPTURE_DATA_DIR naming the server\'s dir', async () => {
    const err = await captureFailure(() => captureBgsave({ endpoint: endpointOf(s), dataDir: tempDir(), ...fastPoll }), 'CAPTURE_DATA_DIR');
    expect(err.message).toContain('does not exist');
    expect(err.message).toContain(s.dir);
  });

  test('holding an older RDB (another server\'s): CAPTURE_DATA_DIR, the stale file is not captured', async () => {
    const stale = tempDir();
    copyFileSync(join(FIXTURES_DIR, 'redis-7.0-types.rdb'), join(stale, 'dump.rdb'));
    const err = await captureFailure(() => captureBgsave({ endpoint: endpointOf(s), dataDir: stale, ...fastPoll }), 'CAPTURE_DATA_DIR');
    expect(err.message).toContain('before the save requested');
  });
});

test('dbfilename: from CONFIG GET, or from the options', async () => {
  const s = await server({ dbfilename: 'other.rdb' });
  await writeDataset(s.client(), 10);
  const viaConfig = await captureBgsave({ endpoint: endpointOf(s), dataDir: s.dir, ...fastPoll });
  expect(viaConfig.info.path).toBe(join(s.dir, 'other.rdb'));
  await verifyRdbStream(streamOf(await collect(viaConfig)));
  const viaOption = await captureBgsave({ endpoint: endpointOf(s), dataDir: s.dir, dbfilename: 'other.rdb', ...fastPoll });
  expect(viaOption.info.path).toBe(join(s.dir, 'other.rdb'));
  await verifyRdbStream(streamOf(await collect(viaOption)));
});
