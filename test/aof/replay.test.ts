import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { encodeCommand } from '../../lambdas/aof';
import { scoreFormatFor } from '../../lambdas/rdb';
import { AofLoadReport, loadAof, localAofSource } from '../../lambdas/restore/aof';
import { Dataset, readDataset } from '../helpers/dataset';
import { RedisServer } from '../helpers/redis-server';
import { compareWithTruth } from '../helpers/truth';
import { AOF_FIXTURES, AofFixture, copyWritable, PREAMBLE_AOF, tempDir } from './helpers';

/**
 * Every AOF fixture replayed into a real redis-server 7.0 as Redis's loader would
 * apply it: the base RDB's keys through RESTORE of the engine's DUMP payloads (or, for
 * the types 7.0 cannot RESTORE — 7.2's listpack sets and streams, 7.4's hashes with
 * field expiry — through the rewrite path), its functions with FUNCTION LOAD; the
 * commands sent as they are, each file starting on database 0, SELECT tracked, a
 * MULTI ... EXEC sent together. The server read back must equal the fixture's truth.
 * The only loss is 7.4's hash field expiry, which a 7.0 server cannot hold: that
 * fixture is compared without it.
 */

/** The engine's replay of the AOF at `path` into `server` (keys the 7.0 target cannot hold rewritten, losses listed). */
async function replay(path: string, server: RedisServer): Promise<AofLoadReport> {
  return loadAof({ source: await localAofSource(path), target: { host: server.host, port: server.port }, allowLossy: true });
}

async function withServer<T>(fn: (server: RedisServer, client: Redis) => Promise<T>): Promise<T> {
  const server = await RedisServer.start();
  try {
    return await fn(server, server.client());
  } finally {
    await server.stop();
  }
}

/** What redis-server 7.0 holds after loading the AOF in `dataDir` itself (appendonly yes; it may truncate a copy's last file). */
async function loadedNatively(dataDir: string): Promise<Dataset> {
  const server = await RedisServer.start({ dir: dataDir, config: { appendonly: 'yes', 'aof-load-truncated': 'yes' } });
  try {
    return await readDataset(server.client());
  } finally {
    await server.stop();
  }
}

async function replayed(path: string): Promise<{ stats: AofLoadReport; dataset: Dataset }> {
  return withServer(async (server, client) => {
    const stats = await replay(path, server);
    return { stats, dataset: await readDataset(client) };
  });
}

/** A writable copy of a fixture's data directory, with `edit` applied to its appendonlydir. */
async function withCopy<T>(fixture: AofFixture, edit: (appendonlydir: string) => void, fn: (dataDir: string) => Promise<T>): Promise<T> {
  const t = tempDir();
  try {
    const dataDir = join(t.dir, 'data');
    copyWritable(fixture.dir, dataDir);
    edit(join(dataDir, 'appendonlydir'));
    return await fn(dataDir);
  } finally {
    t.remove();
  }
}

// 7.0 cannot load the 7.4 fixture itself (its base is RDB 12).
const NATIVE = new Set(AOF_FIXTURES.filter((f) => f.name !== 'redis-7.4-aof-preamble-yes').map((f) => f.name));

