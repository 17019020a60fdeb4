import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { AofError } from '../../aof/errors';
import { describeTail } from '../../aof/read-set';
import { AofReader } from '../../aof/reader';
import { AofReadResult } from '../../aof/records';
import { AofRestoreError } from './errors';
import { AofSource, AofSourceFile } from './source';

/** A file read once: its bytes verified and its content checked, ready to be replayed. */
export interface StagedFile {
  file: AofSourceFile;
  bytes: number;
  sha256: string;
  result: AofReadResult;
  /** First and last #TS: annotation (Unix seconds), or null. */
  timestamps: { first: number; last: number } | null;
  /** The `ctime` (Unix seconds) of an RDB preamble, when it has one: when the base was written. */
  rdbCtime: number | null;
  /** The first #TS: annotation later than `until` (where the replay would stop), or null. */
  stopAt: { offset: number; seconds: number } | null;
  /** The verified bytes again: from the spool file, or from the source (checked again while replaying). */
  reopen(): Promise<Readable>;
  /** Removes the spool file, if any. */
  cleanup(): Promise<void>;
}

export interface StageOptions {
  /** The last file of the AOF: the only one a truncated tail is accepted in. */
  last: boolean;
  /** Copy the bytes to a temporary file while verifying them (a stored object: it is not downloaded twice). */
  spool: boolean;
  /** Directory for spool files (default: the system's temporary directory). */
  spoolDir?: string;
  /** Spool to this path instead (file mode: the temporary name beside the final one); the caller removes it. */
  spoolPath?: string | Buffer;
  until?: Date;
}

/**
 * The spool file's stream with an 'error' listener from its creation: a failed open
 * or a full disk is held (never an uncaught exception while the source is awaited)
 * and thrown at the next write or at the end.
 */
class Spool {
  private error: Error | null = null;
  private readonly waiters = new Set<(e: Error) => void>();

  constructor(
    private readonly out: WriteStream,
    private readonly path: string,
  ) {
    out.on('error', (e: Error) => {
      this.error ??= e;
      for (const w of this.waiters) w(e);
    });
  }

  private failed(e: Error): Error {
    return new SpoolError(`Cannot write the temporary copy ${this.path}: ${e.message}`, e);
  }

  private check(): void {
    if (this.error !== null) throw this.failed(this.error);
  }

  async write(chunk: Buffer): Promise<void> {
    this.check();
    if (this.out.write(chunk)) return;
    await this.settle((resolve) => this.out.once('drain', resolve));
  }

  async end(): Promise<void> {
    this.check();
    await this.settle((resolve) => this.out.end(resolve));
  }

  destroy(): void {
    this.out.destroy();
  }

  private async settle(start: (resolve: () => void) => void): Promise<void> {
    let waiter: ((e: Error) => void) | null = null;
    try {
      await new Promise<void>((resolve, reject) => {
        waiter = (e) => reject(this.failed(e));
        this.waiters.add(waiter);
        start(resolve);
      });
    } finally {
      if (waiter !== null) this.waiters.delete(waiter);
    }
    this.check();
  }
}

class SpoolError extends Error {}

/** The bytes of an AOF file could not be read. */
function readFailed(file: AofSourceFile, source: AofSource, e: unknown): AofRestoreError {
  if (e instanceof AofRestoreError) return e;
  if (e instanceof SpoolError) {
    return new AofRestoreError('AOF_RESTORE_SPOOL_FAILED', `${e.message} (of ${file.name} of ${source.description}). Nothing from it was written; check the free space and permissions where it is written (the system's temporary directory, or the data directory in file mode) and restore again`, { file: file.name }, { cause: e.cause });
  }
  return new AofRestoreError('AOF_RESTORE_READ_FAILED', `Cannot read ${file.name} of ${source.description}: ${(e as Error).message}. Nothing from it was written`, { file: file.name }, { cause: e });
}

/** The content of a file is not a valid AOF. */
export function invalidContent(file: AofSourceFile, e: AofError): AofRestoreError {
  return new AofRestoreError('AOF_RESTORE_INVALID', `${e.withFile(file.name).message}. Nothing from ${file.name} was written`, { file: file.name }, { cause: e });
}

export function integrityError(file: AofSourceFile, expected: string, actual: string, bytes: number, when: string, written: string): AofRestoreError {
  return new AofRestoreError(
    'AOF_RESTORE_INTEGRITY',
    `${file.name}: its ${bytes} bytes have SHA-256 ${actual}, not the ${expected} ${when}${written}. The copy is damaged or was changed: run 'redis-backup verify' on it, or restore another snapshot`,
    { file: file.name },
  );
}

