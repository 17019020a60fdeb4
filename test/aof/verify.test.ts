import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cli } from '../helpers/run-cli';
import { AofVerifyReport, encodeCommand, isAofTarget, readAof, verifyAof } from '../../lambdas/aof';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { AOF_FIXTURES, copyWritable, PREAMBLE_AOF, tempDir } from './helpers';

const sha256 = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('verifyAof on the fixtures', () => {
  test.each(AOF_FIXTURES.map((f) => [f.name, f] as const))('%s: OK through its data directory, its manifest or file, and appendonlydir/', async (_name, fixture) => {
    const report = await verifyAof(fixture.dir);
    expect(report).toMatchObject({ ok: true, manifestOk: true, problems: [], warnings: [] });
    expect(report.files.map((f) => [f.name, f.size, f.sha256, f.okUpTo, f.truncatedTail])).toEqual(
      fixture.files.map((f) => [basename(f.path), statSync(f.path).size, sha256(f.path), statSync(f.path).size, undefined]),
    );
    expect(report.bytes).toBe(fixture.files.reduce((n, f) => n + statSync(f.path).size, 0));
    const single = fixture.files.length === 1;
    expect(report.kind).toBe(single ? 'single' : 'multi-part');
    if (single) {
      expect(report.files[0].type).toBe('single');
      expect(report.manifest).toBeNull();
      expect({ ...(await verifyAof(fixture.files[0].path)), seconds: 0, path: '' }).toEqual({ ...report, seconds: 0, path: '' });
    } else {
      const manifestPath = join(fixture.dir, 'appendonlydir', 'appendonly.aof.manifest');
      expect(report.manifest).toEqual({ name: 'appendonly.aof.manifest', sha256: sha256(manifestPath), entries: expect.any(Array) });
      expect(report.files.map((f) => [f.type, f.seq])).toEqual([
        ['base', 2],
        ['incr', 2],
      ]);
      for (const p of [manifestPath, join(fixture.dir, 'appendonlydir')]) {
        expect({ ...(await verifyAof(p)), seconds: 0, path: '' }).toEqual({ ...report, seconds: 0, path: '' });
      }
      // The incr file holds the history after the rewrite.
      expect(report.files[1]).toMatchObject({ format: 'resp', commands: 5, timestamps: 0 });
    }
    const base = report.files[0];
    if (fixture.name.includes('preamble-yes')) {
      expect(base.format).toBe('rdb');
      expect(base.rdb).toMatchObject({ checksum: 'ok', version: { 'redis-6.2': 9, 'redis-7.0': 10, 'redis-7.4': 12 }[fixture.name.slice(0, 9)] });
      expect(base.rdb!.keys).toBeGreaterThan(90);
    } else {
      expect(base).toMatchObject({ format: 'resp' });
      expect(base.rdb).toBeUndefined();
      expect(base.commands).toBeGreaterThan(2000);
    }
  });

  test('redis-test-assets/rdb-preamble.aof: OK, an RDB 10 preamble and two commands', async () => {
    const report = await verifyAof(PREAMBLE_AOF);
    expect(report).toMatchObject({ ok: true, kind: 'single', commands: 2, bytes: 169 });
    expect(report.files).toEqual([
      { name: 'rdb-preamble.aof', type: 'single', seq: null, size: 169, sha256: sha256(PREAMBLE_AOF), format: 'rdb', commands: 2, timestamps: 0, okUpTo: 169, rdb: { version: 10, bytes: 117, checksum: 'ok', storedCrc: expect.any(String), keys: 2 } },
    ]);
  });

  test('no AOF at the path: AOF_NOT_FOUND', async () => {
    await expect(verifyAof(join(FIXTURES_DIR, 'librdb-dumps'))).rejects.toMatchObject({ code: 'AOF_NOT_FOUND' });
    await expect(verifyAof(join(FIXTURES_DIR, 'no-such-thing'))).rejects.toMatchObject({ code: 'AOF_NOT_FOUND' });
  });

  test('isAofTarget: AOF files, manifests and directories, not RDB files or snapshot ids', async () => {
    for (const f of AOF_FIXTURES) expect(await isAofTarget(f.dir)).toBe(true);
    expect(await isAofTarget(PREAMBLE_AOF)).toBe(true);
    expect(await isAofTarget(join(AOF_FIXTURES[2].dir, 'appendonlydir', 'appendonly.aof.manifest'))).toBe(true);
    expect(await isAofTarget(join(FIXTURES_DIR, 'redis-7.0-types.rdb'))).toBe(false);
    expect(await isAofTarget(join(FIXTURES_DIR, 'librdb-dumps'))).toBe(false);
    expect(await isAofTarget('latest')).toBe(false);
  });

  test('a truncated tail in the last file is reported where it would be cut, and the file is left as it is', async () => {
    const t = tempDir();
    try {
      copyWritable(AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-no')!.dir, join(t.dir, 'd'));
      const incr = join(t.dir, 'd', 'appendonlydir', 'appendonly.aof.2.incr.aof');
      const data = Buffer.concat([readFileSync(incr), encodeCommand(['SET', 'k', 'v']).subarray(0, 12)]);
      writeFileSync(incr, data);
      const before = statSync(incr);
      const report = await verifyAof(join(t.dir, 'd'));
      expect(report.ok).toBe(true);
      expect(report.files[1].truncatedTail).toEqual({ at: 191, bytes: 12, reason: 'incomplete-command' });
      expect(statSync(incr)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs });
      expect(report.files[1].sha256).toBe(sha256(incr));
    } finally {
      t.remove();
    }
  });
});

