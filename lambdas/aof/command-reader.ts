import { AofError, corruptCommand, limitExceeded } from './errors';
import { AofCommand, AofTimestamp, CommandsResult, TruncatedTail } from './records';

export interface AofLimits {
  /** Largest argument accepted (default 512 MiB, Redis's proto-max-bulk-len). */
  maxArgumentBytes: number;
  /** Most arguments in one command (default 2^31 - 1: the loader reads the count as an int). */
  maxArguments: number;
}

export const DEFAULT_AOF_LIMITS: AofLimits = { maxArgumentBytes: 512 * 1024 * 1024, maxArguments: 0x7fffffff };

export interface CommandReaderOptions {
  onCommand?: (command: AofCommand) => void;
  onTimestamp?: (timestamp: AofTimestamp) => void;
  /** Absolute offset of the first byte written (the end of an RDB preamble). */
  startOffset?: number;
  /**
   * Absolute offset where the input ends, when known (a file's size). An argument
   * declared to end beyond it cannot complete: its bytes are not kept, only counted.
   */
  totalBytes?: number;
  limits?: Partial<AofLimits>;
  /**
   * The caller reuses a chunk once `write` returns: the reader copies what it keeps
   * across writes, and a command's arguments are valid only during `onCommand`.
   */
  transientInput?: boolean;
}

/**
 * Lines are read by Redis with fgets into fixed buffers: a length line must fit in 127
 * bytes (prefix, digits, `\r\n`); an annotation is cut after 1023 bytes and what
 * follows is read as a new line.
 */
const MAX_DIGITS = 124;
const ANNOTATION_MAX = 1023;
/** Bytes of an annotation kept to recognise `#TS:<seconds>\r\n`. */
const ANNOTATION_HEAD = 40;

/** Digits of a length the fast path reads (exact in a double); longer ones go to the state machine. */
const MAX_FAST_DIGITS = 15;
const MULTI = Buffer.from('multi', 'latin1');
const EXEC = Buffer.from('exec', 'latin1');
const EMPTY = Buffer.alloc(0);

const STAR = 0x2a;
const DOLLAR = 0x24;
const HASH = 0x23;
const CR = 0x0d;
const LF = 0x0a;

const enum State {
  /** Between records. */
  Top,
  Annotation,
  /** A `*<argc>\r\n` or `$<len>\r\n` line. */
  Line,
  Data,
  DataCr,
  DataLf,
  /** Inside an argument that cannot complete before `totalBytes`: bytes are only counted. */
  Discard,
  Failed,
}

/**
 * A push-based reader of the command part of an AOF: feed chunks of any size with
 * `write`, then call `end`. Every byte is looked at once, whatever the chunking.
 *
 * It is as strict as redis-check-aof: `*<n>\r\n` then n × (`$<len>\r\n`, len bytes,
 * `\r\n`), every length line ending exactly in `\r\n`; MULTI inside MULTI and EXEC
 * without MULTI are errors. It is stricter on two points where the loader refuses
 * what redis-check-aof lets through: a command needs at least one argument, and
 * lengths are plain digits (no sign or leading blanks).
 *
 * Damage in the middle throws an AofError with its offset and `okUpTo`. A file that
 * ends inside a command or an open MULTI is a truncated tail, reported by `end()`
 * with the offset redis-check-aof would cut at.
 */
export class AofCommandReader {
  private readonly onCommand?: (command: AofCommand) => void;
  private readonly onTimestamp?: (timestamp: AofTimestamp) => void;
  private readonly limits: AofLimits;
  private readonly totalBytes: number | undefined;
  private readonly transientInput: boolean;

  private state = State.Top;
  /** Absolute offset of the next byte. */
  private pos: number;
  private failure: AofError | null = null;
  private ended: CommandsResult | null = null;

