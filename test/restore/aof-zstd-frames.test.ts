import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { ZstdFramesDecoder } from '../../lambdas/restore/aof';
import { zstd } from './aof-helpers';

/** The zstd decoder of stored AOF objects: any number of frames, fed in pieces of any size. */

async function decode(data: Buffer, piece: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let i = 0; i < data.length; i += piece) parts.push(data.subarray(i, i + piece));
  const out: Buffer[] = [];
  for await (const chunk of Readable.from(parts).pipe(new ZstdFramesDecoder())) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

// Half random (stored as raw blocks), half repetitive (RLE and compressed blocks), several blocks per frame.
const raw = Buffer.concat([randomBytes(300_000), Buffer.alloc(400_000, 'ab'), randomBytes(50_000)]);

test.each([
  ['one frame', 1],
  ['three frames and a skippable frame', 3],
  ['seven frames', 7],
])('%s, in pieces of 1 byte to 1 MiB', async (_name, frames) => {
  const stored = zstd(raw, frames);
  for (const piece of [1 << 20, 65_536, 4_099]) expect((await decode(stored, piece)).equals(raw)).toBe(true);
  // Byte by byte is slow on the whole input: a smaller one.
  const small = raw.subarray(299_000, 303_000);
  expect((await decode(zstd(small, frames), 1)).equals(small)).toBe(true);
});

// Damage inside a frame's content is caught by the raw SHA-256 (see aof-restore.test.ts), not here.
test('a stream cut inside a frame, a damaged magic and an empty object are errors', async () => {
  const stored = zstd(raw, 3);
  await expect(decode(stored.subarray(0, stored.length - 5), 65_536)).rejects.toThrow(/ends inside a frame/);
  const bad = Buffer.from(stored);
  bad[0] ^= 0xff;
  await expect(decode(bad, 65_536)).rejects.toThrow(/not a zstd frame/);
  await expect(decode(Buffer.alloc(0), 1)).rejects.toThrow(/no frame/);
});
