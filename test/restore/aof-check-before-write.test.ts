import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { restoreAofSnapshotToDirectory } from '../../lambdas/restore/aof';
import { restoreSnapshot } from '../../lambdas/restore/restore';
import { LocalStore } from '../../lambdas/store';
import { dataKey } from '../../lambdas/store/layout';
import { runAofImport } from '../../lambdas/backup/aof-run';
import { AOF_FIXTURES, tempDir } from '../aof/helpers';
import { RedisServer, withServer } from '../helpers/redis-server';
import { zstd } from './aof-helpers';

/**
 * A stored AOF restored with --flush into a target that holds keys: whatever is
 * wrong with the snapshot (a damaged base, a damaged incr file, an --until earlier
 * than the base) is found before the target is emptied, so the target keeps its keys.
 */

const SOURCE = 'aof-src';
const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!;
let root: string;
let store: LocalStore;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-check-'));
  store = new LocalStore(root);
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

const target = (s: RedisServer): { host: string; port: number } => ({ host: s.host, port: s.port });

async function tamper(manifest: AofSnapshotManifest, type: 'base' | 'incr'): Promise<void> {
  const file = manifest.files.filter((f) => f.type === type).pop()!;
  const raw = readFileSync(join(fixture.dir, 'appendonlydir', file.name));
  const at = type === 'base' ? 100 : raw.length - 3;
  await store.put(dataKey(SOURCE, manifest.snapshotId, file.object), zstd(Buffer.concat([raw.subarray(0, at), Buffer.from([raw[at] ^ 1]), raw.subarray(at + 1)])));
}

async function keptAfterFailedFlush(manifest: AofSnapshotManifest, extra: { until?: Date; untilWithoutTimestamps?: boolean }, code: string): Promise<void> {
  await withServer(async (server) => {
    const client = server.client();
    await client.set('already', 'here');
    await client.select(3);
    await client.set('other', 'db');
    const error = await restoreSnapshot({ store, source: SOURCE, selector: manifest.snapshotId, target: target(server), flush: true, ...extra }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code, context: { commandsWritten: 0, keysWritten: 0 } });
    expect((error as Error).message).toContain('Nothing');
    await client.select(0);
    expect(await client.get('already')).toBe('here');
    await client.select(3);
    expect(await client.get('other')).toBe('db');
  });
}

test('a damaged base: refused before the target is flushed', async () => {
  const manifest = await runAofImport({ store, source: SOURCE, path: fixture.dir });
  await tamper(manifest, 'base');
  await keptAfterFailedFlush(manifest, {}, 'AOF_RESTORE_INTEGRITY');
});

test('a damaged incr file: with --flush every file is checked before the target is flushed', async () => {
  const manifest = await runAofImport({ store, source: SOURCE, path: fixture.dir });
  await tamper(manifest, 'incr');
  await keptAfterFailedFlush(manifest, {}, 'AOF_RESTORE_INTEGRITY');
});

test('--until earlier than the base: refused before the target is flushed', async () => {
  const manifest = await runAofImport({ store, source: SOURCE, path: fixture.dir });
  await keptAfterFailedFlush(manifest, { until: new Date('2000-01-01T00:00:00Z'), untilWithoutTimestamps: true }, 'AOF_RESTORE_BAD_REQUEST');
});

test('file mode --force: a damaged snapshot leaves the AOF already in the directory as it was', async () => {
  const good = await runAofImport({ store, source: SOURCE, path: fixture.dir });
  const bad = await runAofImport({ store, source: SOURCE, path: fixture.dir });
  await tamper(bad, 'incr');
  const data = tempDir();
  try {
    await restoreAofSnapshotToDirectory({ store, source: SOURCE, manifest: good, dataDir: data.dir });
    const dir = join(data.dir, good.aof.dirName!);
    const before = readdirSync(dir)
      .sort()
      .map((n) => [n, readFileSync(join(dir, n)).toString('base64')]);
    await expect(restoreAofSnapshotToDirectory({ store, source: SOURCE, manifest: bad, dataDir: data.dir, force: true })).rejects.toMatchObject({ code: 'AOF_RESTORE_INTEGRITY' });
    const after = readdirSync(dir)
      .sort()
      .map((n) => [n, readFileSync(join(dir, n)).toString('base64')]);
    expect(after).toEqual(before);
    // The old AOF still loads.
    const config = { appendonly: 'yes', appendfilename: good.aof.manifestName!.replace(/\.manifest$/, ''), appenddirname: good.aof.dirName! };
    await withServer(async (server) => expect(await server.client().exists('after:rewrite')).toBe(1), { dir: data.dir, config });
  } finally {
    data.remove();
  }
});
