import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zstdCompressSync } from 'node:zlib';
import { runAofImport } from '../../lambdas/backup/aof-run';
import { runImport } from '../../lambdas/backup/run-backup';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { deleteSnapshot, listSnapshots, readManifest, readSnapshotManifest, resolveSnapshot } from '../../lambdas/catalog/catalog';
import { CatalogError } from '../../lambdas/catalog/errors';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { pruneSource } from '../../lambdas/catalog/prune';
import { isAofManifest, isRdbManifest, requireRdbManifest } from '../../lambdas/catalog/snapshot-kind';
import { validateManifest, validateSnapshotManifest } from '../../lambdas/catalog/validate-manifest';
import { verifyAofSnapshot } from '../../lambdas/catalog/verify-aof-snapshot';
import { verifySnapshot } from '../../lambdas/catalog/verify-snapshot';
import { restoreToDirectory } from '../../lambdas/restore/file-restore';
import { dataKey, manifestKey, snapshotsPrefix } from '../../lambdas/store/layout';
import { LocalStore } from '../../lambdas/store/local-store';
import { AOF_FIXTURES } from '../aof/helpers';
import { keysUnder } from '../backup/aof-helpers';
import { FIXTURES_DIR } from '../helpers/fixtures';

/** The catalog with both kinds of snapshot in one source: list, resolve, show, verify, delete, prune. */

const RDB = join(FIXTURES_DIR, 'redis-7.0-types.rdb');
const aofFixture = (name: string): string => AOF_FIXTURES.find((f) => f.name === name)!.dir;

async function kindOf(e: Promise<unknown>): Promise<string> {
  const err = await e.then(
    () => null,
    (x: unknown) => x,
  );
  expect(err).toBeInstanceOf(CatalogError);
  return (err as CatalogError).code;
}

describe('catalog with RDB and AOF snapshots', () => {
  let root: string;
  let store: LocalStore;
  let rdb: SnapshotManifest;
  let aof: AofSnapshotManifest;
  let clock: number;
  const now = (): Date => new Date(clock);

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-catalog-'));
    store = new LocalStore(join(root, 'store'));
    clock = Date.parse('2026-11-20T08:00:00Z');
    rdb = await runImport({ store, source: 'm', path: RDB, now });
    clock += 3_600_000;
    aof = await runAofImport({ store, source: 'm', path: aofFixture('redis-7.0-aof-preamble-yes'), now });
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('list and resolve return either kind; type guards narrow them', async () => {
    const listing = await listSnapshots(store, 'm');
    expect(listing.map((s) => [s.snapshotId, s.manifest?.kind])).toEqual([
      [aof.snapshotId, 'aof'],
      [rdb.snapshotId, 'rdb'],
    ]);
    const latest = await resolveSnapshot(store, 'm', 'latest');
    expect(isAofManifest(latest) && latest.files.length).toBe(3);
    const before = await resolveSnapshot(store, 'm', { before: new Date(Date.parse('2026-11-20T08:30:00Z')) });
    expect(isRdbManifest(before) && before.chunks.length).toBeGreaterThan(0);
    expect(await readSnapshotManifest(store, 'm', aof.snapshotId)).toEqual(aof);
    expect(validateSnapshotManifest(JSON.parse(JSON.stringify(aof)), 'test')).toEqual(aof);
  });

  test('RDB-only operations refuse an AOF snapshot with CATALOG_WRONG_KIND (and the RDB schema check refuses its manifest)', async () => {
    expect(await kindOf(readManifest(store, 'm', aof.snapshotId))).toBe('CATALOG_WRONG_KIND');
    expect(await kindOf(verifySnapshot(store, 'm', aof.snapshotId))).toBe('CATALOG_WRONG_KIND');
    mkdirSync(join(root, 'target'));
    expect(await kindOf(restoreToDirectory({ store, source: 'm', selector: aof.snapshotId, dir: join(root, 'target') }))).toBe('CATALOG_WRONG_KIND');
    expect(() => requireRdbManifest(aof, 'a load restore')).toThrow(/is an AOF snapshot \(kind aof\), and a load restore takes an RDB snapshot/);
    expect(() => validateManifest(JSON.parse(JSON.stringify(aof)), 'test')).toThrow(CatalogError);
    // An AOF manifest with an RDB field, or missing one of its own, does not validate.
    expect(() => validateSnapshotManifest({ ...aof, chunks: [] }, 'test')).toThrow(/must NOT have additional properties/);
    const { files: _files, ...noFiles } = aof;
    expect(() => validateSnapshotManifest(noFiles, 'test')).toThrow(/must have required property 'files'/);
  });

  test('verify finds a damaged stored object and a manifest that disagrees with the files, never changing the stored copy', async () => {
    const base = aof.files.find((f) => f.type === 'base')!;
    const path = join(root, 'store', dataKey('m', aof.snapshotId, base.object));
    const bytes = readFileSync(path);
    bytes[bytes.length >> 1] ^= 0x55;
    writeFileSync(path, bytes);
    const sha = createHash('sha256').update(bytes).digest('hex');
    const damaged = await verifyAofSnapshot(store, aof);
    expect(damaged.ok).toBe(false);
    expect(damaged.problems.some((p) => p.startsWith(`${base.name}: `))).toBe(true);
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(sha);

    // A stored AOF manifest naming a file the snapshot does not hold (hashes consistent, so only the content check can tell).
    const other = await runAofImport({ store, source: 'n', path: aofFixture('redis-7.0-aof-preamble-no') });
    const text = Buffer.from('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.9.incr.aof seq 9 type i\n');
    const stored = zstdCompressSync(text);
    const mf = other.files[0];
    writeFileSync(join(root, 'store', dataKey('n', other.snapshotId, mf.object)), stored);
    const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    const edited: AofSnapshotManifest = { ...other, files: [{ ...mf, raw: { bytes: text.length, sha256: sha256(text) }, stored: { bytes: stored.length, sha256: sha256(stored) } }, ...other.files.slice(1)] };
    edited.raw.bytes = edited.files.reduce((n, f) => n + f.raw.bytes, 0);
    edited.stored.bytes = edited.files.reduce((n, f) => n + f.stored.bytes, 0);
    const report = await verifyAofSnapshot(store, edited);
    expect(report.problems).toEqual([expect.stringMatching(/^appendonly\.aof\.manifest: lists .*appendonly\.aof\.9\.incr\.aof.* where the snapshot holds .*appendonly\.aof\.2\.incr\.aof/)]);
  });

  test('delete removes every object of an AOF snapshot; prune handles both kinds', async () => {
    await deleteSnapshot(store, 'm', aof.snapshotId);
    expect(await keysUnder(store, `m/snapshots/${aof.snapshotId}/`)).toEqual([]);
    clock += 3_600_000;
    const again = await runAofImport({ store, source: 'm', path: aofFixture('valkey-8.0-aof-preamble-no'), now });
    const report = await pruneSource(store, 'm', { policy: { keepLast: 1 }, now: new Date(clock + 1000) });
    expect(report.deleted).toEqual([rdb.snapshotId]);
    expect(await keysUnder(store, snapshotsPrefix('m'))).toEqual([...again.files.map((f) => dataKey('m', again.snapshotId, f.object)), manifestKey('m', again.snapshotId)].sort());
  });
});
