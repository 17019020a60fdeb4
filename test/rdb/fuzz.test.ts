/**
 * Seeded fuzzing of the reader with mutated fixtures: truncation at every record
 * boundary, huge length fields at record starts, corrupted LZF headers and random
 * bit flips. Every case must end in a typed RdbError or in a correct parse whose
 * values all decode (or raise RdbError while decoding): never another exception,
 * never a hang, never an allocation out of proportion to the input.
 */
import { RdbEntry, RdbError, RdbErrorCode, RdbReader, RdbReaderOptions } from '../../lambdas/rdb';
import { parseDumpPayload } from '../../lambdas/rdb/dump';
import { allRdbFixtures } from '../helpers/fixtures';
import { entryKeyPos, firstDifference, fixtureName, lenFieldSize, mulberry32, randomInt, readFixture, runReader } from '../helpers/rdb-harness';

const SEED = 0x5eed2026;
/**
 * Hang detectors, not speed goals (speed is the benchmarks' job): a case takes
 * milliseconds; these bounds only catch a reader that loops or stalls, with room
 * for a CI machine busy with other work.
 */
const CASE_LIMIT_MS = 15_000;
const TOTAL_LIMIT_MS = 300_000;
const MIN_CASES = 2000;
const HUGE_LENGTH_CASES = 1500;
const BIT_FLIP_CASES = 3000;
const CHUNKED_CASES = 600;
/** LZF expands at most 88x; the reader may also hold the whole input once. */
const allocationBound = (inputLength: number): number => 88 * inputLength + (1 << 20);

const ERROR_CODES: ReadonlySet<RdbErrorCode> = new Set<RdbErrorCode>([
  'RDB_BAD_MAGIC',
  'RDB_UNSUPPORTED_VERSION',
  'RDB_TRUNCATED',
  'RDB_CORRUPT',
  'RDB_UNKNOWN_TYPE',
  'RDB_UNKNOWN_OPCODE',
  'RDB_UNSUPPORTED_TYPE',
  'RDB_CHECKSUM_MISMATCH',
  'RDB_LIMIT_EXCEEDED',
]);

interface Fixture {
  name: string;
  data: Buffer;
  /** Offsets where records start (from the records of a whole read, up to its end or error). */
  recordStarts: number[];
  /** Offsets where a length field starts at the beginning of a record (after its opcode or type byte). */
  lengthStarts: number[];
  /** Offsets of entries' values. */
  valueStarts: number[];
  /** Offsets of LZF-encoded strings (0xC3) that start a key or a value. */
  lzfStarts: number[];
  /** Offset of the EOF opcode, or -1 when the fixture itself is refused. */
  eofOffset: number;
}

function survey(path: string): Fixture {
  const data = readFixture(path);
  const recordStarts: number[] = [];
  const lengthStarts: number[] = [];
  const valueStarts: number[] = [];
  const lzfStarts: number[] = [];
  let eofOffset = -1;
  const reader = new RdbReader({
    onRecord: (r) => {
      if (r.kind === 'entry') {
        const e = r.entry;
        recordStarts.push(e.offset);
        const keyPos = entryKeyPos(data, e.offset);
        lengthStarts.push(keyPos);
        // `data` is a buffer of its own fed whole, so value bytes are views into it.
        const valueStart = e.valueBytes.buffer === data.buffer ? e.valueBytes.byteOffset - data.byteOffset : -1;
        if (valueStart > 0) valueStarts.push(valueStart);
        for (const p of [keyPos, valueStart]) if (p > 0 && data[p] === 0xc3) lzfStarts.push(p);
      } else if (r.kind === 'header') {
        recordStarts.push(r.offset);
      } else if (r.kind === 'eof') {
        recordStarts.push(r.offset);
        eofOffset = r.offset;
      } else {
        recordStarts.push(r.offset);
        lengthStarts.push(r.offset + 1);
      }
    },
  });
  try {
    reader.write(data);
    reader.end();
  } catch (e) {
    if (!(e instanceof RdbError)) throw e;
  }
  return { name: fixtureName(path), data, recordStarts, lengthStarts, valueStarts, lzfStarts, eofOffset };
}

