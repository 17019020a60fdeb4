import { once } from 'node:events';
import { constants, createZstdCompress, ZstdCompress } from 'node:zlib';

/**
 * One zstd frame, compressed as a stream: write raw pieces, take the compressed
 * output as it appears, end to close the frame. Concatenated frames form a valid
 * zstd stream, and each frame decompresses on its own.
 */
export class FrameCompressor {
  private readonly z: ZstdCompress;
  private out: Buffer[] = [];
  private failure: Error | null = null;

  constructor(level: number) {
    this.z = createZstdCompress({ params: { [constants.ZSTD_c_compressionLevel]: level, [constants.ZSTD_c_checksumFlag]: 1 } });
    this.z.on('data', (d: Buffer) => this.out.push(d));
    this.z.on('error', (e: Error) => {
      this.failure = e;
    });
  }

  private take(): Buffer[] {
    if (this.failure) throw this.failure;
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Adds raw bytes; resolves with whatever compressed output is ready (waits while zlib's input buffer is full). */
  async write(raw: Buffer): Promise<Buffer[]> {
    if (!this.z.write(raw)) await Promise.race([once(this.z, 'drain'), once(this.z, 'error')]);
    return this.take();
  }

  /** Closes the frame; resolves with the rest of the compressed output. */
  async end(): Promise<Buffer[]> {
    const done = once(this.z, 'end');
    this.z.end();
    await Promise.race([done, once(this.z, 'error')]);
    return this.take();
  }

  destroy(): void {
    this.z.destroy();
  }
}
