import { execFileSync } from 'node:child_process';
import Redis from 'ioredis';
import { RdbEntry, scoreFormatFor } from '../../lambdas/rdb';
import { readDataset, readFunctionLibraries, serverInfo, ServerInfo } from '../helpers/dataset';
import { digestFor, Truth } from '../helpers/fixtures';
import { REDIS_SERVER_BIN, RedisServer } from '../helpers/redis-server';
import { compareWithTruth, exportSorted, FIXTURES, parse } from '../helpers/truth';

/**
 * Restores every entry of every fixture through RESTORE (the DUMP payloads the
 * engine builds) into a fresh local redis-server, then reads the server back
 * with ordinary commands and compares it with the fixture's ground truth.
 */

/** The RDB version the local server writes and accepts (Debian's redis-server 7.0). */
const SERVER_RDB_VERSION = 10;

const LOADABLE = FIXTURES.filter((f) => f.rdbVersion <= SERVER_RDB_VERSION);
const NEWER = FIXTURES.filter((f) => f.rdbVersion > SERVER_RDB_VERSION);

async function selectDb(client: Redis, db: number, current: { db: number }): Promise<void> {
  if (current.db === db) return;
  await client.select(db);
  current.db = db;
}

async function restore(client: Redis, entry: RdbEntry, payload: Buffer, current: { db: number }): Promise<unknown> {
  await selectDb(client, entry.db, current);
  return client.callBuffer('RESTORE', entry.key, entry.expireAtMs ?? 0, payload, 'ABSTTL');
}

async function withServer<T>(fn: (client: Redis, info: ServerInfo) => Promise<T>): Promise<T> {
  const server = await RedisServer.start({ config: { 'enable-debug-command': 'yes' } });
  try {
    const client = server.client();
    const info = await serverInfo(client);
    return await fn(client, info);
  } finally {
    await server.stop();
  }
}

const sameMinor = (truth: Truth, info: ServerInfo): boolean => truth.server === info.server && truth.version.split('.').slice(0, 2).join('.') === `${info.major}.${info.minor}`;

test('the fixtures are there, including one written by the local server\'s version, with its digest', () => {
  expect(LOADABLE.length).toBeGreaterThan(0);
  expect(NEWER.length).toBeGreaterThan(0);
  const version = /v=(\d+)\.(\d+)\./.exec(execFileSync(REDIS_SERVER_BIN, ['--version'], { encoding: 'utf8' }));
  expect(version).not.toBeNull();
  const local = { server: 'redis', major: Number(version![1]), minor: Number(version![2]) } as ServerInfo;
  expect(LOADABLE.filter((f) => sameMinor(f.truth, local) && digestFor(f.path) !== null).length).toBeGreaterThan(0);
});

