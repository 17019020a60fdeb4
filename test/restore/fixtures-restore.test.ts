import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { runImport } from '../../lambdas/backup/run-backup';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { RdbEntry, scoreFormatFor, ScoreFormat } from '../../lambdas/rdb';
import { RestoreError } from '../../lambdas/restore/errors';
import { restoreIntoServer, RestoreReport } from '../../lambdas/restore/restore';
import { loadRestore } from '../../lambdas/restore/restore-record';
import { capabilitiesFromInfo, keyLabel } from '../../lambdas/restore/rewrite';
import { TargetCapabilities } from '../../lambdas/restore/types';
import { LocalStore, openStore, SnapshotStore } from '../../lambdas/store';
import { readDataset, readFunctionLibraries } from '../helpers/dataset';
import { digestFor } from '../helpers/fixtures';
import { RedisServer } from '../helpers/redis-server';
import { S3Server } from '../helpers/s3-server';
import { compareWithTruth, entryId, exportSorted, Fixture, FIXTURES, idOf, parse, Parsed } from '../helpers/truth';

/**
 * The whole path, from file to server, for every fixture with ground truth: the RDB
 * file is imported as a snapshot (runImport) into a local store and an S3 store
 * (s3rver), restored from each with restoreIntoServer in load mode into a real
 * redis-server 7.0, and the server is read back with ordinary commands and judged
 * against the truth. What the target can read goes out as RESTORE; what it cannot
 * (RDB 11/12 types, any key of another engine) is rewritten as commands, and the
 * report's write counts must say which was which.
 */

type StoreKind = 'local' | 's3';
const STORE_KINDS: StoreKind[] = ['local', 's3'];

/** A source name for the fixture (the store accepts letters, digits, '.', '_' and '-'). */
const sourceName = (f: Fixture): string => f.name.replace(/[^A-Za-z0-9._-]/g, '-');

/** Small chunks, so that every fixture spans several and restores across chunk boundaries. */
const CHUNK_BYTES = 64 << 10;

const hasFieldExpiry = (e: RdbEntry): boolean => {
  const v = e.value();
  return v.type === 'hash' && v.fields.some((f) => f.expireAtMs !== null);
};
const fieldExpiryCount = (e: RdbEntry): number => {
  const v = e.value();
  return v.type === 'hash' ? v.fields.filter((f) => f.expireAtMs !== null).length : 0;
};

function truthFormatOf(fixture: Fixture): ScoreFormat {
  return scoreFormatFor(fixture.truth.server === 'valkey' ? 'valkey' : 'redis', fixture.truth.version, fixture.rdbVersion);
}

/** Keys per db in the truth. */
function truthCounts(fixture: Fixture): Array<{ db: number; expected: number; actual: number }> {
  const per = new Map<number, number>();
  for (const k of fixture.truth.keys) per.set(k.db, (per.get(k.db) ?? 0) + 1);
  return [...per].sort((a, b) => a[0] - b[0]).map(([db, n]) => ({ db, expected: n, actual: n }));
}

/** Keys the target holds, in every database. */
async function keysOnTarget(client: Redis): Promise<number> {
  return (await readDataset(client, { functions: false })).keys.length;
}

let s3: S3Server;
let localDir: string;
const stores = new Map<StoreKind, SnapshotStore>();

beforeAll(async () => {
  s3 = await S3Server.start();
  localDir = mkdtempSync(join(tmpdir(), 'redis-backup-fixtures-restore-'));
  stores.set('local', new LocalStore(localDir));
  stores.set('s3', openStore(s3.url, s3.storeOptions));
});

afterAll(async () => {
  await s3?.stop();
  if (localDir) rmSync(localDir, { recursive: true, force: true });
});

