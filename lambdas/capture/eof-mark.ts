/** Length of the random mark that ends a diskless ('$EOF:<mark>') transfer. */
export const EOF_MARK_LENGTH = 40;

const EMPTY = Buffer.alloc(0);

/**
 * Finds the end mark of a diskless transfer in a stream of reads. The mark may
 * straddle any number of reads, so the bytes at the end of a read that could be
 * the start of it (up to 39) are held back until more arrive; the mark itself
 * is never emitted.
 */
export class EofMarkScanner {
  private tail: Buffer = EMPTY;
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
    if (this.found || chunk.length === 0) return EMPTY;
    // Bytes are held back only when the end of a read could start the mark: usually none, so
    // reads pass through without a copy.
    const data = this.tail.length === 0 ? chunk : Buffer.concat([this.tail, chunk]);
    const at = data.indexOf(this.mark);
    if (at >= 0) {
      this.found = true;
      this.tail = EMPTY;
      return data.subarray(0, at);
    }
    const keep = this.markStartAtEnd(data);
    this.tail = keep === 0 ? EMPTY : Buffer.from(data.subarray(data.length - keep));
    return data.subarray(0, data.length - keep);
  }

  /** Length of the longest end of `data` that is a beginning of the mark (0 to 39 bytes). */
  private markStartAtEnd(data: Buffer): number {
    const first = this.mark[0];
    for (let p = Math.max(0, data.length - (EOF_MARK_LENGTH - 1)); p < data.length; p++) {
      if (data[p] === first && data.compare(this.mark, 0, data.length - p, p) === 0) return data.length - p;
    }
    return 0;
  }
}
