import { join } from 'node:path';
import Redis from 'ioredis';
import { ChecksumStatus, ExportedKey, exportEntry, FunctionRecord, RdbEntry, readRdbFile, scoreFormatFor } from '../../lambdas/rdb';
import { Cursor, LEN_IS_ENCODING } from '../../lambdas/rdb/cursor';
import { bytesFromJson } from '../../lambdas/rdb/export/json-bytes';
import { readDataset, readFunctionLibraries, serverInfo } from '../helpers/dataset';
import { RedisServer } from '../helpers/redis-server';

/**
 * RDB files written during the test by the local redis-server under various
 * configurations: the engine's export of every key must equal what the same
 * server answers to ordinary commands.
 */

const FAR = 4102444800000; // 2100-01-01
const LZF_ENCODING = 3;
const DBS = [0, 1, 15];
const LIBRARY = [
  '#!lua name=writtenlib',
  "redis.register_function('written_echo', function(keys, args) return args[1] end)",
  "redis.register_function{function_name='written_ro', callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}",
].join('\n');

/** A small deterministic PRNG (mulberry32), so the dataset is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function word(rand: () => number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(97 + Math.floor(rand() * 26));
  return s;
}

function randomBytes(rand: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(rand() * 256);
  return b;
}

/** Every type in both of its encodings, int strings, big and binary strings, expiries, streams with groups. */
async function writeDataset(client: Redis, db: number): Promise<void> {
  const rand = prng(1000 + db);
  const p = (name: string): string => `d${db}:${name}`;
  await client.select(db);
  const c = client.pipeline();
  // Strings: int-encoded, negative, int64, empty, embstr, compressible, incompressible 50 KB, binary, UTF-8.
  c.set(p('str:int'), '12345');
  c.set(p('str:neg'), '-42');
  c.set(p('str:int64'), '9223372036854775807');
  c.set(p('str:empty'), '');
  c.set(p('str:short'), 'hello');
  c.set(p('str:lzf'), 'x'.repeat(300));
  c.set(p('str:big'), randomBytes(rand, 50_000));
  c.set(p('str:binary'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80]));
  c.set(p('str:utf8'), 'héllo wörld ✓ 日本');
  c.incrby(p('str:counter'), 7);
  c.set(Buffer.from([0xff, 0x00, 0xfe, 0x0a]), 'binary key');
  c.set(p('k'.repeat(1000)), 'long key');
  // Expiries (absolute, as the truth files use).
  c.set(p('str:expiring'), 'soon');
  c.pexpireat(p('str:expiring'), FAR);
  // Lists: one small listpack node; many compressible nodes; a plain node (see below).
  c.rpush(p('list:small'), 'a', 'b', '1', '-3', '1234567890123', '');
  const big: string[] = [];
  for (let i = 0; i < 4000; i++) big.push(`item:${i}:${'ab'.repeat(10)}`);
  c.rpush(p('list:big'), ...big);
  c.pexpireat(p('list:big'), FAR + 12345);
  // Sets: intset, hashtable (strings, or more ints than set-max-intset-entries).
  c.sadd(p('set:intset'), 1, 2, 3, -5, 100000, 2147483648);
  c.sadd(p('set:small'), 'a', 'b', 'c');
  c.sadd(p('set:binary'), Buffer.from([0, 0xff]), Buffer.from([1, 2, 3]));
  const ints: number[] = [];
  for (let i = 0; i < 600; i++) ints.push(i * 7);
  c.sadd(p('set:bigint'), ...ints);
  const members: string[] = [];
  for (let i = 0; i < 300; i++) members.push(`m:${word(rand, 8)}`);
  c.sadd(p('set:big'), ...members);
  c.pexpireat(p('set:big'), FAR);
  // Zsets: listpack (extreme scores included), skiplist by size and by member length.
  c.zadd(p('zset:small'), -3, 'minus', 0, 'zero', 1, 'one', 2.5, 'two.five', 'inf', 'pinf', '-inf', 'ninf', 1.5e-300, 'tiny', 1e300, 'huge');
  const zargs: Array<string | number> = [];
  for (let i = 0; i < 500; i++) zargs.push(Math.round(rand() * 1e6) / 1e3 + 1 / 3, `m${i}`);
  c.zadd(p('zset:big'), ...zargs);
  c.zadd(p('zset:longmember'), 7, 'q'.repeat(200), 8, 'short');
  c.pexpireat(p('zset:small'), FAR);
  // Hashes: listpack, hashtable by size and by value length, binary field.
  c.hset(p('hash:small'), 'f1', 'v1', 'f2', '2', 'num', '123456789012');
  const hargs: string[] = [];
  for (let i = 0; i < 600; i++) hargs.push(`field:${i}`, i % 2 === 0 ? String(i) : word(rand, 12));
  c.hset(p('hash:big'), ...hargs);
  c.hset(p('hash:bigvalue'), 'a', 'v'.repeat(100), 'b', 'w');
  c.hset(p('hash:binary'), Buffer.from([0, 0xff]), Buffer.from([1, 2, 3]));
  c.pexpireat(p('hash:small'), FAR + 12345);
  // Streams: explicit ids, deletions, two groups with pending entries, a big one, empty ones.
  for (let i = 1; i <= 50; i++) c.xadd(p('stream:basic'), `1700000000${String(i).padStart(3, '0')}-${i % 3}`, 'field', `v${i}`, 'n', String(i));
  c.xdel(p('stream:basic'), '1700000000003-0', '1700000000010-1');
  c.xgroup('CREATE', p('stream:basic'), 'g1', '0');
  c.xgroup('CREATE', p('stream:basic'), 'g2', '$');
  c.xreadgroup('GROUP', 'g1', 'alice', 'COUNT', 4, 'STREAMS', p('stream:basic'), '>');
  c.xreadgroup('GROUP', 'g1', 'bob', 'COUNT', 3, 'STREAMS', p('stream:basic'), '>');
  c.xack(p('stream:basic'), 'g1', '1700000000001-1');
  c.xclaim(p('stream:basic'), 'g1', 'bob', 0, '1700000000002-2');
  for (let i = 0; i < 600; i++) c.xadd(p('stream:big'), `${1800000000000 + Math.floor(i / 7)}-${i % 7}`, 'k', word(rand, 6), 'i', String(i));
  c.xadd(p('stream:empty'), '1-1', 'a', 'b');
  c.xdel(p('stream:empty'), '1-1');
  c.xgroup('CREATE', p('stream:mkstream'), 'lonely', '$', 'MKSTREAM');
  c.pexpireat(p('stream:big'), FAR);
  const results = await c.exec();
  for (const [err] of results ?? []) expect(err).toBeNull();

  // A list with a PLAIN quicklist node (7.0+: elements above the packed threshold, lowered here).
  await client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '1000');
  await client.rpush(p('list:plain'), 'head', 'P'.repeat(5000), 'tail');
  await client.call('DEBUG', 'QUICKLIST-PACKED-THRESHOLD', '0');
}

