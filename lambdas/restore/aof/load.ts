import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { AofError } from '../../aof/errors';
import { AofReader } from '../../aof/reader';
import { AofRecord } from '../../aof/records';
import { encodeCommand } from '../../aof/transactions';
import { describeEndpoint, RedisEndpoint } from '../../capture/endpoint';
import { RdbRecord } from '../../rdb/records';
import { RestoreError } from '../errors';
import { KeyWriter, LoadTarget, openServerTarget } from '../load-target';
import { RespPipeline } from '../resp-pipeline';
import { openCommandPipe } from './command-pipe';
import { CommandRouter, DbRouting } from './command-router';
import { AofRestoreError, writtenSoFar } from './errors';
import { AofFileOutcome, AofLoadReport } from './report';
import { AofSource } from './source';
import { ChunkWindow, RawCommand } from './chunk-window';
import { integrityError, invalidContent, stageFile, StagedFile } from './stage';
import { targetDatabases } from './target-databases';
import { checkBaseAge, checkUntil, iso, noTimestamps } from './until';

export interface AofLoadOptions extends DbRouting {
  /** Empty the target first (FLUSHALL, and FUNCTION FLUSH). */
  flush?: boolean;
  /** Write into a target that holds keys: base keys replace existing ones, commands apply on top. */
  replace?: boolean;
  /** Rewrite base keys the target cannot represent, dropping what it cannot hold (listed in the report). */
  allowLossy?: boolean;
  /** Stop at the first #TS: annotation later than this time. */
  until?: Date;
  /** With `until`: replay everything when the AOF has no #TS: annotations instead of refusing. */
  untilWithoutTimestamps?: boolean;
  /** Read and verify every file, report what would be sent, write nothing. */
  dryRun?: boolean;
  /** Directory for the temporary copies of stored files (default: the system's). */
  spoolDir?: string;
  /** Bytes of commands awaiting replies before reading pauses (default 16 MiB). */
  maxInFlightBytes?: number;
  /** Error replies listed in the report (all are counted; default 10). */
  maxErrorDetails?: number;
  /** After each read while replaying: `bytes` of AOF replayed so far (all files). */
  onProgress?: (p: { file: string; fileIndex: number; files: number; commands: number; keys: number; bytes: number }) => void;
}

export interface AofLoadRequest extends AofLoadOptions {
  source: AofSource;
  target: RedisEndpoint;
}

/** Replays an AOF into a running server (see docs/aof.md for the semantics). */
export async function loadAof(request: AofLoadRequest): Promise<AofLoadReport> {
  checkUntil(request);
  const run = new AofLoad(request);
  return run.run();
}

class AofLoad {
  private readonly report: AofLoadReport;
  private readonly router: CommandRouter;
  private target: LoadTarget | null = null;
  private writer: KeyWriter | null = null;
  /** The AOF's commands (the RDB base goes through `writer`). */
  private pipe: RespPipeline | null = null;
  private readonly now = Date.now();
  private stopped = false;
  private currentFile = '';
  /** Bytes of the files replayed so far. */
  private bytesReplayed = 0;
  /** A stop found while records are read or replies arrive (a database the target lacks, a SELECT refused): thrown at the next send. */
  private fatal: AofRestoreError | null = null;

  constructor(private readonly request: AofLoadRequest) {
    this.router = new CommandRouter(request);
    this.report = {
      mode: 'load',
      status: request.dryRun ? 'dry-run' : 'completed',
      source: request.source.description,
      target: describeEndpoint(request.target),
      startedAt: new Date().toISOString(),
      finishedAt: '',
      files: [],
      commands: { sent: 0, skipped: 0, droppedOpenMulti: 0 },
      keys: { read: 0, written: 0, filtered: 0, skippedExpired: 0, restored: 0, rewritten: 0, failed: 0 },
      functions: [],
      serverErrors: { count: 0, first: [] },
      lossy: [],
      until: request.until ? { time: request.until.toISOString(), stoppedAt: null, withoutTimestamps: false } : null,
      ok: true,
    };
  }

