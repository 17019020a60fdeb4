/**
 * Shared helpers for the RDB engine tests: a seeded PRNG, fixture loading,
 * hand-built RDB files, and a reader run that reduces every record (entries'
 * decoded values included) to plain data so two runs can be compared exactly.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { crc64 } from '../../lambdas/rdb/crc64';
import { RdbError } from '../../lambdas/rdb/errors';
import { RdbReader, RdbReaderOptions } from '../../lambdas/rdb/reader';
import { RdbRecord } from '../../lambdas/rdb/records';
import { RedisValue } from '../../lambdas/rdb/value';
import { FIXTURES_DIR } from './fixtures';

/** mulberry32: a tiny seeded PRNG returning floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(rand: () => number, n: number): number {
  return Math.floor(rand() * n);
}

/** A fixture's bytes in a buffer of its own (offset 0 of its own ArrayBuffer, never Node's shared pool). */
export function readFixture(path: string): Buffer {
  const data = readFileSync(path);
  const own = Buffer.alloc(data.length);
  data.copy(own);
  return own;
}

/** Path relative to the fixtures directory, for test names. */
export function fixtureName(path: string): string {
  return relative(FIXTURES_DIR, path);
}

/** RDB length encoding (the smallest form). */
export function rdbLen(n: number): Buffer {
  if (n < 64) return Buffer.from([n]);
  if (n < 16384) return Buffer.from([0x40 | (n >> 8), n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = 0x80;
  b.writeUInt32BE(n, 1);
  return b;
}

/** A raw (length-prefixed) RDB string. */
export function rdbStr(s: Buffer | string): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  return Buffer.concat([rdbLen(b.length), b]);
}

/** An LZF-encoded RDB string holding `s` as literal runs only (valid LZF, no compression). */
export function rdbLzfStr(s: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < s.length; i += 32) {
    const run = s.subarray(i, i + 32);
    parts.push(Buffer.from([run.length - 1]), run);
  }
  const compressed = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([0xc3]), rdbLen(compressed.length), rdbLen(s.length), compressed]);
}

/** A whole RDB file: `REDIS%04d` header, body, EOF opcode and (version >= 5) a correct CRC-64 trailer. */
export function rdbFile(version: number, body: Buffer[], magic = `REDIS${String(version).padStart(4, '0')}`): Buffer {
  const head = Buffer.concat([Buffer.from(magic, 'latin1'), ...body, Buffer.from([0xff])]);
  if (version < 5) return head;
  const trailer = Buffer.alloc(8);
  trailer.writeBigUInt64LE(crc64(head));
  return Buffer.concat([head, trailer]);
}

/** An RdbError reduced to the fields that identify it. */
export interface ErrorSnapshot {
  code: string;
  offset: number;
  key: string | null;
  reason: string;
}

/** Reduces an RdbError to data; anything else is not an acceptable failure and is rethrown. */
export function errorSnapshot(e: unknown): ErrorSnapshot {
  if (!(e instanceof RdbError)) throw e;
  return { code: e.code, offset: e.offset, key: e.key ?? null, reason: e.reason };
}

export type RecordSnapshot = Record<string, unknown>;

/**
 * A decoded value as one canonical byte string: equal values give equal bytes and
 * different values different bytes (every byte string is length-prefixed, numbers are
 * kept as IEEE doubles, so -0, NaN and infinities stay distinct). Comparing this is far
 * cheaper than walking the value, which matters when a fixture is read hundreds of times.
 */
export function packValue(v: RedisValue): Buffer {
  const parts: Buffer[] = [];
  const nums: number[] = [];
  const bytes = (b: Buffer): void => {
    nums.push(b.length);
    parts.push(b);
  };
  switch (v.type) {
    case 'string':
      bytes(v.value);
      break;
    case 'list':
      for (const b of v.items) bytes(b);
      break;
    case 'set':
      for (const b of v.members) bytes(b);
      break;
    case 'zset':
      for (const e of v.entries) {
        bytes(e.member);
        nums.push(e.score);
      }
      break;
    case 'hash':
      for (const f of v.fields) {
        bytes(f.field);
        bytes(f.value);
        nums.push(f.expireAtMs ?? NaN);
      }
      break;
    default:
      // Streams and module values are few and small: their JSON (Buffers as hex) is canonical enough.
      bytes(Buffer.from(JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x))));
  }
  const head = Buffer.from(`${v.type}:${nums.length}:`);
  return Buffer.concat([head, Buffer.from(Float64Array.from(nums).buffer), ...parts]);
}

/**
 * Every field of a record as plain data; entries carry their decoded value, packed with
 * `packValue` (or the RdbError decoding raised). The DUMP payload is left out: it is built
 * from typeId, valueBytes and rdbVersion, which are compared already.
 */
export function snapshotRecord(r: RdbRecord, copyBuffers = false): RecordSnapshot {
  const own = (b: Buffer): Buffer => (copyBuffers ? Buffer.from(b) : b);
  if (r.kind !== 'entry') {
    const out: RecordSnapshot = { ...r };
    for (const [k, v] of Object.entries(out)) if (Buffer.isBuffer(v)) out[k] = own(v);
    return out;
  }
  const e = r.entry;
  let value: Buffer | null = null;
  let valueError: ErrorSnapshot | null = null;
  try {
    value = packValue(e.value());
  } catch (err) {
    valueError = errorSnapshot(err);
  }
  return {
    kind: 'entry',
    db: e.db,
    typeId: e.typeId,
    type: e.type,
    encoding: e.encoding,
    key: own(e.key),
    expireAtMs: e.expireAtMs,
    idle: e.idle,
    freq: e.freq,
    offset: e.offset,
    rdbVersion: e.rdbVersion,
    recordSize: e.recordSize,
    valueSize: e.valueSize,
    valueBytes: own(e.valueBytes),
    value,
    valueError,
  };
}

