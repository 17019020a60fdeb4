import { readFileSync } from 'node:fs';
import { AofCommand, AofCommandReader, AofError, AofReader, AofRecord, encodeCommand, TransactionGrouper } from '../../lambdas/aof';
import { RdbError } from '../../lambdas/rdb';
import { collect, pieces, PREAMBLE_AOF } from './helpers';

const cmd = (...args: string[]): Buffer => encodeCommand(args);
const text = (c: AofCommand): string[] => c.args.map((a) => a.toString('latin1'));

function read(data: Buffer, chunk = data.length || 1, options: ConstructorParameters<typeof AofCommandReader>[0] = {}) {
  const records: AofRecord[] = [];
  const reader = new AofCommandReader({ ...options, onCommand: (c) => records.push(c), onTimestamp: (t) => records.push(t) });
  for (const p of pieces(data, chunk)) reader.write(p);
  return { records, result: reader.end(), commands: records.filter((r): r is AofCommand => r.kind === 'command') };
}

function errorOf(data: Buffer, options: ConstructorParameters<typeof AofCommandReader>[0] = {}): AofError {
  for (const chunk of [data.length || 1, 1, 7]) {
    const reader = new AofCommandReader(options);
    let caught: unknown;
    try {
      for (const p of pieces(data, chunk)) reader.write(p);
      reader.end();
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(AofError);
    if (chunk === 7) return caught as AofError;
  }
  throw new Error('unreachable');
}

describe('AofCommandReader', () => {
  test('commands as arrays of buffers with their offsets; binary and empty arguments; the same whatever the chunking', () => {
    const bin = Buffer.from([0, 0xff, 0x0d, 0x0a, 0x2a]);
    const set = encodeCommand(['SET', bin, '']);
    expect(set.toString('latin1')).toBe(`*3\r\n$3\r\nSET\r\n$5\r\n${bin.toString('latin1')}\r\n$0\r\n\r\n`);
    const data = Buffer.concat([cmd('SELECT', '0'), set, cmd('DEL', 'k')]);
    const whole = read(data);
    expect(whole.commands.map(text)).toEqual([['SELECT', '0'], ['SET', bin.toString('latin1'), ''], ['DEL', 'k']]);
    expect(whole.commands.map((c) => [c.offset, c.end])).toEqual([
      [0, 23],
      [23, 23 + 30],
      [53, data.length],
    ]);
    expect(whole.result).toEqual({ end: data.length, commands: 3, timestamps: 0, annotations: 0, okUpTo: data.length, truncatedTail: null });
    for (const size of [1, 2, 3, 5, 8, 13]) expect(read(data, size).records).toEqual(whole.records);
  });

  test('offsets count from startOffset (the end of an RDB preamble)', () => {
    const { commands, result } = read(cmd('PING'), 4, { startOffset: 1000 });
    expect(commands[0].offset).toBe(1000);
    expect(result.okUpTo).toBe(1000 + cmd('PING').length);
  });

  test('#TS annotations become timestamp records; other # lines are skipped; a line beyond 1023 bytes continues as a new line', () => {
    const data = Buffer.concat([Buffer.from('#TS:1700000000\r\n'), cmd('SET', 'a', '1'), Buffer.from('# a comment\r\n#TS:notanumber\r\n'), cmd('DEL', 'a')]);
    const { records, result } = read(data, 3);
    expect(records.map((r) => (r.kind === 'timestamp' ? ['ts', r.offset, r.seconds] : ['cmd', (r as AofCommand).offset]))).toEqual([
      ['ts', 0, 1700000000],
      ['cmd', 16],
      ['cmd', 16 + cmd('SET', 'a', '1').length + 13 + 16],
    ]);
    expect(result).toMatchObject({ timestamps: 1, annotations: 2, truncatedTail: null });

    // Redis reads annotations with a 1024-byte buffer: byte 1023 of the line starts a new one.
    const long = (c: string): Buffer => Buffer.concat([Buffer.from('#'), Buffer.alloc(1022, 'x'), Buffer.from(`${c}rest\r\n`)]);
    expect(errorOf(Buffer.concat([long('z'), cmd('PING')]))).toMatchObject({ code: 'AOF_FORMAT', offset: 1023, okUpTo: 1023 });
    expect(read(Buffer.concat([long('#'), cmd('PING')]), 100).result).toMatchObject({ commands: 1, annotations: 2 });
    // An annotation cut by the end of the file is complete, as for the loader and redis-check-aof.
    expect(read(Buffer.concat([cmd('PING'), Buffer.from('#TS:17')])).result).toMatchObject({ okUpTo: 20, truncatedTail: null, annotations: 1 });
  });

  test('MULTI ... EXEC: every command of the transaction is flagged, MULTI and EXEC included, in any letter case', () => {
    const data = Buffer.concat([cmd('SET', 'a', '1'), cmd('multi'), cmd('INCR', 'a'), cmd('Exec'), cmd('GET', 'a'), cmd('MULTI'), cmd('EXEC')]);
    const { commands, result } = read(data, 5);
    expect(commands.map((c) => [c.args[0].toString(), c.multi])).toEqual([
      ['SET', false],
      ['multi', true],
      ['INCR', true],
      ['Exec', true],
      ['GET', false],
      ['MULTI', true],
      ['EXEC', true],
    ]);
    expect(result.truncatedTail).toBeNull();

    const units: string[][] = [];
    const grouper = new TransactionGrouper((u) => units.push(u.map((c) => c.args[0].toString())));
    commands.forEach((c) => grouper.push(c));
    expect(units).toEqual([['SET'], ['multi', 'INCR', 'Exec'], ['GET'], ['MULTI', 'EXEC']]);
    expect(grouper.endFile()).toBe(0);
  });

  test('a file ending inside an open MULTI: truncated tail from the MULTI, which the grouper drops', () => {
    const head = Buffer.concat([cmd('SET', 'a', '1'), Buffer.from('#TS:5\r\n')]);
    const data = Buffer.concat([head, cmd('MULTI'), cmd('INCR', 'a')]);
    const { commands, result } = read(data, 4);
    expect(result.truncatedTail).toEqual({ at: head.length, bytes: data.length - head.length, reason: 'open-multi' });
    expect(result.okUpTo).toBe(head.length);
    // Emitted (flagged), but not counted: Redis does not apply them.
    expect(commands.map((c) => c.multi)).toEqual([false, true, true]);
    expect(result.commands).toBe(1);
    const units: AofCommand[][] = [];
    const grouper = new TransactionGrouper((u) => units.push(u));
    commands.forEach((c) => grouper.push(c));
    expect(grouper.pending).toBe(true);
    expect(grouper.endFile()).toBe(2);
    expect(units.map((u) => u.map(text))).toEqual([[['SET', 'a', '1']]]);
  });

  test('a file ending inside a command: truncated tail from the end of the last complete one, at every cut', () => {
    const first = cmd('SET', 'key', 'value');
    const data = Buffer.concat([first, cmd('RPUSH', 'list', 'a', 'bc')]);
    for (let cut = first.length + 1; cut < data.length; cut++) {
      const { result, commands } = read(data.subarray(0, cut), 3);
      expect(commands).toHaveLength(1);
      expect(result.truncatedTail).toEqual({ at: first.length, bytes: cut - first.length, reason: 'incomplete-command' });
    }
    // Inside a transaction the cut goes back to the MULTI.
    const tx = Buffer.concat([first, cmd('MULTI'), cmd('SET', 'b', '2'), cmd('EXEC')]);
    for (let cut = first.length + 1; cut < tx.length; cut++) {
      expect(read(tx.subarray(0, cut), 2).result.truncatedTail?.at).toBe(first.length);
    }
  });

  test('damage in the middle: typed errors with the offset redis-check-aof reports and the length that is valid', () => {
    const ok = cmd('SET', 'a', '1');
    const n = ok.length;
    const at = (bad: string): AofError => errorOf(Buffer.concat([ok, Buffer.from(bad), ok]));
    expect(at('+OK\r\n')).toMatchObject({ code: 'AOF_FORMAT', offset: n, okUpTo: n });
    expect(at('\r\n')).toMatchObject({ code: 'AOF_FORMAT', offset: n, okUpTo: n });
    expect(at('*2\n$3\r\nGET\r\n$1\r\na\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n });
    expect(at('*2\r\r\n$3\r\nGET\r\n$1\r\na\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n });
    expect(at('*x\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n });
    expect(at('*0\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n });
    expect(at('*-1\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n });
    expect(at('* 1\r\n$4\r\nPING\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n });
    expect(at('*2\r\n%3\r\nGET\r\n$1\r\na\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n + 4, okUpTo: n });
    expect(at('*2\r\n$3\r\nGET\r\n$-1\r\n')).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n + 13 });
    expect(at('*2\r\n$3\r\nGETX\r\n$1\r\na\r\n')).toMatchObject({ code: 'AOF_BAD_ARGUMENT', offset: n + 8, okUpTo: n });
    expect(at('*2\r\n$3\r\nGET\n$1\r\na\r\n')).toMatchObject({ code: 'AOF_BAD_ARGUMENT', offset: n + 8 });
    expect(at(`*1\r\n$${'0'.repeat(125)}4\r\nPING\r\n`)).toMatchObject({ code: 'AOF_BAD_LENGTH', offset: n + 4 });
    // Leading zeros are digits like any other.
    expect(read(Buffer.concat([ok, Buffer.from('*1\r\n$0004\r\nPING\r\n')])).commands.map(text)[1]).toEqual(['PING']);
  });

  test('MULTI inside MULTI and EXEC without MULTI are errors at the command name; the valid length stops before the open MULTI', () => {
    const ok = cmd('SET', 'a', '1');
    const nested = errorOf(Buffer.concat([ok, cmd('MULTI'), cmd('INCR', 'a'), cmd('MULTI'), cmd('EXEC')]));
    const secondMulti = ok.length + cmd('MULTI').length + cmd('INCR', 'a').length;
    expect(nested).toMatchObject({ code: 'AOF_NESTED_MULTI', offset: secondMulti + 8, okUpTo: ok.length });
    expect(nested.message).toContain(`transaction opened at byte ${ok.length}`);
    const exec = errorOf(Buffer.concat([ok, cmd('EXEC'), ok]));
    expect(exec).toMatchObject({ code: 'AOF_EXEC_WITHOUT_MULTI', offset: ok.length + 8, okUpTo: ok.length });
    expect(exec.message).toMatch(/EXEC without MULTI at byte \d+; the file is valid up to byte \d+\. /);
  });

  test('lengths are bounded: a corrupt length never makes the reader hold what is not there', () => {
    expect(errorOf(Buffer.from('*1\r\n$536870913\r\nx'))).toMatchObject({ code: 'AOF_LIMIT_EXCEEDED', offset: 4, okUpTo: 0 });
    expect(errorOf(Buffer.from('*1\r\n$99999999999999999999999\r\n'))).toMatchObject({ code: 'AOF_LIMIT_EXCEEDED', offset: 4 });
    expect(errorOf(Buffer.from('*2147483648\r\n'))).toMatchObject({ code: 'AOF_LIMIT_EXCEEDED', offset: 0 });
    expect(errorOf(Buffer.from('*1\r\n$11\r\nhello world\r\n'), { limits: { maxArgumentBytes: 10 } })).toMatchObject({ code: 'AOF_LIMIT_EXCEEDED' });
    expect(errorOf(Buffer.from('*3\r\n'), { limits: { maxArguments: 2 } })).toMatchObject({ code: 'AOF_LIMIT_EXCEEDED' });

    // With the input's size known, an argument that cannot end before it is not kept: a truncated tail.
    const head = cmd('PING');
    const data = Buffer.concat([head, Buffer.from('*2\r\n$3\r\nSET\r\n$400000000\r\n'), Buffer.alloc(1000, 'v')]);
    const reader = new AofCommandReader({ totalBytes: data.length });
    for (const p of pieces(data, 100)) reader.write(p);
    expect(reader.end().truncatedTail).toEqual({ at: head.length, bytes: data.length - head.length, reason: 'incomplete-command' });
    // More bytes than declared: the file changed while it was read.
    const grown = new AofCommandReader({ totalBytes: data.length - 1 });
    expect(() => grown.write(data)).toThrow(expect.objectContaining({ code: 'AOF_SIZE_CHANGED' }));
  });

  test('after an error the reader keeps failing with the same error', () => {
    const reader = new AofCommandReader();
    expect(() => reader.write(Buffer.from('?'))).toThrow(AofError);
    expect(() => reader.write(cmd('PING'))).toThrow(expect.objectContaining({ code: 'AOF_FORMAT', offset: 0 }));
    expect(() => reader.end()).toThrow(expect.objectContaining({ code: 'AOF_FORMAT' }));
  });
});

describe('AofReader: RDB preamble detection and hand-over', () => {
  const preamble = readFileSync(PREAMBLE_AOF);

  test('REDIS data is read by the RDB engine, then the bytes after its trailer as commands', () => {
    const { records, result } = collect([preamble]);
    expect(result).toMatchObject({ format: 'rdb', rdb: { version: 10, bytes: 117, checksum: 'ok', keys: 2 }, commands: 2, okUpTo: 169, truncatedTail: null });
    const kinds = records.map((r) => (r as { kind: string }).kind);
    expect(kinds.slice(-3)).toEqual(['rdb-eof', 'command', 'command']);
    expect(records[records.length - 2]).toMatchObject({ offset: 117, args: ['SELECT', '0'].map((s) => Buffer.from(s).toString('base64')) });
    // The magic split over chunks, and fed byte by byte.
    expect(collect([preamble.subarray(0, 2), preamble.subarray(2, 4), preamble.subarray(4)]).records).toEqual(records);
    expect(collect(pieces(preamble, 1)).records).toEqual(records);
  });

  test('an RDB preamble that is damaged or cut is an AOF_RDB_INVALID error with the RDB engine\'s error as its cause; Valkey 9\'s is AOF_RDB_UNSUPPORTED', () => {
    const flipped = Buffer.from(preamble);
    flipped[100] ^= 0x01;
    const reader = new AofReader();
    let caught: unknown;
    try {
      reader.write(flipped);
      reader.end();
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: 'AOF_RDB_INVALID' });
    expect((caught as AofError).cause).toBeInstanceOf(RdbError);
    expect(collect([preamble.subarray(0, 60)]).error).toMatchObject({ code: 'AOF_RDB_INVALID' });
    const valkey = new AofReader();
    expect(() => valkey.write(Buffer.from('VALKEY080\xfe\x00', 'latin1'))).toThrow(expect.objectContaining({ code: 'AOF_RDB_UNSUPPORTED', offset: 0, message: expect.stringContaining('Valkey 9+ RDB format') }));
    expect((caught as AofError).message).toMatch(/^Invalid RDB part \(RDB_CHECKSUM_MISMATCH\): RDB checksum mismatch: the file says [0-9a-f]{16}, the data hashes to [0-9a-f]{16} at byte 109\. Redis refuses/);
  });

  test('anything else is commands; a short or empty input is judged as commands too; INCR files are never read as RDB', () => {
    expect(collect([Buffer.alloc(0)]).result).toMatchObject({ format: 'resp', commands: 0, okUpTo: 0, truncatedTail: null });
    expect(collect([Buffer.from('RED')]).error).toEqual({ code: 'AOF_FORMAT', offset: 0, okUpTo: 0 });
    expect(collect([Buffer.from('R'), Buffer.from('*')]).error).toEqual({ code: 'AOF_FORMAT', offset: 0, okUpTo: 0 });
    expect(collect([preamble], { format: 'resp' }).error).toEqual({ code: 'AOF_FORMAT', offset: 0, okUpTo: 0 });
    expect(collect([cmd('PING')]).result).toMatchObject({ format: 'resp', rdb: null, commands: 1 });
  });
});
