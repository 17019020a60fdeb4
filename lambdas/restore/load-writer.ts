import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { openPipeline } from './open-pipeline';
import { encodeCommand } from '../capture/resp';
import { DumpCrcBatch } from '../rdb/dump-crc-batch';
import { RdbEntry } from '../rdb/entry';
import { RestoreError } from './errors';
import { restoreBound, RestoreEncoding, writeRestore } from './restore-encoder';
import { ReplyTag, RespPipeline } from './resp-pipeline';
import { rdbVersionFromRestoreError, restoreFooter, rewriteEntry } from './rewrite';
import { Command, KeyJob, KeyWriterOptions, TargetCapabilities, TargetWriter, WriteStats } from './types';

/** maxInFlightBytes defaults to 2 MiB: ample for a pipeline, and every key in flight keeps its input piece in memory. */
export type LoadWriterOptions = KeyWriterOptions;

const PAYLOAD_REFUSED = /DUMP payload version or checksum are wrong/;

/** The reply tag of one RESTORE (one object per key: no closure). */
class RestoreReply implements ReplyTag {
  constructor(
    private readonly writer: LoadWriter,
    private readonly job: KeyJob,
    private readonly footer: number,
    readonly size: number,
  ) {}

  onError(message: string): void {
    this.writer.refused(this.job, this.footer, message);
  }
}

/**
 * Loads keys into a running server over one pipelined connection: RESTORE with the
 * snapshot's own serialized values where the target can read them, ordinary
 * commands (cross-version / cross-engine rewrite) where it cannot.
 */
export class LoadWriter implements TargetWriter {
  private db = -1;
  /** Keys sent again after a refused payload (counted to know when a checkpoint covers them). */
  private resent = 0;
  private readonly enc: RestoreEncoding = { footer: 0, modern: false, replace: false, now: 0 };
  private readonly s: WriteStats = { restored: 0, rewritten: 0, failed: 0, lossy: [], errors: [] };

  private constructor(
    private readonly pipe: RespPipeline,
    private readonly caps: TargetCapabilities,
    private readonly options: LoadWriterOptions,
    private readonly target: string,
  ) {}

  /** Connects (TCP or TLS) and authenticates. */
  static async open(endpoint: RedisEndpoint, caps: TargetCapabilities, options: LoadWriterOptions): Promise<LoadWriter> {
    const pipe = await openPipeline(endpoint, { maxInFlightBytes: options.maxInFlightBytes ?? 2 << 20, connectTimeoutMs: options.connectTimeoutMs });
    const writer = new LoadWriter(pipe, { ...caps }, options, describeEndpoint(endpoint));
    // Short payloads' CRC footers are computed a batch at a time, just before the batch is sent.
    const crcs = DumpCrcBatch.create();
    if (crcs !== null) {
      writer.enc.crcs = crcs;
      pipe.beforeWrite = (batch) => crcs.finish(batch);
    }
    return writer;
  }

  stats(): WriteStats {
    return this.s;
  }

  /** Sends any command (FLUSHALL, FUNCTION LOAD ...); its error is reported through `onError`. */
  command(args: Command, onError: (message: string) => void): void | Promise<void> {
    const cmd = encodeCommand(args);
    return this.pipe.send(cmd, { size: cmd.length, onError });
  }

  add(job: KeyJob): void | Promise<void> {
    const failure = this.pipe.error;
    if (failure !== null) throw new RestoreError('RESTORE_WRITE_FAILED', `Writing to ${this.target} failed: ${failure.message}`, { target: this.target }, { cause: failure });
    if (job.db !== this.db) this.select(job.db);
    return this.write(job);
  }

  private select(db: number): void {
    const cmd = encodeCommand(['SELECT', String(db)]);
    this.db = db;
    void this.pipe.send(cmd, {
      size: cmd.length,
      onError: (m) => this.fail({ db, key: `(SELECT ${db})` }, m),
    });
  }