  async run(): Promise<AofLoadReport> {
    const { source } = this.request;
    const files = source.files;
    // A local AOF is read twice anyway: verify every file before writing anything.
    // A stored AOF is spooled: its base is always verified (and --until checked against
    // it) before the target is touched; with --flush every file is, as emptying the
    // target is itself a write that nothing may precede a refusal of.
    const upfront: StagedFile[] = [];
    try {
      if (source.rereadable || this.request.dryRun) {
        for (let i = 0; i < files.length; i++) upfront.push(await this.stage(i));
        this.checkTimestamps(upfront);
      } else {
        const all = this.request.flush === true;
        for (let i = 0; i < files.length && (i === 0 || all); i++) {
          const staged = await this.stage(i);
          upfront.push(staged);
          // Files after the --until stop are not downloaded at all.
          if (staged.stopAt !== null) break;
        }
        if (all) this.checkTimestamps(upfront);
      }
      if (this.request.dryRun) {
        this.dryRunReport(upfront);
        return this.finish();
      }
      await this.openTarget();
      for (let i = 0; i < files.length; i++) {
        if (this.stopped && upfront[i] === undefined) {
          // After the --until stop: not downloaded at all.
          const f = files[i];
          this.report.files.push({ name: f.name, type: f.type === 'manifest' ? 'base' : f.type, seq: f.seq, bytes: f.bytes ?? 0, sha256: f.sha256 ?? '', format: 'resp', baseKeys: null, commands: 0, sent: 0, skipped: 0, timestamps: null, truncatedTail: null, replayed: 'not reached' });
          continue;
        }
        const staged = upfront[i] ?? (await this.stage(i));
        try {
          if (this.stopped) this.report.files.push(this.outcome(staged, 'not reached'));
          else await this.replayFile(staged, i);
        } finally {
          await staged.cleanup();
        }
      }
      await this.drain();
      this.checkFatal();
      return this.finish();
    } catch (e) {
      await this.writer?.drain().catch(() => undefined);
      await this.pipe?.drain().catch(() => undefined);
      if (e instanceof AofRestoreError || e instanceof RestoreError) {
        const ctx = e.context as { commandsWritten?: number; keysWritten?: number };
        ctx.commandsWritten ??= this.report.commands.sent;
        ctx.keysWritten ??= this.report.keys.written;
      }
      throw e;
    } finally {
      for (const s of upfront) await s.cleanup();
      await this.writer?.close();
      this.pipe?.close();
      await this.target?.close();
    }
  }

  private async stage(i: number): Promise<StagedFile> {
    const { source } = this.request;
    const file = source.files[i];
    const staged = await stageFile(source, file, { last: i === source.files.length - 1, spool: !source.rereadable && !this.request.dryRun, spoolDir: this.request.spoolDir, until: this.request.until }).catch((e: unknown) => {
      if (e instanceof AofRestoreError && this.report.commands.sent + this.report.keys.written > 0) {
        // The message says nothing from this file was written; say what earlier files wrote.
        throw new AofRestoreError(e.code, `${e.message}. ${writtenSoFar(this.report.commands.sent, this.report.keys.written)} (files before ${file.name})`, { ...e.context }, { cause: e.cause });
      }
      throw e;
    });
    checkBaseAge(staged, this.request.until);
    return staged;
  }

  private checkTimestamps(staged: StagedFile[]): void {
    if (this.request.until === undefined || staged.some((s) => s.timestamps !== null)) return;
    if (this.request.untilWithoutTimestamps !== true) throw noTimestamps(this.request.source);
    this.report.until!.withoutTimestamps = true;
  }

