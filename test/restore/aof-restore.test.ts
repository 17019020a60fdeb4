import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCommand } from '../../lambdas/aof';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { scoreFormatFor } from '../../lambdas/rdb';
import { AofRestoreError, loadAof, localAofSource, restoreAofSnapshotToDirectory } from '../../lambdas/restore/aof';
import { restoreSnapshot } from '../../lambdas/restore/restore';
import { readReport } from '../../lambdas/restore/restore-record';
import { LocalStore } from '../../lambdas/store';
import { dataKey } from '../../lambdas/store/layout';
import { AOF_FIXTURES, AofFixture, copyWritable, runCheckAof, tempDir } from '../aof/helpers';
import { Dataset, readDataset } from '../helpers/dataset';
import { Truth } from '../helpers/fixtures';
import { RedisServer, withServer } from '../helpers/redis-server';
import { compareWithTruth } from '../helpers/truth';
import { runAofImport } from '../../lambdas/backup/aof-run';
import { storeAofSnapshot, zstd } from './aof-helpers';

/**
 * AOF snapshots restored through the orchestrator (restoreSnapshot dispatches on the
 * snapshot's kind) from a store laid out per lambdas/catalog/aof-manifest.ts, into a
 * real redis-server 7.0 (load mode) or into a data directory a real redis-server
 * then starts on (file mode); each compared with the fixture's ground truth.
 */

const SOURCE = 'aof-src';
let root: string;
let store: LocalStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-restore-'));
  store = new LocalStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const engineOf = (f: AofFixture): 'redis' | 'valkey' => (f.truth.server === 'valkey' ? 'valkey' : 'redis');
const fieldExpiry = (t: Truth): boolean => t.keys.some((k) => k.fieldExpireAtMs !== undefined);

function expectTruth(dataset: Dataset, truth: Truth): void {
  const truthFormat = scoreFormatFor(truth.server === 'valkey' ? 'valkey' : 'redis', truth.version, 0);
  compareWithTruth(dataset, truth, truthFormat, scoreFormatFor('redis', dataset.version, 0), { withoutFieldExpiry: fieldExpiry(truth) });
  expect(dataset.functions).toEqual([...(truth.functions ?? [])].sort());
}

const target = (s: RedisServer): { host: string; port: number } => ({ host: s.host, port: s.port });

/** The AOF at `dir` stored by `redis-backup import` (the capture engine's import). */
const imported = (dir: string): Promise<AofSnapshotManifest> => runAofImport({ store, source: SOURCE, path: dir });

describe.each(AOF_FIXTURES.map((f) => [f.name, f] as const))('%s as a stored AOF snapshot', (_name, fixture) => {
  test('imported, then restored in load mode through the orchestrator: the truth, with a restore record and report', async () => {
    const manifest = await imported(fixture.dir);
    await withServer(async (server) => {
      const report = await restoreSnapshot({ store, source: SOURCE, selector: 'latest', target: target(server), allowLossy: true });
      if (!('kind' in report)) throw new Error('an AOF snapshot must be replayed by the AOF engine');
      expect(report).toMatchObject({ kind: 'aof', status: 'completed', ok: true, snapshotId: manifest.snapshotId });
      expect(report.files.map((f) => [f.name, f.sha256])).toEqual(manifest.files.filter((f) => f.type !== 'manifest').map((f) => [f.name, f.raw.sha256]));
      expect(await readReport(store, SOURCE, report.restoreId)).toMatchObject({ restoreId: report.restoreId, kind: 'aof', ok: true });
      expectTruth(await readDataset(server.client()), fixture.truth);
    });
  });

  test('stored with its incr files as several zstd frames (and a skippable frame): decoded frame by frame', async () => {
    const manifest = await storeAofSnapshot(store, SOURCE, fixture.dir, { frames: 3, engine: engineOf(fixture) });
    await withServer(async (server) => {
      const report = await restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server), allowLossy: true });
      expect('kind' in report && report.ok).toBe(true);
      expectTruth(await readDataset(server.client()), fixture.truth);
    });
  });
});

// redis-server 7.0 cannot start on 7.4's RDB-12 base.
const LOADABLE = AOF_FIXTURES.filter((f) => f.name !== 'redis-7.4-aof-preamble-yes');

