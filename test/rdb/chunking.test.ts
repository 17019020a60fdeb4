/**
 * Chunking never matters: every fixture gives exactly the same records (decoded
 * values, offsets) and the same error, code and offset, whether it is fed whole,
 * one byte at a time, or cut in two anywhere, and also when the reader is told its
 * input memory is reused after each write (transientInput).
 */
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';
import { RdbReader } from '../../lambdas/rdb';
import { allRdbFixtures, FIXTURES_DIR } from '../helpers/fixtures';
import { firstDifference, fixtureName, mulberry32, randomInt, readFixture, runReader, RunOutcome } from '../helpers/rdb-harness';

/** Files up to this size (and every redis-test-assets file) are cut at every position; larger ones at seeded positions. */
const EVERY_POSITION_MAX = 4096;
const MEDIUM_MAX = 64 * 1024;
const SEEDED_CUTS_MEDIUM = 300;
/** The ~300 KB dataset files: fewer cuts each (a few hundred over all of them), to stay within the CI time budget. */
const SEEDED_CUTS_LARGE = 24;
/** Runs with random chunk sizes: small files get more (they are cheap). */
const randomRuns = (size: number): number => (size <= MEDIUM_MAX ? 6 : 1);

const files = allRdbFixtures().map((path) => ({ path, name: fixtureName(path) }));

/** Absolute offsets where records start, from the records themselves. */
function recordStarts(outcome: RunOutcome): number[] {
  return outcome.records.map((r) => r.offset as number).filter((o) => Number.isInteger(o));
}

/**
 * Where to cut a file in two: everywhere for small files; otherwise seeded positions,
 * two thirds of them in the first 16 bytes of a record (type bytes, length fields,
 * headers of compact blobs: where a join is most likely to go wrong), the rest anywhere.
 */
function cutPositions(name: string, size: number, seed: number, starts: number[]): number[] {
  if (size <= EVERY_POSITION_MAX || name.startsWith(`redis-test-assets${sep}`)) return Array.from({ length: Math.max(0, size - 1) }, (_, i) => i + 1);
  const rand = mulberry32(seed);
  const count = size <= MEDIUM_MAX ? SEEDED_CUTS_MEDIUM : SEEDED_CUTS_LARGE;
  const cuts = new Set<number>();
  while (cuts.size < count) {
    const near = starts.length > 0 && cuts.size % 3 !== 2;
    const p = near ? starts[randomInt(rand, starts.length)] + randomInt(rand, 16) : 1 + randomInt(rand, size - 1);
    if (p > 0 && p < size) cuts.add(p);
  }
  return [...cuts].sort((a, b) => a - b);
}

function seedOf(name: string): number {
  let h = 2166136261;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 16777619);
  return h >>> 0;
}

function expectSame(actual: RunOutcome, expected: RunOutcome, how: string): void {
  const diff = firstDifference(actual, expected);
  if (diff !== null) throw new Error(`${how}: ${diff}`);
}

