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
 * With `cutTail`, bytes after the last complete command are held back and left out.
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
    const pending: Buffer[] = [];
    let firstByteAt: number | null = null;
    let read = 0;
    try {
      for await (const chunk of this.file.read(this.options.signal)) {
        firstByteAt ??= Date.now();
        read += chunk.length;
        this.feed(chunk);
        if (!this.file.cutTail) {
          yield* this.emit(frame, chunk);
          continue;
        }
        pending.push(chunk);
        // Emit what lies before the last boundary; hold the rest (one command or transaction at most).
        let emittable = this.tracker.boundary - this.rawBytes;
        while (emittable > 0 && pending.length > 0) {
          const head = pending[0];
          if (head.length <= emittable) {
            pending.shift();
            emittable -= head.length;
            yield* this.emit(frame, head);
          } else {
            pending[0] = head.subarray(emittable);
            const part = head.subarray(0, emittable);
            emittable = 0;
            yield* this.emit(frame, part);
          }
        }
      }
      const end = this.end();
      if (this.file.cutTail) {
        // The reader's okUpTo is the authority on where the last complete command ends;
        // the cut is then moved back to a line end, so that it never ends inside an
        // annotation line (`#TS:` being written): a server started on the directory
        // appends after it, and its loader would read that line as the next command's header.
        let emittable = lineSafeEnd(pending, this.rawBytes, this.tracker.boundary, end.okUpTo) - this.rawBytes;
        if (emittable < 0) throw new Error(`${this.file.name}: emitted ${this.rawBytes} bytes, past the last command boundary ${end.okUpTo}`);
        for (const chunk of pending) {
          if (emittable <= 0) break;
          const part = chunk.length <= emittable ? chunk : chunk.subarray(0, emittable);
          emittable -= part.length;
          yield* this.emit(frame, part);
        }
      }
      for (const out of await frame.end()) yield* this.out(out);
      this.finish(end, read, firstByteAt);
    } finally {
      frame.destroy();
    }
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

  private async *emit(frame: ZstdFrame, raw: Buffer): AsyncGenerator<Buffer> {
    this.rawHash.update(raw);
    this.rawBytes += raw.length;
    this.options.onBytes?.(raw.length, 0);
    for (const out of await frame.write(raw)) yield* this.out(out);
  }

  private *out(out: Buffer): Generator<Buffer> {
    this.storedHash.update(out);
    this.storedBytes += out.length;
    this.options.onBytes?.(0, out.length);
    yield out;
  }
}

/**
 * Where a cut tail may end: `okUpTo`, unless the bytes after the last command
 * boundary (annotation lines only) end inside a line; then just after the last
 * complete line, or the boundary itself. `held` are the bytes from `from` on.
 */
function lineSafeEnd(held: Buffer[], from: number, boundary: number, okUpTo: number): number {
  if (okUpTo <= boundary) return okUpTo;
  const tail = Buffer.concat(held).subarray(0, okUpTo - from);
  const start = Math.max(0, boundary - from);
  const lastNewline = tail.lastIndexOf(0x0a);
  if (lastNewline === tail.length - 1) return okUpTo;
  return lastNewline >= start ? from + lastNewline + 1 : boundary;
}