  private dryRunReport(staged: StagedFile[]): void {
    let stopped = false;
    for (const s of staged) {
      const outcome = this.outcome(s, stopped ? 'not reached' : s.stopAt !== null ? 'until' : 'whole');
      if (!stopped && s.stopAt !== null) {
        this.report.until!.stoppedAt = { file: s.file.name, offset: s.stopAt.offset, timestamp: iso(s.stopAt.seconds) };
        stopped = true;
      }
      this.report.files.push(outcome);
      this.report.keys.read += outcome.baseKeys ?? 0;
    }
  }

  private outcome(s: StagedFile, replayed: AofFileOutcome['replayed']): AofFileOutcome {
    const r = s.result;
    return {
      name: s.file.name,
      type: s.file.type === 'manifest' ? 'base' : s.file.type,
      seq: s.file.seq,
      bytes: s.bytes,
      sha256: s.sha256,
      format: r.format,
      baseKeys: r.rdb?.keys ?? null,
      commands: r.commands,
      sent: 0,
      skipped: 0,
      timestamps: s.timestamps,
      truncatedTail: r.truncatedTail ? { ...r.truncatedTail, droppedCommands: 0 } : null,
      replayed,
    };
  }

  private async openTarget(): Promise<void> {
    const { request } = this;
    // Before anything is written: --db/--db-map must name databases the target has.
    this.router.setDatabases(await targetDatabases(request.target));
    const target = await openServerTarget(request.target);
    this.target = target;
    const caps = await target.capabilities();
    this.writer = await target.openWriter(caps, { replace: request.replace === true, allowLossy: request.allowLossy === true, sourceEngine: request.source.engine, maxInFlightBytes: request.maxInFlightBytes });
    this.pipe = await openCommandPipe(request.target, request.maxInFlightBytes ?? 16 << 20);
    if (request.flush) await target.flush(caps.functions);
    else if (!request.replace) await this.ensureEmpty(target);
  }

  private async ensureEmpty(target: LoadTarget): Promise<void> {
    const counts = await target.keyCounts();
    const dbs = this.request.dbs;
    // With a db list the databases written are known; otherwise any key is in the way.
    const targets = dbs && dbs.length > 0 ? new Set(dbs.map((d) => this.router.mapDb(d))) : null;
    const busy = [...counts].filter(([db, n]) => n > 0 && (targets === null || targets.has(db)));
    if (busy.length > 0) {
      throw new AofRestoreError(
        'AOF_RESTORE_TARGET_NOT_EMPTY',
        `The restore target ${target.description} is not empty (${busy.map(([db, n]) => `db ${db}: ${n} keys`).join(', ')}). Nothing was written. Use --flush to empty it first, or --replace to replay on top of what it holds`,
        { target: target.description },
      );
    }
  }

  private checkFatal(): void {
    const f = this.fatal;
    if (f === null) return;
    throw new AofRestoreError(f.code, `${f.message}. ${writtenSoFar(this.report.commands.sent, this.report.keys.written)}`, { ...f.context, commandsWritten: this.report.commands.sent, keysWritten: this.report.keys.written }, { cause: f.cause });
  }

  /** An error reply to a SELECT (or to an EXEC with one inside): the commands after it went to another database. */
  private onSelectError(command: string, next: (message: string) => void): (message: string) => void {
    return (message) => {
      next(message);
      this.fatal ??= new AofRestoreError('AOF_RESTORE_SELECT_FAILED', `The target refused ${command}: ${message}; the commands sent after it may have gone to another database. Check the target's databases and ACL, or choose databases with --db/--db-map, and restore again with --flush`, { file: this.currentFile });
    };
  }

  /** Counts an error reply; the command's name is only decoded for the first few. */
  private onServerError(command: string | Buffer): (message: string) => void {
    const file = this.currentFile;
    return (message) => {
      this.report.serverErrors.count++;
      if (this.report.serverErrors.first.length < (this.request.maxErrorDetails ?? 10)) this.report.serverErrors.first.push({ file, command: command.toString().toUpperCase(), error: message });
    };
  }

