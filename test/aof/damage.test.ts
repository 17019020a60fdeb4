import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AofFileRead, encodeCommand, readAofFile, verifyAof } from '../../lambdas/aof';
import { AOF_FIXTURES, CheckAofResult, copyWritable, mapLimit, PREAMBLE_AOF, runCheckAof, tempDir } from './helpers';

/**
 * Damaged copies of the fixtures — cut at many positions, bytes of length lines
 * changed, a \r removed, transactions left open or nested — judged by the reader and
 * by Debian's redis-check-aof (7.0, run without --fix on the same copy): the same
 * "ok_up_to", the same error position, and a truncated tail exactly where the tool
 * finds the file ending early.
 */

const fixture = (name: string): (typeof AOF_FIXTURES)[number] => AOF_FIXTURES.find((f) => f.name === name)!;
const INCR = readFileSync(fixture('redis-7.0-aof-preamble-yes').files[1].path);
const PREAMBLE = readFileSync(PREAMBLE_AOF);
const BIG = readFileSync(fixture('redis-6.2-aof-preamble-no').files[0].path);
const RDB_END = 117;

interface LengthLine {
  prefix: '*' | '$';
  /** Offset of the prefix. */
  start: number;
  /** Offset of the \r. */
  cr: number;
}

/** The `*<n>` and `$<len>` lines of a well-formed command part starting at `from`. */
function lengthLines(data: Buffer, from: number): LengthLine[] {
  const out: LengthLine[] = [];
  let p = from;
  const line = (): LengthLine & { value: number } => {
    const cr = data.indexOf(0x0d, p);
    const l = { prefix: String.fromCharCode(data[p]) as '*' | '$', start: p, cr, value: Number(data.toString('latin1', p + 1, cr)) };
    p = cr + 2;
    out.push(l);
    return l;
  };
  while (p < data.length) {
    const argc = line().value;
    for (let i = 0; i < argc; i++) {
      const len = line().value;
      p += len + 2;
    }
  }
  return out;
}

type Mutation = [name: string, apply: (data: Buffer, l: LengthLine) => Buffer | null];

const replaceAt = (data: Buffer, at: number, byte: number): Buffer => {
  const out = Buffer.from(data);
  out[at] = byte;
  return out;
};

/**
 * Changes that both tools judge by the same rules. (Not included, on purpose: a blank
 * or sign after the prefix and `*0`, which redis-check-aof's strtol lets through while
 * the loader, and this reader, refuse them.)
 */
const MUTATIONS: Mutation[] = [
  ['prefix replaced', (d, l) => replaceAt(d, l.start, 0x25)],
  ['first digit replaced by a letter', (d, l) => replaceAt(d, l.start + 1, 0x78)],
  [
    'first digit changed',
    (d, l) => {
      const digit = d[l.start + 1] - 0x30;
      let next = (digit + 1) % 10;
      if (next === 0 && (l.prefix === '*' || l.cr - l.start === 2)) next = digit === 9 ? 1 : (digit + 2) % 10;
      if (next === 0 && l.prefix === '*') return null;
      return replaceAt(d, l.start + 1, 0x30 + next);
    },
  ],
  ['\\r replaced', (d, l) => replaceAt(d, l.cr, 0x78)],
  ['\\n replaced', (d, l) => replaceAt(d, l.cr + 1, 0x78)],
  ['\\r removed', (d, l) => Buffer.concat([d.subarray(0, l.cr), d.subarray(l.cr + 1)])],
];

interface Case {
  name: string;
  data: Buffer;
  /** The damage is a cut: the reader must find a truncated tail (or a cut RDB). */
  cut?: boolean;
}

/** The copy judged by both. */
async function judge(dir: string, c: Case, i: number): Promise<{ c: Case; check: CheckAofResult; ours: AofFileRead }> {
  const path = join(dir, `case-${i}.aof`);
  writeFileSync(path, c.data);
  const [check, ours] = await Promise.all([runCheckAof(path), readAofFile(path)]);
  return { c, check, ours };
}

