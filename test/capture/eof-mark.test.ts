import { EOF_MARK_LENGTH, EofMarkScanner } from '../../lambdas/capture/eof-mark';
import { MARK } from './helpers';

/** The end-mark scanner on its own: every way of cutting the stream into reads. */

const mark = Buffer.from(MARK);
// Data that ends with a partial copy of the mark, so a prefix match must not end the payload early.
const data = Buffer.concat([Buffer.from('REDIS0011 some payload bytes '), mark.subarray(0, 39), Buffer.from(' more')]);
const stream = Buffer.concat([data, mark]);

function run(reads: Buffer[]): { out: Buffer; done: boolean } {
  const scanner = new EofMarkScanner(mark);
  const parts: Buffer[] = [];
  for (const r of reads) parts.push(scanner.push(r));
  return { out: Buffer.concat(parts), done: scanner.done };
}

test('every split of the stream into two reads', () => {
  for (let i = 0; i <= stream.length; i++) {
    expect(run([stream.subarray(0, i), stream.subarray(i)])).toEqual({ out: data, done: true });
  }
});

test('every split into three reads around the mark', () => {
  const start = data.length - 5;
  for (let i = start; i <= stream.length; i++) {
    for (let j = i; j <= stream.length; j++) {
      const r = run([stream.subarray(0, i), stream.subarray(i, j), stream.subarray(j)]);
      expect(r).toEqual({ out: data, done: true });
    }
  }
});

test('byte by byte; bytes after the mark are ignored; no mark means not done', () => {
  const reads = [...Buffer.concat([stream, Buffer.from('\n\n')])].map((b) => Buffer.from([b]));
  expect(run(reads)).toEqual({ out: data, done: true });
  const partial = run([data, mark.subarray(0, EOF_MARK_LENGTH - 1)]);
  expect(partial.done).toBe(false);
  expect(data.subarray(0, partial.out.length).equals(partial.out)).toBe(true);
});

test('a mark that overlaps itself, in data full of its beginnings, cut at every read size', () => {
  const selfOverlapping = Buffer.from(`${'a'.repeat(EOF_MARK_LENGTH - 1)}b`);
  const payload = Buffer.from(`x${'a'.repeat(50)}ya${'a'.repeat(38)}cz${'a'.repeat(39)}`);
  const whole = Buffer.concat([payload, selfOverlapping, Buffer.from('after')]);
  for (let size = 1; size <= whole.length; size++) {
    const scanner = new EofMarkScanner(selfOverlapping);
    const parts: Buffer[] = [];
    for (let at = 0; at < whole.length; at += size) parts.push(scanner.push(whole.subarray(at, at + size)));
    expect({ out: Buffer.concat(parts).toString(), done: scanner.done }).toEqual({ out: payload.toString(), done: true });
  }
});

test('reads that cannot start the mark pass through without being held back or copied', () => {
  const scanner = new EofMarkScanner(mark);
  const read = Buffer.alloc(64 * 1024, 0x00);
  expect(scanner.push(read).buffer).toBe(read.buffer);
  expect(scanner.heldBack).toBe(0);
});