  private okUpTo: number;
  private recordStart: number;
  /** Offset of the open MULTI, or -1. */
  private multiStart = -1;
  /** Commands counted when the open MULTI started. */
  private commandsBeforeMulti = 0;
  private commands = 0;
  private timestamps = 0;
  private annotations = 0;

  // Annotation in progress.
  private annotationLen = 0;
  private annotationHead: number[] = [];

  // Length line in progress.
  private linePrefix = STAR;
  private lineStart = 0;
  private lineLen = 0;
  private digits = 0;
  private value = 0;
  private sawCr = false;

  // Command in progress.
  private argc = 0;
  private args: Buffer[] = [];
  private inTransaction = false;
  private isExec = false;
  /** Index of the argument being read. */
  private argIndex = 0;
  private argStart = 0;
  private argLen = 0;
  private argRemaining = 0;
  /** Whether the bytes of the argument being read are kept (for the consumer, or to check the command name). */
  private keepArg = true;
  private argParts: Buffer[] = [];

  constructor(options: CommandReaderOptions = {}) {
    this.onCommand = options.onCommand;
    this.onTimestamp = options.onTimestamp;
    this.limits = { ...DEFAULT_AOF_LIMITS, ...options.limits };
    this.totalBytes = options.totalBytes;
    this.transientInput = options.transientInput ?? false;
    this.pos = options.startOffset ?? 0;
    this.okUpTo = this.pos;
    this.recordStart = this.pos;
  }

  /** Absolute offset just past the last byte written. */
  get offset(): number {
    return this.pos;
  }

  /** Complete commands read so far (those of a MULTI still open included). */
  get commandsRead(): number {
    return this.commands;
  }

  /** True while a MULTI has no EXEC yet. */
  get inMulti(): boolean {
    return this.multiStart !== -1;
  }

  write(chunk: Buffer): void {
    if (this.failure !== null) throw this.failure;
    if (this.ended !== null) throw new Error('AofCommandReader.write called after end');
    try {
      this.parse(chunk);
    } catch (e) {
      if (e instanceof AofError) {
        this.state = State.Failed;
        this.failure = e;
      }
      throw e;
    }
  }

  /** Signals the end of input; returns what was read, with the truncated tail if the input ends inside a command or a MULTI. */
  end(): CommandsResult {
    if (this.failure !== null) throw this.failure;
    if (this.ended !== null) return this.ended;
    let tail: TruncatedTail | null = null;
    if (this.state === State.Annotation) this.finishAnnotation();
    if (this.state === State.Top || this.state === State.Annotation) {
      if (this.multiStart === -1) this.okUpTo = this.pos;
      else tail = { at: this.multiStart, bytes: this.pos - this.multiStart, reason: 'open-multi' };
    } else {
      tail = { at: this.okUpTo, bytes: this.pos - this.okUpTo, reason: this.multiStart === -1 ? 'incomplete-command' : 'open-multi' };
    }
    this.ended = {
      end: this.pos,
      // Those of an open transaction are not applied.
      commands: this.multiStart === -1 ? this.commands : this.commandsBeforeMulti,
      timestamps: this.timestamps,
      annotations: this.annotations,
      okUpTo: tail === null ? this.pos : tail.at,
      truncatedTail: tail,
    };
    return this.ended;
  }

