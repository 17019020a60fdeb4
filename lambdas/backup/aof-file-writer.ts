import { createHash } from 'node:crypto';
import { AofError, AofReader, AofRecord } from '../aof';
import { truncatedNotLast } from '../aof/errors';
import { describeTail } from '../aof/read-set';
import { TruncatedTail } from '../aof/records';
import { AofCaptureFile } from '../capture/aof-types';
import { AofSnapshotFile } from '../catalog/aof-manifest';
import { ZstdFrame } from './zstd-frame';

/** What streaming one AOF file into the store found, beside its manifest entry. */
export interface AofFileOutcome {
  entry: Omit<AofSnapshotFile, 'object'>;
  /** RDB preamble (base or single file): its version, keys, and the server that wrote it (aux redis-ver / valkey-ver). */
  rdb: AofRdbInfo | null;
  /** Bytes left out at the end (a command being written when a live file was pinned). */
  cutBytes: number;
  /** When the first byte was read (ms since epoch), or null for an empty file. */
  firstByteAt: number | null;
}

export interface AofFileWriteOptions {
  compressionLevel: number;
  signal?: AbortSignal;
  /** Called with raw and stored byte deltas as they pass. */
  onBytes?: (raw: number, stored: number) => void;
}

export interface AofRdbInfo {
  version: number;
  keys: number;
  writer: { engine: 'redis' | 'valkey'; version: string } | null;
}

/** Tracks the end of the last complete command outside a transaction (where the file may be cut). */
class BoundaryTracker {
  boundary = 0;
  commands = 0;
  first: number | null = null;
  last: number | null = null;
  rdb: { version: number; keys: number; bytes: number } | null = null;
  writer: AofRdbInfo['writer'] = null;
  private rdbKeys = 0;

  readonly onRecord = (r: AofRecord): void => {
    if (r.kind === 'command') {
      const closesMulti = r.multi && r.args[0].length === 4 && r.args[0].toString('latin1').toLowerCase() === 'exec';
      if (!r.multi || closesMulti) this.boundary = r.end;
    } else if (r.kind === 'timestamp') {
      if (this.first === null) this.first = r.seconds;
      this.last = r.seconds;
    } else if (r.record.kind === 'entry') {
      this.rdbKeys++;
    } else if (r.record.kind === 'aux') {
      const key = r.record.key.toString('latin1');
      // Valkey writes both; its own version wins.
      if (key === 'valkey-ver') this.writer = { engine: 'valkey', version: r.record.value.toString('latin1') };
      else if (key === 'redis-ver' && this.writer === null) this.writer = { engine: 'redis', version: r.record.value.toString('latin1') };
    } else if (r.record.kind === 'eof') {
      this.rdb = { version: 0, keys: this.rdbKeys, bytes: r.record.size };
      this.boundary = r.record.size;
    }
  };
}

/**
 * The compressed body of one AOF file, verified as it passes: every byte goes once
 * through the AOF reader (commands well-formed, an RDB preamble through the RDB
 * engine with its CRC), SHA-256 of the raw and the stored bytes, and one zstd
 * frame. Throws (ending the upload, which then leaves nothing) on damage, on a
 * truncated tail in a file that is not the last, and on a file that changed size.
 * With `cutTail` (a live file), the file is read twice: once to find its last complete
 * command (outside a transaction, at a line end), then streamed up to there; the bytes
 * after it are left out and never held.
 */
export class AofFileWriter {
  private readonly rawHash = createHash('sha256');
  private readonly storedHash = createHash('sha256');
  private rawBytes = 0;
  private storedBytes = 0;
  private readonly tracker = new BoundaryTracker();
  private readonly reader: AofReader;
  private outcome: AofFileOutcome | null = null;

  constructor(
    private readonly file: AofCaptureFile,
    private readonly options: AofFileWriteOptions,
  ) {
    this.reader = new AofReader({ format: file.type === 'incr' ? 'resp' : 'auto', totalBytes: file.size, onRecord: this.tracker.onRecord });
  }

  /** The result, once `body()` has been consumed to its end. */
  result(): AofFileOutcome {
    if (this.outcome === null) throw new Error(`${this.file.name} was not written to its end`);
    return this.outcome;
  }