interface Stats {
  cases: number;
  outcomes: Record<string, number>;
  decodeErrors: number;
  failures: string[];
  slow: string[];
  maxCaseMs: number;
}

const stats: Stats = { cases: 0, outcomes: {}, decodeErrors: 0, failures: [], slow: [], maxCaseMs: 0 };

let allocUnsafe: jest.SpyInstance<Buffer, [size: number]>;
let biggestAllocation = 0;

function checkRdbError(e: unknown, input: Buffer, label: string): RdbError | null {
  if (!(e instanceof RdbError)) {
    const err = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    stats.failures.push(`${label}: threw ${err}`);
    return null;
  }
  if (!ERROR_CODES.has(e.code)) stats.failures.push(`${label}: unknown code ${e.code}`);
  if (!Number.isInteger(e.offset) || e.offset < 0 || e.offset > input.length) stats.failures.push(`${label}: offset ${e.offset} outside the ${input.length}-byte input (${e.message})`);
  if (e.message.length === 0 || e.reason.length === 0) stats.failures.push(`${label}: empty message`);
  return e;
}

function decodeEntry(entry: RdbEntry, input: Buffer, label: string): void {
  try {
    entry.value();
    const dump = parseDumpPayload(entry.dumpPayload());
    if (!dump.checksumOk || dump.body[0] !== entry.typeId) stats.failures.push(`${label}: DUMP payload of ${entry.key.toString('latin1')} does not parse back`);
  } catch (e) {
    if (checkRdbError(e, input, `${label} decoding ${entry.offset}`) !== null) stats.decodeErrors++;
  }
}

/**
 * Runs one case. Entries whose record reaches past `decodeFrom` (the first mutated byte)
 * are decoded as they arrive; when the read succeeds, every other entry is decoded too.
 * Returns the error code, or 'ok'.
 */
function runCase(label: string, input: Buffer, decodeFrom: number, options: Partial<RdbReaderOptions> = {}): string {
  const started = performance.now();
  allocUnsafe.mockClear();
  biggestAllocation = 0;
  const early: RdbEntry[] = [];
  let outcome = 'ok';
  try {
    const reader = new RdbReader({
      ...options,
      onRecord: (r) => {
        if (r.kind !== 'entry') return;
        if (r.entry.offset + r.entry.recordSize > decodeFrom) decodeEntry(r.entry, input, label);
        else early.push(r.entry);
      },
    });
    reader.write(input);
    const eof = reader.end();
    if (eof.kind !== 'eof' || eof.size > input.length) stats.failures.push(`${label}: bad EOF record ${JSON.stringify(eof)}`);
    for (const e of early) decodeEntry(e, input, label);
  } catch (e) {
    const err = checkRdbError(e, input, label);
    outcome = err === null ? 'CRASH' : err.code;
  }
  const ms = performance.now() - started;
  stats.cases++;
  stats.outcomes[outcome] = (stats.outcomes[outcome] ?? 0) + 1;
  stats.maxCaseMs = Math.max(stats.maxCaseMs, ms);
  if (ms >= CASE_LIMIT_MS) stats.slow.push(`${label}: ${ms.toFixed(0)} ms`);
  if (biggestAllocation > allocationBound(input.length)) stats.failures.push(`${label}: allocated ${biggestAllocation} bytes for a ${input.length}-byte input`);
  return outcome;
}

const fixtures = allRdbFixtures().map(survey);
const rand = mulberry32(SEED);
let startedAt = 0;

beforeAll(() => {
  startedAt = Date.now();
  const original = Buffer.allocUnsafe.bind(Buffer);
  allocUnsafe = jest.spyOn(Buffer, 'allocUnsafe').mockImplementation((size: number) => {
    if (size > biggestAllocation) biggestAllocation = size;
    return original(size);
  });
});

afterAll(() => {
  allocUnsafe.mockRestore();
});

let failuresBefore = 0;
let slowBefore = 0;
beforeEach(() => {
  failuresBefore = stats.failures.length;
  slowBefore = stats.slow.length;
});

