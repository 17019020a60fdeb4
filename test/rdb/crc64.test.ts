import { Crc64, crc64, readU64LE } from '../../lambdas/rdb/crc64';
import { buildDumpPayload, parseDumpPayload, RdbError, RdbReader, RdbRecord } from '../../lambdas/rdb';
import { decodeValue } from '../../lambdas/rdb/value-reader';
import { mulberry32, randomInt } from '../helpers/rdb-harness';

/** Bit-at-a-time reference (CRC-64/Jones, reflected, init 0, no final xor), written independently of the table code. */
function referenceCrc64(data: Uint8Array): bigint {
  const poly = 0x95ac9329ac4bc9b5n; // 0xad93d23594c935a9 bit-reversed
  let crc = 0n;
  for (const byte of data) {
    crc ^= BigInt(byte);
    for (let bit = 0; bit < 8; bit++) crc = crc & 1n ? (crc >> 1n) ^ poly : crc >> 1n;
  }
  return crc;
}

const CHECK = Buffer.from('123456789', 'latin1');

/** The self-test string of Redis's crc64.c, used with its terminating NUL. */
const LOREM =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. ' +
  'Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure dolor ' +
  'in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur. Excepteur sint occaecat cupidatat non proident, ' +
  'sunt in culpa qui officia deserunt mollit anim id est laborum.';

/** The empty Redis 7.2 RDB of the formats reference, section 1.15 (CRC verified there). */
const EMPTY_72_RDB = Buffer.from(
  '524544495330303131' +
    'fa0972656469732d76657205372e322e30' +
    'fa0a72656469732d62697473c040' +
    'fa056374696d65c26d08bc65' +
    'fa08757365642d6d656dc2b0c41000' +
    'fa08616f662d62617365c000' +
    'ff' +
    'f06e3bfec0ff5aa2',
  'hex',
);

function randomBytes(seed: number, n: number): Buffer {
  const rand = mulberry32(seed);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = randomInt(rand, 256);
  return b;
}

describe('CRC-64 (Redis variant)', () => {
  it('has the check value 0xe9c6d914c4b8d9ca for "123456789"', () => {
    expect(crc64(CHECK)).toBe(0xe9c6d914c4b8d9can);
    expect(new Crc64().update(CHECK).digest()).toBe(0xe9c6d914c4b8d9can);
    expect(referenceCrc64(CHECK)).toBe(0xe9c6d914c4b8d9can);
  });

  it("matches Redis crc64.c's second self-test (the lorem ipsum text with its NUL)", () => {
    const data = Buffer.concat([Buffer.from(LOREM, 'latin1'), Buffer.from([0])]);
    expect(data.length).toBe(446);
    expect(crc64(data)).toBe(0xc7794709e69683b3n);
  });

  it('is 0 for no input, and seeds with 0', () => {
    expect(crc64(Buffer.alloc(0))).toBe(0n);
    expect(new Crc64().digest()).toBe(0n);
    // With init 0 and no final xor, leading zero bytes do not change a zero state.
    expect(crc64(Buffer.alloc(17))).toBe(0n);
    expect(crc64(Buffer.from([1]))).not.toBe(0n);
  });

  it('verifies the trailer of the empty Redis 7.2 RDB test vector', () => {
    const body = EMPTY_72_RDB.subarray(0, EMPTY_72_RDB.length - 8);
    expect(crc64(body)).toBe(0xa25affc0fe3b6ef0n);
    expect(readU64LE(EMPTY_72_RDB, body.length)).toBe(0xa25affc0fe3b6ef0n);
    expect(new Crc64().update(body).matchesLE(EMPTY_72_RDB, body.length)).toBe(true);

    const records: RdbRecord[] = [];
    const reader = new RdbReader({ onRecord: (r) => records.push(r) });
    reader.write(EMPTY_72_RDB);
    const eof = reader.end();
    expect(eof).toEqual({ kind: 'eof', offset: body.length - 1, checksum: 'ok', storedCrc: 'a25affc0fe3b6ef0', size: EMPTY_72_RDB.length });
    const aux = records.flatMap((r) => (r.kind === 'aux' ? [[r.key.toString(), r.value.toString()]] : []));
    expect(aux).toEqual([
      ['redis-ver', '7.2.0'],
      ['redis-bits', '64'],
      ['ctime', '1706821741'],
      ['used-mem', '1098928'],
      ['aof-base', '0'],
    ]);
  });

  it('agrees with a bit-at-a-time reference on random data of every length up to 80 and a few large ones', () => {
    for (let n = 0; n <= 80; n++) {
      const data = randomBytes(1000 + n, n);
      expect(crc64(data)).toBe(referenceCrc64(data));
    }
    for (const n of [255, 256, 1023, 4096 + 3]) {
      const data = randomBytes(n, n);
      expect(crc64(data)).toBe(referenceCrc64(data));
    }
  });

  it('gives the one-shot value when the input is split in two at every position', () => {
    for (const data of [CHECK, Buffer.from(LOREM, 'latin1'), randomBytes(7, 300)]) {
      const whole = crc64(data);
      for (let cut = 0; cut <= data.length; cut++) {
        const crc = new Crc64().update(data.subarray(0, cut)).update(data.subarray(cut));
        expect(crc.digest()).toBe(whole);
        // The same split through start/end arguments on the undivided buffer.
        expect(new Crc64().update(data, 0, cut).update(data, cut, data.length).digest()).toBe(whole);
      }
    }
  });

  it('gives the one-shot value for random multi-piece splits and one byte at a time', () => {
    const rand = mulberry32(42);
    const data = randomBytes(43, 2000);
    const whole = crc64(data);
    for (let trial = 0; trial < 200; trial++) {
      const crc = new Crc64();
      let pos = 0;
      while (pos < data.length) {
        const n = Math.min(data.length - pos, randomInt(rand, 40));
        crc.update(data, pos, pos + n);
        pos += n;
      }
      expect(crc.digest()).toBe(whole);
    }
    const bytewise = new Crc64();
    for (let i = 0; i < data.length; i++) bytewise.update(data.subarray(i, i + 1));
    expect(bytewise.digest()).toBe(whole);
  });

  it('writes the little-endian trailer form and recognises it', () => {
    const crc = new Crc64().update(CHECK);
    const out = Buffer.alloc(10, 0xaa);
    crc.writeLE(out, 1);
    expect(out.toString('hex')).toBe('aacad9b8c414d9c6e9aa');
    expect(readU64LE(out, 1)).toBe(0xe9c6d914c4b8d9can);
    expect(crc.matchesLE(out, 1)).toBe(true);
    out[8] ^= 0x01;
    expect(crc.matchesLE(out, 1)).toBe(false);
  });
});

