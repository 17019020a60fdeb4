import { RdbError, RdbReader, RdbRecord, RedisValue } from '../../lambdas/rdb';
import { intsetItems, walkIntset } from '../../lambdas/rdb/encodings/intset';
import { itemToBuffer, itemToScore, PackedItem, parseScoreText } from '../../lambdas/rdb/encodings/item';
import { listpackItems, walkListpack } from '../../lambdas/rdb/encodings/listpack';
import { walkZiplist, ziplistItems } from '../../lambdas/rdb/encodings/ziplist';
import { walkZipmap } from '../../lambdas/rdb/encodings/zipmap';
import { rdbFile, rdbLen, rdbLzfStr, rdbStr } from '../helpers/rdb-harness';

// ---------------------------------------------------------------- builders

const le = (v: number | bigint, width: number): number[] => {
  const b = Buffer.alloc(8);
  b.writeBigInt64LE(BigInt(v));
  return [...b.subarray(0, width)];
};
const u32le = (v: number): number[] => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(v);
  return [...b];
};
const u32be = (v: number): number[] => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(v);
  return [...b];
};
const text = (s: string | Buffer): number[] => [...(typeof s === 'string' ? Buffer.from(s, 'latin1') : s)];

/** Listpack back-length: most significant 7-bit group first, the later bytes flagged with 0x80. */
function lpBacklen(l: number): number[] {
  const groups: number[] = [];
  let v = l;
  do {
    groups.unshift(v & 127);
    v = Math.floor(v / 128);
  } while (v > 0);
  return groups.map((g, i) => (i === 0 ? g : g | 128));
}

/** A listpack entry from its encoding+data bytes. */
const lpEntry = (encoded: number[]): number[] => [...encoded, ...lpBacklen(encoded.length)];

const lp = {
  uint7: (v: number): number[] => lpEntry([v]),
  int13: (v: number): number[] => lpEntry([0xc0 | ((v & 0x1fff) >> 8), v & 0xff]),
  int16: (v: number): number[] => lpEntry([0xf1, ...le(v, 2)]),
  int24: (v: number): number[] => lpEntry([0xf2, ...le(v, 3)]),
  int32: (v: number): number[] => lpEntry([0xf3, ...le(v, 4)]),
  int64: (v: number | bigint): number[] => lpEntry([0xf4, ...le(v, 8)]),
  str6: (s: string): number[] => lpEntry([0x80 | s.length, ...text(s)]),
  str12: (s: string): number[] => lpEntry([0xe0 | (s.length >> 8), s.length & 0xff, ...text(s)]),
  str32: (s: string): number[] => lpEntry([0xf0, ...u32le(s.length), ...text(s)]),
};

function listpack(entries: number[][], count = entries.length): Buffer {
  const body = entries.flat();
  const total = 6 + body.length + 1;
  return Buffer.from([...u32le(total), count & 0xff, count >> 8, ...body, 0xff]);
}

/** A ziplist entry from its encoding+data bytes; prevlen is filled in by `ziplist`. */
const zl = {
  str6: (s: string): number[] => [s.length, ...text(s)],
  str14: (s: string): number[] => [0x40 | (s.length >> 8), s.length & 0xff, ...text(s)],
  str32: (s: string): number[] => [0x80, ...u32be(s.length), ...text(s)],
  int8: (v: number): number[] => [0xfe, ...le(v, 1)],
  int16: (v: number): number[] => [0xc0, ...le(v, 2)],
  int24: (v: number): number[] => [0xf0, ...le(v, 3)],
  int32: (v: number): number[] => [0xd0, ...le(v, 4)],
  int64: (v: number | bigint): number[] => [0xe0, ...le(v, 8)],
  imm: (v: number): number[] => [0xf1 + v],
};

