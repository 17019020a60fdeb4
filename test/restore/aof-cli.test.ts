import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/run-cli';
import { AOF_FIXTURES } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { RedisServer } from '../helpers/redis-server';

/** `redis-backup restore ID --target redis://...|dir:...` on an AOF snapshot, driven in-process. */


const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!;
let root: string;
beforeEach(() => (root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-cli-'))));
afterEach(() => rmSync(root, { recursive: true, force: true }));

test('import of an AOF directory, then restore: dry run, load, --json, dir: (and refused again without --force)', async () => {
  const store = join(root, 'store');
  const imported = await cli('import', fixture.dir, '--store', store, '--name', 'src', '--json');
  expect(imported).toMatchObject({ code: 0, stderr: '' });
  const manifest = JSON.parse(imported.stdout) as { snapshotId: string; files: Array<{ name: string }> };
  const id = manifest.snapshotId;
  const server = await RedisServer.start();
  try {
    const url = `redis://127.0.0.1:${server.port}`;
    const dry = await cli('restore', id, '--store', store, '--target', url, '--dry-run');
    expect(dry).toMatchObject({ code: 0, stderr: '' });
    expect(dry.stdout).toContain(`Dry run (nothing written) AOF snapshot ${id}`);
    expect(await server.client().dbsize()).toBe(0);

    const load = await cli('restore', id, '--store', store, '--target', url, '--json');
    expect(load).toMatchObject({ code: 0, stderr: '' });
    const report = JSON.parse(load.stdout) as { kind: string; ok: boolean; keys: { written: number } };
    expect(report).toMatchObject({ kind: 'aof', ok: true });
    expect((await readDataset(server.client())).keys.length).toBe(fixture.truth.keys.length);

    const again = await cli('restore', id, '--store', store, '--target', url);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('is not empty');

    const until = await cli('restore', id, '--store', store, '--target', url, '--flush', '--until', new Date().toISOString());
    expect(until.code).toBe(1);
    expect(until.stderr).toContain('no #TS: annotations');
  } finally {
    await server.stop();
  }

  await cli('restore', id, '--store', store, '--target', `dir:${root}`).then((r) => expect(r.code).toBe(0));
  expect(readdirSync(join(root, 'appendonlydir')).sort()).toEqual(manifest.files.map((f) => f.name).sort());
  const refused = await cli('restore', id, '--store', store, '--target', `dir:${root}`);
  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('already holds an AOF');
  const forced = await cli('restore', id, '--store', store, '--target', `dir:${root}`, '--force');
  expect(forced.code).toBe(0);
  expect(forced.stdout).toContain('--appendonly yes');
});
