import { lzfDecompress, LzfError } from '../../lambdas/rdb';
import { lzfDecompressInto } from '../../lambdas/rdb/lzf';
import { mulberry32, randomInt } from '../helpers/rdb-harness';

const bytes = (...parts: Array<number | string | number[] | Buffer>): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : typeof p === 'number' ? Buffer.from([p]) : Buffer.from(p))));

/** A back-reference: copies `len` (3..264) bytes from `distance` (1..8192) bytes back. */
function ref(len: number, distance: number): number[] {
  const l = len - 2;
  const d = distance - 1;
  if (l < 7) return [(l << 5) | (d >> 8), d & 0xff];
  return [(7 << 5) | (d >> 8), l - 7, d & 0xff];
}

/** A literal run of 1..32 bytes. */
function lit(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  return Buffer.concat([Buffer.from([b.length - 1]), b]);
}

/** A small greedy LZF compressor (independent of the decoder), so round trips cover arbitrary data. */
function compress(input: Buffer): Buffer {
  const out: number[] = [];
  let literal: number[] = [];
  const flush = (): void => {
    for (let i = 0; i < literal.length; i += 32) {
      const run = literal.slice(i, i + 32);
      out.push(run.length - 1, ...run);
    }
    literal = [];
  };
  let i = 0;
  while (i < input.length) {
    let bestLen = 0;
    let bestDist = 0;
    for (let dist = 1; dist <= Math.min(8192, i); dist++) {
      let len = 0;
      while (len < 264 && i + len < input.length && input[i + len] === input[i + len - dist]) len++;
      if (len > bestLen) {
        bestLen = len;
        bestDist = dist;
      }
    }
    if (bestLen >= 3) {
      flush();
      out.push(...ref(bestLen, bestDist));
      i += bestLen;
    } else {
      literal.push(input[i++]);
    }
  }
  flush();
  return Buffer.from(out);
}

function failure(fn: () => unknown): LzfError {
  try {
    fn();
  } catch (e) {
    if (e instanceof LzfError) return e;
    throw e;
  }
  throw new Error('expected an LzfError');
}

