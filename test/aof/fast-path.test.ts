import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AofReader, AofRecord, encodeCommand, readAofFile } from '../../lambdas/aof';
import { collect, pieces, PREAMBLE_AOF, recordView, tempDir } from './helpers';

/**
 * The reader takes whole commands inside a chunk straight from its bytes (the fast
 * path) and anything else byte by byte. Fed whole, most commands take the fast path;
 * fed byte by byte, none does. Both must give the same records, result and error
 * (code, offset, okUpTo) on valid input and on every kind of damage, and so must
 * the verify-only mode (commandRecords: false), which builds no command at all.
 */

/** mulberry32: a reproducible stream of cases. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    let t = (s = (s + 0x6d2b79f5) | 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A valid AOF of about `n` commands: empty, binary and long arguments, transactions with names in any case, annotations. */
function validAof(next: () => number, n: number): Buffer {
  const int = (lo: number, hi: number): number => lo + Math.floor(next() * (hi - lo + 1));
  const bytes = (len: number): Buffer => Buffer.from(Array.from({ length: len }, () => int(0, 255)));
  const parts: Buffer[] = [encodeCommand(['SELECT', '0'])];
  for (let i = 0; i < n; i++) {
    const p = next();
    if (p < 0.5) parts.push(encodeCommand(['SET', `k${int(0, 99)}`, bytes(int(0, 40))]));
    else if (p < 0.6) parts.push(encodeCommand(['HSET', 'h', '', bytes(int(0, 3)), 'f', bytes(300)]));
    else if (p < 0.7) parts.push(encodeCommand([['MULTI', 'multi', 'MuLtI'][int(0, 2)]]), encodeCommand(['INCR', 'c']), encodeCommand([['EXEC', 'exec', 'eXeC'][int(0, 2)]]));
    else if (p < 0.75) parts.push(Buffer.from(`#TS:${1700000000 + i}\r\n`));
    else if (p < 0.78) parts.push(Buffer.from('# a note\r\n'));
    else if (p < 0.8) parts.push(encodeCommand(['SET', 'multi', 'exec']), encodeCommand(['MULTIX']), encodeCommand(['EXE']));
    else parts.push(encodeCommand(['RPUSH', 'l', ...Array.from({ length: int(1, 12) }, () => bytes(int(0, 6)))]));
  }
  return Buffer.concat(parts);
}

/** Bytes that make length lines, CRLFs and names go wrong. */
const NASTY = [0x2a, 0x24, 0x23, 0x0d, 0x0a, 0x30, 0x39, 0x2d, 0x20, 0x00, 0xff, 0x4d, 0x45];

interface Outcome {
  records: unknown[];
  result: unknown;
  error: unknown;
  commandsRead: number;
}

function run(chunks: Iterable<Buffer>, totalBytes: number | undefined, commandRecords: boolean, limits?: { maxArgumentBytes?: number; maxArguments?: number }): Outcome {
  const records: AofRecord[] = [];
  const reader = new AofReader({ format: 'resp', totalBytes, commandRecords, limits, onRecord: (r) => records.push(r) });
  let result: unknown = null;
  let error: unknown = null;
  try {
    for (const c of chunks) reader.write(c);
    result = reader.end();
  } catch (e) {
    const err = e as { code?: unknown; offset?: unknown; okUpTo?: unknown; message?: unknown };
    if (typeof err.code !== 'string') throw e;
    error = { code: err.code, offset: err.offset, okUpTo: err.okUpTo, message: err.message };
  }
  return { records: records.map(recordView), result, error, commandsRead: reader.commandsRead };
}

function expectSame(data: Buffer, totalBytes: number | undefined, limits?: { maxArgumentBytes?: number; maxArguments?: number }): Outcome {
  const whole = run([data], totalBytes, true, limits);
  const bytewise = run(pieces(data, 1), totalBytes, true, limits);
  expect(bytewise).toEqual(whole);
  const counted = run([data], totalBytes, false, limits);
  const commands = whole.records.filter((r) => (r as { kind: string }).kind === 'command');
  expect(counted).toEqual({ ...whole, records: whole.records.filter((r) => (r as { kind: string }).kind !== 'command') });
  expect(counted.commandsRead).toBe(commands.length);
  return whole;
}