  private parse(chunk: Buffer): void {
    const n = chunk.length;
    const base = this.pos;
    let i = 0;
    while (i < n) {
      switch (this.state) {
        case State.Top: {
          i = this.readWhole(chunk, i, base);
          if (i === n) continue;
          const at = base + i;
          this.recordStart = at;
          if (this.multiStart === -1) this.okUpTo = at;
          // The byte itself is consumed by the annotation or line state.
          const b = chunk[i];
          if (b === HASH) {
            this.state = State.Annotation;
            this.annotationLen = 0;
            this.annotationHead = [];
          } else if (b === STAR) {
            this.startLine(STAR, at);
          } else {
            throw corruptCommand('AOF_FORMAT', `Expected a command ('*') or an annotation ('#'), found ${describeByte(b)}`, at, this.okUpTo);
          }
          continue;
        }
        case State.Annotation:
          i = this.readAnnotation(chunk, i);
          continue;
        case State.Line:
          this.lineByte(chunk[i], base + i);
          i++;
          continue;
        case State.Data: {
          const take = Math.min(n - i, this.argRemaining);
          if (this.keepArg) {
            const part = chunk.subarray(i, i + take);
            this.argParts.push(this.transientInput ? Buffer.from(part) : part);
          }
          this.argRemaining -= take;
          i += take;
          if (this.argRemaining === 0) this.state = State.DataCr;
          continue;
        }
        case State.DataCr:
        case State.DataLf: {
          const want = this.state === State.DataCr ? CR : LF;
          if (chunk[i] !== want) {
            throw corruptCommand(
              'AOF_BAD_ARGUMENT',
              `Argument ${this.argIndex + 1} of ${this.argc} (${this.argLen} bytes) is not followed by \\r\\n (found ${describeByte(chunk[i])} at byte ${base + i})`,
              this.argStart,
              this.okUpTo,
            );
          }
          i++;
          if (this.state === State.DataCr) this.state = State.DataLf;
          else this.finishArgument(base + i);
          continue;
        }
        case State.Discard: {
          i = n;
          if (this.totalBytes !== undefined && base + n > this.totalBytes) {
            throw new AofError(
              'AOF_SIZE_CHANGED',
              `The input holds more than the ${this.totalBytes} bytes it was declared to have`,
              { offset: this.totalBytes },
              'The file changed while it was read (a live AOF being appended to?); copy it first and verify the copy',
            );
          }
          continue;
        }
        case State.Failed:
          throw this.failure ?? new Error('AofCommandReader failed');
      }
    }
    this.pos = base + n;
  }

  private startLine(prefix: number, at: number): void {
    this.state = State.Line;
    this.linePrefix = prefix;
    this.lineStart = at;
    this.lineLen = 0;
    this.digits = 0;
    this.value = 0;
    this.sawCr = false;
  }

  private badLine(detail: string): AofError {
    const what = this.linePrefix === STAR ? 'argument count' : `length of argument ${this.argIndex + 1} of ${this.argc}`;
    return corruptCommand('AOF_BAD_LENGTH', `Malformed ${what} line: ${detail}`, this.lineStart, this.okUpTo);
  }

  private lineByte(b: number, at: number): void {
    const first = this.lineLen === 0;
    this.lineLen++;
    if (first) {
      if (b !== this.linePrefix) throw this.badLine(`expected '${String.fromCharCode(this.linePrefix)}', found ${describeByte(b)}`);
      return;
    }
    if (this.sawCr) {
      if (b !== LF) throw this.badLine(`expected \\n after \\r, found ${describeByte(b)}`);
      this.finishLine(at + 1);
      return;
    }
    if (b >= 0x30 && b <= 0x39) {
      if (++this.digits > MAX_DIGITS) throw this.badLine(`more than ${MAX_DIGITS} digits`);
      this.value = Math.min(this.value * 10 + (b - 0x30), Number.MAX_SAFE_INTEGER);
      return;
    }
    if (b === CR && this.digits > 0) {
      this.sawCr = true;
      return;
    }
    throw this.badLine(this.digits === 0 ? `expected a digit, found ${describeByte(b)}` : `expected a digit or \\r\\n, found ${describeByte(b)}`);
  }