interface ParsedFile {
  version: number;
  aux: Map<string, string>;
  entries: RdbEntry[];
  functions: FunctionRecord[];
  checksum: ChecksumStatus;
}

async function parseFile(path: string): Promise<ParsedFile> {
  const aux = new Map<string, string>();
  const entries: RdbEntry[] = [];
  const functions: FunctionRecord[] = [];
  let checksum: ChecksumStatus | null = null;
  const { rdbVersion } = await readRdbFile(path, {
    onRecord: (r) => {
      if (r.kind === 'aux') aux.set(r.key.toString('utf8'), r.value.toString('utf8'));
      else if (r.kind === 'entry') entries.push(r.entry);
      else if (r.kind === 'function') functions.push(r);
      else if (r.kind === 'eof') checksum = r.checksum;
    },
  });
  if (checksum === null) throw new Error('no EOF record');
  return { version: rdbVersion, aux, entries, functions, checksum };
}

interface NodeInfo {
  container: 'plain' | 'packed';
  lzf: boolean;
}

/** Walks the serialized QUICKLIST_2 value by hand: each node's container and whether it is stored LZF-compressed. */
function quicklistNodes(entry: RdbEntry): NodeInfo[] {
  expect(entry.rdbTypeName).toBe('LIST_QUICKLIST_2');
  const buf = entry.valueBytes;
  const cur = new Cursor(buf, 0, buf.length, true);
  const nodes: NodeInfo[] = [];
  const count = cur.len();
  for (let i = 0; i < count; i++) {
    const container = cur.len();
    const at = cur.pos;
    const lzf = cur.readLenOrEncoding() === LEN_IS_ENCODING && cur.lastEncoding === LZF_ENCODING;
    cur.pos = at;
    cur.skipStr();
    nodes.push({ container: container === 1 ? 'plain' : 'packed', lzf });
  }
  expect(cur.pos).toBe(buf.length);
  return nodes;
}

