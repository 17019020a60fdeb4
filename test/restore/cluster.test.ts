import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis, { Cluster } from 'ioredis';
import { runBackup, runImport } from '../../lambdas/backup/run-backup';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { Crc64 } from '../../lambdas/rdb/crc64';
import { bytesFromJson } from '../../lambdas/rdb/export/json-bytes';
import { scoreFormatFor } from '../../lambdas/rdb/export/score-format';
import { RdbEntry } from '../../lambdas/rdb/entry';
import { readChunk } from '../../lambdas/restore/chunk-entries';
import { ClusterWriter, ClusterWriterOptions } from '../../lambdas/restore/cluster/cluster-writer';
import { endpointFor, parseClusterSlots, parseRedirect } from '../../lambdas/restore/cluster/slot-map';
import { crc16, keySlot } from '../../lambdas/restore/cluster/slot';
import { capabilitiesFromInfo } from '../../lambdas/restore/rewrite';
import { TargetCapabilities } from '../../lambdas/restore/types';
import { verifiedChunks } from '../../lambdas/restore/verified-chunks';
import { LocalStore } from '../../lambdas/store';
import { Dataset, DatasetKey, readDataset } from '../helpers/dataset';
import { FIXTURES_DIR, truthFor } from '../helpers/fixtures';
import { RedisCluster } from '../helpers/redis-cluster';
import { RedisServer } from '../helpers/redis-server';
import { compareWithTruth, idOf } from '../helpers/truth';

const FUTURE = Date.now() + 86_400_000;

/** Hash tag edge cases: empty tag, two tags, nested braces, unclosed brace, '}' before '{'. */
const TAG_EDGES = ['foo{}bar', '{}{x}', 'a{b}c{d}', '{{x}}', 'x{', '}{y}', '{user:1}', 'plain{user:1}tail', '{ }'];

/** db 0 only: every type in small and large encodings, TTLs, hash-tagged groups, binary and edge-case keys. */
async function writeClusterData(c: Redis): Promise<void> {
  const p = c.pipeline();
  for (let i = 0; i < 1500; i++) {
    p.set(`str:${i}`, `value-${i}-`.repeat(1 + (i % 7)));
    if (i % 5 === 0) p.pexpireat(`str:${i}`, FUTURE + i);
  }
  for (let u = 0; u < 120; u++) {
    const tag = `{user:${u}}`;
    p.set(`${tag}:name`, `user ${u}`);
    p.hset(`${tag}:profile`, 'age', u, 'city', `city-${u % 13}`);
    p.rpush(`${tag}:events`, ...Array.from({ length: 1 + (u % 9) }, (_, j) => `event-${j}`));
    p.sadd(`${tag}:roles`, 'reader', u % 2 ? 'writer' : 'admin');
    p.zadd(`${tag}:scores`, u, 'total', u / 3, 'avg');
    if (u % 3 === 0) p.pexpireat(`${tag}:profile`, FUTURE + u);
  }
  for (let i = 0; i < 40; i++) {
    const big = i % 2 === 0;
    p.rpush(`list:${i}`, ...Array.from({ length: big ? 600 : 3 }, (_, j) => `e${j}`));
    p.sadd(`set:int:${i}`, 1, 2, 3, 1000 + i);
    p.sadd(`set:text:${i}`, ...Array.from({ length: big ? 300 : 4 }, (_, j) => `m${j}`));
    p.zadd(`zset:${i}`, ...Array.from({ length: big ? 250 : 3 }, (_, j) => [j * 1.25, `member-${j}`]).flat());
    p.hset(`hash:${i}`, ...Array.from({ length: big ? 700 : 3 }, (_, j) => [`f${j}`, `v${j}`]).flat());
    p.xadd(`stream:${i}`, '1-1', 'k', 'v1');
    p.xadd(`stream:${i}`, '2-1', 'k', 'v2');
    if (i % 4 === 0) {
      p.xgroup('CREATE', `stream:${i}`, 'g', '0');
      p.xreadgroup('GROUP', 'g', 'alice', 'COUNT', 1, 'STREAMS', `stream:${i}`, '>');
    }
    if (i % 3 === 0) for (const k of [`list:${i}`, `set:text:${i}`, `zset:${i}`, `hash:${i}`, `stream:${i}`]) p.pexpireat(k, FUTURE + i);
  }
  p.set(Buffer.from([0, 0xff, 0x7b, 0x7d, 1]), Buffer.from([0xde, 0xad]));
  p.set(Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x00]), 'binary tag');
  TAG_EDGES.forEach((k, i) => p.set(k, String(i)));
  for (const [err] of (await p.exec()) ?? []) if (err) throw err;
}

