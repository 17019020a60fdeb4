import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { validateAofManifest } from '../../lambdas/catalog/validate-manifest';
import { restoreAofSnapshotToDirectory } from '../../lambdas/restore/aof';
import { LocalStore } from '../../lambdas/store';
import { runAofImport } from '../../lambdas/backup/aof-run';
import { AOF_FIXTURES, copyWritable, tempDir } from '../aof/helpers';
import { withServer } from '../helpers/redis-server';

/**
 * File mode writes the names a snapshot's manifest holds as file names in the data
 * directory: a name that is a path is refused (schema and at write time), and a
 * name with non-ASCII bytes is written as those bytes.
 */

const SOURCE = 'aof-src';
const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!;
const t = tempDir('redis-backup-aof-names-');
afterAll(() => t.remove());

test('a file name that is a path (../x): refused by the schema and by file mode, nothing written outside', async () => {
  const store = new LocalStore(join(t.dir, 'store-a'));
  const good = await runAofImport({ store, source: SOURCE, path: fixture.dir });
  const data = join(t.dir, 'a', 'data');
  mkdirSync(data, { recursive: true });
  for (const evil of ['../escape.incr.aof', '..', 'sub\\name']) {
    const manifest: AofSnapshotManifest = JSON.parse(JSON.stringify(good)) as AofSnapshotManifest;
    manifest.files.find((f) => f.type === 'incr')!.name = evil;
    expect(() => validateAofManifest(manifest, 'test')).toThrow();
    await expect(restoreAofSnapshotToDirectory({ store, source: SOURCE, manifest, dataDir: data })).rejects.toMatchObject({ code: 'AOF_RESTORE_BAD_REQUEST' });
  }
  expect(readdirSync(join(t.dir, 'a'))).toEqual(['data']);
  expect(readdirSync(data)).toEqual([]);
});

test('a manifest name with a non-ASCII byte: written as that byte, and redis-server loads the directory', async () => {
  const src = join(t.dir, 'latin1-src');
  copyWritable(fixture.dir, src);
  const dir = join(src, 'appendonlydir');
  // 0xE9 as the manifest holds it: quoted with \x escapes, as Redis writes a name that needs it.
  const name = Buffer.from('appendonly.aof.2.incr\xe9.aof', 'latin1');
  renameSync(join(dir, 'appendonly.aof.2.incr.aof'), Buffer.concat([Buffer.from(`${dir}/`), name]));
  writeFileSync(join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.2.base.rdb seq 2 type b\nfile "appendonly.aof.2.incr\\xe9.aof" seq 2 type i\n');
  const store = new LocalStore(join(t.dir, 'store-b'));
  const manifest = await runAofImport({ store, source: SOURCE, path: src });
  expect(() => validateAofManifest(manifest, 'test')).not.toThrow();
  const data = join(t.dir, 'b', 'data');
  mkdirSync(data, { recursive: true });
  await restoreAofSnapshotToDirectory({ store, source: SOURCE, manifest, dataDir: data });
  const written = readdirSync(join(data, 'appendonlydir'), { encoding: 'buffer' });
  expect(written.some((n) => n.equals(name))).toBe(true);
  const original = readFileSync(Buffer.concat([Buffer.from(`${dir}/`), name]));
  expect(readFileSync(Buffer.concat([Buffer.from(`${data}/appendonlydir/`), name])).equals(original)).toBe(true);
  await withServer(async (server) => expect(await server.client().exists('after:rewrite')).toBe(1), { dir: data, config: { appendonly: 'yes', appendfilename: 'appendonly.aof', appenddirname: 'appendonlydir' } });
  expect(existsSync(join(data, 'appendonlydir', 'appendonly.aof.2.incr\u00e9.aof'))).toBe(false);
  rmSync(data, { recursive: true, force: true });
});
