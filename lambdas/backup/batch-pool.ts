/**
 * Fixed-size buffers recycled between the pipeline and the compressor: raw bytes are copied into
 * one, hashed, handed to zlib, and the buffer comes back when zlib has consumed it. Reusing a
 * few buffers instead of allocating one per batch keeps dead buffers (memory that only a
 * garbage collection would free) from piling up. Buffers handed out while the pool is empty
 * are fresh ones; the pool keeps at most `keep` of them.
 */
export class BatchPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly bufferBytes: number,
    private readonly keep: number,
  ) {}

  take(): Buffer {
    return this.free.pop() ?? Buffer.allocUnsafe(this.bufferBytes);
  }

  give(buffer: Buffer): void {
    if (this.free.length < this.keep && buffer.length === this.bufferBytes) this.free.push(buffer);
  }
}
