import { randomBytes } from 'node:crypto';
import { ZstdFrame } from '../../lambdas/backup/zstd-frame';

/** Regression: a decoder error that arrives between two writes used to leave the next write waiting forever. */

async function frameOf(data: Buffer): Promise<Buffer> {
  const f = ZstdFrame.compress(3);
  const out = [...(await f.write(data)), ...(await f.end())];
  return Buffer.concat(out);
}

/** Resolves with `promise`'s outcome, or 'timed out' after `ms`. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'timed out'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timed out'>((resolve) => {
    timer = setTimeout(() => resolve('timed out'), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

test('a corrupt frame fed in small pieces rejects with the decoder error instead of hanging', async () => {
  const bad = await frameOf(randomBytes(1 << 20));
  bad.fill(0x55, 0, 64); // no zstd magic number
  const d = ZstdFrame.decompress();
  const feed = async (): Promise<string> => {
    try {
      for (let o = 0; o < bad.length; o += 1024) {
        await d.write(bad.subarray(o, o + 1024));
        // Let zlib report the error before the next write, as a slow network read would.
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      await d.end();
      return 'no error';
    } catch (e) {
      return `rejected: ${(e as Error).message}`;
    }
  };
  try {
    expect(await within(feed(), 3000)).toBe('rejected: Unknown frame descriptor');
  } finally {
    d.destroy();
  }
});

test('a round trip through many blocked writes gives the data back', async () => {
  const data = randomBytes(4 << 20);
  const c = ZstdFrame.compress(1);
  const stored: Buffer[] = [];
  for (let o = 0; o < data.length; o += 64 * 1024) stored.push(...(await c.write(data.subarray(o, o + 64 * 1024))));
  stored.push(...(await c.end()));
  const d = ZstdFrame.decompress();
  const raw = [...(await d.write(Buffer.concat(stored))), ...(await d.end())];
  expect(Buffer.concat(raw).equals(data)).toBe(true);
});

test('endFrame closes independent, checksummed frames in one compressor, with big buffers', async () => {
  const parts = [Buffer.concat([randomBytes(3 << 20), Buffer.alloc(1 << 20, 'a')]), Buffer.alloc(0), Buffer.alloc(2 << 20, 'b')];
  const c = ZstdFrame.compress(3, { outputBytes: 256 << 10, queuedInputBytes: 4 << 20 });
  const frames: Buffer[] = [];
  try {
    for (const part of parts) {
      const out: Buffer[] = [];
      for (let o = 0; o < part.length; o += 1 << 20) out.push(...(await c.write(part.subarray(o, o + (1 << 20)))));
      out.push(...(await c.endFrame()));
      expect(out.every((b) => b.length <= 256 << 10)).toBe(true);
      frames.push(Buffer.concat(out));
    }
  } finally {
    c.destroy();
  }
  for (const [i, frame] of frames.entries()) {
    expect(frame.readUInt32LE(0)).toBe(0xfd2fb528); // zstd magic: each frame stands alone
    expect(frame[4] & 0x04).toBe(0x04); // Content_Checksum_flag in the frame header descriptor
    const d = ZstdFrame.decompress();
    const raw = [...(await d.write(frame)), ...(await d.end())];
    expect(Buffer.concat(raw).equals(parts[i])).toBe(true);
  }
});
