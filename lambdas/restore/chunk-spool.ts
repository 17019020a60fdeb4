import { randomBytes } from 'node:crypto';
import { FileHandle, open, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes gathered before one write to the spool file. */
const FILE_WRITE_BYTES = 1 << 20;

/**
 * Holds one chunk's stored bytes between download and use, so that they can be
 * hashed in full before any of them is used: in memory up to `memoryBudget`
 * bytes, in a temporary file (removed by `dispose`) beyond that.
 */
export class ChunkSpool {
  private parts: Buffer[] = [];
  private partBytes = 0;
  private file: FileHandle | null = null;
  private path: string | null = null;
  private bytes = 0;

  constructor(
    private readonly memoryBudget: number,
    private readonly dir = tmpdir(),
  ) {}

  /** Bytes spooled. */
  get size(): number {
    return this.bytes;
  }

  /** True once the spool went to a file. */
  get onDisk(): boolean {
    return this.path !== null;
  }

  async write(buf: Buffer): Promise<void> {
    this.bytes += buf.length;
    this.parts.push(buf);
    this.partBytes += buf.length;
    if (this.file === null) {
      if (this.bytes <= this.memoryBudget) return;
      this.path = join(this.dir, `redis-backup-chunk-${process.pid}-${randomBytes(6).toString('hex')}.zst`);
      this.file = await open(this.path, 'wx+', 0o600);
    }
    if (this.partBytes >= FILE_WRITE_BYTES) await this.writeParts();
  }

  private async writeParts(): Promise<void> {
    if (this.file === null || this.partBytes === 0) return;
    // Gathered writes: the pieces are not copied into one buffer first.
    let parts = this.parts;
    this.parts = [];
    this.partBytes = 0;
    while (parts.length > 0) {
      let { bytesWritten } = await this.file.writev(parts);
      let i = 0;
      while (i < parts.length && bytesWritten >= parts[i].length) bytesWritten -= parts[i++].length;
      parts = parts.slice(i);
      if (parts.length > 0 && bytesWritten > 0) parts[0] = parts[0].subarray(bytesWritten);
    }
  }

  /** Ends writing (call before reading). */
  async seal(): Promise<void> {
    await this.writeParts();
  }

  /**
   * The spooled bytes in order, in pieces of about `pieceBytes` (once sealed). From a file,
   * a piece's memory is reused two pieces later: use it before asking for the one after next.
   */
  async *read(pieceBytes = 1 << 20): AsyncGenerator<Buffer> {
    if (this.file === null) {
      let group: Buffer[] = [];
      let groupBytes = 0;
      for (const p of this.parts) {
        group.push(p);
        groupBytes += p.length;
        if (groupBytes >= pieceBytes) {
          yield group.length === 1 ? group[0] : Buffer.concat(group, groupBytes);
          group = [];
          groupBytes = 0;
        }
      }
      if (groupBytes > 0) yield group.length === 1 ? group[0] : Buffer.concat(group, groupBytes);
      return;
    }
    // Two read buffers in turn: a piece is handed out, and its buffer read into again only after the
    // next piece has been handed out and the caller came back (so the caller is done with it).
    const ring = [Buffer.allocUnsafe(Math.min(pieceBytes, this.bytes)), Buffer.allocUnsafe(Math.min(pieceBytes, this.bytes))];
    let turn = 0;
    let position = 0;
    while (position < this.bytes) {
      const piece = ring[turn].subarray(0, Math.min(pieceBytes, this.bytes - position));
      turn ^= 1;
      let filled = 0;
      while (filled < piece.length) {
        const { bytesRead } = await this.file.read(piece, filled, piece.length - filled, position + filled);
        if (bytesRead === 0) throw new Error(`the chunk spool ${this.path} ended at ${position + filled} of ${this.bytes} bytes`);
        filled += bytesRead;
      }
      position += filled;
      yield piece;
    }
  }

  /** Frees the memory and removes the file. */
  async dispose(): Promise<void> {
    this.parts = [];
    this.partBytes = 0;
    const file = this.file;
    const path = this.path;
    this.file = null;
    this.path = null;
    if (file !== null) await file.close().catch(() => undefined);
    if (path !== null) await unlink(path).catch(() => undefined);
  }
}