describe('LZF decompression', () => {
  it('copies literal runs of 1, 16, 17 and 32 bytes', () => {
    for (const n of [1, 2, 16, 17, 31, 32]) {
      const text = 'abcdefghijklmnopqrstuvwxyz012345'.slice(0, n);
      expect(lzfDecompress(lit(text), 0, n + 1, n).toString('latin1')).toBe(text);
    }
    // Several literal runs back to back.
    const src = Buffer.concat([lit('hello'), lit(', '), lit('world')]);
    expect(lzfDecompress(src, 0, src.length, 12).toString()).toBe('hello, world');
  });

  it('resolves a back-reference to earlier output', () => {
    const src = bytes(lit('abc'), ref(6, 3));
    expect(src.toString('hex')).toBe('02616263' + '8002');
    expect(lzfDecompress(src, 0, src.length, 9).toString()).toBe('abcabcabc');
  });

  it('expands overlapping references byte by byte (runs)', () => {
    // distance 1: one byte repeated
    let src = bytes(lit('a'), ref(9, 1));
    expect(lzfDecompress(src, 0, src.length, 10).toString()).toBe('a'.repeat(10));
    // distance 2 with a long (extended-length) copy, longer than the 16-byte bulk threshold
    src = bytes(lit('xy'), ref(40, 2));
    expect(lzfDecompress(src, 0, src.length, 42).toString()).toBe('xy'.repeat(21));
    // the longest reference: 7 + 255 + 2 = 264 bytes
    src = bytes(lit('z'), ref(264, 1));
    expect(src.length).toBe(5);
    expect(lzfDecompress(src, 0, src.length, 265).toString()).toBe('z'.repeat(265));
  });

  it('copies a long non-overlapping reference (bulk path) and one at the maximum distance 8192', () => {
    const block = Buffer.from('0123456789abcdefghijKLMNOPQRST', 'latin1'); // 30 bytes
    let src = Buffer.concat([lit(block), Buffer.from(ref(30, 30))]);
    expect(lzfDecompress(src, 0, src.length, 60).toString()).toBe(block.toString().repeat(2));

    const rand = mulberry32(3);
    const head = Buffer.alloc(8192);
    for (let i = 0; i < head.length; i++) head[i] = randomInt(rand, 256);
    const runs: Buffer[] = [];
    for (let i = 0; i < head.length; i += 32) runs.push(lit(head.subarray(i, i + 32)));
    src = Buffer.concat([...runs, Buffer.from(ref(3, 8192))]);
    expect(src.subarray(src.length - 2).toString('hex')).toBe('3fff');
    const out = lzfDecompress(src, 0, src.length, 8195);
    expect(out.subarray(0, 8192).equals(head)).toBe(true);
    expect(out.subarray(8192).equals(head.subarray(0, 3))).toBe(true);
  });

  it('reads only src[start, end) of a larger buffer', () => {
    const inner = bytes(lit('ab'), ref(4, 2));
    const src = Buffer.concat([Buffer.from([0xff, 0xff]), inner, Buffer.from([0xff])]);
    expect(lzfDecompress(src, 2, 2 + inner.length, 6).toString()).toBe('ababab');
    const out = Buffer.alloc(10);
    expect(lzfDecompressInto(src, 2, 2 + inner.length, out)).toBe(6);
    expect(out.subarray(0, 6).toString()).toBe('ababab');
  });

  it('round-trips data compressed by an independent compressor', () => {
    const rand = mulberry32(11);
    const samples: Buffer[] = [
      Buffer.from('a'.repeat(1000)),
      Buffer.from('abcabcabcabcabd'.repeat(50)),
      Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(20)),
    ];
    for (let s = 0; s < 30; s++) {
      // Random data drawn from a small alphabet compresses with many overlapping references.
      const n = 1 + randomInt(rand, 600);
      const alphabet = 1 + randomInt(rand, 6);
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = 97 + randomInt(rand, alphabet);
      samples.push(b);
    }
    for (const input of samples) {
      const compressed = compress(input);
      expect(lzfDecompress(compressed, 0, compressed.length, input.length).equals(input)).toBe(true);
    }
    expect(compress(samples[0]).length).toBeLessThan(20);
  });

  describe('failures', () => {
    it('output-overflow: a literal run or a reference writes past the declared size', () => {
      let e = failure(() => lzfDecompress(lit('hello'), 0, 6, 4));
      expect(e.failure).toBe('output-overflow');
      expect(e.inputOffset).toBe(1);
      const src = bytes(lit('ab'), ref(5, 2));
      e = failure(() => lzfDecompress(src, 0, src.length, 6));
      expect(e.failure).toBe('output-overflow');
      expect(e.message).toContain('output-overflow');
    });

    it('input-overrun: a literal run, a length extension or a reference offset is cut off', () => {
      // literal run of 5 with only 3 bytes left
      let e = failure(() => lzfDecompress(bytes(4, 'abc'), 0, 4, 5));
      expect(e.failure).toBe('input-overrun');
      // a short reference missing its offset byte
      e = failure(() => lzfDecompress(bytes(lit('ab'), 0x20), 0, 4, 10));
      expect(e.failure).toBe('input-overrun');
      // an extended reference missing its length byte
      e = failure(() => lzfDecompress(bytes(lit('ab'), 0xe0), 0, 4, 300));
      expect(e.failure).toBe('input-overrun');
      // an extended reference missing its offset byte
      e = failure(() => lzfDecompress(bytes(lit('ab'), 0xe0, 0x01), 0, 5, 300));
      expect(e.failure).toBe('input-overrun');
      // `end` bounds the input even when the buffer goes on
      const src = bytes(lit('abcd'), 0xff);
      e = failure(() => lzfDecompress(src, 0, 3, 4));
      expect(e.failure).toBe('input-overrun');
    });

    it('bad-reference: a reference before the start of the output', () => {
      let e = failure(() => lzfDecompress(bytes(ref(3, 1)), 0, 2, 3));
      expect(e.failure).toBe('bad-reference');
      e = failure(() => lzfDecompress(bytes(lit('abc'), ref(3, 4)), 0, 6, 6));
      expect(e.failure).toBe('bad-reference');
      // exactly at the start is fine
      expect(lzfDecompress(bytes(lit('abc'), ref(3, 3)), 0, 6, 6).toString()).toBe('abcabc');
    });

    it('short-output: the data ends before the declared size is reached', () => {
      const e = failure(() => lzfDecompress(lit('abc'), 0, 4, 5));
      expect(e.failure).toBe('short-output');
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe('LzfError');
      // lzfDecompressInto reports how much it wrote instead
      expect(lzfDecompressInto(lit('abc'), 0, 4, Buffer.alloc(5))).toBe(3);
    });

    it('empty input decompresses to nothing', () => {
      expect(lzfDecompress(Buffer.alloc(0), 0, 0, 0).length).toBe(0);
      expect(failure(() => lzfDecompress(Buffer.alloc(0), 0, 0, 1)).failure).toBe('short-output');
    });
  });
});