  /** A length line is complete; `next` is the offset after its `\n`. */
  private finishLine(next: number): void {
    if (this.linePrefix === STAR) {
      if (this.value < 1) throw this.badLine('a command needs at least one argument (Redis refuses to load *0)');
      if (this.value > this.limits.maxArguments) throw limitExceeded('Argument count', this.value, this.limits.maxArguments, this.lineStart, this.okUpTo);
      this.argc = this.value;
      this.argIndex = 0;
      this.args = [];
      this.inTransaction = this.multiStart !== -1;
      this.isExec = false;
      this.startLine(DOLLAR, next);
      return;
    }
    const len = this.value;
    if (len > this.limits.maxArgumentBytes) throw limitExceeded('Argument length', len, this.limits.maxArgumentBytes, this.lineStart, this.okUpTo);
    this.argStart = next;
    this.argLen = len;
    this.argRemaining = len;
    this.argParts = [];
    // Without a consumer only the command name is looked at (MULTI / EXEC).
    this.keepArg = this.onCommand !== undefined || (this.argIndex === 0 && len <= 5);
    if (this.totalBytes !== undefined && next + len + 2 > this.totalBytes) {
      // It cannot end before the input does: a truncated tail. Keep nothing of it.
      this.state = State.Discard;
      return;
    }
    this.state = len === 0 ? State.DataCr : State.Data;
  }

  /** `next` is the offset after the argument's `\r\n`. */
  private finishArgument(next: number): void {
    if (this.keepArg) {
      const parts = this.argParts;
      const arg = parts.length === 0 ? EMPTY : parts.length === 1 ? parts[0] : Buffer.concat(parts);
      this.argParts = [];
      if (this.argIndex === 0) this.checkTransaction(arg);
      if (this.onCommand !== undefined) this.args.push(arg);
    }
    if (++this.argIndex < this.argc) {
      this.startLine(DOLLAR, next);
      return;
    }
    this.commands++;
    if (this.isExec) this.multiStart = -1;
    this.state = State.Top;
    if (this.onCommand !== undefined) {
      const command: AofCommand = { kind: 'command', offset: this.recordStart, end: next, args: this.args, multi: this.inTransaction };
      this.args = [];
      this.onCommand(command);
    }
  }

  /** Like redis-check-aof, MULTI and EXEC count as soon as the command name is read. */
  private checkTransaction(name: Buffer): void {
    if (isWord(name, 0, name.length, MULTI)) {
      if (this.multiStart !== -1) {
        throw corruptCommand('AOF_NESTED_MULTI', `MULTI inside the transaction opened at byte ${this.multiStart}`, this.argStart, this.okUpTo);
      }
      this.multiStart = this.recordStart;
      this.commandsBeforeMulti = this.commands;
      this.inTransaction = true;
    } else if (isWord(name, 0, name.length, EXEC)) {
      if (this.multiStart === -1) throw corruptCommand('AOF_EXEC_WITHOUT_MULTI', 'EXEC without MULTI', this.argStart, this.okUpTo);
      this.isExec = true;
    }
  }