describe('readAof: one logical stream', () => {
  test('files in load order, each announced before its records; offsets count within each file', async () => {
    const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!;
    const seen: string[] = [];
    const result = await readAof(fixture.dir, {
      onFile: (p) => seen.push(`file ${p.name} ${p.type} last=${p.last}`),
      onRecord: (r) => {
        if (r.kind === 'command') seen.push(`command ${r.offset}`);
        else if (r.kind === 'rdb' && (r.record.kind === 'header' || r.record.kind === 'eof')) seen.push(`rdb ${r.record.kind}`);
      },
    });
    expect(seen).toEqual([
      'file appendonly.aof.2.base.rdb base last=false',
      'rdb header',
      'rdb eof',
      'file appendonly.aof.2.incr.aof incr last=true',
      'command 0',
      'command 23',
      'command 63',
      'command 95',
      'command 135',
    ]);
    expect(result.files.map((f) => [f.part.name, f.result.format, f.result.okUpTo])).toEqual([
      ['appendonly.aof.2.base.rdb', 'rdb', 299768],
      ['appendonly.aof.2.incr.aof', 'resp', 191],
    ]);
  });

  test('it stops at the first problem: a truncated file that is not the last, a damaged one, a missing one', async () => {
    const t = tempDir();
    try {
      const src = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-no')!.dir;
      copyWritable(src, join(t.dir, 'd'));
      const dir = join(t.dir, 'd', 'appendonlydir');
      const base = join(dir, 'appendonly.aof.2.base.aof');
      const data = readFileSync(base);
      writeFileSync(base, data.subarray(0, data.length - 5));
      await expect(readAof(join(t.dir, 'd'))).rejects.toMatchObject({ code: 'AOF_TRUNCATED', file: 'appendonly.aof.2.base.aof', message: expect.stringContaining('not the last file') });
      const damaged = Buffer.from(data);
      damaged[data.length - 2] = 0x78; // the \r after the last argument
      writeFileSync(base, damaged);
      await expect(readAof(join(t.dir, 'd'))).rejects.toMatchObject({ code: 'AOF_BAD_ARGUMENT', file: 'appendonly.aof.2.base.aof' });
      writeFileSync(join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.9.incr.aof seq 9 type i\n');
      await expect(readAof(join(t.dir, 'd'))).rejects.toMatchObject({ code: 'AOF_FILE_MISSING', message: expect.stringContaining('"appendonly.aof.9.incr.aof"') });
    } finally {
      t.remove();
    }
  });
});


describe('redis-backup verify <AOF>', () => {
  const dir = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!.dir;

  test('a multi-part AOF directory: an OK line, then a line per file', async () => {
    const r = await cli('verify', dir);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^OK ${dir}: multi-part AOF \\(appendonly\\.aof\\.manifest\\), 2 files, 5 commands, 292\\.9 KiB, [\\d.]+ s$`));
    expect(lines[1]).toMatch(/^ {2}base appendonly\.aof\.2\.base\.rdb: 292\.7 KiB, RDB 10 \(99 keys, checksum ok\), sha256 [0-9a-f]{64}$/);
    expect(lines[2]).toMatch(/^ {2}incr appendonly\.aof\.2\.incr\.aof: 191 B, 5 commands, sha256 [0-9a-f]{64}$/);
    expect(lines).toHaveLength(3);
  });

  test('--json: the whole report', async () => {
    const r = await cli('verify', PREAMBLE_AOF, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as AofVerifyReport;
    expect(report).toMatchObject({ ok: true, kind: 'single', files: [{ name: 'rdb-preamble.aof', format: 'rdb', commands: 2, okUpTo: 169 }] });
  });

  test('damage: FAIL on standard error with the problem, exit code 1; --json says the same', async () => {
    const t = tempDir();
    try {
      const path = join(t.dir, 'appendonly.aof');
      const data = Buffer.from(readFileSync(PREAMBLE_AOF));
      data[140] = 0x25; // the '*' of the second command
      writeFileSync(path, data);
      const r = await cli('verify', path);
      expect(r).toMatchObject({ code: 1, stdout: '' });
      expect(r.stderr).toContain(`FAIL ${path}: single-file AOF`);
      expect(r.stderr).toContain("problem: appendonly.aof: Expected a command ('*') or an annotation ('#'), found '%' at byte 140; the file is valid up to byte 140.");
      const json = await cli('verify', t.dir, '--json');
      expect(json.code).toBe(1);
      expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, problems: [{ code: 'AOF_FORMAT', file: 'appendonly.aof', offset: 140, okUpTo: 140 }] });
    } finally {
      t.remove();
    }
  });

  test('a truncated last file: OK with a warning; a missing part: FAIL', async () => {
    const t = tempDir();
    try {
      copyWritable(dir, join(t.dir, 'd'));
      const incr = join(t.dir, 'd', 'appendonlydir', 'appendonly.aof.2.incr.aof');
      writeFileSync(incr, Buffer.concat([readFileSync(incr), encodeCommand(['MULTI'])]));
      const r = await cli('verify', join(t.dir, 'd'));
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('truncated tail: 15 bytes from byte 191');
      expect(r.stdout).toContain('warning: appendonly.aof.2.incr.aof: The file ends inside a MULTI that has no EXEC: the last 15 bytes from byte 191.');

      mkdirSync(join(t.dir, 'e'));
      writeFileSync(join(t.dir, 'e', 'appendonly.aof.manifest'), 'file appendonly.aof.1.incr.aof seq 1 type i\n');
      const missing = await cli('verify', join(t.dir, 'e'));
      expect(missing.code).toBe(1);
      expect(missing.stderr).toContain('problem: appendonly.aof.manifest: appendonly.aof.manifest lists "appendonly.aof.1.incr.aof", missing from');
    } finally {
      t.remove();
    }
  });

  test('an RDB file is still verified as an RDB', async () => {
    const r = await cli('verify', join(FIXTURES_DIR, 'redis-7.0-types.rdb'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^OK .*redis-7\.0-types\.rdb: RDB 10 /);
  });
});