describe.each(LOADABLE.map((f) => [f.name, f] as const))('%s in file mode', (_name, fixture) => {
  test('the AOF written into a data directory loads in redis-server 7.0 and holds the truth', async () => {
    const manifest = await imported(fixture.dir);
    const data = tempDir();
    try {
      const report = await restoreAofSnapshotToDirectory({ store, source: SOURCE, manifest, dataDir: data.dir });
      const expectedNames = manifest.files.map((f) => f.name).sort();
      const written = manifest.aof.layout === 'multi-part' ? readdirSync(join(data.dir, manifest.aof.dirName!)) : readdirSync(data.dir);
      expect(written.sort()).toEqual(expectedNames);
      expect(report.files.map((f) => f.name).pop()).toBe(manifest.aof.manifestName ?? manifest.files[0].name);
      // A second restore into the same directory is refused unless forced.
      await expect(restoreAofSnapshotToDirectory({ store, source: SOURCE, manifest, dataDir: data.dir })).rejects.toMatchObject({ code: 'AOF_RESTORE_EXISTS' });
      await restoreAofSnapshotToDirectory({ store, source: SOURCE, manifest, dataDir: data.dir, force: true });
      const config: Record<string, string> = { appendonly: 'yes', appendfilename: manifest.aof.manifestName?.replace(/\.manifest$/, '') ?? manifest.files[0].name };
      if (manifest.aof.dirName) config.appenddirname = manifest.aof.dirName;
      await withServer(async (server) => expectTruth(await readDataset(server.client()), fixture.truth), { dir: data.dir, config });
    } finally {
      data.remove();
    }
  });
});

const named = (name: string): AofFixture => AOF_FIXTURES.find((f) => f.name === name)!;

/** Replaces a stored object's content with `raw` (compressed), keeping the manifest: a damaged stored copy. */
async function tamper(manifest: AofSnapshotManifest, type: 'base' | 'incr', edit: (raw: Buffer) => Buffer, fixture: AofFixture): Promise<string> {
  const file = manifest.files.filter((f) => f.type === type).pop()!;
  const original = readFileSync(join(fixture.dir, 'appendonlydir', file.name));
  await store.put(dataKey(SOURCE, manifest.snapshotId, file.object), zstd(edit(original)));
  return file.name;
}

describe('integrity before write', () => {
  const fixture = named('redis-7.0-aof-preamble-yes');

  test('a tampered incr object: a typed error naming it; the base was written, nothing from the incr file', async () => {
    const manifest = await imported(fixture.dir);
    const name = await tamper(manifest, 'incr', (raw) => Buffer.from(raw.toString('latin1').replace('after:rewrite', 'after:rewritX'), 'latin1'), fixture);
    await withServer(async (server) => {
      const error = await restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server) }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AofRestoreError);
      const e = error as AofRestoreError;
      expect(e.code).toBe('AOF_RESTORE_INTEGRITY');
      expect(e.context.file).toBe(name);
      expect(e.context.commandsWritten).toBe(0);
      expect(e.context.keysWritten).toBeGreaterThan(0);
      expect(e.message).toContain(`Nothing from ${name} was written`);
      const dataset = await readDataset(server.client());
      expect(dataset.keys.some((k) => k.key === 'after:rewrite' || k.key === 'after:rewritX')).toBe(false);
      expect(dataset.keys.length).toBe(e.context.keysWritten);
    });
  });

  test('a tampered base object: nothing written at all', async () => {
    const manifest = await imported(fixture.dir);
    await tamper(manifest, 'base', (raw) => Buffer.concat([raw.subarray(0, 100), Buffer.from([raw[100] ^ 1]), raw.subarray(101)]), fixture);
    await withServer(async (server) => {
      await expect(restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server) })).rejects.toMatchObject({ code: 'AOF_RESTORE_INTEGRITY', context: { commandsWritten: 0, keysWritten: 0 } });
      expect(await server.client().dbsize()).toBe(0);
    });
  });

  test('a non-empty target is refused unless --flush or --replace', async () => {
    const manifest = await imported(fixture.dir);
    await withServer(async (server) => {
      await server.client().set('already', 'here');
      await expect(restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server) })).rejects.toMatchObject({ code: 'AOF_RESTORE_TARGET_NOT_EMPTY' });
      expect(await server.client().dbsize()).toBe(1);
      const report = await restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server), flush: true });
      expect('kind' in report && report.ok).toBe(true);
      expectTruth(await readDataset(server.client()), fixture.truth);
    });
  });

  test('dry run: every file read and verified, nothing written', async () => {
    const manifest = await imported(fixture.dir);
    await withServer(async (server) => {
      const report = await restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server), dryRun: true });
      if (!('kind' in report)) throw new Error('expected an AOF report');
      expect(report.status).toBe('dry-run');
      expect(report.files.map((f) => f.commands)).toEqual(manifest.files.filter((f) => f.type !== 'manifest').map((f) => f.commands));
      expect(await server.client().dbsize()).toBe(0);
    });
  });
});