describe.each(LOADABLE.map((f) => [f.name, f] as const))('RESTORE of %s into a fresh local server', (_name, fixture) => {
  test('reproduces the ground truth exactly (keys, values, expiries, streams, functions, digest)', async () => {
    const { entries, functions } = await parse(fixture.path);
    await withServer(async (client, info) => {
      const ourFormat = scoreFormatFor(info.server, info.version, SERVER_RDB_VERSION);
      const truthFormat = scoreFormatFor(fixture.truth.server === 'valkey' ? 'valkey' : 'redis', fixture.truth.version, fixture.rdbVersion);
      const current = { db: 0 };
      for (const entry of entries) {
        expect(entry.minRdbVersion).toBeLessThanOrEqual(fixture.rdbVersion);
        const reply = await restore(client, entry, entry.dumpPayload(), current);
        expect(String(reply)).toBe('OK');
      }
      for (const f of functions) {
        expect(f.preGa).toBe(false);
        expect(String(await client.callBuffer('FUNCTION', 'LOAD', f.code))).toBe(f.name);
      }

      const dataset = await readDataset(client);
      const lossy = compareWithTruth(dataset, fixture.truth, truthFormat, ourFormat);
      // The engine's own decoding of every entry agrees with what the server holds.
      expect(dataset.keys).toStrictEqual(exportSorted(entries, ourFormat));
      // Functions: the truth lists library names (7.0+ truth files); the code loaded is the file's, byte for byte.
      expect(dataset.functions).toEqual([...(fixture.truth.functions ?? [])].sort());
      const libraries = await readFunctionLibraries(client);
      expect(libraries.map((l) => [l.name, l.code.toString('base64')])).toEqual(
        functions.map((f) => [f.name, f.code.toString('base64')]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
      );

      // DEBUG DIGEST hashes the logical dataset. A server of the same version must agree with the one that
      // wrote the fixture; older Redis versions agree too, since the digest of these types has not changed
      // since 2.8 (it is also what proves the bytes the truth lost, see lossyHashView, are right).
      const digest = digestFor(fixture.path);
      if (digest !== null && fixture.truth.server === info.server) {
        expect(String(await client.call('DEBUG', 'DIGEST'))).toBe(digest);
      } else {
        expect(lossy).toEqual([]);
      }
    });
  });
});

describe.each(NEWER.map((f) => [f.name, f] as const))('RESTORE of %s (a newer RDB version) into the local server', (_name, fixture) => {
  test('entries of types it knows restore with the DUMP footer lowered to its version; newer types are refused', async () => {
    const { entries } = await parse(fixture.path);
    expect(entries.length).toBeGreaterThan(0);
    await withServer(async (client, info) => {
      const ourFormat = scoreFormatFor(info.server, info.version, SERVER_RDB_VERSION);
      const truthFormat = scoreFormatFor(fixture.truth.server === 'valkey' ? 'valkey' : 'redis', fixture.truth.version, fixture.rdbVersion);
      const current = { db: 0 };
      const restored = new Set<string>();
      const refused: RdbEntry[] = [];
      for (const entry of entries) {
        const id = `${entry.db}:${entry.key.toString('base64')}`;
        // The file's own footer is newer than the server: refused whatever the type.
        await expect(restore(client, entry, entry.dumpPayload(), current)).rejects.toThrow(/DUMP payload version or checksum are wrong/);
        if (entry.minRdbVersion <= SERVER_RDB_VERSION) {
          expect(String(await restore(client, entry, entry.dumpPayload(SERVER_RDB_VERSION), current))).toBe('OK');
          restored.add(id);
        } else {
          // Footer lowered, but the type byte is one the server has never heard of.
          await expect(restore(client, entry, entry.dumpPayload(SERVER_RDB_VERSION), current)).rejects.toThrow(/Bad data format/);
          expect(await client.exists(entry.key)).toBe(0);
          refused.push(entry);
        }
      }
      expect(restored.size).toBeGreaterThan(0);
      expect(refused.length + restored.size).toBe(entries.length);

      const dataset = await readDataset(client);
      // What was restored equals the ground truth of those keys ...
      compareWithTruth(dataset, fixture.truth, truthFormat, ourFormat, { only: restored });
      // ... and the engine's own decoding of those entries.
      expect(dataset.keys).toStrictEqual(exportSorted(entries.filter((e) => restored.has(`${e.db}:${e.key.toString('base64')}`)), ourFormat));
    });
  });
});

test('the newer fixtures hold the types a 7.0 server refuses (so the refusals above are exercised)', async () => {
  const newerTypes = new Set<string>();
  for (const f of NEWER) for (const e of (await parse(f.path)).entries) if (e.minRdbVersion > SERVER_RDB_VERSION) newerTypes.add(e.rdbTypeName);
  // README: 7.2 writes SET_LISTPACK and STREAM_LISTPACKS_3, 7.4 adds hash field expiration.
  expect(newerTypes).toContain('SET_LISTPACK');
  expect(newerTypes).toContain('STREAM_LISTPACKS_3');
  expect([...newerTypes].some((t) => t.startsWith('HASH_METADATA') || t.startsWith('HASH_LISTPACK_EX'))).toBe(true);
});