describe('DUMP payloads (formats reference section 5 test vectors)', () => {
  const vectors: Array<{ name: string; typeId: number; value: string; version: number; payload: string }> = [
    { name: 'integer 10, RDB 10', typeId: 0, value: 'c00a', version: 10, payload: '00c00a0a006e9f57450eae63bb' },
    { name: 'integer 10, RDB 8', typeId: 0, value: 'c00a', version: 8, payload: '00c00a0800d7b2bbfaa7b7e983' },
    { name: '"redis", RDB 6', typeId: 0, value: '057265646973', version: 6, payload: '00057265646973060053bdc171177a81b2' },
    { name: '"hello", RDB 12', typeId: 0, value: '0568656c6c6f', version: 12, payload: '000568656c6c6f0c00a804ebb69f1ebe43' },
  ];

  it.each(vectors)('builds $name byte for byte', ({ typeId, value, version, payload }) => {
    expect(buildDumpPayload(typeId, Buffer.from(value, 'hex'), version).toString('hex')).toBe(payload);
  });

  it.each(vectors)('parses $name: body, version and a valid checksum', ({ typeId, value, version, payload }) => {
    const parsed = parseDumpPayload(Buffer.from(payload, 'hex'));
    expect(parsed.rdbVersion).toBe(version);
    expect(parsed.checksumOk).toBe(true);
    expect(parsed.body.toString('hex')).toBe(typeId.toString(16).padStart(2, '0') + value);
    const decoded = decodeValue(parsed.body[0], parsed.body, 1);
    expect(decoded.type).toBe('string');
  });

  it('decodes the vectors to the values they name', () => {
    const text = (hex: string): string => {
      const body = parseDumpPayload(Buffer.from(hex, 'hex')).body;
      const v = decodeValue(body[0], body, 1);
      if (v.type !== 'string') throw new Error(`expected a string, got ${v.type}`);
      return v.value.toString();
    };
    expect(text(vectors[0].payload)).toBe('10');
    expect(text(vectors[2].payload)).toBe('redis');
    expect(text(vectors[3].payload)).toBe('hello');
  });

  it('reports any altered byte (body, version or CRC) as a checksum failure', () => {
    const payload = Buffer.from(vectors[0].payload, 'hex');
    for (let i = 0; i < payload.length; i++) {
      const bad = Buffer.from(payload);
      bad[i] ^= 0x10;
      expect(parseDumpPayload(bad).checksumOk).toBe(false);
    }
  });

  it('refuses a payload too short to hold a footer with a typed error', () => {
    expect(() => parseDumpPayload(Buffer.alloc(10))).toThrow(RdbError);
    try {
      parseDumpPayload(Buffer.from('00c00a0a006e9f5745', 'hex'));
      throw new Error('not refused');
    } catch (e) {
      expect(e).toBeInstanceOf(RdbError);
      expect((e as RdbError).code).toBe('RDB_CORRUPT');
    }
  });
});