function ziplist(entries: number[][], opts: { count?: number; tail?: number } = {}): Buffer {
  const body: number[] = [];
  let prev = 0;
  let tail = 10;
  for (const enc of entries) {
    tail = 10 + body.length;
    const prevlen = prev < 254 ? [prev] : [0xfe, ...u32le(prev)];
    const entry = [...prevlen, ...enc];
    body.push(...entry);
    prev = entry.length;
  }
  const total = 10 + body.length + 1;
  const count = opts.count ?? entries.length;
  return Buffer.from([...u32le(total), ...u32le(opts.tail ?? tail), count & 0xff, count >> 8, ...body, 0xff]);
}

function intset(width: 2 | 4 | 8, values: Array<number | bigint>, length = values.length): Buffer {
  return Buffer.from([...u32le(width), ...u32le(length), ...values.flatMap((v) => le(v, width))]);
}

const zmLen = (n: number): number[] => (n < 254 ? [n] : [0xfe, ...u32le(n)]);
function zipmap(pairs: Array<[string, string, number?]>, count = pairs.length): Buffer {
  const body = pairs.flatMap(([k, v, free = 0]) => [...zmLen(k.length), ...text(k), ...zmLen(v.length), free, ...text(v), ...new Array<number>(free).fill(0x55)]);
  return Buffer.from([count, ...body, 0xff]);
}

// ---------------------------------------------------------------- helpers

const asText = (items: PackedItem[]): string[] => items.map((i) => itemToBuffer(i).toString('latin1'));

/** Runs `fn`, expecting an RDB_CORRUPT error; returns it. */
function corruption(fn: () => unknown): RdbError {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    expect(e.code).toBe('RDB_CORRUPT');
    return e;
  }
  throw new Error('expected an RdbError');
}

const BASE = 1000;

// ---------------------------------------------------------------- listpack

