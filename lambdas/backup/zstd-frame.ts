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

  /** A decompressor; `chunkSize`: size of its output buffers (zlib's default is 16 KiB). */
  static decompress(chunkSize?: number): ZstdFrame {
    return new ZstdFrame(createZstdDecompress(chunkSize === undefined ? {} : { chunkSize }));
  }

  private take(): Buffer[] {
    if (this.failure) throw this.failure;
    const out = this.out;
    this.out = [];
    return out;
  }

  /** Adds input; resolves with whatever output is ready (waits while zlib's input buffer is full). */
  async write(input: Buffer): Promise<Buffer[]> {
    // A stream that already failed is destroyed: it would never drain.
    if (this.failure) throw this.failure;
    // once() rejects if 'error' comes first and removes its listeners either way (racing a
    // second once(..., 'error') left one listener behind per wait).
    if (!this.z.write(input)) await once(this.z, 'drain');
    return this.take();
  }

  /** Closes the frame; resolves with the rest of the output. */
  async end(): Promise<Buffer[]> {
    if (this.failure) throw this.failure;
    // The decoder ends its output by itself at the end of the frame, possibly during the last
    // write (one that waited for 'drain'): its 'end' is then past, and waiting for it would hang.
    if (this.z.readableEnded) return this.take();
    const done = once(this.z, 'end');
    this.z.end();
    await done;
    return this.take();
  }

  destroy(): void {
    this.z.destroy();
  }
}