describe('fast path and byte-by-byte path agree', () => {
  test('valid input: the same records and result, whole, byte by byte and without command records', () => {
    const next = rng(1);
    for (let i = 0; i < 20; i++) {
      const data = validAof(next, 60);
      const got = expectSame(data, data.length);
      expect(got.error).toBeNull();
      expect(got.result).toMatchObject({ okUpTo: data.length, truncatedTail: null });
    }
  });

  test('one damaged byte anywhere: the same error (code, offset, okUpTo, message) or the same result', () => {
    const next = rng(2);
    let errors = 0;
    for (let i = 0; i < 300; i++) {
      const data = Buffer.from(validAof(next, 8));
      const at = Math.floor(next() * data.length);
      data[at] = NASTY[Math.floor(next() * NASTY.length)];
      if (expectSame(data, data.length).error !== null) errors++;
    }
    // Most damaged bytes land in argument data (still valid); enough land in the framing.
    expect(errors).toBeGreaterThan(80);
  });

  test('cut anywhere (truncated tail), and more bytes than totalBytes declares: the same outcome', () => {
    const next = rng(3);
    const data = validAof(next, 30);
    for (let cut = 0; cut <= data.length; cut += 1 + Math.floor(next() * 7)) {
      const head = data.subarray(0, cut);
      expectSame(head, head.length);
      expectSame(head, undefined);
      if (cut > 0) expectSame(head, cut - 1 - Math.floor(next() * Math.min(cut, 40)));
    }
  });

  test('limits on argument length and count: the same error at the same offset', () => {
    const next = rng(4);
    const data = validAof(next, 80);
    for (const limits of [{ maxArgumentBytes: 30 }, { maxArguments: 5 }, { maxArgumentBytes: 0 }, { maxArguments: 1 }]) {
      expect(expectSame(data, data.length, limits).error).toMatchObject({ code: 'AOF_LIMIT_EXCEEDED' });
    }
  });

  test('lengths with many digits, a sign or leading zeros, nested MULTI, EXEC without MULTI, *0', () => {
    const cases = [
      '*1\r\n$0000000000000000004\r\nPING\r\n',
      '*000000000000000000001\r\n$4\r\nPING\r\n',
      `*1\r\n$${'9'.repeat(20)}\r\nPING\r\n`,
      '*1\r\n$-1\r\n',
      '*-1\r\n',
      '*0\r\n',
      '*1\r\n$5\r\nMULTI\r\n*1\r\n$5\r\nmulti\r\n',
      '*1\r\n$4\r\nEXEC\r\n',
      '*1\r\n$5\r\nMULTI\r\n*1\r\n$3\r\nSET\r\n',
      '*2\r\n$3\r\nGET\r\n$1\r\nk\n\r',
      '*1\r\n$4\r\nPING\r\r',
    ];
    for (const c of cases) {
      const data = Buffer.from(c, 'latin1');
      expectSame(data, data.length);
      expectSame(Buffer.concat([encodeCommand(['SELECT', '0']), data]), undefined);
    }
  });

  test('commandsRead counts the commands read before an error', () => {
    const data = Buffer.concat([encodeCommand(['SET', 'a', '1']), encodeCommand(['SET', 'b', '2']), Buffer.from('*1\r\n$x\r\n')]);
    const got = collect([data], { format: 'resp', totalBytes: data.length, commandRecords: false });
    expect(got.records).toEqual([]);
    expect(got.error).toMatchObject({ code: 'AOF_BAD_LENGTH', okUpTo: encodeCommand(['SET', 'a', '1']).length * 2 });
    expect(run([data], data.length, false).commandsRead).toBe(2);
  });
});

describe('transient input (read buffers reused)', () => {
  /** Feeds `data` in `size`-byte pieces through one buffer that is overwritten after every write, as a read ring does. */
  function runTransient(data: Buffer, size: number, options: { format: 'auto' | 'resp'; commandRecords: boolean; totalBytes?: number }): Outcome {
    const records: unknown[] = [];
    const reader = new AofReader({ ...options, transientInput: true, onRecord: (r) => records.push(recordView(r)) });
    const scratch = Buffer.alloc(size);
    let result: unknown = null;
    let error: unknown = null;
    try {
      for (const p of pieces(data, size)) {
        const chunk = scratch.subarray(0, p.length);
        p.copy(chunk);
        reader.write(chunk);
        chunk.fill(0x2a);
      }
      result = reader.end();
    } catch (e) {
      const err = e as { code?: unknown; offset?: unknown; okUpTo?: unknown; message?: unknown };
      if (typeof err.code !== 'string') throw e;
      error = { code: err.code, offset: err.offset, okUpTo: err.okUpTo, message: err.message };
    }
    return { records, result, error, commandsRead: reader.commandsRead };
  }

  test('commands (names of MULTI/EXEC split across chunks included) and damage: the same outcome as fresh chunks', () => {
    const next = rng(5);
    for (let i = 0; i < 40; i++) {
      const data = Buffer.from(validAof(next, 20));
      if (i % 2 === 1) data[Math.floor(next() * data.length)] = NASTY[Math.floor(next() * NASTY.length)];
      for (const size of [1, 3, 64]) {
        for (const commandRecords of [true, false]) {
          const fresh = run(pieces(data, size), data.length, commandRecords);
          expect(runTransient(data, size, { format: 'resp', commandRecords, totalBytes: data.length })).toEqual(fresh);
        }
      }
    }
  });

  test('an RDB preamble then commands: the same outcome as fresh chunks', () => {
    const data = Buffer.concat([readFileSync(PREAMBLE_AOF), encodeCommand(['MULTI']), encodeCommand(['SET', 'k', 'v']), encodeCommand(['EXEC'])]);
    for (const size of [1, 7, 4096]) {
      const fresh = collect(pieces(data, size), { format: 'auto', commandRecords: false });
      const got = runTransient(data, size, { format: 'auto', commandRecords: false });
      expect(got.error).toBeNull();
      expect({ records: got.records, result: got.result }).toEqual({ records: fresh.records, result: fresh.result });
    }
  });

  test('readAofFile with transientInput: the same size, SHA-256, commands, result and error as with fresh chunks', async () => {
    const { dir, remove } = tempDir();
    try {
      const next = rng(6);
      for (let i = 0; i < 6; i++) {
        const data = Buffer.from(validAof(next, 200));
        if (i >= 3) data[Math.floor(next() * data.length)] = 0x0a;
        const path = join(dir, `f${i}.aof`);
        writeFileSync(path, data);
        for (const chunkSize of [100, 4096, 1 << 20]) {
          const fresh = await readAofFile(path, { format: 'resp', commandRecords: false, chunkSize });
          const reused = await readAofFile(path, { format: 'resp', commandRecords: false, chunkSize, transientInput: true });
          expect(reused).toEqual(fresh);
          expect(reused.size).toBe(data.length);
        }
      }
    } finally {
      remove();
    }
  });
});