  private async drain(): Promise<void> {
    try {
      await this.writer!.drain();
      await this.pipe!.drain();
    } catch (e) {
      throw this.writeFailed(e);
    }
  }

  /** The connection to the target failed: what was sent is said, typed like every other stop. */
  private writeFailed(e: unknown): AofRestoreError {
    return new AofRestoreError(
      'AOF_RESTORE_WRITE_FAILED',
      `${(e as Error).message}. ${writtenSoFar(this.report.commands.sent, this.report.keys.written)}, up to what the target acknowledged; restore again with --flush`,
      { target: this.report.target, commandsWritten: this.report.commands.sent, keysWritten: this.report.keys.written },
      { cause: e },
    );
  }

  /** One command to the target's command connection; a lost connection is AOF_RESTORE_WRITE_FAILED. */
  private async sendCommand(pipe: RespPipeline, bytes: Buffer, name: string | Buffer, selects: string | null = null): Promise<void> {
    try {
      const onError = this.onServerError(name);
      const w = pipe.send(bytes, { size: bytes.length, onError: selects !== null ? this.onSelectError(selects, onError) : onError });
      if (w) await w;
    } catch (e) {
      throw this.writeFailed(e);
    }
  }

  /** The second read of a verified file: its records sent to the target. */
  private async replayFile(staged: StagedFile, index: number): Promise<void> {
    const { source, until } = this.request;
    const writer = this.writer!;
    const outcome = this.outcome(staged, 'whole');
    this.report.files.push(outcome);
    this.currentFile = staged.file.name;
    this.router.startFile();
    const untilSeconds = until ? until.getTime() / 1000 : null;
    let commands: RawCommand[] = [];
    let wait: void | Promise<void> = undefined;
    let rdbEnded = false;
    const window = new ChunkWindow();
    const onRecord = (r: AofRecord): void => {
      if (this.stopped) return;
      if (r.kind === 'rdb') {
        const w = this.rdbRecord(r.record, writer);
        if (w) wait = w;
        if (r.record.kind === 'eof') rdbEnded = true;
      } else if (r.kind === 'timestamp') {
        if (untilSeconds !== null && r.seconds > untilSeconds) {
          this.stopped = true;
          outcome.replayed = 'until';
          this.report.until!.stoppedAt = { file: staged.file.name, offset: r.offset, timestamp: iso(r.seconds) };
        }
      } else commands.push(Object.assign(r, { raw: window.rawOf(r) }));
    };
    const reader = new AofReader({ format: staged.file.type === 'incr' ? 'resp' : 'auto', totalBytes: staged.bytes, onRecord });
    const hash = source.rereadable ? createHash('sha256') : null;
    let input: Readable | null = null;
    const pipe = this.pipe!;
    const send = async (): Promise<void> => {
      this.checkFatal();
      if (wait) {
        await Promise.resolve(wait).catch((e: unknown) => {
          throw e instanceof AofRestoreError || e instanceof RestoreError ? e : this.writeFailed(e);
        });
      }
      wait = undefined;
      if (rdbEnded) {
        // The base's keys first, every one acknowledged (keys the target refused in one
        // encoding are resent by the writer), then the commands on their own connection.
        rdbEnded = false;
        await this.drain();
      }
      // Each command as read: a transaction streams (MULTI at its first wanted command,
      // EXEC as read), so none is held in memory whole.
      const ready = commands;
      commands = [];
      for (const command of ready) {
        const routed = this.router.routeCommand(command);
        outcome.sent += routed.sent;
        outcome.skipped += routed.skipped;
        this.report.commands.sent += routed.sent;
        this.report.commands.skipped += routed.skipped;
        for (const c of routed.send) {
          const isArgs = Array.isArray(c);
          const bytes = isArgs ? encodeCommand(c) : (c.raw ?? encodeCommand(c.args));
          // An EXEC whose transaction selects: refused whole, its SELECT did not apply either.
          await this.sendCommand(pipe, bytes, isArgs ? c[0] : c.args[0], isArgs ? c.join(' ') : routed.execOfSelecting === true ? 'EXEC of a transaction with SELECT' : null);
        }
        this.checkFatal();
      }
    };
    try {
      input = await staged.reopen();
      for await (const data of input as AsyncIterable<Buffer>) {
        hash?.update(data);
        window.advance(data);
        this.bytesReplayed += data.length;
        reader.write(data);
        await send();
        if (this.stopped) break;
        this.request.onProgress?.({ file: staged.file.name, fileIndex: index, files: source.files.length, commands: this.report.commands.sent, keys: this.report.keys.written, bytes: this.bytesReplayed });
      }
      if (!this.stopped) {
        reader.end();
        await send();
      }
    } catch (e) {
      if (e instanceof AofError) {
        // The file was valid in the first read: it changed since.
        const err = invalidContent(staged.file, e);
        throw new AofRestoreError('AOF_RESTORE_INVALID', `${err.message.replace(/\. Nothing from .* was written$/, '')}: the file changed after it was verified. ${writtenSoFar(this.report.commands.sent, this.report.keys.written)}`, { file: staged.file.name }, { cause: e });
      }
      throw e;
    } finally {
      input?.destroy();
    }
    // A transaction left open (the end of the last file, or the --until stop): the
    // loader drops it; one already opened on the target is discarded.
    const open = this.router.endTransaction();
    if (open.discard) await this.sendCommand(pipe, encodeCommand(['DISCARD']), 'DISCARD');
    outcome.sent -= open.sent;
    this.report.commands.sent -= open.sent;
    const dropped = open.read;
    this.report.commands.droppedOpenMulti += dropped;
    if (outcome.truncatedTail !== null) outcome.truncatedTail.droppedCommands = dropped;
    if (hash !== null && !this.stopped) {
      const sha = hash.digest('hex');
      if (sha !== staged.sha256) {
        throw integrityError(staged.file, staged.sha256, sha, staged.bytes, 'it had when it was verified (the file changed while it was restored)', `. ${writtenSoFar(this.report.commands.sent, this.report.keys.written)}`);
      }
    }
  }