/** Fails with every problem the current test found, labelled, so one run shows them all. */
function expectNoFailures(): void {
  expect(stats.failures.slice(failuresBefore, failuresBefore + 50)).toEqual([]);
  expect(stats.slow.slice(slowBefore)).toEqual([]);
}

describe('fuzzing the reader with mutated fixtures', () => {
  it('has fixtures with records to mutate', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    expect(fixtures.reduce((n, f) => n + f.recordStarts.length, 0)).toBeGreaterThan(100);
  });

  it('truncation at every record boundary is RDB_TRUNCATED at the cut', () => {
    const before = stats.cases;
    for (const f of fixtures) {
      // Record starts and, for a readable file, the byte after the EOF opcode and inside the CRC trailer.
      const cuts = new Set(f.recordStarts);
      if (f.eofOffset >= 0 && f.eofOffset + 1 < f.data.length) {
        cuts.add(f.eofOffset + 1);
        cuts.add(f.data.length - 1);
      }
      for (const cut of cuts) {
        if (cut >= f.data.length) continue;
        const label = `${f.name} cut at ${cut}`;
        const input = f.data.subarray(0, cut);
        const outcome = runCase(label, input, Infinity);
        if (outcome !== 'RDB_TRUNCATED') stats.failures.push(`${label}: ${outcome}, expected RDB_TRUNCATED`);
      }
    }
    expect(stats.cases - before).toBeGreaterThan(500);
    expectNoFailures();
  });

  it('huge length fields at record starts (0x80 FF FF FF FF, 0x81 + 8 x FF, ...) are refused or read', () => {
    const HUGE = [
      Buffer.from([0x80, 0xff, 0xff, 0xff, 0xff]),
      Buffer.from([0x81, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]),
      Buffer.from([0x80, 0x7f, 0xff, 0xff, 0xff]), // exactly the string limit: must wait for bytes that never come
      Buffer.from([0x81, 0x00, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), // 2^53 - 1, the largest length accepted
    ];
    const targets: Array<{ f: Fixture; at: number }> = [];
    for (const f of fixtures) for (const at of [...f.lengthStarts, ...f.valueStarts]) targets.push({ f, at });
    expect(targets.length).toBeGreaterThan(0);
    const before = stats.cases;
    for (let i = 0; i < HUGE_LENGTH_CASES; i++) {
      const { f, at } = targets[randomInt(rand, targets.length)];
      const huge = HUGE[i % HUGE.length];
      if (at + huge.length > f.data.length) continue;
      const input = Buffer.from(f.data);
      huge.copy(input, at);
      runCase(`${f.name} length ${huge.toString('hex')} at ${at}`, input, at);
    }
    expect(stats.cases - before).toBeGreaterThan(HUGE_LENGTH_CASES / 2);
    expectNoFailures();
  });

  it('LZF strings with wrong or impossible lengths are refused without a giant allocation', () => {
    const before = stats.cases;
    for (const f of fixtures) {
      for (const at of f.lzfStarts) {
        const clenAt = at + 1;
        const clenSize = lenFieldSize(f.data[clenAt]);
        const ulenAt = clenAt + clenSize;
        const ulenSize = lenFieldSize(f.data[ulenAt]);
        if (clenSize === 0 || ulenSize === 0) continue;
        const mutations: Array<[string, Buffer]> = [
          ['ulen 2^31-1', Buffer.concat([f.data.subarray(0, ulenAt), Buffer.from([0x80, 0x7f, 0xff, 0xff, 0xff]), f.data.subarray(ulenAt + ulenSize)])],
          ['ulen 2^53-1', Buffer.concat([f.data.subarray(0, ulenAt), Buffer.from([0x81, 0, 0x1f, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]), f.data.subarray(ulenAt + ulenSize)])],
          ['ulen 0', Buffer.concat([f.data.subarray(0, ulenAt), Buffer.from([0]), f.data.subarray(ulenAt + ulenSize)])],
          ['clen 0', Buffer.concat([f.data.subarray(0, clenAt), Buffer.from([0]), f.data.subarray(clenAt + clenSize)])],
        ];
        for (const delta of [1, -1]) {
          const m = Buffer.from(f.data);
          m[ulenAt + ulenSize - 1] += delta; // the low byte of the declared length
          mutations.push([`ulen ${delta > 0 ? '+' : '-'}1`, m]);
        }
        for (const [what, input] of mutations) {
          const outcome = runCase(`${f.name} LZF at ${at}: ${what}`, input, at);
          if (outcome === 'ok') stats.failures.push(`${f.name} LZF at ${at}: ${what} was accepted`);
        }
      }
    }
    expect(stats.cases - before).toBeGreaterThan(0);
    expectNoFailures();
  });

  it('random bit flips end in a typed error or a parse whose values decode', () => {
    for (let i = 0; i < BIT_FLIP_CASES; i++) {
      const f = fixtures[randomInt(rand, fixtures.length)];
      const input = Buffer.from(f.data);
      const flips = 1 + randomInt(rand, 3);
      let first = Infinity;
      for (let k = 0; k < flips; k++) {
        const pos = randomInt(rand, input.length);
        input[pos] ^= 1 << randomInt(rand, 8);
        first = Math.min(first, pos);
      }
      const options: Partial<RdbReaderOptions> = { deep: rand() < 0.8, emptyKeys: rand() < 0.5 ? 'skip' : 'error', checksum: rand() < 0.7 };
      runCase(`${f.name} flip #${i} ${JSON.stringify(options)}`, input, first, options);
    }
    expectNoFailures();
  });

  it('a mutated file gives the same records and error whatever the chunking', () => {
    const small = fixtures.filter((f) => f.data.length <= 8192 && f.recordStarts.length > 1);
    expect(small.length).toBeGreaterThan(0);
    let compared = 0;
    for (let i = 0; i < CHUNKED_CASES; i++) {
      const f = small[randomInt(rand, small.length)];
      const input = Buffer.from(f.data);
      for (let k = 0; k < 1 + randomInt(rand, 3); k++) input[9 + randomInt(rand, input.length - 9)] ^= 1 << randomInt(rand, 8);
      const label = `${f.name} chunked #${i}`;
      const started = performance.now();
      try {
        const whole = runReader(input, 'whole');
        const cuts: number[] = [];
        const max = 1 + randomInt(rand, 12);
        for (let p = 1 + randomInt(rand, max); p < input.length; p += 1 + randomInt(rand, max)) cuts.push(p);
        const diff = firstDifference(runReader(input, cuts), whole);
        if (diff !== null) stats.failures.push(`${label} (chunks <= ${max}): ${diff}`);
        const err = whole.error;
        if (err !== null && (!ERROR_CODES.has(err.code as RdbErrorCode) || err.offset < 0 || err.offset > input.length)) {
          stats.failures.push(`${label}: ${err.code} at ${err.offset} of a ${input.length}-byte input`);
        }
        compared++;
      } catch (e) {
        checkRdbError(e, input, label);
      }
      const ms = performance.now() - started;
      stats.cases++;
      if (ms >= CASE_LIMIT_MS) stats.slow.push(`${label}: ${ms.toFixed(0)} ms`);
    }
    expect(compared).toBe(CHUNKED_CASES);
    expectNoFailures();
  });

  it(`ran at least ${MIN_CASES} cases, each under ${CASE_LIMIT_MS} ms, all within ${TOTAL_LIMIT_MS / 1000} s`, () => {
    expect(stats.cases).toBeGreaterThanOrEqual(MIN_CASES);
    expect(stats.maxCaseMs).toBeLessThan(CASE_LIMIT_MS);
    expect(Date.now() - startedAt).toBeLessThan(TOTAL_LIMIT_MS);
    // The mutations reach far enough to hit many kinds of refusal, and some cases still parse.
    expect(Object.keys(stats.outcomes).filter((k) => k !== 'ok').length).toBeGreaterThanOrEqual(5);
    expect(stats.outcomes.CRASH).toBeUndefined();
    expect(stats.failures.slice(0, 50)).toEqual([]);
    expect(stats.slow).toEqual([]);
  });
});
