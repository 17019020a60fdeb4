import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command, CommanderError } from 'commander';
import { buildProgram } from '../../bin/cli/program';
import { validateManifest } from '../../lambdas/catalog/validate-manifest';
import { bytesFromJson, JsonBytes, jsonBytes } from '../../lambdas/rdb';
import { isSnapshotId } from '../../lambdas/catalog/snapshot-id';
import { writeSampleData } from '../backup/sample-data';
import { FIXTURES_DIR, truthFor, TruthKey } from '../helpers/fixtures';
import { freePort, RedisServer } from '../helpers/redis-server';
import { cli, lines } from '../helpers/run-cli';

const ENV = ['REDIS_BACKUP_STORE', 'REDIS_BACKUP_NAME', 'REDIS_BACKUP_SOURCE', 'REDIS_BACKUP_PASSWORD'] as const;
const FIXTURE = join(FIXTURES_DIR, 'redis-7.0-types.rdb');
const CORRUPT = join(FIXTURES_DIR, 'librdb-dumps', 'invalid_chksum_v8.rdb');
const ID = '[0-9]{8}T[0-9]{6}Z-[0-9a-f]{6}';

describe('redis-backup CLI', () => {
  let server: RedisServer;
  let root: string;
  let saved: Partial<Record<(typeof ENV)[number], string>>;
  let n = 0;
  /** A fresh store directory (not created yet). */
  const newStore = (): string => join(root, `store-${++n}`);

  beforeAll(async () => {
    server = await RedisServer.start({ config: { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 } });
    await writeSampleData(server.client(), { bigValues: 20 });
    root = mkdtempSync(join(tmpdir(), 'redis-backup-cli-'));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    saved = {};
    for (const name of ENV) {
      saved[name] = process.env[name];
      delete process.env[name];
    }
  });
  afterEach(() => {
    for (const name of ENV) {
      const value = saved[name];
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });

  async function liveKeys(): Promise<number> {
    const info = await server.client().info('keyspace');
    return [...info.matchAll(/keys=(\d+)/g)].reduce((sum, m) => sum + Number(m[1]), 0);
  }

  test('backup, list, list --json, show, show --json and verify of a live server', async () => {
    const store = newStore();
    const source = `127.0.0.1-${server.port}`;
    const keys = await liveKeys();

    const backup = await cli('backup', '--source', server.url, '--store', store);
    expect(backup.code).toBe(0);
    const backupLines = lines(backup.stdout);
    expect(backupLines).toHaveLength(1);
    expect(backupLines[0]).toMatch(new RegExp(`^(${ID})  ${source}  rdb  replication +${keys} keys +[\\d.]+ KiB raw +[\\d.]+ KiB stored \\(\\d+%\\)$`));
    const id = backupLines[0].split(' ')[0];
    expect(isSnapshotId(id)).toBe(true);
    expect(readdirSync(join(store, source, 'snapshots', id)).sort()).toEqual(['data.rdb.zst', 'manifest.json']);

    const list = await cli('list', '--store', store);
    expect(list).toEqual({ code: 0, stdout: `${backupLines[0]}  committed\n`, stderr: '' });

    const listJson = await cli('list', '--json', '--store', store);
    expect(listJson.code).toBe(0);
    expect(JSON.parse(listJson.stdout)).toEqual([
      {
        source,
        snapshots: [{ snapshotId: id, kind: 'rdb', status: 'committed', takenAt: expect.any(String), storedBytes: expect.any(Number), rawBytes: expect.any(Number), keys, method: 'replication' }],
      },
    ]);

    const show = await cli('show', 'latest', '--store', store);
    expect(show.code).toBe(0);
    expect(show.stderr).toBe('');
    expect(show.stdout).toContain(`Snapshot:    ${id} of ${source}\n`);
    expect(show.stdout).toContain(`Method:      replication from redis://127.0.0.1:${server.port}\n`);
    expect(show.stdout).toMatch(/Server: +redis 7\.\d+\.\d+ \(master\)\n/);
    expect(show.stdout).toMatch(new RegExp(`Keys: +${keys} \\(\\d+ with an expiry\\)\\n`));
    expect(show.stdout).toMatch(/RDB: +version \d+, checksum ok \([0-9a-f]{16}\)\n/);
    for (const db of ['0', '1', '5']) expect(show.stdout).toMatch(new RegExp(`  db ${db}: \\d+ keys`));

    const showJson = await cli('show', id, '--json', '--store', store);
    expect(showJson.code).toBe(0);
    const manifest = validateManifest(JSON.parse(showJson.stdout), 'printed by show --json');
    expect(manifest).toMatchObject({ snapshotId: id, source, method: 'replication', endpoint: `redis://127.0.0.1:${server.port}`, keys: { total: keys } });
    const listed = JSON.parse(listJson.stdout) as Array<{ snapshots: Array<{ takenAt: string; rawBytes: number; storedBytes: number }> }>;
    expect(listed[0].snapshots[0]).toMatchObject({ takenAt: manifest.startedAt, rawBytes: manifest.raw.bytes });

    const verify = await cli('verify', 'latest', '--store', store);
    expect(verify.code).toBe(0);
    expect(verify.stderr).toBe('');
    expect(lines(verify.stdout)).toHaveLength(1);
    expect(verify.stdout).toMatch(new RegExp(`^OK ${id} of ${source}: ${keys} keys, .* raw, .* stored, 1 chunk verified, checksum ok, [\\d.]+ s\\n$`));

    const verifyJson = await cli('verify', id, '--json', '--store', store);
    expect(verifyJson.code).toBe(0);
    expect(JSON.parse(verifyJson.stdout)).toMatchObject({ ok: true, snapshotId: id, source, problems: [], rdb: { checksum: 'ok', keys } });
  });

  test('verify of an RDB file: one OK line, or --json', async () => {
    const truth = truthFor(FIXTURE);
    expect(truth).not.toBeNull();
    const total = truth?.keys.length ?? -1;
    const ok = await cli('verify', FIXTURE);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toMatch(new RegExp(`^OK ${FIXTURE}: RDB 10 \\(redis 7\\.0\\.15\\), ${total} keys in 3 dbs, [\\d.]+ KiB, checksum ok \\([0-9a-f]{16}\\), [\\d.]+ s\\n$`));
    const json = await cli('verify', FIXTURE, '--json');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: true, file: FIXTURE, rdbVersion: 10, server: 'redis', serverVersion: '7.0.15', keys: total, dbs: 3, checksum: 'ok' });
  });

  test('import, delete, and prune --keep-last 1 with and without --dry-run', async () => {
    const store = newStore();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const imported = await cli('import', FIXTURE, '--name', 'x', '--store', store);
      expect(imported.code).toBe(0);
      expect(lines(imported.stdout)).toHaveLength(1);
      expect(imported.stdout).toMatch(new RegExp(`^${ID}  x  rdb  import +99 keys +[\\d.]+ KiB raw +[\\d.]+ KiB stored \\(\\d+%\\)\\n$`));
      ids.push(imported.stdout.split(' ')[0]);
      await new Promise((resolve) => setTimeout(resolve, 5)); // distinct start times
    }
    const [oldest, middle, newest] = ids;
    const listed = async (): Promise<string[]> => {
      const r = await cli('list', '--store', store, '--json');
      expect(r.code).toBe(0);
      const parsed = JSON.parse(r.stdout) as Array<{ source: string; snapshots: Array<{ snapshotId: string; status: string }> }>;
      expect(parsed.map((s) => s.source)).toEqual(['x']);
      return parsed[0].snapshots.map((s) => `${s.snapshotId} ${s.status}`).sort();
    };
    expect(await listed()).toEqual(ids.map((id) => `${id} committed`).sort());
    const shown = await cli('show', newest, '--store', store);
    expect(shown.stdout).toContain(`Method:      import from ${FIXTURE}\n`);

    const deleted = await cli('delete', middle, '--store', store);
    expect(deleted).toEqual({ code: 0, stdout: `Deleted ${middle} of x\n`, stderr: '' });
    expect(existsSync(join(store, 'x', 'snapshots', middle))).toBe(false);
    expect(await listed()).toEqual([oldest, newest].map((id) => `${id} committed`).sort());
    const gone = await cli('show', middle, '--store', store);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`No committed snapshot ${middle} of source x`);

    const dry = await cli('prune', '--keep-last', '1', '--dry-run', '--store', store);
    expect(dry.code).toBe(0);
    expect(lines(dry.stdout)).toEqual(['Plan (dry run, nothing deleted) for x with last=1:', `  keep    ${newest}  last 1, newest verified`, `  remove  ${oldest}`]);
    expect(await listed()).toEqual([oldest, newest].map((id) => `${id} committed`).sort());

    const pruned = await cli('prune', '--keep-last', '1', '--store', store);
    expect(pruned.code).toBe(0);
    expect(lines(pruned.stdout)).toEqual(['Pruned for x with last=1:', `  keep    ${newest}  last 1, newest verified`, `  removed  ${oldest}`]);
    expect(await listed()).toEqual([`${newest} committed`]);
    expect(readdirSync(join(store, 'x', 'snapshots'))).toEqual([newest]);

    const verify = await cli('verify', 'latest', '--store', store, '--name', 'x');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(new RegExp(`^OK ${newest} of x: 99 keys`));
  });

  test('export --format jsonl prints every key, one JSON object a line, as the ground truth has them', async () => {
    const truth = truthFor(FIXTURE);
    expect(truth).not.toBeNull();
    const r = await cli('export', FIXTURE, '--format', 'jsonl');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const exported = lines(r.stdout).map((l) => JSON.parse(l) as TruthKey);
    expect(exported).toHaveLength(truth?.keys.length ?? -1);
    // The export keeps a hash field's exact bytes (00 FF); the tool that wrote the truth read field
    // names as UTF-8 text and recorded U+FFFD instead (see test/rdb/fixtures-export.test.ts).
    const binary = exported.find((k) => k.db === 0 && k.key === 'd0:hash:binary');
    expect(binary?.value).toEqual([[{ base64: 'AP8=' }, { base64: 'AQID' }]]);
    const asTruthRead = (k: TruthKey): TruthKey => {
      if (k.type !== 'hash') return k;
      const pairs = (k.value as Array<[JsonBytes, JsonBytes]>).map(([f, v]): [JsonBytes, JsonBytes] => [jsonBytes(Buffer.from(bytesFromJson(f).toString('utf8'))), v]);
      return { ...k, value: pairs.sort((a, b) => Buffer.compare(bytesFromJson(a[0]), bytesFromJson(b[0]))) };
    };
    const keyOf = (k: TruthKey): Buffer => bytesFromJson(k.key as JsonBytes);
    const sorted = exported.map(asTruthRead).sort((a, b) => a.db - b.db || Buffer.compare(keyOf(a), keyOf(b)));
    expect(sorted).toEqual(truth?.keys);
    expect(new Set(exported.map((k) => k.type))).toEqual(new Set(['string', 'list', 'set', 'zset', 'hash', 'stream']));
  });

  describe('failures: exit status 1 and a message naming the cause', () => {
    test('verify of a corrupt RDB file', async () => {
      const r = await cli('verify', CORRUPT);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^FAIL ${CORRUPT}: RDB checksum mismatch: the file says [0-9a-f]{16}, the data hashes to [0-9a-f]{16}`));
      const json = await cli('verify', CORRUPT, '--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, file: CORRUPT, error: { code: 'RDB_CHECKSUM_MISMATCH' } });
    });

    test('show of an unknown snapshot id: CATALOG_SNAPSHOT_NOT_FOUND', async () => {
      const store = newStore();
      expect((await cli('import', FIXTURE, '--name', 'x', '--store', store)).code).toBe(0);
      const unknown = '20200101T000000Z-abcdef';
      const r = await cli('show', unknown, '--store', store);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe(`redis-backup: No committed snapshot ${unknown} of source x in ${store} (run 'redis-backup list' to see the snapshots)\n`);
      const json = await cli('show', unknown, '--store', store, '--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toEqual({ ok: false, error: { code: 'CATALOG_SNAPSHOT_NOT_FOUND', message: expect.stringContaining(unknown) } });
    });

    test('import without --name', async () => {
      const store = newStore();
      const r = await cli('import', FIXTURE, '--store', store);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('redis-backup: import needs --name (or REDIS_BACKUP_NAME): the source the snapshot is filed under\n');
      expect(existsSync(store)).toBe(false);
    });

    test('backup of a closed port: CAPTURE_CONNECT_FAILED, nothing committed', async () => {
      const store = newStore();
      const port = await freePort();
      const t0 = Date.now();
      const r = await cli('backup', '--source', `redis://127.0.0.1:${port}`, '--store', store);
      expect(Date.now() - t0).toBeLessThan(5000); // refused at once, not after the 10 s connect timeout
      expect(r.code).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^redis-backup: Could not connect to redis://127\\.0\\.0\\.1:${port}: ECONNREFUSED; nothing listens there`));
      const json = await cli('backup', '--source', `redis://127.0.0.1:${port}`, '--store', store, '--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, error: { code: 'CAPTURE_CONNECT_FAILED' } });
      const list = await cli('list', '--store', store);
      expect(list).toEqual({ code: 0, stdout: `No snapshots in ${store}\n`, stderr: '' });
    });
  });

  test('--store, --name and --source come from REDIS_BACKUP_STORE, REDIS_BACKUP_NAME and REDIS_BACKUP_SOURCE', async () => {
    const store = newStore();
    process.env.REDIS_BACKUP_STORE = store;
    process.env.REDIS_BACKUP_SOURCE = server.url;
    process.env.REDIS_BACKUP_NAME = 'from-env';
    const backup = await cli('backup');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(new RegExp(`^${ID}  from-env  rdb  replication `));
    const id = backup.stdout.split(' ')[0];
    expect(readdirSync(join(store, 'from-env', 'snapshots'))).toEqual([id]);

    // Every command reads the same variables.
    const show = await cli('show', 'latest', '--json');
    expect(show.code).toBe(0);
    expect(JSON.parse(show.stdout)).toMatchObject({ snapshotId: id, source: 'from-env', endpoint: `redis://127.0.0.1:${server.port}` });
    expect((await cli('verify', 'latest')).stdout).toMatch(new RegExp(`^OK ${id} of from-env: `));
    const imported = await cli('import', FIXTURE);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(new RegExp(`^${ID}  from-env  rdb  import `));

    // Flags win over the environment; without a name the source is derived from the endpoint.
    delete process.env.REDIS_BACKUP_NAME;
    const other = newStore();
    const flagged = await cli('backup', '--store', other);
    expect(flagged.code).toBe(0);
    expect(flagged.stdout).toMatch(new RegExp(`^${ID}  127\\.0\\.0\\.1-${server.port}  rdb  replication `));
    expect(readdirSync(other)).toEqual([`127.0.0.1-${server.port}`]);
    const named = await cli('list', '--name', 'from-env');
    expect(lines(named.stdout)).toHaveLength(2);
    expect(lines(named.stdout).every((l) => / from-env /.test(l) && l.endsWith('committed'))).toBe(true);
  });

  describe('--help', () => {
    /** Options each command must document, beyond what commander lists from its own definitions. */
    const EXPECTED: Record<string, string[]> = {
      'redis-backup': ['--store', '--name', '--json', '--version', 'backup', 'import', 'list', 'show', 'verify', 'delete', 'prune', 'inspect', 'export'],
      backup: ['--source', '--password', '--user', '--tls-ca', '--tls-cert', '--tls-key', '--tls-servername', '--method', '--data-dir', '--dbfilename', '--sync-command', '--chunk-size', '--compression-level'],
      import: ['<path>', '--chunk-size', '--compression-level'],
      list: [],
      show: ['<id>', '--before'],
      verify: ['<target>', '--before', '--shallow', '--allow-trailing', '--skip-empty-keys'],
      delete: ['<id>'],
      prune: ['--dry-run', '--policy', '--keep-last', '--keep-hourly', '--keep-daily', '--keep-weekly', '--keep-monthly', '--keep-yearly', '--min-age-days', '--orphan-grace-hours'],
      inspect: ['<file>', '--top'],
      export: ['<file>', '--format', '--sort', '--output'],
    };

    /** Runs `redis-backup [command] --help` on a program whose commands throw instead of exiting. */
    async function help(command?: string): Promise<{ error: unknown; text: string; command: Command }> {
      const program = buildProgram();
      let text = '';
      for (const c of [program, ...program.commands]) {
        c.exitOverride();
        c.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) });
      }
      const error: unknown = await program.parseAsync(['node', 'redis-backup', ...(command ? [command] : []), '--help']).then(
        () => null,
        (e: unknown) => e,
      );
      return { error, text, command: command ? (program.commands.find((c) => c.name() === command) ?? program) : program };
    }

    test('the program lists every command', async () => {
      const names = buildProgram().commands.map((c) => c.name());
      for (const name of Object.keys(EXPECTED).filter((k) => k !== 'redis-backup')) expect(names).toContain(name);
      const { error, text } = await help();
      expect(error).toBeInstanceOf(CommanderError);
      expect(error).toMatchObject({ exitCode: 0, code: 'commander.helpDisplayed' });
      expect(text).toMatch(/^Usage: redis-backup \[options\] \[command\]/);
      for (const word of [...EXPECTED['redis-backup'], ...names]) expect(text).toContain(word);
    });

    // Every command the program has (commands added later included), at least those of EXPECTED.
    const names = [...new Set([...Object.keys(EXPECTED).filter((k) => k !== 'redis-backup'), ...buildProgram().commands.map((c) => c.name())])];
    test.each(names)('%s --help exits 0 and documents its options', async (name) => {
      const { error, text, command } = await help(name);
      expect(error).toBeInstanceOf(CommanderError);
      expect(error).toMatchObject({ exitCode: 0, code: 'commander.helpDisplayed' });
      expect(command.name()).toBe(name);
      expect(text).toMatch(new RegExp(`^Usage: redis-backup ${name} `));
      // Commander wraps long lines: compare with runs of white space made single spaces.
      const flat = text.replace(/\s+/g, ' ');
      const squeeze = (s: string): string => s.replace(/\s+/g, ' ');
      expect(flat).toContain(squeeze(command.description()));
      expect(text).toContain('-h, --help');
      const defined = command.options.map((o) => o.long ?? o.short ?? o.flags);
      for (const flag of [...(EXPECTED[name] ?? []), ...defined]) expect(text).toContain(flag);
      // Each option comes with its description.
      for (const o of command.options) expect(flat).toContain(squeeze(o.description));
    });
  });
});
