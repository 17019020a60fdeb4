import { once } from 'node:events';
import { TransformOptions } from 'node:stream';
import { constants, createZstdCompress, createZstdDecompress, ZstdCompress, ZstdDecompress, ZstdOptions } from 'node:zlib';

/** Buffer sizes of a compressor: bigger pieces mean fewer trips to zlib's thread pool. */
export interface ZstdFrameBuffers {
  /** Size of each output buffer (zlib's chunkSize; its default is 16 KiB). */
  outputBytes?: number;
  /** Input bytes queued before write() waits for the compressor (the stream's highWaterMark). */
  queuedInputBytes?: number;
}

/**
 * One zstd frame, compressed or decompressed as a stream: write pieces, take the
 * output as it appears, end to close the frame. Concatenated frames form a valid
 * zstd stream (what `zstd -d` reads), but Node's zstd decoder stops at the end
 * of the first frame, so each frame is decoded on its own.
 */
export class ZstdFrame {
  private out: Buffer[] = [];
  private failure: Error | null = null;

  private constructor(private readonly z: ZstdCompress | ZstdDecompress) {
    this.z.on('data', (d: Buffer) => this.out.push(d));
    this.z.on('error', (e: Error) => {
      this.failure = e;
    });
  }

  /** A compressor for one frame, with the frame checksum on. */
  static compress(level: number, buffers: ZstdFrameBuffers = {}): ZstdFrame {
    // zlib streams hand their options on to Transform, so the writable side's high-water mark applies.
    const options: ZstdOptions & Pick<TransformOptions, 'writableHighWaterMark'> = {
      params: { [constants.ZSTD_c_compressionLevel]: level, [constants.ZSTD_c_checksumFlag]: 1 },
    };
    if (buffers.outputBytes !== undefined) options.chunkSize = buffers.outputBytes;
    if (buffers.queuedInputBytes !== undefined) options.writableHighWaterMark = buffers.queuedInputBytes;
    return new ZstdFrame(createZstdCompress(options));
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

  /**
   * Adds input; resolves with whatever output is ready (waits while zlib's input buffer is full).
   * `released`, if given, is called once zlib no longer reads `input` (consumed, or the stream failed),
   * so its memory can be reused.
   */
  async write(input: Buffer, released?: () => void): Promise<Buffer[]> {
    // A stream that already failed is destroyed: it would never drain.
    if (this.failure) throw this.failure;
    // once() rejects if 'error' comes first and removes its listeners either way (racing a
    // second once(..., 'error') left one listener behind per wait).
    if (!this.z.write(input, released === undefined ? undefined : () => released())) await once(this.z, 'drain');
    return this.take();
  }

  /**
   * Compressor only: closes the current frame (with its checksum) and resolves with the rest of
   * its output; later writes start a new, independent frame with the same parameters, reusing
   * the compressor's memory. Do not call end() afterwards (it would add an empty frame): destroy().
   */
  async endFrame(): Promise<Buffer[]> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      // zlib's flush is a write of an empty piece with ZSTD_e_end: its callback runs (with the error if
      // the stream failed) once the frame's last output has been pushed to the 'data' listener above.
      this.z.flush(constants.ZSTD_e_end, (error?: Error | null) => (error ? reject(error) : resolve()));
    });
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