  /** The DUMP footer to RESTORE with, or null when the key must be rewritten (another engine, or a type the target cannot read). */
  private footerFor(entry: RdbEntry): number | null {
    return this.options.sourceEngine === this.caps.engine ? restoreFooter(this.caps, entry) : null;
  }

  private write(job: KeyJob): void | Promise<void> {
    const footer = this.footerFor(job.entry);
    return footer === null ? this.rewrite(job) : this.restore(job, footer);
  }

  private restore(job: KeyJob, footer: number): void | Promise<void> {
    const { entry } = job;
    const enc = this.enc;
    enc.footer = footer;
    enc.modern = this.caps.version[0] >= 5;
    enc.replace = this.options.replace;
    enc.now = entry.expireAtMs !== null && !enc.modern ? Date.now() : 0;
    const pipe = this.pipe;
    const out = pipe.reserve(restoreBound(entry));
    const start = pipe.writePos;
    const end = writeRestore(out, start, entry, enc);
    this.s.restored++;
    return pipe.commit(end, new RestoreReply(this, job, footer, end - start));
  }

  /** A RESTORE was refused: learn a lower RDB version and send the key again, or count it failed. */
  refused(job: KeyJob, footer: number, message: string): void {
    this.s.restored--;
    const lower = PAYLOAD_REFUSED.test(message) ? rdbVersionFromRestoreError(message, footer) : null;
    if (lower !== null) {
      // The target reads fewer RDB versions than its INFO suggested: learn it (keys pipelined
      // with the same footer fail the same way), and send this key again.
      this.caps.rdbVersion = Math.min(this.caps.rdbVersion, lower);
      this.resent++;
      this.resend(job);
      return;
    }
    this.fail(job, message);
  }

  private resend(job: KeyJob): void {
    this.select(job.db);
    try {
      const waiting = this.write(job);
      if (waiting) waiting.catch(() => undefined);
    } catch (e) {
      this.fail(job, (e as Error).message);
    }
  }

  private rewrite(job: KeyJob): void | Promise<void> {
    const { entry } = job;
    const { commands, lossy } = rewriteEntry(entry.key, entry.value(), entry.expireAtMs, this.caps, {
      allowLossy: this.options.allowLossy,
      replace: this.options.replace,
    });
    this.s.lossy.push(...lossy);
    this.s.rewritten++;
    let failed = false;
    let waiting: void | Promise<void> = undefined;
    for (const args of commands) {
      const cmd = encodeCommand(args);
      waiting = this.pipe.send(cmd, {
        size: cmd.length,
        onError: (m) => {
          if (failed) return;
          failed = true;
          this.s.rewritten--;
          this.fail(job, m);
        },
      }) ?? waiting;
    }
    return waiting;
  }

  private fail(job: { db: number; entry?: RdbEntry; key?: string }, message: string): void {
    this.s.failed++;
    if (this.s.errors.length < (this.options.maxErrorDetails ?? 100)) {
      this.s.errors.push({ db: job.db, key: job.key ?? job.entry?.key.toString('utf8') ?? '', error: message });
    }
  }

  /**
   * Resolves once every key added so far is acknowledged (keys sent again after a
   * refused payload included), while later keys keep flowing: a checkpoint may then
   * record them as written.
   */
  async settled(): Promise<void> {
    try {
      let resent: number;
      do {
        resent = this.resent;
        await this.pipe.mark();
      } while (resent !== this.resent);
    } catch (e) {
      throw new RestoreError('RESTORE_WRITE_FAILED', `Writing to ${this.target} failed: ${(e as Error).message}`, { target: this.target }, { cause: e });
    }
  }

  async drain(): Promise<void> {
    try {
      await this.pipe.drain();
    } catch (e) {
      throw new RestoreError('RESTORE_WRITE_FAILED', `Writing to ${this.target} failed: ${(e as Error).message}`, { target: this.target }, { cause: e });
    }
  }

  async close(): Promise<void> {
    this.pipe.close();
  }
}
