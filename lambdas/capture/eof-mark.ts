/** Length of the random mark that ends a diskless ('$EOF:<mark>') transfer. */
export const EOF_MARK_LENGTH = 40;

/**
 * Finds the end mark of a diskless transfer in a stream of reads. The mark may
 * straddle any number of reads, so the bytes that could be the start of it
 * (up to 39) are held back until more arrive; the mark itself is never emitted.
 */
export class EofMarkScanner {
  private tail: Buffer = Buffer.alloc(0);
  private found = false;

  constructor(private readonly mark: Buffer) {
    if (mark.length !== EOF_MARK_LENGTH) throw new Error(`EOF mark must be ${EOF_MARK_LENGTH} bytes`);
  }

  /** True once the mark has been seen. */
  get done(): boolean {
    return this.found;
  }

  /** Bytes held back because they might start the mark. */
  get heldBack(): number {
    return this.tail.length;
  }

  /** Feeds a read; returns the payload bytes now known not to be part of the mark (possibly none). Input after the mark is ignored. */
  push(chunk: Buffer): Buffer {
    if (this.found || chunk.length === 0) return Buffer.alloc(0);
    const data = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    const at = data.indexOf(this.mark);
    if (at >= 0) {
      this.found = true;
      this.tail = Buffer.alloc(0);
      return data.subarray(0, at);
    }
    const keep = Math.min(EOF_MARK_LENGTH - 1, data.length);
    this.tail = Buffer.from(data.subarray(data.length - keep));
    return data.subarray(0, data.length - keep);
  }
}