/** What redis-check-aof says when the input ends: short data, an open MULTI, or a length line cut after its digits or its \r. */
const EOF_MESSAGES = /^(Expected to read \d+ bytes, got \d+ bytes|Reached EOF before reading EXEC for MULTI|Expected \\r\\n, got: (00[0-9a-f]+|0d00))$/;

/** The reader and redis-check-aof agree on one copy. */
function expectAgreement({ c, check, ours }: { c: Case; check: CheckAofResult; ours: AofFileRead }): void {
  const label = `${c.name} (${c.data.length} bytes)`;
  const head = c.data.toString('latin1', 0, 5);
  if (c.data.length > 0 && c.data.length < 8 && 'REDIS'.startsWith(head)) {
    // Under 8 bytes redis-check-aof reads the file as commands and fails at byte 0. The loader
    // reads 5 bytes of magic: with fewer it fails the same way (AOF_FORMAT), with REDIS it fails reading the RDB.
    expect({ label, code: ours.error?.code, okUpTo: check.analyzed[0]?.okUpTo }).toEqual({ label, code: head === 'REDIS' ? 'AOF_RDB_INVALID' : 'AOF_FORMAT', okUpTo: 0 });
    expect(check.exitCode).toBe(1);
    return;
  }
  if (check.rdbInsane) {
    expect({ label, code: ours.error?.code }).toEqual({ label, code: 'AOF_RDB_INVALID' });
    expect(check.exitCode).toBe(1);
    return;
  }
  if (c.data.length === 0) {
    expect(check.exitCode).toBe(0);
    expect(ours.result).toMatchObject({ okUpTo: 0, truncatedTail: null });
    return;
  }
  expect({ label, analyzed: check.analyzed.length }).toEqual({ label, analyzed: 1 });
  const theirs = check.analyzed[0];
  const okUpTo = ours.error !== null ? ours.error.okUpTo : ours.result!.okUpTo;
  const damaged = ours.error !== null || ours.result!.truncatedTail !== null;
  expect({ label, okUpTo, damaged, exit: check.exitCode }).toEqual({ label, okUpTo: theirs.okUpTo, damaged: theirs.diff > 0, exit: theirs.diff > 0 ? 1 : 0 });
  if (ours.error !== null) {
    if (c.cut) throw new Error(`${label}: a cut file reported as ${ours.error.message}`);
    if (check.errorAt !== null) expect({ label, offset: ours.error.offset }).toEqual({ label, offset: check.errorAt });
    else expect({ label, code: ours.error.code, format: check.output.includes('format error') }).toEqual({ label, code: 'AOF_FORMAT', format: true });
  } else if (ours.result!.truncatedTail !== null) {
    // The tool found the file ending early (or said nothing more than where it stopped).
    if (check.errorText !== null) expect({ label, text: check.errorText }).toEqual({ label, text: expect.stringMatching(EOF_MESSAGES) });
    expect(ours.result!.truncatedTail).toEqual({ at: theirs.okUpTo, bytes: theirs.diff, reason: expect.any(String) });
  }
}

async function judgeAll(cases: Case[]): Promise<Array<{ c: Case; check: CheckAofResult; ours: AofFileRead }>> {
  const t = tempDir();
  try {
    const results = await mapLimit(cases, 4, (c, i) => judge(t.dir, c, i));
    for (const r of results) expectAgreement(r);
    return results;
  } finally {
    t.remove();
  }
}

function spread(from: number, to: number, count: number): number[] {
  const out = new Set<number>();
  for (let i = 0; i < count; i++) out.add(from + Math.floor(((to - from) * i) / count + ((i * 7919) % 13)));
  return [...out].filter((x) => x >= from && x < to).sort((a, b) => a - b);
}