/** Whether a STRING value is stored LZF-compressed. */
function stringIsLzf(entry: RdbEntry): boolean {
  expect(entry.typeId).toBe(0);
  const cur = new Cursor(entry.valueBytes, 0, entry.valueBytes.length, true);
  return cur.readLenOrEncoding() === LEN_IS_ENCODING && cur.lastEncoding === LZF_ENCODING;
}

const sortExport = (keys: ExportedKey[]): ExportedKey[] => keys.sort((a, b) => a.db - b.db || Buffer.compare(bytesFromJson(a.key), bytesFromJson(b.key)));

function findEntry(entries: RdbEntry[], db: number, key: string): RdbEntry {
  const e = entries.find((x) => x.db === db && x.key.equals(Buffer.from(key)));
  if (e === undefined) throw new Error(`no entry ${db}:${key}`);
  return e;
}

interface Case {
  name: string;
  config: Record<string, string | number>;
  checksum: ChecksumStatus;
  rdbcompression: boolean;
  compressDepth: number;
  policy: 'lfu' | 'lru' | null;
}

const CASES: Case[] = [
  { name: 'list-compress-depth 1', config: { 'list-compress-depth': 1 }, checksum: 'ok', rdbcompression: true, compressDepth: 1, policy: null },
  {
    name: 'list-compress-depth 1, rdbcompression no',
    config: { 'list-compress-depth': 1, rdbcompression: 'no' },
    checksum: 'ok',
    rdbcompression: false,
    compressDepth: 1,
    policy: null,
  },
  { name: 'rdbcompression no', config: { rdbcompression: 'no' }, checksum: 'ok', rdbcompression: false, compressDepth: 0, policy: null },
  { name: 'rdbchecksum no', config: { rdbchecksum: 'no' }, checksum: 'none', rdbcompression: true, compressDepth: 0, policy: null },
  { name: 'maxmemory-policy allkeys-lfu', config: { maxmemory: '1gb', 'maxmemory-policy': 'allkeys-lfu' }, checksum: 'ok', rdbcompression: true, compressDepth: 0, policy: 'lfu' },
  { name: 'maxmemory-policy allkeys-lru', config: { maxmemory: '1gb', 'maxmemory-policy': 'allkeys-lru' }, checksum: 'ok', rdbcompression: true, compressDepth: 0, policy: 'lru' },
];

