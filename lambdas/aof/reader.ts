import { RdbError } from '../rdb/errors';
import { RdbReader, RdbReaderOptions } from '../rdb/reader';
import { AofCommandReader, AofLimits } from './command-reader';
import { AofError } from './errors';
import { AofReadResult, AofRecord, CommandsResult, RdbPartResult } from './records';

export interface AofReaderOptions {
  /** Receives every record (RDB records of a preamble, commands, timestamps) in file order. It may throw to abort. */
  onRecord?: (record: AofRecord) => void;
  /**
   * 'auto' (default): data starting with `REDIS` (or `VALKEY`) is an RDB, verified
   * with its CRC, followed by commands; anything else is commands only.
   * 'resp': commands only (INCR files: redis-check-aof never reads them as RDB).
   */
  format?: 'auto' | 'resp';
  /**
   * false: commands are checked and counted (`commandsRead`, the result) but not
   * handed to `onRecord`, and their arguments are never materialised: the fast way
   * to verify. Timestamps and RDB records are still emitted. Default true.
   */
  commandRecords?: boolean;
  /**
   * The caller reuses a chunk once `write` returns (a read buffer): the readers copy
   * what they keep across writes; records' buffers are valid only during `onRecord`.
   */
  transientInput?: boolean;
  /** The input's size, when known: lets the reader drop an argument that cannot complete instead of holding it. */
  totalBytes?: number;
  limits?: Partial<AofLimits>;
  /** Options of the RDB engine for a preamble. */
  rdb?: Pick<RdbReaderOptions, 'deep' | 'emptyKeys'>;
}

const MAGICS = ['REDIS', 'VALKEY'].map((m) => Buffer.from(m, 'latin1'));

/**
 * A push-based reader of one AOF file (or stream): an optional RDB preamble, read by
 * the RDB engine, then commands. Feed chunks of any size with `write`, then `end`.
 */
export class AofReader {
  private readonly options: AofReaderOptions;
  /** Bytes held while the first bytes may still be an RDB magic. */
  private head: Buffer[] = [];
  private headBytes = 0;
  private decided: 'rdb' | 'resp' | null;
  private rdb: RdbReader | null = null;
  private rdbPart: RdbPartResult | null = null;
  private rdbKeys = 0;
  private commands: AofCommandReader | null = null;

  constructor(options: AofReaderOptions = {}) {
    this.options = options;
    this.decided = options.format === 'resp' ? 'resp' : null;
    if (this.decided === 'resp') this.commands = this.commandReader(0);
  }

  /** Complete commands read so far (those of a MULTI still open included), also after an error. */
  get commandsRead(): number {
    return this.commands?.commandsRead ?? 0;
  }

  write(chunk: Buffer): void {
    if (chunk.length === 0) return;
    if (this.decided === null) {
      this.head.push(this.options.transientInput === true ? Buffer.from(chunk) : chunk);
      this.headBytes += chunk.length;
      const data = this.head.length === 1 ? chunk : Buffer.concat(this.head, this.headBytes);
      const format = detect(data, false);
      if (format === null) return;
      this.head = [];
      this.headBytes = 0;
      this.start(format);
      this.feed(data);
      return;
    }
    this.feed(chunk);
  }

  /** Signals the end of input; returns what the file held. Throws AofError for an invalid RDB part. */
  end(): AofReadResult {
    if (this.decided === null) {
      const data = Buffer.concat(this.head, this.headBytes);
      this.start(detect(data, true) ?? 'resp');
      this.feed(data);
    }
    if (this.rdb !== null && this.rdbPart === null) {
      try {
        this.rdb.end();
      } catch (e) {
        throw rdbError(e);
      }
    }
    const result: CommandsResult = (this.commands ?? this.commandReader(this.rdbPart?.bytes ?? 0)).end();
    return { ...result, format: this.decided === 'rdb' ? 'rdb' : 'resp', rdb: this.rdbPart };
  }

  private start(format: 'rdb' | 'resp'): void {
    this.decided = format;
    if (format === 'resp') {
      this.commands = this.commandReader(0);
      return;
    }
    const onRecord = this.options.onRecord;
    this.rdb = new RdbReader({
      deep: this.options.rdb?.deep,
      emptyKeys: this.options.rdb?.emptyKeys,
      transientInput: this.options.transientInput,
      onRecord: (record) => {
        if (record.kind === 'entry') this.rdbKeys++;
        else if (record.kind === 'eof') {
          this.rdbPart = { version: this.rdb?.rdbVersion ?? 0, bytes: record.size, checksum: record.checksum, storedCrc: record.storedCrc, keys: this.rdbKeys };
          this.commands = this.commandReader(record.size);
        }
        onRecord?.({ kind: 'rdb', record });
      },
      // The hand-over: what follows the RDB trailer is the command part.
      onTrailing: (rest) => this.commands!.write(rest),
    });
  }

  private feed(chunk: Buffer): void {
    if (this.rdb === null) {
      this.commands!.write(chunk);
      return;
    }
    if (this.rdbPart !== null) {
      this.rdb.write(chunk);
      return;
    }
    try {
      this.rdb.write(chunk);
    } catch (e) {
      throw rdbError(e);
    }
  }

  private commandReader(startOffset: number): AofCommandReader {
    const onRecord = this.options.onRecord;
    return new AofCommandReader({
      startOffset,
      totalBytes: this.options.totalBytes,
      limits: this.options.limits,
      transientInput: this.options.transientInput,
      onCommand: this.options.commandRecords === false ? undefined : onRecord,
      onTimestamp: onRecord,
    });
  }
}

/** 'rdb' or 'resp' once the first bytes tell; null while they could still be an RDB magic. */
function detect(data: Buffer, final: boolean): 'rdb' | 'resp' | null {
  let undecided = false;
  for (const magic of MAGICS) {
    const n = Math.min(magic.length, data.length);
    if (data.compare(magic, 0, n, 0, n) !== 0) continue;
    if (n === magic.length) return 'rdb';
    undecided = true;
  }
  return undecided && !final ? null : 'resp';
}

function rdbError(e: unknown): unknown {
  if (!(e instanceof RdbError)) return e;
  const key = e.key !== undefined ? ` (key ${JSON.stringify(e.key)})` : '';
  if (e.code === 'RDB_UNSUPPORTED_VERSION') {
    return new AofError('AOF_RDB_UNSUPPORTED', `RDB part not readable: ${e.reason}`, { offset: e.offset }, e.hint, { cause: e });
  }
  return new AofError(
    'AOF_RDB_INVALID',
    `Invalid RDB part (${e.code}): ${e.reason}${key}`,
    { offset: e.offset },
    'Redis refuses to load this AOF (redis-check-aof finds its RDB part not sane); use another copy',
    { cause: e },
  );
}
