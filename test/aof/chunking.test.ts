import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { AOF_FIXTURES, collect, Collected, pieces, PREAMBLE_AOF } from './helpers';

/**
 * Every AOF file of the fixtures gives the same records whatever the chunking:
 * whole, byte by byte, in odd-sized pieces, and (for the small files) split in two
 * at every position.
 */

const FILES = [...AOF_FIXTURES.flatMap((f) => f.files), { path: PREAMBLE_AOF, format: 'auto' as const }].map((f) => ({ ...f, name: relative(FIXTURES_DIR, f.path) }));

const SMALL = 4096;

describe.each(FILES.map((f) => [f.name, f] as const))('%s', (_name, file) => {
  const data = readFileSync(file.path);
  let whole: Collected;

  beforeAll(() => {
    whole = collect([data], { format: file.format, totalBytes: data.length });
  });

  test('read whole: valid, every byte accounted for', () => {
    expect(whole.error).toBeNull();
    expect(whole.result).toMatchObject({ end: data.length, okUpTo: data.length, truncatedTail: null });
    const kinds = whole.records.map((r) => (r as { kind: string }).kind);
    expect(kinds.filter((k) => k === 'command')).toHaveLength(whole.result!.commands);
    expect(whole.result!.commands + (whole.result!.rdb?.keys ?? 0)).toBeGreaterThan(0);
    if (whole.result!.rdb !== null) expect(kinds.filter((k) => k === 'rdb-entry')).toHaveLength(whole.result!.rdb.keys);
  });

  test('byte by byte and in pieces of 4099 and 65537 bytes: the same records', () => {
    for (const size of [1, 4099, 65537]) {
      const got = collect(pieces(data, size), { format: file.format });
      expect(got.result).toEqual(whole.result);
      expect(got.records).toEqual(whole.records);
    }
  });

  if (data.length <= SMALL) {
    test('split in two at every position: the same records', () => {
      for (let at = 0; at <= data.length; at++) {
        const got = collect([data.subarray(0, at), data.subarray(at)], { format: file.format, totalBytes: data.length });
        expect({ at, result: got.result, records: got.records }).toEqual({ at, result: whole.result, records: whole.records });
      }
    });
  }
});

test('the small files include an RDB preamble and a plain incr file', () => {
  const small = FILES.filter((f) => readFileSync(f.path).length <= SMALL).map((f) => f.name);
  expect(small).toContain('redis-test-assets/rdb-preamble.aof');
  expect(small.filter((n) => n.endsWith('.incr.aof')).length).toBeGreaterThanOrEqual(4);
});
