import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AofError, encodeCommand, parseManifest, splitArgs, verifyAof } from '../../lambdas/aof';
import { AOF_FIXTURES, mapLimit, PREAMBLE_AOF, runCheckAof, tempDir } from './helpers';

function manifestError(text: string | Buffer): AofError {
  try {
    parseManifest(Buffer.isBuffer(text) ? text : Buffer.from(text, 'latin1'));
  } catch (e) {
    expect(e).toBeInstanceOf(AofError);
    return e as AofError;
  }
  throw new Error(`accepted: ${JSON.stringify(String(text))}`);
}

describe('splitArgs (sdssplitargs)', () => {
  test('blanks, double quotes with C escapes and \\xHH, single quotes with \\\'', () => {
    expect(splitArgs('  file a.aof\tseq 1  ')).toEqual(['file', 'a.aof', 'seq', '1']);
    expect(splitArgs('"a b" "x\\x41\\n\\"\\q" \'it\\\'s\' ""')).toEqual(['a b', 'xA\n"q', "it's", '']);
    expect(splitArgs('"\\xZZ"')).toEqual(['xZZ']);
    expect(splitArgs('ab"c d"')).toEqual(['abc d']);
  });

  test('unbalanced quotes, or a closing quote followed by a non-blank, are refused', () => {
    expect(splitArgs('"abc')).toBeNull();
    expect(splitArgs("'abc")).toBeNull();
    expect(splitArgs('"abc"d')).toBeNull();
    expect(splitArgs("'abc'd")).toBeNull();
  });
});

describe('parseManifest', () => {
  test('the fixtures\' manifests: a base then an incr file', () => {
    for (const f of AOF_FIXTURES.filter((x) => x.files.length > 1)) {
      const m = parseManifest(readFileSync(join(f.dir, 'appendonlydir', 'appendonly.aof.manifest')));
      expect(m.base).toMatchObject({ type: 'base', seq: 2, line: 1 });
      expect(m.base?.file).toMatch(/^appendonly\.aof\.2\.base\.(rdb|aof)$/);
      expect(m.incrs).toEqual([{ file: 'appendonly.aof.2.incr.aof', seq: 2, type: 'incr', line: 2 }]);
      expect(m.history).toEqual([]);
    }
  });

  test('comments, history records, quoted names, unknown keys, upper-case keys, CRLF and blanks around a line', () => {
    const m = parseManifest(
      Buffer.from(
        [
          '# written by hand',
          'file "base \\x41.rdb" seq 3 type b',
          'file appendonly.aof.1.incr.aof seq 1 type h',
          '  FILE \'i.aof\' SEQ 4 TYPE incr future yes\r',
          'file "j\\"k.aof" seq 9 type i',
          '',
        ].join('\n'),
        'latin1',
      ),
    );
    expect(m.entries.map((e) => [e.file, e.seq, e.type, e.line])).toEqual([
      ['base A.rdb', 3, 'base', 2],
      ['appendonly.aof.1.incr.aof', 1, 'history', 3],
      ['i.aof', 4, 'incr', 4],
      ['j"k.aof', 9, 'incr', 5],
    ]);
  });

  test('what Redis refuses, with the line and byte where it is', () => {
    const base = 'file b.rdb seq 1 type b\n';
    expect(manifestError('')).toMatchObject({ code: 'AOF_MANIFEST_INVALID', reason: 'Empty manifest' });
    expect(manifestError(`${base}\n`)).toMatchObject({ line: 2, offset: base.length, reason: 'Blank line' });
    expect(manifestError('file b.rdb seq 1 type b')).toMatchObject({ line: 1, reason: expect.stringContaining('without a newline') });
    expect(manifestError(`file b.rdb seq 1 type b x ${'y'.repeat(1000)}\n`).reason).toContain('longer than 1024 bytes');
    expect(manifestError(`#${'c'.repeat(1100)}\n${base}`)).toMatchObject({ line: 2, offset: 1024 });
    expect(manifestError('file b.rdb seq 1 type\n').reason).toContain('found 5 tokens');
    expect(manifestError('file b.rdb seq 1\n').reason).toContain('found 4 tokens');
    expect(manifestError('file ../b.rdb seq 1 type b\n').reason).toContain('is a path');
    expect(manifestError('file a\\b.rdb seq 1 type b\n').reason).toContain('is a path');
    expect(manifestError('file b.rdb seq 0 type b\n').reason).toContain('seq');
    expect(manifestError('file b.rdb seq x type b\n').reason).toContain('seq');
    expect(manifestError('name b.rdb seq 1 type b\n').reason).toContain('file name');
    expect(manifestError('file b.rdb seq 1 type x\n').reason).toContain('Unknown file type "x"');
    expect(manifestError(`${base}file c.rdb seq 2 type b\n`)).toMatchObject({ line: 2, reason: expect.stringContaining('second base') });
    expect(manifestError('file i.aof seq 2 type i\nfile j.aof seq 2 type i\n').reason).toContain('not above');
    expect(manifestError('file i.aof seq -1 type i\n').reason).toContain('not above');
    expect(manifestError('file "b.rdb seq 1 type b\n').reason).toBe('Unbalanced quotes');
    expect(manifestError(Buffer.from('file b.rdb seq 1 type b\0\n', 'latin1')).reason).toContain('without a newline');
  });
});

