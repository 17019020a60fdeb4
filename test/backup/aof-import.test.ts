import { appendFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AofError, verifyAof } from '../../lambdas/aof';
import { runAofImport } from '../../lambdas/backup/aof-run';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { listSnapshots, readSnapshotManifest } from '../../lambdas/catalog/catalog';
import { verifyAofSnapshot } from '../../lambdas/catalog/verify-aof-snapshot';
import { manifestKey } from '../../lambdas/store/layout';
import { LocalStore } from '../../lambdas/store/local-store';
import { openStore } from '../../lambdas/store/open-store';
import { SnapshotStore } from '../../lambdas/store/store';
import { AOF_FIXTURES, copyWritable, PREAMBLE_AOF } from '../aof/helpers';
import { S3Server } from '../helpers/s3-server';
import { expectNothingLeft, keysUnder, originalFiles, storedFiles } from './aof-helpers';

/**
 * `import` of AOFs (every fixture, multi-part and single file, with and without an
 * RDB preamble) into a local store and into S3 (s3rver): the stored objects decompress
 * to the original bytes, the SHA-256s match the manifest, the snapshot verifies; a
 * damaged AOF is refused with a typed error and nothing is committed.
 */

async function importAndCheck(store: SnapshotStore, source: string, dir: string): Promise<AofSnapshotManifest> {
  const manifest = await runAofImport({ store, source, path: dir });
  expect(await readSnapshotManifest(store, source, manifest.snapshotId)).toEqual(manifest);
  const stored = await storedFiles(store, manifest);
  const original = originalFiles(dir, manifest);
  for (const [name, bytes] of original) expect({ name, same: stored.get(name)?.equals(bytes) }).toEqual({ name, same: true });
  // The same commands and RDB as verifyAof (the redis-check-aof equivalent) reads in the directory.
  const direct = await verifyAof(dir);
  expect(direct.ok).toBe(true);
  const data = manifest.files.filter((f) => f.type !== 'manifest');
  expect(data.map((f) => [f.name, f.commands, f.raw.sha256])).toEqual(direct.files.map((f) => [f.name, f.commands, f.sha256]));
  expect(manifest.baseKeys).toBe(direct.files[0].rdb?.keys ?? null);
  const report = await verifyAofSnapshot(store, manifest);
  expect({ ok: report.ok, problems: report.problems, warnings: report.warnings }).toEqual({ ok: true, problems: [], warnings: [] });
  expect(report.commands).toBe(direct.commands);
  return manifest;
}