/**
 * The first read of a file: every byte hashed (and compared with the recorded
 * SHA-256), the content read through the AOF reader without sending anything
 * (an invalid file is refused before a command from it is written), #TS:
 * annotations noted, and — for a stored object — the bytes spooled to a
 * temporary file for the second read.
 */
export async function stageFile(source: AofSource, file: AofSourceFile, options: StageOptions): Promise<StagedFile> {
  const hash = createHash('sha256');
  let timestamps: StagedFile['timestamps'] = null;
  let stopAt: StagedFile['stopAt'] = null;
  let rdbCtime: number | null = null;
  const untilSeconds = options.until ? options.until.getTime() / 1000 : null;
  const reader = new AofReader({
    format: file.type === 'incr' ? 'resp' : 'auto',
    totalBytes: file.bytes ?? undefined,
    onRecord: (r) => {
      if (r.kind === 'rdb' && r.record.kind === 'aux' && r.record.key.toString('latin1') === 'ctime') rdbCtime = Number(r.record.value.toString('latin1'));
      if (r.kind !== 'timestamp') return;
      timestamps = timestamps === null ? { first: r.seconds, last: r.seconds } : { first: timestamps.first, last: r.seconds };
      if (stopAt === null && untilSeconds !== null && r.seconds > untilSeconds) stopAt = { offset: r.offset, seconds: r.seconds };
    },
  });
  let spoolDir: string | null = null;
  let out: Spool | null = null;
  const cleanup = async (): Promise<void> => {
    out?.destroy();
    if (spoolDir !== null) await rm(spoolDir, { recursive: true, force: true });
  };
  let bytes = 0;
  let invalid: AofError | null = null;
  let result: AofReadResult | null = null;
  try {
    if (options.spoolPath !== undefined) out = new Spool(createWriteStream(options.spoolPath, { flags: 'wx' }), options.spoolPath.toString());
    else if (options.spool) {
      spoolDir = await mkdtemp(join(options.spoolDir ?? tmpdir(), 'redis-backup-aof-spool-'));
      out = new Spool(createWriteStream(join(spoolDir, 'file')), join(spoolDir, 'file'));
    }
    let input: Readable;
    try {
      input = await source.open(file);
    } catch (e) {
      throw readFailed(file, source, e);
    }
    try {
      for await (const chunk of input as AsyncIterable<Buffer>) {
        hash.update(chunk);
        bytes += chunk.length;
        if (out !== null) await out.write(chunk);
        if (invalid !== null) continue;
        try {
          reader.write(chunk);
        } catch (e) {
          if (!(e instanceof AofError)) throw e;
          invalid = e;
        }
      }
    } catch (e) {
      throw readFailed(file, source, e);
    }
    if (out !== null) {
      try {
        await out.end();
      } catch (e) {
        throw readFailed(file, source, e);
      }
    }
    const sha256 = hash.digest('hex');
    const nothing = `. Nothing from ${file.name} was written`;
    if (file.sha256 !== null && sha256 !== file.sha256) throw integrityError(file, file.sha256, sha256, bytes, 'recorded in the snapshot manifest', nothing);
    if (file.bytes !== null && bytes !== file.bytes) throw integrityError(file, file.sha256 ?? '(not recorded)', sha256, bytes, `recorded for ${file.bytes} bytes`, nothing);
    if (invalid === null) {
      try {
        result = reader.end();
      } catch (e) {
        if (!(e instanceof AofError)) throw e;
        invalid = e;
      }
    }
    if (invalid !== null) throw invalidContent(file, invalid);
    const tail = result!.truncatedTail;
    if (tail !== null && !options.last) {
      throw new AofRestoreError(
        'AOF_RESTORE_INVALID',
        `${file.name}: ${describeTail(tail)} (the last ${tail.bytes} bytes, from byte ${tail.at}) and it is not the last file of the AOF: Redis refuses to load it. Nothing from ${file.name} was written; restore another snapshot`,
        { file: file.name },
      );
    }
    const spoolPath = options.spoolPath ?? (spoolDir !== null ? join(spoolDir, 'file') : null);
    return {
      file,
      bytes,
      sha256,
      result: result!,
      timestamps,
      rdbCtime,
      stopAt,
      reopen: async () => (spoolPath !== null ? createReadStream(spoolPath, { highWaterMark: 256 << 10 }) : source.open(file, { bytes })),
      cleanup,
    };
  } catch (e) {
    await cleanup();
    throw e;
  }
}