describe('cut copies: a truncated tail exactly where redis-check-aof finds one', () => {
  test('an incr file cut at every position', async () => {
    const results = await judgeAll(Array.from({ length: INCR.length }, (_, at) => ({ name: `incr cut at ${at}`, data: INCR.subarray(0, at), cut: true })));
    // Every cut is a truncated tail, except those between two commands (and the empty file).
    const valid = results.filter((r) => r.ours.result?.truncatedTail === null).map((r) => r.c.data.length);
    expect(valid).toEqual([0, ...lengthLines(INCR, 0).filter((l) => l.prefix === '*' && l.start > 0).map((l) => l.start)]);
    expect(results.filter((r) => r.ours.result?.truncatedTail).length).toBe(INCR.length - valid.length);
  });

  test('an AOF with an RDB preamble cut at every position of its command part and throughout its RDB part', async () => {
    const cuts = [...Array.from({ length: RDB_END }, (_, i) => i).filter((i) => i < 10 || i % 9 === 0 || i > RDB_END - 4), ...Array.from({ length: PREAMBLE.length - RDB_END }, (_, i) => RDB_END + i)];
    const results = await judgeAll(cuts.map((at) => ({ name: `rdb-preamble.aof cut at ${at}`, data: PREAMBLE.subarray(0, at), cut: true })));
    expect(results.filter((r) => r.ours.error?.code === 'AOF_RDB_INVALID').length).toBeGreaterThan(10);
    // The empty file, and cuts right after the RDB and between the two commands, leave whole files.
    const whole = results.filter((r) => r.ours.result?.truncatedTail === null).map((r) => r.c.data.length);
    expect(whole).toEqual([0, RDB_END, RDB_END + encodeCommand(['SELECT', '0']).length]);
    expect(results.filter((r) => r.ours.result?.truncatedTail).length).toBe(PREAMBLE.length - RDB_END - 2);
  });

  test('an 844 KiB single-file AOF cut at 20 positions', async () => {
    await judgeAll(spread(1, BIG.length, 20).map((at) => ({ name: `6.2 appendonly.aof cut at ${at}`, data: BIG.subarray(0, at), cut: true })));
  });
});

describe('corrupted copies: the same error position and valid length as redis-check-aof', () => {
  const mutate = (label: string, data: Buffer, lines: LengthLine[]): Case[] =>
    lines.flatMap((l) =>
      MUTATIONS.map(([name, apply]) => ({ name: `${label}: ${name} in the ${l.prefix} line at ${l.start}`, data: apply(data, l) })).filter((c): c is Case => c.data !== null),
    );

  test('every length line of an incr file', async () => {
    const lines = lengthLines(INCR, 0);
    expect(lines.length).toBe(5 + 13);
    const results = await judgeAll(mutate('incr', INCR, lines));
    expect(results.filter((r) => r.ours.error !== null).length).toBeGreaterThan(lines.length * 4);
  });

  test('every length line of the command part after an RDB preamble', async () => {
    await judgeAll(mutate('rdb-preamble.aof', PREAMBLE, lengthLines(PREAMBLE, RDB_END)));
  });

  test('length lines throughout an 844 KiB file', async () => {
    const lines = lengthLines(BIG, 0);
    const picked = spread(0, lines.length, 6).map((i) => lines[i]);
    await judgeAll(mutate('6.2 appendonly.aof', BIG, picked));
  });

  test('transactions: open at the end (truncated tail from the MULTI), nested, EXEC without MULTI, split by damage', async () => {
    const multi = encodeCommand(['MULTI']);
    const exec = encodeCommand(['EXEC']);
    const set = encodeCommand(['SET', 'k', 'v']);
    const results = await judgeAll([
      { name: 'MULTI without EXEC at the end', data: Buffer.concat([INCR, multi, set]) },
      { name: 'MULTI alone at the end', data: Buffer.concat([INCR, multi]) },
      { name: 'a complete transaction, then an open one', data: Buffer.concat([INCR, multi, set, exec, set, multi, set, set]) },
      { name: 'MULTI inside MULTI', data: Buffer.concat([INCR, multi, set, multi, set, exec]) },
      { name: 'EXEC without MULTI', data: Buffer.concat([set, exec, INCR]) },
      { name: 'a transaction whose EXEC is cut', data: Buffer.concat([INCR, multi, set, exec.subarray(0, exec.length - 3)]) },
      { name: 'a damaged command inside a transaction', data: Buffer.concat([INCR, multi, replaceAt(set, 5, 0x78), exec]) },
      { name: 'MULTI without EXEC after an RDB preamble', data: Buffer.concat([PREAMBLE, multi, set]) },
    ]);
    const tails = results.map((r) => r.ours.result?.truncatedTail ?? r.ours.error?.code);
    expect(tails).toEqual([
      { at: INCR.length, bytes: multi.length + set.length, reason: 'open-multi' },
      { at: INCR.length, bytes: multi.length, reason: 'open-multi' },
      { at: INCR.length + multi.length * 1 + set.length * 2 + exec.length, bytes: multi.length + set.length * 2, reason: 'open-multi' },
      'AOF_NESTED_MULTI',
      'AOF_EXEC_WITHOUT_MULTI',
      { at: INCR.length, bytes: multi.length + set.length + exec.length - 3, reason: 'open-multi' },
      'AOF_BAD_LENGTH',
      { at: PREAMBLE.length, bytes: multi.length + set.length, reason: 'open-multi' },
    ]);
  });
});

