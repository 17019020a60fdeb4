import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateAofManifest } from '../../lambdas/catalog/validate-manifest';
import { AOF_FIXTURES, copyWritable } from '../aof/helpers';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { RedisServer } from '../helpers/redis-server';
import { cli, lines } from '../helpers/run-cli';

/** The CLI with AOF snapshots: backup --aof, import of an AOF, list/show/verify/delete of both kinds. */

const ID = '[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}';
const RDB = join(FIXTURES_DIR, 'redis-7.0-types.rdb');
const AOF = AOF_FIXTURES.find((f) => f.name === 'redis-7.4-aof-preamble-yes')!;

describe('redis-backup CLI with AOF snapshots', () => {
  let root: string;
  let store: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'redis-backup-aof-cli-'));
    store = join(root, 'store');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('import of an AOF directory and an RDB under one name; list, show, verify, delete', async () => {
    const aof = await cli('import', AOF.dir, '--store', store, '--name', 'mixed');
    expect(aof).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^${ID}  mixed  aof  import +3 files +[\\d.]+ KiB raw +[\\d.]+ KiB stored \\(\\d+%\\)\\n$`)), stderr: '' });
    const aofId = aof.stdout.split(' ')[0];
    await new Promise((r) => setTimeout(r, 1100)); // ids sort by the second
    const rdb = await cli('import', RDB, '--store', store, '--name', 'mixed');
    expect(rdb.code).toBe(0);
    const rdbId = rdb.stdout.split(' ')[0];

    const list = await cli('list', '--store', store);
    expect(lines(list.stdout).map((l) => l.split(/ +/).slice(0, 4))).toEqual([
      [rdbId, 'mixed', 'rdb', 'import'],
      [aofId, 'mixed', 'aof', 'import'],
    ]);
    const listJson = JSON.parse((await cli('list', '--json', '--store', store)).stdout) as Array<{ snapshots: Array<{ kind: string; keys: number | null }> }>;
    expect(listJson[0].snapshots.map((s) => s.kind)).toEqual(['rdb', 'aof']);

    const show = await cli('show', aofId, '--store', store);
    expect(show.code).toBe(0);
    expect(show.stdout).toContain('Kind:        aof\n');
    expect(show.stdout).toContain('AOF:         multi-part in appendonlydir/, manifest appendonly.aof.manifest\n');
    for (const name of readdirSync(join(AOF.dir, 'appendonlydir'))) expect(show.stdout).toContain(name);
    const showJson = validateAofManifest(JSON.parse((await cli('show', aofId, '--json', '--store', store)).stdout), 'printed by show --json');
    expect(showJson.files.map((f) => f.type)).toEqual(['manifest', 'base', 'incr']);

    const verify = await cli('verify', aofId, '--store', store);
    expect(verify).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^OK ${aofId} of mixed: AOF, 3 files, \\d+ commands, .* raw, .* stored, [\\d.]+ s\\n$`)), stderr: '' });
    const verifyJson = JSON.parse((await cli('verify', aofId, '--json', '--store', store)).stdout) as { kind: string; ok: boolean; files: unknown[] };
    expect({ kind: verifyJson.kind, ok: verifyJson.ok, files: verifyJson.files.length }).toEqual({ kind: 'aof', ok: true, files: 3 });
    expect((await cli('verify', rdbId, '--store', store)).code).toBe(0);

    // A damaged object: FAIL naming the file, exit status 1, the stored copy untouched.
    const object = join(store, 'mixed', 'snapshots', aofId, 'aof', 'appendonly.aof.2.incr.aof.zst');
    const bytes = readFileSync(object);
    bytes[bytes.length - 6] ^= 0xff;
    writeFileSync(object, bytes);
    const failed = await cli('verify', aofId, '--store', store);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(new RegExp(`^FAIL ${aofId} of mixed:\n  appendonly\\.aof\\.2\\.incr\\.aof: `));
    expect(readFileSync(object).equals(bytes)).toBe(true);

    expect(await cli('delete', aofId, '--store', store)).toEqual({ code: 0, stdout: `Deleted ${aofId} of mixed\n`, stderr: '' });
    expect(readdirSync(join(store, 'mixed', 'snapshots'))).toEqual([rdbId]);
  });

  test('import of a damaged AOF: a typed error, nothing stored', async () => {
    const dir = join(root, 'damaged');
    copyWritable(AOF.dir, dir);
    appendFileSync(join(dir, 'appendonlydir', 'appendonly.aof.2.incr.aof'), '!garbage\r\n');
    const r = await cli('import', dir, '--store', store, '--name', 'bad');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('appendonly.aof.2.incr.aof');
    expect(r.stderr).toMatch(/valid up to byte \d+/);
    expect(lines((await cli('list', '--store', store)).stdout)).toEqual([`No snapshots in ${store}`]);
  });

  test('backup --method bgsave --aof --data-dir of a live server; --aof without --data-dir is refused', async () => {
    const server = await RedisServer.start({ config: { appendonly: 'yes' } });
    try {
      await server.client().set('k', 'v');
      const refused = await cli('backup', '--source', server.url, '--aof', '--store', store);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('--method bgsave --data-dir DIR');
      const r = await cli('backup', '--source', server.url, '--method', 'bgsave', '--aof', '--rewrite', '--data-dir', server.dir, '--store', store, '--name', 'live');
      expect(r).toEqual({ code: 0, stdout: expect.stringMatching(new RegExp(`^${ID}  live  aof  bgsave +3 files `)), stderr: '' });
      expect((await cli('verify', 'latest', '--store', store, '--name', 'live')).code).toBe(0);
      expect(await server.client().config('GET', 'auto-aof-rewrite-percentage')).toEqual(['auto-aof-rewrite-percentage', '100']);
    } finally {
      await server.stop();
    }
  });
});