describe.each(CASES.map((c) => [c.name, c] as const))('an RDB written by the local server with %s', (_name, tc) => {
  test('parses to exactly what the server holds', async () => {
    const server = await RedisServer.start({ config: { ...tc.config, 'enable-debug-command': 'yes' } });
    try {
      const client = server.client();
      const info = await serverInfo(client);
      for (const db of DBS) await writeDataset(client, db);
      expect(String(await client.call('FUNCTION', 'LOAD', LIBRARY))).toBe('writtenlib');
      expect(await client.save()).toBe('OK');

      const file = await parseFile(join(server.dir, 'dump.rdb'));
      expect(file.checksum).toBe(tc.checksum);
      expect(file.aux.get('redis-ver')).toBe(info.version);

      // Every key: the engine's export equals what the server answers (RESP3 and RESP2 clients alike).
      const dataset = await readDataset(client);
      const format = scoreFormatFor(info.server, info.version, file.version);
      expect(file.entries.length).toBe(dataset.keys.length);
      expect(sortExport(file.entries.map((e) => exportEntry(e, format)))).toStrictEqual(dataset.keys);
      expect(await readDataset(server.client({ protocol: 2 }))).toStrictEqual(dataset);
      // Paged reads (LRANGE, ZRANGE, XRANGE, SCAN in small steps) give the same.
      expect(await readDataset(client, { pageSize: 97, scanCount: 5 })).toStrictEqual(dataset);
      expect(dataset.keys.map((k) => k.db).filter((d, i, a) => a.indexOf(d) === i)).toEqual(DBS);
      expect(new Set(dataset.keys.map((k) => k.type))).toEqual(new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']));
      expect(dataset.keys.filter((k) => k.expireAtMs !== null).length).toBe(DBS.length * 6);

      // Both encodings of every type made it into the file.
      const typeNames = new Set(file.entries.map((e) => e.rdbTypeName));
      for (const t of ['STRING', 'LIST_QUICKLIST_2', 'SET_INTSET', 'SET', 'ZSET_LISTPACK', 'ZSET_2', 'HASH_LISTPACK', 'HASH', 'STREAM_LISTPACKS_2']) expect(typeNames).toContain(t);

      // The function library, byte for byte.
      const libraries = await readFunctionLibraries(client);
      expect(file.functions.map((f) => [f.name, f.engine, f.code.toString()])).toEqual(libraries.map((l) => [l.name, 'lua', l.code.toString()]));
      expect(dataset.functions).toEqual(['writtenlib']);

      // LRU / LFU metadata on every key, and only under the matching policy.
      for (const e of file.entries) {
        if (tc.policy === 'lfu') {
          expect(typeof e.freq).toBe('number');
          expect(e.freq).toBeGreaterThanOrEqual(0);
          expect(e.freq).toBeLessThanOrEqual(255);
        } else expect(e.freq).toBeNull();
        if (tc.policy === 'lru') {
          expect(typeof e.idle).toBe('number');
          expect(e.idle).toBeGreaterThanOrEqual(0);
        } else expect(e.idle).toBeNull();
      }

      // Quicklist nodes: with list-compress-depth 1 every inner node of a long list is kept (and saved) LZF-compressed.
      for (const db of DBS) {
        const big = findEntry(file.entries, db, `d${db}:list:big`);
        const nodes = quicklistNodes(big);
        expect(nodes.length).toBeGreaterThanOrEqual(4);
        expect(nodes.every((n) => n.container === 'packed')).toBe(true);
        const inner = nodes.slice(1, -1);
        if (tc.compressDepth > 0) {
          expect(inner.every((n) => n.lzf)).toBe(true);
          // Without rdbcompression nothing but the in-memory compressed nodes is LZF: the head and tail are raw.
          if (!tc.rdbcompression) expect([nodes[0].lzf, nodes[nodes.length - 1].lzf]).toEqual([false, false]);
        } else if (!tc.rdbcompression) {
          expect(nodes.some((n) => n.lzf)).toBe(false);
        }
        // The engine decoded the (compressed) nodes to the list the server returns.
        const items = big.value();
        expect(items.type === 'list' ? items.items.map(String) : null).toEqual(await client.select(db).then(() => client.lrange(`d${db}:list:big`, 0, -1)));
        expect(quicklistNodes(findEntry(file.entries, db, `d${db}:list:plain`)).map((n) => n.container)).toEqual(['packed', 'plain', 'packed']);
        // Strings follow rdbcompression.
        expect(stringIsLzf(findEntry(file.entries, db, `d${db}:str:lzf`))).toBe(tc.rdbcompression);
      }
    } finally {
      await server.stop();
    }
  });
});