describe('listpack walker', () => {
  it('decodes every integer encoding at its limits', () => {
    const blob = listpack([
      lp.uint7(0),
      lp.uint7(127),
      lp.int13(-4096),
      lp.int13(-1),
      lp.int13(128),
      lp.int13(4095),
      lp.int16(-32768),
      lp.int16(32767),
      lp.int24(-8388608),
      lp.int24(8388607),
      lp.int32(-2147483648),
      lp.int32(2147483647),
      lp.int64(Number.MAX_SAFE_INTEGER),
      lp.int64(-(2n ** 63n)),
      lp.int64(2n ** 63n - 1n),
    ]);
    const items = listpackItems(blob);
    expect(items).toEqual([0, 127, -4096, -1, 128, 4095, -32768, 32767, -8388608, 8388607, -2147483648, 2147483647, Number.MAX_SAFE_INTEGER, -(2n ** 63n), 2n ** 63n - 1n]);
    expect(asText(items).slice(-2)).toEqual(['-9223372036854775808', '9223372036854775807']);
  });

  it('decodes 6-, 12- and 32-bit strings with 1-, 2- and 3-byte back-lengths', () => {
    const s63 = 'a'.repeat(63);
    const s64 = 'b'.repeat(64);
    const s4095 = 'c'.repeat(4095);
    const s4096 = 'd'.repeat(4096);
    const s17000 = 'e'.repeat(17000);
    const blob = listpack([lp.str6(''), lp.str6(s63), lp.str12(s64), lp.str12(s4095), lp.str32(s4096), lp.str32(s17000), lp.str6('x')]);
    expect(lpBacklen(4 + 4096 + 1)).toHaveLength(2);
    expect(lpBacklen(5 + 17000)).toHaveLength(3);
    expect(asText(listpackItems(blob))).toEqual(['', s63, s64, s4095, s4096, s17000, 'x']);
  });

  it('accepts an empty listpack and the "unknown count" header 65535', () => {
    expect(walkListpack(listpack([]), 0, 7, 0, null)).toBe(0);
    expect(walkListpack(listpack([lp.uint7(1), lp.str6('a')], 65535), 0, 12, 0, null)).toBe(2);
  });

  it('walks a blob inside a larger buffer and reports absolute offsets', () => {
    const blob = listpack([lp.str6('ok'), [0xf5, 0x01]]);
    const buf = Buffer.concat([Buffer.alloc(3, 0xee), blob, Buffer.alloc(2, 0xee)]);
    const e = corruption(() => walkListpack(buf, 3, 3 + blob.length, BASE, null));
    // 3 bytes before the blob, 6 bytes of header, 4 bytes of the first entry
    expect(e.offset).toBe(BASE + 3 + 6 + 4);
    expect(e.reason).toContain('0xf5');
  });

  describe('refuses malformed blobs', () => {
    it('too short, wrong total, missing terminator, wrong count', () => {
      expect(corruption(() => walkListpack(Buffer.from([6, 0, 0, 0, 0, 0]), 0, 6, BASE, null)).offset).toBe(BASE);
      const good = listpack([lp.uint7(5)]);
      const wrongTotal = Buffer.from(good);
      wrongTotal.writeUInt32LE(good.length + 1, 0);
      expect(corruption(() => walkListpack(wrongTotal, 0, good.length, BASE, null)).reason).toContain('header says');
      const noEnd = Buffer.from(good);
      noEnd[noEnd.length - 1] = 0xfe;
      expect(corruption(() => walkListpack(noEnd, 0, good.length, BASE, null)).reason).toContain('0xFF');
      const wrongCount = listpack([lp.uint7(5)], 2);
      expect(corruption(() => walkListpack(wrongCount, 0, wrongCount.length, BASE, null)).reason).toContain('2 elements but holds 1');
    });

    it('every invalid encoding byte 0xF5-0xFE', () => {
      for (let b = 0xf5; b <= 0xfe; b++) {
        const blob = listpack([[b, 1]]);
        const e = corruption(() => walkListpack(blob, 0, blob.length, BASE, null));
        expect(e.offset).toBe(BASE + 6);
      }
    });

    it('entries that overrun the blob (string data, int headers, 32-bit length)', () => {
      const cases: number[][] = [
        [0x85, 0x61, 0x61], // 6-bit string of 5 with 2 bytes
        [0xe0 | 0x0f, 0xff, 0x61], // 12-bit string of 4095
        [0xf0, 0xff, 0xff, 0xff, 0x7f, 0x61], // 32-bit string of 2^31-1
        [0xf4, 1, 2, 3], // int64 with 3 bytes
        [0xf1, 1], // int16 with 1 byte
        [0xc0], // int13 without its second byte
      ];
      for (const entry of cases) {
        const blob = listpack([entry]);
        const e = corruption(() => walkListpack(blob, 0, blob.length, BASE, null));
        expect(e.reason).toContain('overruns');
      }
    });

    it('wrong back-length value or flag bits', () => {
      const wrongValue = listpack([[0x82, 0x61, 0x62, 4]]);
      expect(corruption(() => walkListpack(wrongValue, 0, wrongValue.length, BASE, null)).reason).toContain('back-length 4 does not match entry length 3');
      // A 200-byte string has a 2-byte back-length: [1, 0x80 | 74]; clear the flag on its second byte.
      const entry = lp.str12('z'.repeat(200));
      entry[entry.length - 1] &= 0x7f;
      const badFlag = listpack([entry]);
      expect(corruption(() => walkListpack(badFlag, 0, badFlag.length, BASE, null)).reason).toContain('invalid back-length');
      // and set the flag on the first byte
      const entry2 = lp.str12('z'.repeat(200));
      entry2[entry2.length - 2] |= 0x80;
      const badFlag2 = listpack([entry2]);
      expect(corruption(() => walkListpack(badFlag2, 0, badFlag2.length, BASE, null)).reason).toContain('invalid back-length');
    });
  });
});

// ---------------------------------------------------------------- ziplist

