import { once } from 'node:events';
import { Transform } from 'node:stream';
import { constants, createZstdCompress, createZstdDecompress } from 'node:zlib';

/**
 * One zstd frame, compressed or decompressed as a stream: write pieces, take the
 * output as it appears, end to close the frame. Concatenated frames form a valid
 * zstd stream (what `zstd -d` reads), but Node's zstd decoder stops at the end
 * of the first frame, so each frame is decoded on its own.
 */
export class ZstdFrame {
  private out: Buffer[] = [];
  private failure: Error | null = null;

  private constructor(private readonly z: Transform) {
    this.z.on('data', (d: Buffer) => this.out.push(d));
    this.z.on('error', (e: Error) => {
      this.failure = e;
    });
  }

  /** A compressor for one frame, with the frame checksum on. */
  static compress(level: number): ZstdFrame {
    return new ZstdFrame(createZstdCompress({ params: { [constants.ZSTD_c_compressionLevel]: level, [constants.ZSTD_c_checksumFlag]: 1 } }));
  }

  static decompress(): ZstdFrame {
    return new ZstdFrame(createZstdDecompress());
  }

  private take(): Buffer[] {
    if (this.failure) throw this.failure;
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Adds input; resolves with whatever output is ready (waits while zlib's input buffer is full). */
  async write(input: Buffer): Promise<Buffer[]> {
    if (!this.z.write(input)) await Promise.race([once(this.z, 'drain'), once(this.z, 'error')]);
    return this.take();
  }

  /** Closes the frame; resolves with the rest of the output. */
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