async function scanKeys(client: Redis): Promise<Buffer[]> {
  const keys: Buffer[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await client.scanBuffer(cursor, 'COUNT', 1000);
    cursor = String(next);
    keys.push(...batch);
  } while (cursor !== '0');
  return keys;
}

type Snapshot = Map<string, { key: Buffer; expireAt: number; value: unknown }>;

/** One key read with plain commands (routed by the cluster client when given one). */
async function readKey(client: Redis | Cluster, key: Buffer): Promise<{ expireAt: number; value: unknown }> {
  const call = (cmd: string, ...args: Array<string | number | Buffer>): Promise<unknown> => client.callBuffer(cmd, key, ...args);
  const text = (v: unknown): string => (Buffer.isBuffer(v) ? v.toString('latin1') : String(v));
  const list = async (cmd: string, ...args: Array<string | number>): Promise<string[]> => ((await call(cmd, ...args)) as unknown[]).map(text);
  const type = text(await call('TYPE'));
  const expireAt = Number(await call('PEXPIRETIME'));
  switch (type) {
    case 'string':
      return { expireAt, value: [type, text(await call('GET'))] };
    case 'list':
      return { expireAt, value: [type, await list('LRANGE', 0, -1)] };
    case 'set':
      return { expireAt, value: [type, (await list('SMEMBERS')).sort()] };
    case 'zset':
      return { expireAt, value: [type, await list('ZRANGE', 0, -1, 'WITHSCORES')] };
    case 'hash': {
      const flat = await list('HGETALL');
      const pairs: string[] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push(`${flat[i]}=${flat[i + 1]}`);
      return { expireAt, value: [type, pairs.sort()] };
    }
    case 'stream':
      return { expireAt, value: [type, JSON.stringify(((await call('XRANGE', '-', '+')) as unknown[][]).map(([id, fields]) => [text(id), (fields as unknown[]).map(text)]))] };
    default:
      return { expireAt, value: [type] };
  }
}

async function readKeys(client: Redis | Cluster, keys: Buffer[]): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (let i = 0; i < keys.length; i += 200) {
    const batch = keys.slice(i, i + 200);
    const read = await Promise.all(batch.map((k) => readKey(client, k)));
    batch.forEach((key, j) => out.set(key.toString('latin1'), { key, ...read[j] }));
  }
  return out;
}

const byKey = (a: { key: DatasetKey['key'] }, b: { key: DatasetKey['key'] }): number => Buffer.compare(bytesFromJson(a.key), bytesFromJson(b.key));