export interface RunOutcome {
  records: RecordSnapshot[];
  /** The RdbError that ended the read, or null when end() returned. */
  error: ErrorSnapshot | null;
}

/**
 * Feeds `data` to a new reader: whole, one byte at a time ('bytes'), or cut at the
 * given ascending positions. Records are snapshotted as they arrive.
 *
 * With `transient`, the reader is told its input is transient (`transientInput`), and
 * every chunk is passed in one reused buffer that is scribbled over as soon as `write`
 * returns; record buffers are copied during onRecord, as that mode requires.
 */
export function runReader(data: Buffer, cuts: 'whole' | 'bytes' | number[], options: Partial<RdbReaderOptions> = {}, transient = false): RunOutcome {
  const records: RecordSnapshot[] = [];
  const reader = new RdbReader({ ...options, transientInput: transient || undefined, onRecord: (r) => records.push(snapshotRecord(r, transient)) });
  const positions = cuts === 'whole' ? [] : cuts === 'bytes' ? Array.from({ length: Math.max(0, data.length - 1) }, (_, i) => i + 1) : cuts;
  let scratch = Buffer.alloc(0);
  const feed = (piece: Buffer): void => {
    if (!transient) return reader.write(piece);
    if (scratch.length < piece.length) scratch = Buffer.alloc(piece.length);
    const chunk = scratch.subarray(0, piece.length);
    piece.copy(chunk);
    reader.write(chunk);
    chunk.fill(0xee);
  };
  let error: ErrorSnapshot | null = null;
  try {
    let from = 0;
    for (const cut of [...positions, data.length]) {
      feed(data.subarray(from, cut));
      from = cut;
    }
    reader.end();
  } catch (e) {
    error = errorSnapshot(e);
  }
  return { records, error };
}

/** Path and description of the first difference between two plain-data trees, or null when they are identical. */
export function firstDifference(a: unknown, b: unknown): string | null {
  const path: Array<string | number> = [];
  const found = diffAt(a, b, path);
  if (found === null) return null;
  return `$${path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('')}: ${found}`;
}

/** The constructor of Node's Buffer instances (Buffer itself is only a factory for them). */
const FAST_BUFFER: unknown = Object.getPrototypeOf(Buffer.alloc(0)).constructor;

type Kind = 'buffer' | 'array' | 'object' | 'scalar';

/**
 * Classifies a value; constructor identity first, because under Jest's VM context the
 * generic checks (Buffer.isBuffer, Array.isArray) are an order of magnitude slower.
 */
function kindOf(v: unknown): Kind {
  if (typeof v !== 'object' || v === null) return 'scalar';
  const ctor = (v as { constructor?: unknown }).constructor;
  if (ctor === FAST_BUFFER) return 'buffer';
  if (ctor === Array) return 'array';
  if (ctor === Object) return 'object';
  if (Buffer.isBuffer(v)) return 'buffer';
  return Array.isArray(v) ? 'array' : 'object';
}

/** The first difference below a/b (its path pushed onto `path` innermost-last), or null. Paths are only built on a mismatch. */
function diffAt(a: unknown, b: unknown, path: Array<string | number>): string | null {
  if (a === b) return null;
  const kind = kindOf(a);
  if (kind !== kindOf(b)) return `${describe(a)} != ${describe(b)}`;
  switch (kind) {
    case 'scalar':
      return Object.is(a, b) ? null : `${describe(a)} != ${describe(b)}`;
    case 'buffer':
      return (a as Buffer).equals(b as Buffer) ? null : `${describe(a)} != ${describe(b)}`;
    case 'array': {
      const aa = a as unknown[];
      const ba = b as unknown[];
      if (aa.length !== ba.length) return `length ${aa.length} != ${ba.length}`;
      for (let i = 0; i < aa.length; i++) {
        const d = diffAt(aa[i], ba[i], path);
        if (d !== null) {
          path.unshift(i);
          return d;
        }
      }
      return null;
    }
    case 'object': {
      const ao = a as Record<string, unknown>;
      const bo = b as Record<string, unknown>;
      const keys = Object.keys(ao);
      const bkeys = Object.keys(bo);
      if (keys.length !== bkeys.length || keys.some((k) => !(k in bo))) return `keys ${keys.join(',')} != ${bkeys.join(',')}`;
      for (const k of keys) {
        const d = diffAt(ao[k], bo[k], path);
        if (d !== null) {
          path.unshift(k);
          return d;
        }
      }
      return null;
    }
  }
}

function describe(v: unknown): string {
  if (Buffer.isBuffer(v)) return `<${v.length} bytes ${v.subarray(0, 24).toString('hex')}${v.length > 24 ? '...' : ''}>`;
  if (typeof v === 'bigint') return `${v}n`;
  return JSON.stringify(v) ?? String(v);
}

/** Size in bytes of the RDB length field starting with byte `b` (0 for a string-encoding marker). */
export function lenFieldSize(b: number): number {
  const kind = b >>> 6;
  if (kind === 0) return 1;
  if (kind === 1) return 2;
  if (b === 0x80) return 5;
  if (b === 0x81) return 9;
  return 0;
}

/** Position of the key of the entry record starting at `offset` (after its expire/idle/freq prefixes and type byte). */
export function entryKeyPos(data: Buffer, offset: number): number {
  let p = offset;
  while (true) {
    const op = data[p];
    if (op === 0xfc) p += 9;
    else if (op === 0xfd) p += 5;
    else if (op === 0xf9) p += 2;
    else if (op === 0xf8) p += 1 + lenFieldSize(data[p + 1]);
    else return p + 1;
  }
}
