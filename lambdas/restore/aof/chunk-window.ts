import { AofCommand } from '../../aof/records';

/** A command with the bytes the file holds for it (null when they were not at hand: it is encoded again). */
export interface RawCommand extends AofCommand {
  raw: Buffer | null;
}

/**
 * The chunk being read and the one before it, so that a command can be sent as the
 * exact bytes the file holds (a view, or two pieces joined) instead of being encoded again.
 */
export class ChunkWindow {
  private chunk: Buffer = Buffer.alloc(0);
  private start = 0;
  private prev: Buffer = Buffer.alloc(0);

  /** The next chunk of the file (in order, none skipped). */
  advance(data: Buffer): void {
    this.prev = this.chunk;
    this.start += this.chunk.length;
    this.chunk = data;
  }

  /** The command's bytes [offset, end) of the file, or null when they began before the previous chunk. */
  rawOf(c: AofCommand): Buffer | null {
    const { chunk, start, prev } = this;
    if (c.end > start + chunk.length) return null;
    if (c.offset >= start) return chunk.subarray(c.offset - start, c.end - start);
    const prevStart = start - prev.length;
    if (c.offset >= prevStart) return Buffer.concat([prev.subarray(c.offset - prevStart), chunk.subarray(0, c.end - start)]);
    return null;
  }
}