test('the fixtures cover RESTORE, rewrite across versions, another engine and hash field expiry', async () => {
  const kinds = await Promise.all(
    FIXTURES.map(async (f) => {
      const { entries } = await parse(f.path);
      return { f, newer: entries.some((e) => e.minRdbVersion > 10), fieldExpiry: entries.some(hasFieldExpiry) };
    }),
  );
  expect(kinds.some((k) => k.f.truth.server === 'redis' && k.f.rdbVersion <= 10 && digestFor(k.f.path) !== null)).toBe(true);
  expect(kinds.some((k) => k.f.truth.server === 'redis' && k.newer)).toBe(true);
  expect(kinds.some((k) => k.f.truth.server === 'valkey')).toBe(true);
  expect(kinds.some((k) => k.fieldExpiry)).toBe(true);
});

describe.each(FIXTURES.map((f) => [f.name, f] as const))('%s: imported, stored, restored in load mode into redis-server 7.0', (_name, fixture) => {
  const source = sourceName(fixture);
  let target: RedisServer;
  let client: Redis;
  let caps: TargetCapabilities;
  let format: ScoreFormat;
  let parsed: Parsed;
  const manifests = new Map<StoreKind, SnapshotManifest>();

  beforeAll(async () => {
    parsed = await parse(fixture.path);
    target = await RedisServer.start({ config: { 'enable-debug-command': 'yes' } });
    client = target.client();
    caps = capabilitiesFromInfo(String(await client.call('INFO', 'server')));
    format = scoreFormatFor(caps.engine, caps.version.join('.'), caps.rdbVersion);
    await Promise.all(
      STORE_KINDS.map(async (kind) => {
        manifests.set(kind, await runImport({ store: stores.get(kind)!, source, path: fixture.path, chunkBytes: CHUNK_BYTES }));
      }),
    );
  });
  afterAll(async () => {
    await target?.stop();
  });

  test.each(STORE_KINDS)('from the %s store: writes counted as RESTORE or rewrite, verified, and the server equals the truth', async (kind) => {
    const store = stores.get(kind)!;
    const manifest = manifests.get(kind)!;
    const endpoint = { host: target.host, port: target.port };
    const entries = parsed.entries;

    // The snapshot is the file: same RDB version, same keys, the writer's engine.
    expect(manifest.method).toBe('import');
    expect(manifest.rdb.version).toBe(fixture.rdbVersion);
    expect(manifest.keys.total).toBe(entries.length);
    expect(manifest.server?.engine ?? 'redis').toBe(fixture.truth.server);

    // What the target (Redis 7.0, RDB 10) must get as commands: every key of another engine;
    // of its own engine, the keys whose types are newer than RDB 10.
    const sameEngine = fixture.truth.server === caps.engine;
    const rewrite = new Set(entries.filter((e) => !sameEngine || e.minRdbVersion > caps.rdbVersion).map(entryId));
    const withFieldExpiry = entries.filter(hasFieldExpiry);
    const lossyNeeded = !caps.hashFieldExpiry && withFieldExpiry.length > 0;
    const truthFormat = truthFormatOf(fixture);

    if (lossyNeeded) {
      // Without --allow-lossy the first key with field expiry stops the restore, naming the key and the way out.
      const first = withFieldExpiry[0];
      const err = await restoreIntoServer({ store, source, selector: manifest.snapshotId, target: endpoint, flush: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RestoreError);
      const e = err as RestoreError;
      expect(e.code).toBe('RESTORE_UNREPRESENTABLE');
      expect(e.message).toContain(keyLabel(first.key));
      expect(e.message).toContain('--allow-lossy');
      expect(e.message).toContain('field expiry');
      expect(e.context.key).toBe(keyLabel(first.key));
      expect(e.context.restoreId).toEqual(expect.any(String));
      // keysWritten: the keys before it in the file, all of which the target holds.
      const before = entries.findIndex((x) => x === first);
      expect(e.context.keysWritten).toBe(before);
      expect(await keysOnTarget(client)).toBe(before);
      const { record } = await loadRestore(store, source, e.context.restoreId!);
      expect(record.status).toBe('failed');
      expect(record.error).toMatchObject({ code: 'RESTORE_UNREPRESENTABLE' });
    }

    // --flush empties the target (keys and functions) left by the previous store kind or the failed attempt.
    // The sample is every key, so that the restore's own value check covers the whole fixture.
    const report: RestoreReport = await restoreIntoServer({
      store,
      source,
      selector: manifest.snapshotId,
      target: endpoint,
      flush: true,
      allowLossy: lossyNeeded,
      sampleKeys: entries.length,
    });
    expect(report.status).toBe('completed');
    expect(report.snapshotId).toBe(manifest.snapshotId);
    expect(report.counters).toMatchObject({ read: entries.length, written: entries.length, skippedExpired: 0, filtered: 0 });

    // RESTORE for what the target reads, commands for the rest.
    expect(report.writes).toMatchObject({ failed: 0, errors: [] });
    expect(report.writes.rewritten).toBe(rewrite.size);
    expect(report.writes.restored).toBe(entries.length - rewrite.size);
    if (sameEngine && fixture.rdbVersion <= caps.rdbVersion) expect(report.writes.rewritten).toBe(0);
    if (!sameEngine) expect(report.writes.restored).toBe(0);
    if (sameEngine && fixture.rdbVersion > caps.rdbVersion) {
      // An RDB 11/12 file of the target's engine: its older types still go out as RESTORE.
      expect(report.writes.rewritten).toBeGreaterThan(0);
      expect(report.writes.restored).toBeGreaterThan(0);
    }

    // --allow-lossy: exactly the field expiries, one line per key.
    const dropped = caps.hashFieldExpiry ? [] : withFieldExpiry;
    expect(report.writes.lossy).toHaveLength(dropped.length);
    dropped.forEach((entry, i) => {
      const n = fieldExpiryCount(entry);
      expect(report.writes.lossy[i]).toContain(keyLabel(entry.key));
      expect(report.writes.lossy[i]).toContain(`field expiry (${n} field${n === 1 ? '' : 's'})`);
    });

    // The restore's own verification: counts per db equal the truth's, the sample matches.
    expect(report.verification.ok).toBe(true);
    expect(report.verification.counts).toEqual(truthCounts(fixture));
    expect(report.verification.sample).toEqual({ checked: entries.length, mismatched: [] });

    // Functions: reported, and loaded with the file's code.
    const truthFunctions = [...(fixture.truth.functions ?? [])].sort();
    expect([...report.functions].sort()).toEqual(truthFunctions);
    const libraries = await readFunctionLibraries(client);
    expect(libraries.map((l) => [l.name, l.code.toString('base64')])).toEqual(
      parsed.functions.map((f) => [f.name, f.code.toString('base64')]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    );

    // The server read back with ordinary commands equals the truth (minus field expiry on this target) ...
    const dataset = await readDataset(client);
    expect(dataset.functions).toEqual(truthFunctions);
    const lossyTruth = compareWithTruth(dataset, fixture.truth, truthFormat, format, { withoutFieldExpiry: !caps.hashFieldExpiry });
    // ... and the engine's own decoding of every entry (which holds the bytes the truth lost, see truth.ts).
    expect(dataset.keys).toStrictEqual(exportSorted(entries, format, !caps.hashFieldExpiry));
    expect(new Set(dataset.keys.map(idOf))).toEqual(new Set(entries.map(entryId)));

    // Same version (or an older Redis, whose digest of these types is the same): the writer's DEBUG DIGEST.
    const digest = digestFor(fixture.path);
    if (digest !== null && sameEngine && fixture.rdbVersion <= caps.rdbVersion) {
      expect(String(await client.call('DEBUG', 'DIGEST'))).toBe(digest);
    } else if (digest === null) {
      expect(lossyTruth).toEqual([]);
    }

    // The record and the report are kept in the store.
    const { record } = await loadRestore(store, source, report.restoreId);
    expect(record.status).toBe('completed');
  });
});
