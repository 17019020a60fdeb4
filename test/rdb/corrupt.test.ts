/**
 * Damaged, foreign and future files are refused with a typed RdbError that says
 * what was found, where, and in which key.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EofRecord, RdbError, RdbReader, RdbReaderOptions, RdbRecord, readRdbStream } from '../../lambdas/rdb';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { rdbFile, rdbLen, rdbLzfStr, rdbStr, readFixture, runReader } from '../helpers/rdb-harness';

const TEST_ASSETS = join(FIXTURES_DIR, 'redis-test-assets');
const LIBRDB = join(FIXTURES_DIR, 'librdb-dumps');

interface Read {
  records: RdbRecord[];
  eof: EofRecord | null;
  error: RdbError | null;
}

function read(data: Buffer, options: Partial<RdbReaderOptions> = {}, chunk = 0): Read {
  const records: RdbRecord[] = [];
  const reader = new RdbReader({ ...options, onRecord: (r) => records.push(r) });
  try {
    if (chunk > 0) for (let i = 0; i < data.length; i += chunk) reader.write(data.subarray(i, i + chunk));
    else reader.write(data);
    return { records, eof: reader.end(), error: null };
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
    return { records, eof: null, error: e };
  }
}

function refused(data: Buffer, options: Partial<RdbReaderOptions> = {}): RdbError {
  const r = read(data, options);
  if (r.error === null) throw new Error('the data was accepted');
  return r.error;
}

const entries = (r: Read): Array<Extract<RdbRecord, { kind: 'entry' }>['entry']> => r.records.flatMap((x) => (x.kind === 'entry' ? [x.entry] : []));

describe('empty keys and damaged compact blobs', () => {
  describe('corrupt_empty_keys.rdb', () => {
    const path = join(TEST_ASSETS, 'corrupt_empty_keys.rdb');

    it('is refused at the first empty key, naming it', () => {
      const data = readFixture(path);
      const e = refused(data);
      expect(e.code).toBe('RDB_CORRUPT');
      expect(e.key).toBe('set');
      expect(e.reason).toBe('Empty set value (SET)');
      expect(e.byte).toBe(2);
      // The offset is the start of that key's record: its type byte, then the key "set".
      expect(data[e.offset]).toBe(2);
      expect(data.subarray(e.offset + 1, e.offset + 5).toString('latin1')).toBe('\x03set');
      expect(e.message).toContain(`at byte ${e.offset}`);
      expect(e.message).toContain('"set"');
      expect(e.hint).toMatch(/skip/);
    });

    it("is accepted with emptyKeys: 'skip', which drops every empty key", () => {
      const r = read(readFixture(path), { emptyKeys: 'skip' });
      expect(r.error).toBeNull();
      expect(r.eof?.checksum).toBe('ok');
      expect(entries(r)).toHaveLength(0);
      // The skipped keys still count as records of the file: RESIZEDB announced them.
      const resize = r.records.find((x) => x.kind === 'resizedb');
      expect(resize?.kind === 'resizedb' ? resize.dbSize : 0).toBeGreaterThan(0);
    });

    it('holds nothing but empty keys', () => {
      // Every key record of the file is one of the empty collections: skipping them leaves
      // no entry, and in 'error' mode the first key record is the one refused.
      const data = readFixture(path);
      const e = refused(data);
      const skipped = read(data, { emptyKeys: 'skip' });
      const resize = skipped.records.find((x) => x.kind === 'resizedb');
      expect(resize).toBeDefined();
      const afterResize = resize!.offset + 3; // RESIZEDB opcode + two 1-byte lengths
      expect(data[resize!.offset + 1]).toBeLessThan(64);
      expect(e.offset).toBe(afterResize);
    });
  });

  describe('synthetic empty keys of every collection encoding', () => {
    const emptyZiplist = Buffer.from([11, 0, 0, 0, 10, 0, 0, 0, 0, 0, 0xff]);
    const emptyListpack = Buffer.from([7, 0, 0, 0, 0, 0, 0xff]);
    const minExpire = Buffer.alloc(8);
    const cases: Array<[number, string, Buffer]> = [
      [1, 'list', rdbLen(0)],
      [2, 'set', rdbLen(0)],
      [3, 'zset', rdbLen(0)],
      [4, 'hash', rdbLen(0)],
      [5, 'zset', rdbLen(0)],
      [9, 'hash', rdbStr(Buffer.from([0, 0xff]))],
      [10, 'list', rdbStr(emptyZiplist)],
      [12, 'zset', rdbStr(emptyZiplist)],
      [13, 'hash', rdbStr(emptyZiplist)],
      [14, 'list', rdbLen(0)],
      [14, 'list', Buffer.concat([rdbLen(1), rdbStr(emptyZiplist)])],
      [16, 'hash', rdbStr(emptyListpack)],
      [17, 'zset', rdbStr(emptyListpack)],
      [18, 'list', rdbLen(0)],
      [18, 'list', Buffer.concat([rdbLen(1), rdbLen(2), rdbStr(emptyListpack)])],
      [20, 'set', rdbStr(emptyListpack)],
      [24, 'hash', Buffer.concat([minExpire, rdbLen(0)])],
      [25, 'hash', Buffer.concat([minExpire, rdbStr(emptyListpack)])],
    ];
    const after = Buffer.concat([Buffer.from([0]), rdbStr('after'), rdbStr('still read')]);

    it.each(cases)('type %i (%s) is refused by default and skipped on request', (typeId, type, value) => {
      const file = rdbFile(12, [Buffer.from([0xfe, 0]), Buffer.from([typeId]), rdbStr('empty'), value, after]);
      const e = refused(file);
      expect(e.code).toBe('RDB_CORRUPT');
      expect(e.key).toBe('empty');
      expect(e.byte).toBe(typeId);
      expect(e.offset).toBe(11);
      expect(e.reason).toMatch(new RegExp(`^Empty ${type} value`));
      const skipped = read(file, { emptyKeys: 'skip' });
      expect(skipped.error).toBeNull();
      expect(entries(skipped).map((x) => x.key.toString())).toEqual(['after']);
      // The record after the skipped one is found at the right place.
      expect(entries(skipped)[0].offset).toBe(file.length - 9 - after.length);
    });

    it('an empty intset is corrupt even when skipping empty keys (Redis fails its integrity check)', () => {
      const file = rdbFile(9, [Buffer.from([0xfe, 0]), Buffer.from([11]), rdbStr('k'), rdbStr(Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]))]);
      expect(refused(file, { emptyKeys: 'skip' }).reason).toBe('Intset is empty');
    });
  });

  describe('corrupt_ziplist.rdb', () => {
    const path = join(TEST_ASSETS, 'corrupt_ziplist.rdb');

    it('is refused with RDB_CORRUPT inside the bad key, naming it', () => {
      const data = readFixture(path);
      const r = read(data);
      expect(r.error).not.toBeNull();
      const e = r.error!;
      expect(e.code).toBe('RDB_CORRUPT');
      expect(e.key).toBe('key:000000000091');
      expect(e.reason).toMatch(/Ziplist of \d+ bytes is too short/);
      expect(e.message).toContain('"key:000000000091"');
      // The offset points at the ziplist blob of that key, after every good record.
      const lastGood = entries(r)[entries(r).length - 1];
      expect(e.offset).toBeGreaterThan(lastGood.offset);
      const keyAt = data.indexOf(Buffer.from('key:000000000091'));
      expect(e.offset).toBeGreaterThan(keyAt);
      expect(e.offset).toBeLessThan(data.length);
      // The blob starts after the key: its length byte sits just before the offset.
      expect(e.offset).toBe(keyAt + 'key:000000000091'.length + 1);
    });

    it('in shallow mode (deep: false) reads to the end, and decoding the bad value refuses it', () => {
      // Without deep walking a compact blob is only skipped as a string.
      const r = read(readFixture(path), { deep: false });
      expect(r.error).toBeNull();
      const bad = entries(r).filter((e) => e.key.toString() === 'key:000000000091');
      expect(bad).toHaveLength(1);
      let err: unknown;
      try {
        bad[0].value();
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(RdbError);
      expect((err as RdbError).code).toBe('RDB_CORRUPT');
      expect((err as RdbError).offset).toBe(refused(readFixture(path)).offset);
      // Every other value decodes.
      for (const e of entries(r)) if (e !== bad[0]) expect(() => e.value()).not.toThrow();
    });
  });
});

describe('librdb refusals', () => {
  it('future_v19.rdb: RDB_UNSUPPORTED_VERSION at the version digits', () => {
    const data = readFixture(join(LIBRDB, 'future_v19.rdb'));
    const e = refused(data);
    expect(e.code).toBe('RDB_UNSUPPORTED_VERSION');
    expect(e.offset).toBe(5);
    expect(e.reason).toContain(`RDB version ${Number(data.subarray(5, 9).toString())}`);
    expect(e.hint).toMatch(/Upgrade/);
  });

  it('invalid_chksum_v8.rdb: RDB_CHECKSUM_MISMATCH at the trailer, after reading every record', () => {
    const data = readFixture(join(LIBRDB, 'invalid_chksum_v8.rdb'));
    const r = read(data);
    expect(r.error?.code).toBe('RDB_CHECKSUM_MISMATCH');
    expect(r.error?.offset).toBe(data.length - 8);
    expect(r.error?.reason).toContain(Buffer.from(data.subarray(data.length - 8)).reverse().toString('hex'));
    expect(entries(r).length).toBeGreaterThan(0);
    // With checking disabled the same file reads to the end, and says it was not checked.
    const unchecked = read(data, { checksum: false });
    expect(unchecked.error).toBeNull();
    expect(unchecked.eof?.checksum).toBe('unchecked');
  });

  it('redis_ent_opcode_ram_lru.rdb: RDB_UNKNOWN_OPCODE naming Redis Enterprise', () => {
    const data = readFixture(join(LIBRDB, 'redis_ent_opcode_ram_lru.rdb'));
    const e = refused(data);
    expect(e.code).toBe('RDB_UNKNOWN_OPCODE');
    expect(e.byte).toBe(107);
    expect(data[e.offset]).toBe(107);
    expect(e.message).toContain('Redis Enterprise');
    expect(e.message).toContain('RAM_LRU');
  });
});

describe('headers', () => {
  it('VALKEY080 (Valkey 9): RDB_UNSUPPORTED_VERSION', () => {
    const file = rdbFile(11, [], 'VALKEY080');
    const e = refused(file);
    expect(e.code).toBe('RDB_UNSUPPORTED_VERSION');
    expect(e.offset).toBe(0);
    expect(e.message).toMatch(/Valkey 9/);
    expect(e.message).toContain('version 80');
  });

  it('versions 0 and 13+ are unsupported; 1 to 12 are read', () => {
    for (const v of [0, 13, 19, 80]) {
      const e = refused(rdbFile(v, [], `REDIS${String(v).padStart(4, '0')}`));
      expect(e.code).toBe('RDB_UNSUPPORTED_VERSION');
    }
    for (let v = 1; v <= 12; v++) expect(read(rdbFile(v, [])).eof?.checksum).toBe(v >= 5 ? 'ok' : 'absent');
  });

  it('anything else is RDB_BAD_MAGIC', () => {
    for (const head of ['RDB000011', 'REDIS00a1', 'redis0011', '\x00\x00\x00\x00\x00\x00\x00\x00\x00', '*2\r\n$6\r\nS']) {
      const e = refused(Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from([0xff, 0, 0, 0, 0, 0, 0, 0, 0])]));
      expect(e.code).toBe('RDB_BAD_MAGIC');
      expect(e.offset).toBe(0);
    }
  });
});

describe('truncation', () => {
  const path = join(FIXTURES_DIR, 'redis-7.4-types.rdb');
  const fixture = existsSync(path) ? path : join(TEST_ASSETS, 'hash-ziplist.rdb');

  it('a file cut anywhere is RDB_TRUNCATED at its end', () => {
    const data = readFixture(fixture);
    for (const n of [0, 1, 8, 9, 10, Math.floor(data.length / 3), Math.floor(data.length / 2), data.length - 9, data.length - 8, data.length - 1]) {
      const e = refused(data.subarray(0, n));
      expect(e.code).toBe('RDB_TRUNCATED');
      expect(e.offset).toBe(n);
      expect(e.hint).toMatch(/cut short/);
    }
  });

  it('through a stream too', async () => {
    const data = readFixture(fixture);
    async function* chunks(): AsyncGenerator<Buffer> {
      for (let i = 0; i < data.length - 100; i += 4096) yield data.subarray(i, Math.min(i + 4096, data.length - 100));
    }
    await expect(readRdbStream(chunks(), { onRecord: () => undefined })).rejects.toMatchObject({ code: 'RDB_TRUNCATED', offset: data.length - 100 });
  });

  it('a key prefix (expire) followed directly by EOF is corrupt, not a key', () => {
    const expire = Buffer.alloc(9);
    expire[0] = 0xfc;
    expire.writeBigInt64LE(4102444800000n, 1);
    const e = refused(rdbFile(9, [Buffer.from([0xfe, 0]), expire]));
    expect(e.code).toBe('RDB_CORRUPT');
    expect(e.offset).toBe(9 + 2 + 9);
  });
});

describe('checksum trailer', () => {
  it("a zero CRC trailer reports checksum 'none' (rdbchecksum no)", () => {
    const data = readFixture(join(TEST_ASSETS, 'zset-ziplist.rdb'));
    const r0 = read(data);
    expect(r0.eof?.checksum).toBe('ok');
    const zeroed = Buffer.from(data);
    zeroed.fill(0, zeroed.length - 8);
    const r = read(zeroed);
    expect(r.error).toBeNull();
    expect(r.eof).toMatchObject({ checksum: 'none', storedCrc: '0000000000000000', size: data.length });
    expect(entries(r)).toHaveLength(entries(r0).length);
  });

  it('a file below RDB 5 has no trailer: checksum absent', () => {
    const data = readFixture(join(TEST_ASSETS, 'hash-zipmap.rdb'));
    const r = read(data);
    expect(r.eof).toMatchObject({ checksum: 'absent', storedCrc: null, size: data.length });
  });

  it('one altered byte anywhere before the trailer is caught', () => {
    const data = readFixture(join(TEST_ASSETS, 'zset-ziplist.rdb'));
    let mismatches = 0;
    for (let i = 9; i < data.length - 8; i++) {
      const bad = Buffer.from(data);
      bad[i] ^= 0x01;
      const r = read(bad);
      expect(r.error).not.toBeNull();
      if (r.error?.code === 'RDB_CHECKSUM_MISMATCH') mismatches++;
    }
    expect(mismatches).toBeGreaterThan(0);
  });
});

describe('errors inside LZF-compressed blobs', () => {
  // A LIST_ZIPLIST whose ziplist is stored LZF-compressed and is damaged (wrong zlbytes).
  const zl = Buffer.from([14, 0, 0, 0, 10, 0, 0, 0, 1, 0, 0, 3, 0x61, 0x62, 0x63, 0xff]);
  zl.writeUInt32LE(99, 0);
  zl.writeUInt32LE(10, 4);
  const body = [Buffer.from([0xfe, 0]), Buffer.from([10]), rdbStr('lzf-key'), rdbLzfStr(zl)];
  const file = rdbFile(9, body);
  const valueStart = 9 + 2 + 1 + rdbStr('lzf-key').length;

  it('are reported at the compressed string, whatever buffer the input sits in', () => {
    // Buffer.from(array) of a small file comes from Node's shared allocation pool, like the
    // decompressed blob; the error offset must not be computed from their relative positions.
    const pooled = Buffer.from([...file]);
    const whole = refused(pooled);
    expect(whole.code).toBe('RDB_CORRUPT');
    expect(whole.key).toBe('lzf-key');
    expect(whole.offset).toBe(valueStart);
    expect(file[whole.offset]).toBe(0xc3);
    for (const chunk of [1, 2, 3, 7]) {
      const r = read(pooled, {}, chunk);
      expect(r.error?.offset).toBe(valueStart);
    }
  });

  it('decoding reports the same offset as the reader', () => {
    const r = read(file, { deep: false });
    expect(r.error).toBeNull();
    const [entry] = entries(r);
    let err: unknown;
    try {
      entry.value();
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(RdbError);
    expect((err as RdbError).offset).toBe(valueStart);
  });
});

describe('impossible LZF lengths', () => {
  it('are refused before the output is allocated', () => {
    // An LZF string of 9 compressed bytes claiming 2 GiB - 1 of output.
    const lzf = Buffer.concat([Buffer.from([0xc3]), rdbLen(9), Buffer.from([0x80, 0x7f, 0xff, 0xff, 0xff]), Buffer.alloc(9, 0x01)]);
    const file = rdbFile(9, [Buffer.from([0xfe, 0]), Buffer.from([0]), rdbStr('big'), lzf]);
    const allocUnsafe = jest.spyOn(Buffer, 'allocUnsafe');
    try {
      const e = refused(file);
      expect(e.code).toBe('RDB_CORRUPT');
      expect(e.reason).toContain('cannot expand to 2147483647 bytes');
      expect(e.offset).toBe(9 + 2 + 1 + 4);
      const biggest = Math.max(0, ...allocUnsafe.mock.calls.map(([n]) => n));
      expect(biggest).toBeLessThanOrEqual(1 << 20);
    } finally {
      allocUnsafe.mockRestore();
    }
  });

  it('still accept the largest expansion LZF allows (88 bytes per input byte)', () => {
    // literal 'a' then the longest reference (264 bytes at distance 1): 5 bytes -> 265.
    const payload = Buffer.from([0x00, 0x61, 0xe0, 0xff, 0x00]);
    const lzf = Buffer.concat([Buffer.from([0xc3]), rdbLen(payload.length), rdbLen(265), payload]);
    const r = read(rdbFile(9, [Buffer.from([0xfe, 0]), Buffer.from([0]), rdbStr('run'), lzf]));
    expect(r.error).toBeNull();
    const [entry] = entries(r);
    const v = entry.value();
    expect(v.type === 'string' ? v.value.toString() : '').toBe('a'.repeat(265));
  });
});

describe('unknown bytes and limits', () => {
  it('an unknown type byte is RDB_UNKNOWN_TYPE, an unknown opcode RDB_UNKNOWN_OPCODE', () => {
    let e = refused(rdbFile(11, [Buffer.from([0xfe, 0]), Buffer.from([26]), rdbStr('k'), rdbStr('v')]));
    expect(e.code).toBe('RDB_UNKNOWN_TYPE');
    expect(e.byte).toBe(26);
    expect(e.offset).toBe(11);
    e = refused(rdbFile(11, [Buffer.from([0xf3, 0])]));
    expect(e.code).toBe('RDB_UNKNOWN_OPCODE');
    expect(e.byte).toBe(0xf3);
    e = refused(rdbFile(11, [Buffer.from([6]), rdbStr('m')]));
    expect(e.code).toBe('RDB_UNSUPPORTED_TYPE');
  });

  it('a string longer than the limit is RDB_LIMIT_EXCEEDED, before waiting for its bytes', () => {
    const e = refused(rdbFile(9, [Buffer.from([0xfe, 0, 0]), rdbStr('k'), Buffer.from([0x80, 0xff, 0xff, 0xff, 0xff])]));
    expect(e.code).toBe('RDB_LIMIT_EXCEEDED');
    const small = refused(rdbFile(9, [Buffer.from([0xfe, 0, 0]), rdbStr('k'), rdbStr('x'.repeat(100))]), { limits: { maxStringBytes: 50 } });
    expect(small.code).toBe('RDB_LIMIT_EXCEEDED');
    expect(small.reason).toContain('100 bytes exceeds the limit of 50');
  });

  it('a 64-bit length beyond 2^53 is corrupt', () => {
    const e = refused(rdbFile(9, [Buffer.from([0xfe, 0, 1]), rdbStr('k'), Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])]));
    expect(e.code).toBe('RDB_CORRUPT');
    expect(e.reason).toContain('out of range');
  });

  it('runReader snapshots errors with code, offset and key', () => {
    const outcome = runReader(readFixture(join(TEST_ASSETS, 'corrupt_ziplist.rdb')), 'whole');
    expect(outcome.error).toMatchObject({ code: 'RDB_CORRUPT', key: 'key:000000000091' });
  });
});