describe('annotations, judged like redis-check-aof', () => {
  test('#TS lines and comments anywhere between commands, inside a transaction, cut at the end, or longer than Redis\'s 1024-byte line buffer', async () => {
    const ts = Buffer.from('#TS:1764000000\r\n');
    const multi = encodeCommand(['MULTI']);
    const exec = encodeCommand(['EXEC']);
    const set = encodeCommand(['SET', 'k', 'v']);
    const long = (next: string): Buffer => Buffer.concat([Buffer.from('#'), Buffer.alloc(1022, 'x'), Buffer.from(`${next}\r\n`)]);
    const results = await judgeAll([
      { name: 'timestamps between commands', data: Buffer.concat([ts, INCR, ts, set, ts]) },
      { name: 'a timestamp inside a transaction', data: Buffer.concat([INCR, multi, ts, set, exec]) },
      { name: 'a timestamp after an open MULTI', data: Buffer.concat([INCR, multi, set, ts]) },
      { name: 'a timestamp before a cut command', data: Buffer.concat([INCR, ts, set.subarray(0, 9)]) },
      { name: 'an annotation cut by the end of the file', data: Buffer.concat([INCR, Buffer.from('#TS:17640')]) },
      { name: 'a comment', data: Buffer.concat([Buffer.from('# hello\r\n'), INCR]) },
      { name: 'an annotation of 1023 bytes then a command on the same line', data: Buffer.concat([INCR, long('*1'), set]) },
      { name: 'an annotation longer than 1023 bytes', data: Buffer.concat([INCR, long('zz'), set]) },
    ]);
    expect(results.map((r) => r.ours.result?.timestamps ?? r.ours.error?.code)).toEqual([3, 1, 1, 1, 0, 0, 'AOF_BAD_LENGTH', 'AOF_FORMAT']);
    expect(results.map((r) => r.ours.result?.truncatedTail?.reason ?? null)).toEqual([null, null, 'open-multi', 'incomplete-command', null, null, null, null]);
  });
});