describe('import of AOF fixtures into a local store', () => {
  let root: string;
  let store: LocalStore;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-import-'));
    store = new LocalStore(join(root, 'store'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test.each(AOF_FIXTURES.map((f) => [f.name, f.dir]))('%s: stored, round-trips and verifies', async (name, dir) => {
    const m = await importAndCheck(store, 'src', dir);
    const single = name.startsWith('redis-6.2');
    expect(m.aof.layout).toBe(single ? 'single' : 'multi-part');
    expect(m.files.map((f) => f.type)).toEqual(single ? ['single'] : ['manifest', 'base', 'incr']);
    expect(m.aof.rdbVersion !== null).toBe(name.includes('preamble-yes'));
    expect(m.method).toBe('import');
    // Imports know the server only from the aux fields of an RDB preamble.
    const version = name.split('-')[1];
    expect(m.server).toEqual(name.includes('preamble-yes') ? { engine: 'redis', version: expect.stringMatching(new RegExp(`^${version.replace('.', '\\.')}\\.`)), role: null } : null);
    expect(m.importedFrom).toBe(single ? join(dir, 'appendonly.aof') : join(dir, 'appendonlydir'));
    expect(await keysUnder(store, `src/snapshots/${m.snapshotId}/`)).toEqual([...m.files.map((f) => `src/snapshots/${m.snapshotId}/${f.object}`), manifestKey('src', m.snapshotId)].sort());
  });

  test('the appendonlydir itself, its manifest, and a single file with an RDB preamble', async () => {
    const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!;
    const a = await runAofImport({ store, source: 'a', path: join(fixture.dir, 'appendonlydir') });
    const b = await runAofImport({ store, source: 'a', path: join(fixture.dir, 'appendonlydir', 'appendonly.aof.manifest') });
    expect(b.files.map((f) => f.raw.sha256)).toEqual(a.files.map((f) => f.raw.sha256));
    const copy = join(root, 'preamble');
    copyWritable(PREAMBLE_AOF, join(copy, 'appendonly.aof'));
    const c = await importAndCheck(store, 'b', copy);
    expect(c.aof.rdbVersion).not.toBeNull();
    expect((await listSnapshots(store, 'a')).map((s) => s.manifest?.kind)).toEqual(['aof', 'aof']);
  });

  test('history entries are left out of the stored manifest', async () => {
    const dir = join(root, 'history');
    copyWritable(AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-no')!.dir, dir);
    const manifestPath = join(dir, 'appendonlydir', 'appendonly.aof.manifest');
    const original = readFileSync(manifestPath, 'latin1');
    writeFileSync(manifestPath, `file appendonly.aof.1.base.aof seq 1 type h\n${original}`);
    const m = await runAofImport({ store, source: 'h', path: dir });
    const stored = await storedFiles(store, m);
    expect(stored.get('appendonly.aof.manifest')!.toString('latin1')).toBe(original);
    expect((await verifyAofSnapshot(store, m)).ok).toBe(true);
  });

  test('a truncated tail in the last file is kept and recorded, and verify reports where it would be cut', async () => {
    const dir = join(root, 'tail');
    copyWritable(AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!.dir, dir);
    const incr = join(dir, 'appendonlydir', 'appendonly.aof.2.incr.aof');
    const size = readFileSync(incr).length;
    appendFileSync(incr, '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$5\r\nval');
    const m = await runAofImport({ store, source: 't', path: dir });
    const last = m.files[m.files.length - 1];
    expect(last.truncatedTail).toEqual({ at: size, bytes: 27, reason: 'incomplete-command' });
    expect(last.raw.bytes).toBe(size + 27);
    const report = await verifyAofSnapshot(store, m);
    expect(report.ok).toBe(true);
    expect(report.warnings).toEqual([expect.stringContaining(`redis-check-aof --fix would cut the file to ${size} bytes`)]);
  });

  describe('damaged AOFs: typed errors, nothing committed', () => {
    function damaged(fixture: string, damage: (appendonlydir: string) => void): string {
      const dir = join(root, 'damaged');
      copyWritable(AOF_FIXTURES.find((f) => f.name === fixture)!.dir, dir);
      damage(join(dir, 'appendonlydir'));
      return dir;
    }
    async function refused(dir: string): Promise<AofError> {
      const err = await runAofImport({ store, source: 'bad', path: dir }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(AofError);
      await expectNothingLeft(store, 'bad');
      return err as AofError;
    }

    test('a corrupt command in the incr file: AOF_FORMAT with its offset', async () => {
      let second = -1;
      const dir = damaged('redis-7.0-aof-preamble-no', (d) => {
        const p = join(d, 'appendonly.aof.2.incr.aof');
        const data = readFileSync(p);
        second = data.indexOf('*', 1);
        data[second] = 0x21;
        writeFileSync(p, data);
      });
      const e = await refused(dir);
      expect({ code: e.code, file: e.file, offset: e.offset, okUpTo: e.okUpTo }).toEqual({ code: 'AOF_FORMAT', file: 'appendonly.aof.2.incr.aof', offset: second, okUpTo: second });
    });

    test('a damaged RDB base: AOF_RDB_INVALID', async () => {
      const dir = damaged('redis-7.0-aof-preamble-yes', (d) => {
        const p = join(d, 'appendonly.aof.2.base.rdb');
        const data = readFileSync(p);
        data[data.length - 3] ^= 0xff;
        writeFileSync(p, data);
      });
      expect((await refused(dir)).code).toBe('AOF_RDB_INVALID');
    });

    test('a file cut short that is not the last: AOF_TRUNCATED', async () => {
      const dir = damaged('redis-7.0-aof-preamble-no', (d) => {
        appendFileSync(join(d, 'appendonly.aof.manifest'), 'file appendonly.aof.3.incr.aof seq 3 type i\n');
        writeFileSync(join(d, 'appendonly.aof.3.incr.aof'), '*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n');
        const p = join(d, 'appendonly.aof.2.incr.aof');
        truncateSync(p, readFileSync(p).length - 3);
      });
      const e = await refused(dir);
      expect({ code: e.code, file: e.file }).toEqual({ code: 'AOF_TRUNCATED', file: 'appendonly.aof.2.incr.aof' });
    });

    test('a missing incr file: AOF_FILE_MISSING; a broken manifest: AOF_MANIFEST_INVALID', async () => {
      const missing = damaged('redis-7.0-aof-preamble-no', (d) => rmSync(join(d, 'appendonly.aof.2.incr.aof')));
      expect((await refused(missing)).code).toBe('AOF_FILE_MISSING');
      rmSync(missing, { recursive: true });
      const broken = damaged('redis-7.0-aof-preamble-no', (d) => appendFileSync(join(d, 'appendonly.aof.manifest'), 'file x seq 1 type b\n'));
      expect((await refused(broken)).code).toBe('AOF_MANIFEST_INVALID');
    });
  });
});

describe('import of AOF fixtures into S3 (s3rver)', () => {
  let s3: S3Server;
  let store: SnapshotStore;
  beforeAll(async () => {
    s3 = await S3Server.start();
    store = openStore(s3.url, s3.storeOptions);
  });
  afterAll(async () => {
    await s3?.stop();
  });

  test.each(AOF_FIXTURES.map((f) => [f.name, f.dir]))('%s', async (name, dir) => {
    const m = await importAndCheck(store, name.replace(/\./g, '_'), dir);
    expect(m.files.length).toBeGreaterThan(0);
  });

  test('a damaged AOF leaves no object and no multipart upload behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-s3-'));
    try {
      const dir = join(root, 'aof');
      copyWritable(AOF_FIXTURES.find((f) => f.name === 'redis-7.4-aof-preamble-yes')!.dir, dir);
      const p = join(dir, 'appendonlydir', 'appendonly.aof.2.incr.aof');
      const data = readFileSync(p);
      data[data.indexOf('*', 1)] = 0x00;
      writeFileSync(p, data);
      await expect(runAofImport({ store, source: 'bad', path: dir })).rejects.toBeInstanceOf(AofError);
      await expectNothingLeft(store, 'bad');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