describe('filters and damaged tails (local directory source)', () => {
  test('--db 0 --db-map 0:5: only db 0, in db 5; other databases skipped', async () => {
    const fixture = named('redis-7.0-aof-preamble-yes');
    expect(new Set(fixture.truth.keys.map((k) => k.db)).size).toBeGreaterThan(1);
    await withServer(async (server) => {
      const report = await loadAof({ source: await localAofSource(fixture.dir), target: target(server), dbs: [0], dbMap: { 0: 5 } });
      expect(report.ok).toBe(true);
      expect(report.keys.filtered).toBeGreaterThan(0);
      const dataset = await readDataset(server.client());
      const truth: Truth = { ...fixture.truth, keys: fixture.truth.keys.filter((k) => k.db === 0).map((k) => ({ ...k, db: 5 })) };
      // Functions are not in a database: the base's are loaded whatever the filter.
      expectTruth(dataset, truth);
    });
  });

  test('a truncated last file: the tail dropped and reported where redis-check-aof cuts it; the same data as the server loading it', async () => {
    const fixture = named('redis-7.0-aof-preamble-no');
    const t = tempDir();
    try {
      const dataDir = join(t.dir, 'data');
      copyWritable(fixture.dir, dataDir);
      const incr = readdirSync(join(dataDir, 'appendonlydir')).filter((n) => n.endsWith('.incr.aof')).sort().pop()!;
      const path = join(dataDir, 'appendonlydir', incr);
      const size = readFileSync(path).length;
      const partial = encodeCommand(['SET', 'cut:off', 'value']).subarray(0, 17);
      appendFileSync(path, Buffer.concat([encodeCommand(['SET', 'kept', 'yes']), partial]));
      const cut = size + encodeCommand(['SET', 'kept', 'yes']).length;
      const check = await runCheckAof(join(dataDir, 'appendonlydir', 'appendonly.aof.manifest'));
      expect(check.analyzed.at(-1)).toMatchObject({ okUpTo: cut, diff: partial.length });
      expect(check.analyzed.at(-1)!.file.endsWith(incr)).toBe(true);
      const replayed = await withServer(async (server) => {
        const report = await loadAof({ source: await localAofSource(dataDir), target: target(server) });
        expect(report.files.at(-1)!.truncatedTail).toEqual({ at: cut, bytes: partial.length, reason: 'incomplete-command', droppedCommands: 0 });
        return readDataset(server.client());
      });
      expect(replayed.keys.find((k) => k.key === 'kept')).toMatchObject({ value: 'yes' });
      const native = await withServer(async (server) => readDataset(server.client()), { dir: dataDir, config: { appendonly: 'yes', 'aof-load-truncated': 'yes' } });
      expect(replayed).toEqual(native);
    } finally {
      t.remove();
    }
  });

  test('--until on an AOF without #TS: annotations: refused, unless everything may be replayed', async () => {
    const fixture = named('redis-7.0-aof-preamble-yes');
    const manifest = await storeAofSnapshot(store, SOURCE, fixture.dir);
    await withServer(async (server) => {
      const until = new Date();
      await expect(restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server), until })).rejects.toMatchObject({ code: 'AOF_RESTORE_NO_TIMESTAMPS' });
      await expect(loadAof({ source: await localAofSource(fixture.dir), target: target(server), until })).rejects.toMatchObject({ code: 'AOF_RESTORE_NO_TIMESTAMPS' });
      expect(await server.client().dbsize()).toBe(0);
      const report = await loadAof({ source: await localAofSource(fixture.dir), target: target(server), until, untilWithoutTimestamps: true });
      expect(report.until).toMatchObject({ withoutTimestamps: true, stoppedAt: null });
      expectTruth(await readDataset(server.client()), fixture.truth);
    });
  });
});

test('AUTH through the RDB restore target connection: the right password loads, a wrong one is refused before anything is written', async () => {
  const fixture = named('redis-7.0-aof-preamble-yes');
  await withServer(
    async (server) => {
      const client = server.client({ password: 'sekrit' });
      await expect(loadAof({ source: await localAofSource(fixture.dir), target: { ...target(server), password: 'wrong' } })).rejects.toMatchObject({ code: 'RESTORE_TARGET_AUTH' });
      expect(await client.dbsize()).toBe(0);
      const report = await loadAof({ source: await localAofSource(fixture.dir), target: { ...target(server), password: 'sekrit' } });
      expect(report.ok).toBe(true);
      expectTruth(await readDataset(client), fixture.truth);
    },
    { config: { requirepass: 'sekrit' } },
  );
});