describe.each(AOF_FIXTURES.map((f) => [f.name, f] as const))('%s replayed into redis-server 7.0', (_name, fixture) => {
  test(`reproduces the truth${NATIVE.has(fixture.name) ? ", and what the server holds after loading the AOF itself" : ''}`, async () => {
    const { stats, dataset } = await replayed(fixture.dir);
    expect(stats.serverErrors).toEqual({ count: 0, first: [] });
    expect(stats.ok).toBe(true);
    expect(stats.files.map((f) => f.replayed)).toEqual(fixture.files.map(() => 'whole'));
    // The history after BGREWRITEAOF: SET, DEL, INCRBY, PEXPIREAT.
    expect(stats.commands.sent).toBeGreaterThanOrEqual(4);
    expect(stats.commands.skipped).toBe(0);

    const rdbBase = fixture.files[0].path.endsWith('.rdb') || fixture.name === 'redis-6.2-aof-preamble-yes';
    expect(stats.keys.restored + stats.keys.rewritten > 0).toBe(rdbBase);
    const fieldExpiry = fixture.truth.keys.some((k) => k.fieldExpireAtMs !== undefined);
    expect(stats.lossy.length > 0).toBe(fieldExpiry);
    if (fixture.name === 'redis-7.4-aof-preamble-yes') expect(stats.keys.rewritten).toBeGreaterThan(0);

    const truthFormat = scoreFormatFor(fixture.truth.server === 'valkey' ? 'valkey' : 'redis', fixture.truth.version, 0);
    const ourFormat = scoreFormatFor('redis', dataset.version, 0);
    expect(dataset.keys.length).toBe(fixture.truth.keys.length);
    compareWithTruth(dataset, fixture.truth, truthFormat, ourFormat, { withoutFieldExpiry: fieldExpiry });
    expect(dataset.functions).toEqual([...(fixture.truth.functions ?? [])].sort());
    // The history is there.
    expect(dataset.keys.find((k) => k.key === 'after:rewrite')).toMatchObject({ db: 0, value: '1' });
    expect(dataset.keys.find((k) => k.key === 'd0:str:ascii')).toBeUndefined();

    if (NATIVE.has(fixture.name)) expect(dataset).toEqual(await withCopy(fixture, () => undefined, loadedNatively));
  });
});

test('rdb-preamble.aof replayed: the RDB keys, then the command after it', async () => {
  await withServer(async (server, client) => {
    const stats = await replay(PREAMBLE_AOF, server);
    expect(stats).toMatchObject({ ok: true, keys: { restored: 2 }, commands: { sent: 1 } });
    expect(stats.files).toHaveLength(1);
    const dataset = await readDataset(client);
    expect(dataset.keys.map((k) => [k.key, k.value])).toEqual([
      ['k1', 'v1'],
      ['k2', 'v2'],
      ['k3', 'v3'],
    ]);
  });
});

const named = (name: string): AofFixture => AOF_FIXTURES.find((f) => f.name === name)!;
const cmd = (...args: string[]): Buffer => encodeCommand(args);

describe('replay semantics checked against the loader', () => {
  test('transactions apply whole (SELECT inside one included); one left open at the end is dropped', async () => {
    const base = named('redis-7.0-aof-preamble-yes');
    const edit = (dir: string): void =>
      appendFileSync(
        join(dir, 'appendonly.aof.2.incr.aof'),
        Buffer.concat([cmd('MULTI'), cmd('SET', 'tx:a', '1'), cmd('SELECT', '1'), cmd('SET', 'tx:b', '2'), cmd('EXEC'), cmd('SET', 'plain', '3'), cmd('MULTI'), cmd('SET', 'open', '1')]),
      );
    await withCopy(base, edit, async (dataDir) => {
      const { stats, dataset } = await replayed(dataDir);
      expect(stats.serverErrors.count).toBe(0);
      expect(stats.commands.droppedOpenMulti).toBe(2);
      const native = await loadedNatively(dataDir);
      expect(dataset).toEqual(native);
      const where = (key: string): number[] => dataset.keys.filter((k) => k.key === key).map((k) => k.db);
      expect([where('tx:a'), where('tx:b'), where('plain'), where('open')]).toEqual([[0], [1], [1], []]);
    });
  });

  test('every file starts on database 0, whatever the previous one selected', async () => {
    const base = named('redis-7.0-aof-preamble-yes');
    const edit = (dir: string): void => {
      appendFileSync(join(dir, 'appendonly.aof.2.incr.aof'), Buffer.concat([cmd('SELECT', '1'), cmd('SET', 'in:db1', 'x')]));
      writeFileSync(join(dir, 'appendonly.aof.3.incr.aof'), cmd('SET', 'next:file', 'y'));
      appendFileSync(join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.3.incr.aof seq 3 type i\n');
    };
    await withCopy(base, edit, async (dataDir) => {
      const { stats, dataset } = await replayed(dataDir);
      expect(stats.files).toHaveLength(3);
      expect(dataset).toEqual(await loadedNatively(dataDir));
      expect(dataset.keys.filter((k) => k.key === 'in:db1' || k.key === 'next:file').map((k) => [k.key, k.db])).toEqual([
        ['next:file', 0],
        ['in:db1', 1],
      ]);
    });
  });
});