describe('multi-part copies: a truncated tail is acceptable in the last file only', () => {
  async function withCopy(name: string, damage: (appendonlydir: string) => void): Promise<{ ours: Awaited<ReturnType<typeof verifyAof>>; check: CheckAofResult }> {
    const t = tempDir();
    try {
      copyWritable(fixture(name).dir, join(t.dir, 'data'));
      const dir = join(t.dir, 'data', 'appendonlydir');
      damage(dir);
      const [ours, check] = await Promise.all([verifyAof(join(t.dir, 'data')), runCheckAof(join(dir, 'appendonly.aof.manifest'))]);
      return { ours, check };
    } finally {
      t.remove();
    }
  }
  const multi = encodeCommand(['MULTI']);
  const set = encodeCommand(['SET', 'k', 'v']);

  test('open MULTI at the end of the last (incr) file: OK with a warning; redis-check-aof reports the same cut', async () => {
    const { ours, check } = await withCopy('redis-7.0-aof-preamble-yes', (dir) => writeFileSync(join(dir, 'appendonly.aof.2.incr.aof'), Buffer.concat([INCR, multi, set])));
    expect(ours.ok).toBe(true);
    expect(ours.files[1].truncatedTail).toEqual({ at: INCR.length, bytes: multi.length + set.length, reason: 'open-multi' });
    expect(ours.warnings).toEqual([expect.stringContaining(`redis-check-aof --fix would truncate the file to ${INCR.length} bytes`)]);
    expect(check.analyzed.map((a) => [a.file, a.okUpTo])).toEqual(ours.files.map((f) => [f.name, f.okUpTo]));
  });

  test('the last file cut mid-command: OK with a warning', async () => {
    const { ours, check } = await withCopy('redis-7.0-aof-preamble-no', (dir) => writeFileSync(join(dir, 'appendonly.aof.2.incr.aof'), INCR.subarray(0, 100)));
    expect(ours.ok).toBe(true);
    expect(ours.files[1].truncatedTail).toMatchObject({ reason: 'incomplete-command', at: check.analyzed[1].okUpTo });
  });

  test('a truncated base (not the last file): FAIL with AOF_TRUNCATED at the offset redis-check-aof gives; the incr file is still checked', async () => {
    let cutAt = 0;
    const { ours, check } = await withCopy('redis-7.0-aof-preamble-no', (dir) => {
      const path = join(dir, 'appendonly.aof.2.base.aof');
      const base = readFileSync(path);
      cutAt = base.length - 1000;
      writeFileSync(path, base.subarray(0, cutAt));
    });
    expect(ours.ok).toBe(false);
    expect(ours.problems.map((p) => [p.code, p.file, p.offset])).toEqual([['AOF_TRUNCATED', 'appendonly.aof.2.base.aof', check.analyzed[0].okUpTo]]);
    expect(ours.files.map((f) => f.truncatedTail?.at ?? null)).toEqual([check.analyzed[0].okUpTo, null]);
    expect(check.exitCode).toBe(1);
    expect(ours.files[1].okUpTo).toBe(INCR.length);
  });

  test('an open MULTI after the RDB of a base file (not the last file): FAIL', async () => {
    const { ours, check } = await withCopy('redis-7.0-aof-preamble-yes', (dir) => {
      const path = join(dir, 'appendonly.aof.2.base.rdb');
      writeFileSync(path, Buffer.concat([readFileSync(path), multi, set]));
    });
    expect(ours.problems.map((p) => p.code)).toEqual(['AOF_TRUNCATED']);
    expect(ours.files[0]).toMatchObject({ format: 'rdb', rdb: { keys: 99, checksum: 'ok' }, truncatedTail: { reason: 'open-multi', at: check.analyzed[0].okUpTo } });
  });

  test('a damaged RDB base: FAIL with AOF_RDB_INVALID, as redis-check-aof finds it not sane', async () => {
    const { ours, check } = await withCopy('redis-7.0-aof-preamble-yes', (dir) => {
      const path = join(dir, 'appendonly.aof.2.base.rdb');
      const data = readFileSync(path);
      data[150000] ^= 0x20;
      writeFileSync(path, data);
    });
    expect(check.rdbInsane).toBe(true);
    expect(ours.ok).toBe(false);
    expect(ours.files[0]).toMatchObject({ format: 'rdb', okUpTo: null, error: { code: 'AOF_RDB_INVALID' } });
    expect(ours.problems[0].message).toContain('appendonly.aof.2.base.rdb: Invalid RDB part');
  });
});