  async *body(): AsyncGenerator<Buffer> {
    const frame = ZstdFrame.compress(this.options.compressionLevel);
    let firstByteAt: number | null = null;
    let read = 0;
    try {
      // A live file is scanned once for where it may be cut, then streamed up to there:
      // nothing (not an open transaction either) is held back in memory.
      const scan = this.file.cutTail ? await this.scanCut() : null;
      for await (const chunk of this.file.read(this.options.signal)) {
        firstByteAt ??= Date.now();
        read += chunk.length;
        const part = scan === null ? chunk : chunk.subarray(0, Math.max(0, scan.cut - this.rawBytes));
        if (part.length > 0) {
          // zstd compresses the part (in the thread pool) while the reader checks it here;
          // its output is passed on only once the check has passed.
          const compressed = this.compress(frame, part);
          compressed.catch(() => undefined);
          this.feed(part);
          for (const out of await compressed) yield* this.out(out);
        }
        if (scan !== null && this.rawBytes >= scan.cut) break;
      }
      if (scan !== null) {
        if (this.rawBytes !== scan.cut) throw new Error(`${this.file.name}: read ${this.rawBytes} bytes the second time, not the ${scan.cut} found by the first read (the pinned file changed)`);
        read = scan.bytes;
      }
      const end = this.end();
      for (const out of await frame.end()) yield* this.out(out);
      this.finish(end, read, firstByteAt);
    } finally {
      frame.destroy();
    }
  }

  /**
   * The first read of a file whose tail may be cut: the reader's okUpTo (redis-check-aof's
   * last complete command outside a transaction), moved back to a line end when the
   * file ends inside an annotation line (`#TS:` being written): a server started on
   * the directory appends after it, and its loader would read that line as the next
   * command's header. Only offsets are kept.
   */
  private async scanCut(): Promise<{ cut: number; bytes: number }> {
    const tracker = new BoundaryTracker();
    const reader = new AofReader({ format: this.file.type === 'incr' ? 'resp' : 'auto', totalBytes: this.file.size, onRecord: tracker.onRecord });
    let bytes = 0;
    let lastNewline = -1;
    for await (const chunk of this.file.read(this.options.signal)) {
      try {
        reader.write(chunk);
      } catch (e) {
        throw e instanceof AofError ? e.withFile(this.file.name) : e;
      }
      const nl = chunk.lastIndexOf(0x0a);
      if (nl !== -1) lastNewline = bytes + nl;
      bytes += chunk.length;
    }
    let okUpTo: number;
    try {
      okUpTo = reader.end().okUpTo;
    } catch (e) {
      throw e instanceof AofError ? e.withFile(this.file.name) : e;
    }
    // Before the end of the input okUpTo is the start of a command (after a complete line).
    if (okUpTo < bytes || okUpTo <= tracker.boundary || lastNewline === bytes - 1) return { cut: okUpTo, bytes };
    return { cut: lastNewline + 1 >= tracker.boundary ? lastNewline + 1 : tracker.boundary, bytes };
  }

  private feed(chunk: Buffer): void {
    try {
      this.reader.write(chunk);
    } catch (e) {
      throw e instanceof AofError ? e.withFile(this.file.name) : e;
    }
  }

  private end(): { tail: TruncatedTail | null; format: 'rdb' | 'resp'; commands: number; okUpTo: number } {
    let result;
    try {
      result = this.reader.end();
    } catch (e) {
      throw e instanceof AofError ? e.withFile(this.file.name) : e;
    }
    if (result.rdb !== null && this.tracker.rdb !== null) this.tracker.rdb.version = result.rdb.version;
    const tail = result.truncatedTail;
    const base = { format: result.format, commands: result.commands, okUpTo: result.okUpTo };
    if (this.file.cutTail) return { ...base, tail: null };
    if (tail !== null && !this.file.last) throw truncatedNotLast(this.file.name, tail.at, tail.bytes, describeTail(tail));
    return { ...base, tail };
  }

  private finish(end: { tail: TruncatedTail | null; format: 'rdb' | 'resp'; commands: number }, read: number, firstByteAt: number | null): void {
    const t = this.tracker;
    const rdb = t.rdb !== null ? { version: t.rdb.version, keys: t.rdb.keys, writer: t.writer } : null;
    const entry: AofFileOutcome['entry'] = {
      name: this.file.name,
      type: this.file.type,
      seq: this.file.seq,
      format: end.format,
      raw: { bytes: this.rawBytes, sha256: this.rawHash.digest('hex') },
      stored: { bytes: this.storedBytes, sha256: this.storedHash.digest('hex') },
      commands: end.commands,
      timestamps: t.first !== null && t.last !== null ? { first: t.first, last: t.last } : null,
      truncatedTail: end.tail,
    };
    this.outcome = { entry, rdb, cutBytes: read - this.rawBytes, firstByteAt };
  }

  /** Hashes and counts `raw` and hands it to the compressor; resolves with the output ready once it took it. */
  private compress(frame: ZstdFrame, raw: Buffer): Promise<Buffer[]> {
    this.rawHash.update(raw);
    this.rawBytes += raw.length;
    this.options.onBytes?.(raw.length, 0);
    return frame.write(raw);
  }

  private *out(out: Buffer): Generator<Buffer> {
    this.storedHash.update(out);
    this.storedBytes += out.length;
    this.options.onBytes?.(0, out.length);
    yield out;
  }
}