  /**
   * The fast path, from state Top: reads the commands lying wholly within `chunk`
   * from `i` straight from its bytes (arguments are views into the chunk, and are not
   * made at all without a consumer). It stops at the first record that is not a
   * plain, complete, valid command inside this chunk (and inside `totalBytes`):
   * an annotation, a command that spans chunks, anything malformed or over a limit, a
   * misplaced MULTI or EXEC. The state machine then reads that record byte by byte
   * and reports any error exactly as it would have. Returns where it stopped.
   */
  private readWhole(chunk: Buffer, i: number, base: number): number {
    const onCommand = this.onCommand;
    const maxArgs = this.limits.maxArguments;
    const maxLen = this.limits.maxArgumentBytes;
    // Bytes past the declared input size are left to the state machine, which reports them.
    const limit = this.totalBytes === undefined ? chunk.length : Math.min(chunk.length, this.totalBytes - base);
    outer: while (i < limit && chunk[i] === STAR) {
      let p = i + 1;
      let start = p;
      let argc = 0;
      for (let c = chunk[p]; p < limit && c >= 0x30 && c <= 0x39; c = chunk[++p]) argc = argc * 10 + (c - 0x30);
      if (p === start || p - start > MAX_FAST_DIGITS || p + 1 >= limit || chunk[p] !== CR || chunk[p + 1] !== LF) break;
      p += 2;
      // Every argument takes at least 6 bytes ("$0\r\n\r\n"): a command that cannot fit is left whole to the slow path.
      if (argc < 1 || argc > maxArgs || argc * 6 > limit - p) break;
      const args: Buffer[] | null = onCommand === undefined ? null : [];
      let multi = false;
      let exec = false;
      for (let a = 0; a < argc; a++) {
        if (chunk[p] !== DOLLAR) break outer;
        start = ++p;
        let len = 0;
        for (let c = chunk[p]; p < limit && c >= 0x30 && c <= 0x39; c = chunk[++p]) len = len * 10 + (c - 0x30);
        if (p === start || p - start > MAX_FAST_DIGITS || p + 1 >= limit || chunk[p] !== CR || chunk[p + 1] !== LF || len > maxLen) break outer;
        p += 2;
        const end = p + len;
        if (end + 2 > limit || chunk[end] !== CR || chunk[end + 1] !== LF) break outer;
        if (a === 0) {
          multi = isWord(chunk, p, end, MULTI);
          exec = !multi && isWord(chunk, p, end, EXEC);
        }
        if (args !== null) args.push(chunk.subarray(p, end));
        p = end + 2;
      }
      // MULTI inside MULTI, EXEC without MULTI: errors, reported by the state machine.
      if (multi ? this.multiStart !== -1 : exec && this.multiStart === -1) break;
      const at = base + i;
      this.recordStart = at;
      if (this.multiStart === -1) this.okUpTo = at;
      if (multi) {
        this.multiStart = at;
        this.commandsBeforeMulti = this.commands;
      }
      const inTransaction = this.multiStart !== -1;
      if (exec) this.multiStart = -1;
      this.commands++;
      i = p;
      if (args !== null) onCommand!({ kind: 'command', offset: at, end: base + p, args, multi: inTransaction });
    }
    return i;
  }

  private readAnnotation(chunk: Buffer, i: number): number {
    const limit = Math.min(chunk.length, i + (ANNOTATION_MAX - this.annotationLen));
    let lf = chunk.indexOf(LF, i);
    if (lf >= limit) lf = -1;
    const stop = lf === -1 ? limit : lf + 1;
    for (let j = i; j < stop && this.annotationHead.length < ANNOTATION_HEAD; j++) this.annotationHead.push(chunk[j]);
    this.annotationLen += stop - i;
    if (lf !== -1 || this.annotationLen >= ANNOTATION_MAX) {
      this.finishAnnotation();
      this.state = State.Top;
    }
    return stop;
  }

  private finishAnnotation(): void {
    const text = Buffer.from(this.annotationHead).toString('latin1');
    const ts = /^#TS:(\d{1,15})\r\n$/.exec(this.annotationLen === this.annotationHead.length ? text : '');
    if (ts !== null) {
      this.timestamps++;
      this.onTimestamp?.({ kind: 'timestamp', offset: this.recordStart, seconds: Number(ts[1]) });
    } else {
      this.annotations++;
    }
    this.annotationHead = [];
  }
}

/** True when bytes [from, to) of `b` are `word` (lowercase ASCII) in any case, as strcasecmp compares. */
function isWord(b: Buffer, from: number, to: number, word: Uint8Array): boolean {
  if (to - from !== word.length) return false;
  for (let k = 0; k < word.length; k++) if ((b[from + k] | 0x20) !== word[k]) return false;
  return true;
}

function describeByte(b: number): string {
  if (b >= 0x20 && b < 0x7f) return `'${String.fromCharCode(b)}'`;
  if (b === CR) return '\\r';
  if (b === LF) return '\\n';
  return `byte 0x${b.toString(16).padStart(2, '0')}`;
}