  /** A record of an RDB preamble: keys through the RDB restore path, functions loaded. */
  private rdbRecord(rec: RdbRecord, writer: KeyWriter): void | Promise<void> {
    const { keys } = this.report;
    if (rec.kind === 'function') {
      this.report.functions.push(rec.name);
      const replace = this.request.flush || this.request.replace ? ['REPLACE'] : [];
      return writer.command(['FUNCTION', 'LOAD', ...replace, rec.code], this.onServerError('FUNCTION LOAD'));
    }
    if (rec.kind !== 'entry') return undefined;
    const entry = rec.entry;
    keys.read++;
    if (!this.router.wants(entry.db)) {
      keys.filtered++;
      return undefined;
    }
    if (entry.expireAtMs !== null && entry.expireAtMs <= this.now) {
      keys.skippedExpired++;
      return undefined;
    }
    const db = this.router.mapDb(entry.db);
    try {
      this.router.checkTargetDb(entry.db, db);
    } catch (e) {
      this.fatal ??= e as AofRestoreError;
      return undefined;
    }
    keys.written++;
    return writer.add({ db, entry });
  }

  private finish(): AofLoadReport {
    const r = this.report;
    const stats = this.writer?.stats();
    if (stats) {
      r.keys.restored = stats.restored;
      r.keys.rewritten = stats.rewritten;
      r.keys.failed = stats.failed;
      r.lossy = stats.lossy;
      for (const e of stats.errors) {
        if (r.serverErrors.first.length < (this.request.maxErrorDetails ?? 10)) r.serverErrors.first.push({ file: r.files[0]?.name ?? '', command: `RESTORE ${e.key}`, error: e.error });
      }
    }
    r.finishedAt = new Date().toISOString();
    r.ok = r.serverErrors.count === 0 && r.keys.failed === 0;
    return r;
  }
}