describe('ziplist walker', () => {
  it('decodes every integer encoding, including int24, int8 and the 4-bit immediates', () => {
    const blob = ziplist([
      zl.int8(-128),
      zl.int8(127),
      zl.int16(-32768),
      zl.int16(32767),
      zl.int24(-8388608),
      zl.int24(8388607),
      zl.int32(-2147483648),
      zl.int32(2147483647),
      zl.int64(-(2n ** 63n)),
      zl.int64(2n ** 63n - 1n),
      zl.int64(-5),
      ...Array.from({ length: 13 }, (_, v) => zl.imm(v)),
    ]);
    const items = ziplistItems(blob);
    expect(items).toEqual([-128, 127, -32768, 32767, -8388608, 8388607, -2147483648, 2147483647, -(2n ** 63n), 2n ** 63n - 1n, -5, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    expect(asText(items).slice(8, 11)).toEqual(['-9223372036854775808', '9223372036854775807', '-5']);
  });

  it('decodes 6-, 14- (big-endian) and 32-bit strings and 5-byte prev-lengths', () => {
    const s300 = 's'.repeat(300);
    const s20000 = 't'.repeat(20000);
    const blob = ziplist([zl.str6(''), zl.str6('abc'), zl.str14(s300), zl.str6('after-long'), zl.str32(s20000), zl.imm(7)]);
    // the entry after the 300-byte one starts with 0xFE + u32le prevlen
    const after = blob.indexOf(Buffer.from('after-long')) - 1 - 5;
    expect(blob[after]).toBe(0xfe);
    expect(blob.readUInt32LE(after + 1)).toBe(1 + 2 + 300);
    expect(asText(ziplistItems(blob))).toEqual(['', 'abc', s300, 'after-long', s20000, '7']);
  });

  it('accepts an empty ziplist and the "unknown count" header 65535', () => {
    const empty = ziplist([]);
    expect(empty.length).toBe(11);
    expect(walkZiplist(empty, 0, 11, 0, null)).toBe(0);
    const unknown = ziplist([zl.imm(1), zl.imm(2)], { count: 65535 });
    expect(walkZiplist(unknown, 0, unknown.length, 0, null)).toBe(2);
  });

  describe('refuses malformed blobs', () => {
    const good = ziplist([zl.str6('ab'), zl.int16(300)]);

    it('too short, wrong byte count, missing terminator', () => {
      expect(corruption(() => walkZiplist(good, 0, 10, BASE, null)).offset).toBe(BASE);
      const wrongBytes = Buffer.from(good);
      wrongBytes.writeUInt32LE(good.length - 1, 0);
      expect(corruption(() => walkZiplist(wrongBytes, 0, good.length, BASE, null)).reason).toContain('header says');
      const noEnd = Buffer.from(good);
      noEnd[noEnd.length - 1] = 0;
      expect(corruption(() => walkZiplist(noEnd, 0, good.length, BASE, null)).reason).toContain('0xFF');
    });

    it('a prev-length that does not match the previous entry', () => {
      const bad = Buffer.from(good);
      bad[10 + 4] = 3; // second entry's prevlen (first entry is 1 + 1 + 2 = 4 bytes)
      const e = corruption(() => walkZiplist(bad, 0, bad.length, BASE, null));
      expect(e.reason).toContain('prev-length 3 does not match previous entry size 4');
      expect(e.offset).toBe(BASE + 14);
    });

    it('invalid integer encodings', () => {
      for (const enc of [0xc1, 0xc8, 0xd1, 0xe5, 0xff]) {
        const blob = ziplist([[enc, 0, 0, 0, 0, 0, 0, 0, 0]]);
        const e = corruption(() => walkZiplist(blob, 0, blob.length, BASE, null));
        expect(e.reason).toContain(`0x${enc.toString(16)}`);
        expect(e.offset).toBe(BASE + 11);
      }
    });

    it('entries that overrun the blob', () => {
      for (const entry of [[5, 0x61], [0x40 | 1, 0], [0x80, 0xff, 0xff, 0xff, 0xff, 0x61], [0xe0, 1, 2], [0xf0, 1], [0xfe]]) {
        const blob = ziplist([entry]);
        expect(corruption(() => walkZiplist(blob, 0, blob.length, BASE, null)).reason).toContain('overruns');
      }
    });

    it('a tail offset that does not point at the last entry, and a wrong count', () => {
      const badTail = ziplist([zl.imm(1), zl.imm(2)], { tail: 10 });
      expect(corruption(() => walkZiplist(badTail, 0, badTail.length, BASE, null)).reason).toContain('tail offset 10');
      const badCount = ziplist([zl.imm(1), zl.imm(2)], { count: 3 });
      expect(corruption(() => walkZiplist(badCount, 0, badCount.length, BASE, null)).reason).toContain('3 elements but holds 2');
    });
  });
});

// ---------------------------------------------------------------- intset

describe('intset walker', () => {
  it('decodes 16-, 32- and 64-bit members', () => {
    expect(intsetItems(intset(2, [-32768, -1, 0, 32767]))).toEqual([-32768, -1, 0, 32767]);
    expect(intsetItems(intset(4, [-2147483648, 65536, 2147483647]))).toEqual([-2147483648, 65536, 2147483647]);
    const big = intsetItems(intset(8, [-(2n ** 63n), -1, 2 ** 40, 2n ** 63n - 1n]));
    expect(big).toEqual([-(2n ** 63n), -1, 2 ** 40, 2n ** 63n - 1n]);
    expect(asText(big)).toEqual(['-9223372036854775808', '-1', '1099511627776', '9223372036854775807']);
  });

  it('refuses short blobs, bad widths, empty sets, size mismatches and unordered members', () => {
    expect(corruption(() => walkIntset(Buffer.alloc(7), 0, 7, BASE, null)).reason).toContain('too short');
    for (const w of [0, 1, 3, 16]) {
      const blob = Buffer.from([...u32le(w), ...u32le(1), 0, 0, 0, 0]);
      expect(corruption(() => walkIntset(blob, 0, blob.length, BASE, null)).reason).toContain(`width ${w}`);
    }
    expect(corruption(() => walkIntset(intset(2, []), 0, 8, BASE, null)).reason).toContain('empty');
    const short = intset(4, [1, 2], 3);
    expect(corruption(() => walkIntset(short, 0, short.length, BASE, null)).reason).toContain('does not fill');
    const equal = intset(2, [5, 5]);
    const e = corruption(() => walkIntset(equal, 0, equal.length, BASE, null));
    expect(e.reason).toContain('ascending');
    expect(e.offset).toBe(BASE + 10);
    const desc = intset(8, [2, 1]);
    expect(corruption(() => walkIntset(desc, 0, desc.length, BASE, null)).reason).toContain('ascending');
  });
});

// ---------------------------------------------------------------- zipmap

describe('zipmap walker', () => {
  it('decodes pairs, skips free padding and reads 5-byte lengths', () => {
    const long = 'v'.repeat(300);
    const blob = zipmap([['f1', 'v1'], ['f2', 'value', 3], ['big', long]]);
    const out: Buffer[] = [];
    expect(walkZipmap(blob, 0, blob.length, 0, out)).toBe(3);
    expect(out.map((b) => b.toString())).toEqual(['f1', 'v1', 'f2', 'value', 'big', long]);
  });

  it('accepts the "unknown count" byte 254 and an empty zipmap', () => {
    const unknown = zipmap([['a', 'b'], ['c', 'd']], 254);
    expect(walkZipmap(unknown, 0, unknown.length, 0, null)).toBe(2);
    expect(walkZipmap(Buffer.from([0, 0xff]), 0, 2, 0, null)).toBe(0);
  });

  it('refuses malformed blobs', () => {
    const check = (blob: Buffer, reason: string): void => {
      expect(corruption(() => walkZipmap(blob, 0, blob.length, BASE, null)).reason).toContain(reason);
    };
    check(Buffer.from([0]), 'too short');
    check(Buffer.from([1, 1, 0x61, 1, 0, 0x62]), 'no terminator');
    check(Buffer.concat([zipmap([['a', 'b']]), Buffer.from([0])]), 'after its terminator');
    check(zipmap([['a', 'b']], 2), 'says 2 pairs but holds 1');
    check(Buffer.from([1, 1, 0x61, 0xff]), 'middle of a pair');
    check(Buffer.from([1, 9, 0x61, 0xff]), 'field overruns');
    check(Buffer.from([1, 1, 0x61, 1, 5, 0x62, 0xff]), 'value overruns');
    check(Buffer.from([1, 0xfe, 1, 0, 0xff]), 'length overruns');
  });
});

// ---------------------------------------------------------------- item helpers

describe('compact item helpers', () => {
  it('turn integers into their decimal text and parse score text like strtod', () => {
    expect(itemToBuffer(-42).toString()).toBe('-42');
    expect(itemToBuffer(2n ** 63n - 1n).toString()).toBe('9223372036854775807');
    expect(itemToScore(Buffer.from('1.5'))).toBe(1.5);
    expect(itemToScore(Buffer.from('inf'))).toBe(Infinity);
    expect(itemToScore(Buffer.from('-inf'))).toBe(-Infinity);
    expect(itemToScore(7)).toBe(7);
    expect(parseScoreText('+infinity')).toBe(Infinity);
    expect(parseScoreText('')).toBeNaN();
  });
});

// ---------------------------------------------------------------- through the reader

/** Reads a hand-built RDB, returning its entries' decoded values by key. */
function readValues(file: Buffer): Map<string, RedisValue> {
  const records: RdbRecord[] = [];
  const reader = new RdbReader({ onRecord: (r) => records.push(r) });
  reader.write(file);
  reader.end();
  const out = new Map<string, RedisValue>();
  for (const r of records) if (r.kind === 'entry') out.set(r.entry.key.toString(), r.entry.value());
  return out;
}

const entry = (typeId: number, key: string, value: Buffer): Buffer => Buffer.concat([Buffer.from([typeId]), rdbStr(key), value]);

describe('compact encodings inside an RDB', () => {
  it('decode to Redis values for every blob-wrapped type', () => {
    const file = rdbFile(11, [
      Buffer.from([0xfe, 0]),
      entry(9, 'zipmap', rdbStr(zipmap([['f', 'v']]))),
      entry(10, 'zl-list', rdbStr(ziplist([zl.str6('a'), zl.int24(-70000), zl.imm(12)]))),
      entry(11, 'intset', rdbStr(intset(2, [-3, 10]))),
      entry(12, 'zl-zset', rdbStr(ziplist([zl.str6('m1'), zl.str6('1.5'), zl.str6('m2'), zl.int16(300)]))),
      entry(13, 'zl-hash', rdbStr(ziplist([zl.str6('f'), zl.int32(100000)]))),
      entry(16, 'lp-hash', rdbStr(listpack([lp.str6('f'), lp.int13(-5)]))),
      entry(17, 'lp-zset', rdbStr(listpack([lp.str6('a'), lp.uint7(1), lp.str6('b'), lp.str6('inf')]))),
      entry(20, 'lp-set', rdbStr(listpack([lp.uint7(5), lp.str6('x'), lp.int64(2n ** 62n)]))),
      entry(18, 'ql2', Buffer.concat([rdbLen(2), rdbLen(2), rdbStr(listpack([lp.str6('p1'), lp.int16(1000)])), rdbLen(1), rdbStr('plain element')])),
      entry(14, 'ql1', Buffer.concat([rdbLen(2), rdbStr(ziplist([zl.str6('n1')])), rdbLzfStr(ziplist([zl.str6('compressed'), zl.imm(0)]))])),
    ]);
    const v = readValues(file);
    const strs = (bs: Buffer[]): string[] => bs.map((b) => b.toString());
    const value = (key: string): RedisValue => {
      const x = v.get(key);
      if (x === undefined) throw new Error(`no key ${key}`);
      return x;
    };
    const list = (key: string): string[] => {
      const x = value(key);
      if (x.type !== 'list') throw new Error(`${key} is a ${x.type}`);
      return strs(x.items);
    };
    const set = (key: string): string[] => {
      const x = value(key);
      if (x.type !== 'set') throw new Error(`${key} is a ${x.type}`);
      return strs(x.members);
    };
    const hash = (key: string): string[][] => {
      const x = value(key);
      if (x.type !== 'hash') throw new Error(`${key} is a ${x.type}`);
      return x.fields.map((f) => [f.field.toString(), f.value.toString()]);
    };
    const zset = (key: string): Array<[string, number]> => {
      const x = value(key);
      if (x.type !== 'zset') throw new Error(`${key} is a ${x.type}`);
      return x.entries.map((e) => [e.member.toString(), e.score]);
    };
    expect(hash('zipmap')).toEqual([['f', 'v']]);
    expect(list('zl-list')).toEqual(['a', '-70000', '12']);
    expect(set('intset')).toEqual(['-3', '10']);
    expect(zset('zl-zset')).toEqual([['m1', 1.5], ['m2', 300]]);
    expect(hash('zl-hash')).toEqual([['f', '100000']]);
    expect(hash('lp-hash')).toEqual([['f', '-5']]);
    expect(zset('lp-zset')).toEqual([['a', 1], ['b', Infinity]]);
    expect(set('lp-set')).toEqual(['5', 'x', '4611686018427387904']);
    expect(list('ql2')).toEqual(['p1', '1000', 'plain element']);
    expect(list('ql1')).toEqual(['n1', 'compressed', '0']);
  });

  it('report a malformed blob at its absolute file offset, naming the key', () => {
    const bad = listpack([lp.str6('ok'), [0x82, 0x61, 0x62, 9]]); // wrong back-length on the 2nd entry
    const prefix = Buffer.concat([Buffer.from('REDIS0011', 'latin1'), Buffer.from([0xfe, 0])]);
    const record = entry(20, 'broken', rdbStr(bad));
    const file = rdbFile(11, [Buffer.from([0xfe, 0]), record]);
    const blobStart = prefix.length + 1 + rdbStr('broken').length + rdbLen(bad.length).length;
    const reader = new RdbReader({ onRecord: () => undefined });
    let error: unknown;
    try {
      reader.write(file);
      reader.end();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RdbError);
    const e = error as RdbError;
    expect(e.code).toBe('RDB_CORRUPT');
    expect(e.key).toBe('broken');
    expect(e.offset).toBe(blobStart + 6 + 4 + 3);
    expect(e.message).toContain('"broken"');
  });

  it('refuse an odd element count for pair encodings and a NaN score', () => {
    const cases: Array<[number, Buffer]> = [
      [16, listpack([lp.str6('f'), lp.str6('v'), lp.str6('dangling')])],
      [17, listpack([lp.str6('m')])],
      [13, ziplist([zl.str6('f')])],
      [12, ziplist([zl.str6('m'), zl.str6('nan')])],
    ];
    for (const [typeId, blob] of cases) {
      const file = rdbFile(11, [Buffer.from([0xfe, 0]), entry(typeId, 'k', rdbStr(blob))]);
      const records: RdbRecord[] = [];
      const reader = new RdbReader({ onRecord: (r) => records.push(r) });
      let error: unknown;
      try {
        reader.write(file);
        reader.end();
        // The structural walk may accept the blob; decoding must then refuse it.
        for (const r of records) if (r.kind === 'entry') r.entry.value();
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(RdbError);
      expect((error as RdbError).code).toBe('RDB_CORRUPT');
    }
  });
});