describe('manifests judged like redis-check-aof', () => {
  const incr1 = encodeCommand(['SET', 'a', '1']);
  const incr2 = Buffer.concat([encodeCommand(['MULTI']), encodeCommand(['INCR', 'a']), encodeCommand(['EXEC'])]);
  const CASES: Array<[string, string]> = [
    ['base and incr files', 'file b.rdb seq 1 type b\nfile i1.aof seq 1 type i\nfile i2.aof seq 2 type i\n'],
    ['comments and a history file that no longer exists', '# x\nfile b.rdb seq 1 type b\nfile gone.aof seq 1 type h\n# y\nfile i1.aof seq 2 type i\n'],
    ['quoted and escaped names', 'file "b.rdb" seq 1 type b\nfile \'i 1.aof\' seq 1 type i\nfile "i\\x32.aof" seq 2 type i\n'],
    ['unknown keys, CRLF, long type names', 'file b.rdb seq 1 type base extra 1\r\nfile i1.aof seq 5 type incr\r\n'],
    ['no base', 'file i1.aof seq 1 type i\n'],
    ['odd token count', 'file b.rdb seq 1 type b\nfile i1.aof seq 1 type\n'],
    ['too few tokens', 'file b.rdb seq 1\n'],
    ['blank line', 'file b.rdb seq 1 type b\n\nfile i1.aof seq 1 type i\n'],
    ['no newline at the end', 'file b.rdb seq 1 type b\nfile i1.aof seq 1 type i'],
    ['a line over 1024 bytes', `file b.rdb seq 1 type b pad ${'p'.repeat(1024)}\n`],
    ['a comment over 1024 bytes', `file b.rdb seq 1 type b\n#${'c'.repeat(1100)}\n`],
    ['a path as file name', 'file b.rdb seq 1 type b\nfile ./i1.aof seq 1 type i\n'],
    ['seq 0', 'file b.rdb seq 0 type b\n'],
    ['unknown type', 'file b.rdb seq 1 type b\nfile i1.aof seq 1 type z\n'],
    ['two bases', 'file b.rdb seq 1 type b\nfile b.rdb seq 2 type b\n'],
    ['incr seqs not increasing', 'file i2.aof seq 2 type i\nfile i1.aof seq 1 type i\n'],
    ['unbalanced quote', 'file "b.rdb seq 1 type b\n'],
    ['quote followed by a letter', 'file "b.rdb"x seq 1 type b\n'],
    ['a missing incr file', 'file b.rdb seq 1 type b\nfile i3.aof seq 3 type i\n'],
  ];

  test.each(CASES.map((c) => [c[0], c] as const))('%s', async (_name, [, text]) => {
    const t = tempDir();
    try {
      copyFileSync(PREAMBLE_AOF, join(t.dir, 'b.rdb'));
      writeFileSync(join(t.dir, 'i1.aof'), incr1);
      writeFileSync(join(t.dir, 'i 1.aof'), incr1);
      writeFileSync(join(t.dir, 'i2.aof'), incr2);
      const manifest = join(t.dir, 'appendonly.aof.manifest');
      writeFileSync(manifest, text, 'latin1');
      const [check, ours, viaDir] = await Promise.all([runCheckAof(manifest), verifyAof(manifest), verifyAof(t.dir)]);
      expect(ours).toEqual({ ...viaDir, path: manifest, seconds: ours.seconds });
      const theirsOk = check.exitCode === 0;
      expect({ ok: ours.ok, manifestRefused: ours.problems.some((p) => p.code === 'AOF_MANIFEST_INVALID') }).toEqual({
        ok: theirsOk,
        manifestRefused: check.manifestError !== null,
      });
      if (check.output.includes('Cannot open file')) expect(ours.problems.map((p) => p.code)).toEqual(['AOF_FILE_MISSING']);
      if (ours.ok) {
        expect(ours.manifestOk).toBe(true);
        expect(ours.files.map((f) => f.name)).toEqual(check.analyzed.map((a) => a.file));
      } else {
        expect(ours.manifestOk).toBe(false);
        expect(ours.files.length).toBe(ours.problems[0].code === 'AOF_FILE_MISSING' ? 1 : 0);
      }
    } finally {
      t.remove();
    }
  });

  test('each case ran against the real tool (sanity: it accepts 5 and refuses the rest)', async () => {
    const verdicts = await mapLimit(CASES, 2, async ([, text]) => {
      const t = tempDir();
      try {
        copyFileSync(PREAMBLE_AOF, join(t.dir, 'b.rdb'));
        for (const n of ['i1.aof', 'i 1.aof', 'i2.aof']) writeFileSync(join(t.dir, n), incr1);
        const manifest = join(t.dir, 'appendonly.aof.manifest');
        writeFileSync(manifest, text, 'latin1');
        return (await runCheckAof(manifest)).exitCode === 0;
      } finally {
        t.remove();
      }
    });
    expect(verdicts.filter(Boolean)).toHaveLength(5);
  });
});