describe('restore into a Redis Cluster', () => {
  let source: RedisServer;
  let cluster: RedisCluster;
  let dir: string;
  let store: LocalStore;
  let manifest: SnapshotManifest;
  let expected: Snapshot;
  let expectedDataset: DatasetKey[];
  let caps: TargetCapabilities;
  const options: ClusterWriterOptions = { replace: false, allowLossy: false, sourceEngine: 'redis', maxInFlightBytes: 256 << 10 };

  beforeAll(async () => {
    [source, cluster] = await Promise.all([
      RedisServer.start({ config: { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0, 'maxmemory-policy': 'allkeys-lfu' } }),
      RedisCluster.start({ primaries: 3 }),
    ]);
    const src = source.client();
    await writeClusterData(src);
    expected = await readKeys(src, await scanKeys(src));
    expectedDataset = (await readDataset(src, { dbs: [0], functions: false })).keys;
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-cluster-'));
    store = new LocalStore(dir);
    manifest = await runBackup({ store, source: 'standalone', endpoint: { host: source.host, port: source.port }, chunkBytes: 32 << 10 });
    caps = capabilitiesFromInfo(await cluster.node(0).info('server'));
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), cluster?.stop()]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(async () => {
    await Promise.all(cluster.servers.map((_, i) => cluster.node(i).flushall()));
  });

  /** Feeds every key of the snapshot (of db `onlyDb` when given) to the writer, chunk by chunk, as the restore does. */
  async function restoreSnapshot(writer: ClusterWriter, snapshot = manifest, onlyDb?: number): Promise<number> {
    const crc = new Crc64();
    let keys = 0;
    for await (const verified of verifiedChunks(store, snapshot)) {
      await readChunk(snapshot, verified, crc, async (records) => {
        for (const r of records) {
          if (r.kind !== 'entry' || (onlyDb !== undefined && r.entry.db !== onlyDb)) continue;
          keys++;
          await writer.add({ db: r.entry.db, entry: r.entry });
        }
      });
      await writer.drain();
    }
    return keys;
  }

  async function firstEntry(): Promise<RdbEntry> {
    for await (const verified of verifiedChunks(store, manifest)) {
      let found: RdbEntry | null = null;
      await readChunk(manifest, verified, new Crc64(), async (records) => {
        for (const r of records) if (r.kind === 'entry' && found === null) found = r.entry;
      });
      if (found !== null) return found;
    }
    throw new Error('the snapshot has no key');
  }

  /** Slot → node index, as node 0 sees the cluster now. */
  async function slotOwners(): Promise<number[]> {
    const ranges = parseClusterSlots(await cluster.node(0).call('CLUSTER', 'SLOTS'), '127.0.0.1');
    const owners = new Array<number>(16384).fill(-1);
    for (const r of ranges) for (let s = r.start; s <= r.end; s++) owners[s] = cluster.servers.findIndex((srv) => srv.port === r.port);
    return owners;
  }

  /** Every key is on the node that owns its slot, with its expiry; no node holds anything else; the cluster client reads the source's data. */
  async function expectRestored(): Promise<void> {
    const owners = await slotOwners();
    const perNode = cluster.servers.map(() => [] as Array<{ key: Buffer; expireAt: number }>);
    for (const { key, expireAt } of expected.values()) perNode[owners[keySlot(key)]].push({ key, expireAt });
    for (let i = 0; i < cluster.servers.length; i++) {
      const node = cluster.node(i);
      expect(await node.dbsize()).toBe(perNode[i].length);
      const p = node.pipeline();
      for (const { key } of perNode[i]) p.exists(key).pexpiretime(key);
      const replies = ((await p.exec()) ?? []).map(([err, v]) => (err ? err.message : v));
      const found = perNode[i].map((_, j) => [replies[2 * j], replies[2 * j + 1]]);
      expect(found).toEqual(perNode[i].map(({ expireAt }) => [1, expireAt]));
    }
    // The whole dataset, read key by key through the cluster client.
    const client = cluster.client();
    try {
      expect(await readKeys(client, [...expected.values()].map((e) => e.key))).toEqual(expected);
    } finally {
      client.disconnect();
    }
    // And in full detail (stream groups, pending entries, encodings aside), node by node.
    const nodes = await Promise.all(cluster.servers.map((_, i) => readDataset(cluster.node(i), { dbs: [0], functions: false })));
    expect(nodes.flatMap((d) => d.keys).sort(byKey)).toEqual(expectedDataset);
  }

  test('CRC16 and hash slots match Redis Cluster, hash tags included', async () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(keySlot('foo')).toBe(12182);
    expect(keySlot('{user1000}.following')).toBe(keySlot('{user1000}.followers'));
    expect(keySlot('foo{}{bar}')).toBe(keySlot('foo{}{bar}'));
    expect(keySlot('foo{{bar}}zap')).toBe(keySlot('{bar'));
    expect(keySlot('foo{bar}{zap}')).toBe(keySlot('bar'));
    const node = cluster.node(0);
    const keys: Buffer[] = [...TAG_EDGES, '', '{', '}', '{}', '{a', 'a}', '{a}', 'ключ{тег}'].map((k) => Buffer.from(k));
    for (let i = 0; i < 300; i++) keys.push(Buffer.from(Array.from({ length: i % 17 }, (_, j) => (i * 31 + j * 7) % 256)));
    const p = node.pipeline();
    for (const k of keys) p.call('CLUSTER', 'KEYSLOT', k);
    const slots = ((await p.exec()) ?? []).map(([err, v]) => (err ? err.message : v));
    expect(keys.map((k) => keySlot(k))).toEqual(slots);
  });

  test('redirect replies are parsed, unknown endpoints falling back to the node asked', () => {
    expect(parseRedirect('MOVED 3999 127.0.0.1:6381', 'h')).toEqual({ kind: 'MOVED', slot: 3999, host: '127.0.0.1', port: 6381 });
    expect(parseRedirect('ASK 12 [::1]:7000', 'h')).toEqual({ kind: 'ASK', slot: 12, host: '::1', port: 7000 });
    expect(parseRedirect('MOVED 1 :7001', 'seed.example')).toEqual({ kind: 'MOVED', slot: 1, host: 'seed.example', port: 7001 });
    expect(parseRedirect('ERR wrong number of arguments', 'h')).toBeNull();
  });

  test('nodes missing from the configuration get the credentials and TLS settings of the seed', () => {
    const seed = { host: 'seed.example', port: 7000, username: 'u', password: 'p', tls: { servername: 'seed.example', ca: 'CA' } };
    const listed = { host: '10.0.0.2', port: 7001, password: 'other' };
    expect(endpointFor({ host: '10.0.0.2', port: 7001 }, [seed, listed], seed)).toBe(listed);
    expect(endpointFor({ host: 'node3.example', port: 7002 }, [seed, listed], seed)).toEqual({ host: 'node3.example', port: 7002, username: 'u', password: 'p', tls: { servername: 'node3.example', ca: 'CA' } });
    // One certificate name for the whole cluster stays.
    const shared = { ...seed, tls: { servername: 'cluster.example' } };
    expect(endpointFor({ host: '10.0.0.3', port: 7003 }, [shared], shared).tls).toEqual({ servername: 'cluster.example' });
  });

  test('a standalone snapshot lands key by key on the primary owning each slot, with its TTL', async () => {
    const writer = await ClusterWriter.open(cluster.nodes, caps, options);
    try {
      expect(writer.primaries).toHaveLength(3);
      const keys = await restoreSnapshot(writer);
      expect(keys).toBe(expected.size);
      expect(writer.stats()).toEqual({ restored: expected.size, rewritten: 0, failed: 0, lossy: [], errors: [] });
      expect(writer.redirections.moved).toBe(0);
    } finally {
      await writer.close();
    }
    await expectRestored();
  });

  test('a stale slot map: -MOVED sends keys to the new owner and reloads the map', async () => {
    // Seed the writer with the last node only: the map reload then comes from a node that is not the new owner.
    const writer = await ClusterWriter.open([cluster.nodes[2], ...cluster.nodes], caps, options);
    try {
      const moved = Array.from({ length: 3000 }, (_, i) => i);
      const from = await cluster.ownerOf(0);
      const to = (from + 1) % 3;
      // The writer has the old map; the cluster now serves slots 0-2999 from another node.
      await cluster.assignSlots(moved, to);
      const inMoved = [...expected.values()].filter((e) => keySlot(e.key) < 3000).length;
      expect(inMoved).toBeGreaterThan(100);
      await restoreSnapshot(writer);
      const r = writer.redirections;
      expect(writer.stats().failed).toBe(0);
      expect(writer.stats().restored).toBe(expected.size);
      expect(r.moved).toBeGreaterThan(0);
      expect(r.slotMapRefreshes).toBeGreaterThanOrEqual(1);
      // The reloaded map sends the rest of the moved keys straight to their new owner.
      expect(r.moved).toBeLessThan(inMoved);
      expect((await slotOwners())[0]).toBe(to);
    } finally {
      await writer.close();
    }
    await expectRestored();
  });

  test('a slot in migration: -ASK sends ASKING and the key to the importing node', async () => {
    const writer = await ClusterWriter.open(cluster.nodes, caps, options);
    const slot = keySlot('{user:7}');
    const from = await cluster.ownerOf(slot);
    const to = (from + 1) % 3;
    const inSlot = [...expected.values()].filter((e) => keySlot(e.key) === slot).length;
    expect(inSlot).toBeGreaterThanOrEqual(5);
    try {
      await cluster.node(to).call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', cluster.ids[from]);
      await cluster.node(from).call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', cluster.ids[to]);
      await restoreSnapshot(writer);
      expect(writer.stats().failed).toBe(0);
      expect(writer.redirections.ask).toBe(inSlot);
      expect(writer.redirections.moved).toBe(0);
      expect(await cluster.node(from).call('CLUSTER', 'COUNTKEYSINSLOT', slot)).toBe(0);
      expect(await cluster.node(to).call('CLUSTER', 'COUNTKEYSINSLOT', slot)).toBe(inSlot);
    } finally {
      await writer.close();
    }
    // Finish the migration: the slot (and its keys) now belong to the importing node.
    await cluster.assignSlots([slot], to);
    await expectRestored();
  });

  test('keys the cluster cannot RESTORE are rewritten as commands, the commands of each key going to its slot owner', async () => {
    // As if the cluster read RDB 9 at most (Redis 5.0-6.2): listpack and quicklist encodings must be rewritten.
    const writer = await ClusterWriter.open(cluster.nodes, { ...caps, rdbVersion: 9 }, options);
    try {
      await restoreSnapshot(writer);
      const stats = writer.stats();
      expect(stats.failed).toBe(0);
      expect(stats.rewritten).toBeGreaterThan(400);
      expect(stats.restored).toBeGreaterThan(1000);
      expect(stats.restored + stats.rewritten).toBe(expected.size);
    } finally {
      await writer.close();
    }
    await expectRestored();
  });

  test('payloads the cluster refuses teach it the RDB version it reads; newer types are rewritten (lossy where allowed)', async () => {
    // A Redis 7.4 file (RDB 12, hash field expiry) into 7.0 nodes that claim to read RDB 12.
    const fixture = join(FIXTURES_DIR, 'redis-7.4-types.rdb');
    const truth = truthFor(fixture);
    if (truth === null) throw new Error(`no ground truth beside ${fixture}`);
    const imported = await runImport({ store, source: 'fixture-7.4', path: fixture });
    const writer = await ClusterWriter.open(cluster.nodes, { ...caps, rdbVersion: 12 }, { ...options, allowLossy: true });
    let keys: number;
    try {
      keys = await restoreSnapshot(writer, imported, 0);
      const stats = writer.stats();
      expect(stats.errors).toEqual([]);
      expect(stats.restored + stats.rewritten).toBe(keys);
      expect(stats.rewritten).toBeGreaterThan(0);
      expect(stats.lossy.join('\n')).toMatch(/hfe/);
      // 7.0 refused footers 12 and 11 and took 10.
      expect(writer.rdbVersion).toBe(10);
    } finally {
      await writer.close();
    }
    const dbsizes = await Promise.all(cluster.servers.map((_, i) => cluster.node(i).dbsize()));
    expect(dbsizes.reduce((a, b) => a + b, 0)).toBe(keys);
    const nodes = await Promise.all(cluster.servers.map((_, i) => readDataset(cluster.node(i), { dbs: [0], functions: false })));
    const owners = await slotOwners();
    nodes.forEach((d, i) => d.keys.forEach((k) => expect(owners[keySlot(bytesFromJson(k.key))]).toBe(i)));
    // The truth's rules (scores in the target's format, its lossy view of binary hash fields): see ./rewrite/truth.
    const dataset: Dataset = { server: 'redis', version: nodes[0].version, keys: nodes.flatMap((d) => d.keys).sort(byKey) };
    const db0 = new Set(truth.keys.filter((k) => k.db === 0).map(idOf));
    compareWithTruth(dataset, truth, scoreFormatFor('redis', truth.version, 12), scoreFormatFor('redis', dataset.version, 0), { only: db0, withoutFieldExpiry: true });
  });

  test('nodes that require a password: every primary connection authenticates; a wrong one is refused', async () => {
    const secured = await RedisCluster.start({ primaries: 3, password: 's3cret' });
    try {
      const writer = await ClusterWriter.open(secured.nodes, caps, options);
      try {
        await restoreSnapshot(writer);
        expect(writer.stats()).toMatchObject({ restored: expected.size, failed: 0 });
      } finally {
        await writer.close();
      }
      const sizes = await Promise.all(secured.servers.map((_, i) => secured.node(i).dbsize()));
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(expected.size);
      expect(Math.min(...sizes)).toBeGreaterThan(0);
      const wrong = secured.nodes.map((n) => ({ ...n, password: 'wrong' }));
      await expect(ClusterWriter.open(wrong, caps, options)).rejects.toMatchObject({ code: 'RESTORE_TARGET_AUTH' });
    } finally {
      await secured.stop();
    }
  });

  test('a cluster has only db 0; a server without cluster support is refused', async () => {
    const writer = await ClusterWriter.open(cluster.nodes, caps, options);
    try {
      const entry = await firstEntry();
      expect(() => writer.add({ db: 1, entry })).toThrow(expect.objectContaining({ code: 'RESTORE_BAD_REQUEST' }));
      await writer.drain();
      expect(writer.stats()).toMatchObject({ restored: 0, failed: 0 });
    } finally {
      await writer.close();
    }
    await expect(ClusterWriter.open([{ host: source.host, port: source.port }], caps, options)).rejects.toMatchObject({ code: 'RESTORE_BAD_REQUEST' });
  });
});