describe('chunking never matters', () => {
  it('covers the fixtures', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  describe.each(files)('$name', ({ path, name }) => {
    let data: Buffer;
    let whole: RunOutcome;

    beforeAll(() => {
      data = readFixture(path);
      whole = runReader(data, 'whole');
    });

    it('fed whole, gives records ending in EOF or a typed error', () => {
      expect(whole.records.length + (whole.error === null ? 0 : 1)).toBeGreaterThan(0);
      if (whole.error === null) expect(whole.records[whole.records.length - 1].kind).toBe('eof');
      else expect(whole.error.offset).toBeLessThanOrEqual(data.length);
    });

    it('gives the same records fed one byte at a time', () => {
      expectSame(runReader(data, 'bytes'), whole, 'one byte at a time');
    });

    it('gives the same records cut in two anywhere', () => {
      const cuts = cutPositions(name, data.length, seedOf(name), recordStarts(whole));
      expect(cuts.length).toBeGreaterThan(0);
      for (const cut of cuts) expectSame(runReader(data, [cut]), whole, `cut at ${cut}`);
    });

    it('gives the same records from transient input (reused chunk memory, scribbled after each write)', () => {
      const runs: Array<[string, 'whole' | 'bytes' | number[]]> = [['whole', 'whole']];
      if (data.length <= MEDIUM_MAX) runs.push(['one byte at a time', 'bytes']);
      const cuts = cutPositions(name, data.length, seedOf(name) ^ 0x7a4e, recordStarts(whole));
      const rand = mulberry32(seedOf(name) ^ 0x7a4f);
      for (let i = 0; i < Math.min(cuts.length, data.length <= MEDIUM_MAX ? 40 : 6); i++) {
        const cut = cuts[randomInt(rand, cuts.length)];
        runs.push([`cut at ${cut}`, [cut]]);
      }
      const chunked: number[] = [];
      for (let p = 1 + randomInt(rand, 4096); p < data.length; p += 1 + randomInt(rand, 4096)) chunked.push(p);
      runs.push(['random chunks', chunked]);
      for (const [how, split] of runs) expectSame(runReader(data, split, {}, true), whole, `transient input, ${how}`);
    });

    it('gives the same records in random chunk sizes', () => {
      const rand = mulberry32(seedOf(name) ^ 0x5eed);
      for (let run = 0; run < randomRuns(data.length); run++) {
        const cuts: number[] = [];
        const maxChunk = 1 + randomInt(rand, run % 2 === 0 ? 64 : 8192);
        for (let p = randomInt(rand, maxChunk); p < data.length; p += 1 + randomInt(rand, maxChunk)) if (p > 0) cuts.push(p);
        expectSame(runReader(data, cuts), whole, `chunks of up to ${maxChunk} bytes`);
      }
    });
  });
});

/** AOF files with an RDB preamble: everything after the RDB goes to onTrailing, whatever the chunking. */
function preambleFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else if (entry.name.endsWith('.aof') && statSync(p).size > 9 && readFixture(p).subarray(0, 5).toString('latin1') === 'REDIS') out.push(p);
    }
  };
  walk(dir);
  return out.sort();
}

describe('trailing bytes after the RDB (AOF preamble)', () => {
  const aofs = preambleFiles(FIXTURES_DIR).map((path) => ({ path, name: fixtureName(path) }));

  it('exist among the fixtures', () => {
    expect(aofs.length).toBeGreaterThan(0);
  });

  it.each(aofs)('$name: the same records and trailing bytes for every cut', ({ path, name }) => {
    const data = readFixture(path);
    const run = (cuts: number[]): { outcome: RunOutcome; trailing: Buffer; size: number } => {
      const chunks: Buffer[] = [];
      const outcome = runReader(data, cuts, { onTrailing: (c) => chunks.push(Buffer.from(c)) });
      const eof = outcome.records[outcome.records.length - 1];
      return { outcome, trailing: Buffer.concat(chunks), size: eof?.kind === 'eof' ? (eof.size as number) : -1 };
    };
    const whole = run([]);
    expect(whole.outcome.error).toBeNull();
    expect(whole.size).toBeGreaterThan(0);
    expect(whole.trailing.equals(data.subarray(whole.size))).toBe(true);
    expect(whole.trailing.subarray(0, 1).toString()).toBe('*');
    for (const cut of cutPositions(name, data.length, seedOf(name), recordStarts(whole.outcome))) {
      const r = run([cut]);
      expectSame(r.outcome, whole.outcome, `cut at ${cut}`);
      expect(r.trailing.equals(whole.trailing)).toBe(true);
    }
    // A reader fed after it is done counts what it passed on.
    const reader = new RdbReader({ onRecord: () => undefined });
    reader.write(data.subarray(0, whole.size));
    reader.write(data.subarray(whole.size));
    reader.end();
    expect(reader.trailing).toBe(data.length - whole.size);
  });
});
