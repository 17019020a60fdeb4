/**
 * Errors raised while reading AOF data. Each carries a stable `code`, the absolute
 * byte `offset` in its file where the problem was found and, for problems in the
 * command part, `okUpTo`: the length redis-check-aof reports as "ok_up_to" (the end
 * of the last complete command outside a transaction). The message says what was
 * found and what to do next.
 */

export type AofErrorCode =
  /** A record starts with something other than `*` (command) or `#` (annotation). */
  | 'AOF_FORMAT'
  /** A `*<argc>` or `$<len>` line is malformed (prefix, digits, `\r\n`, zero arguments). */
  | 'AOF_BAD_LENGTH'
  /** An argument's bytes are not followed by `\r\n`. */
  | 'AOF_BAD_ARGUMENT'
  /** An argument length or count beyond the reader's limits. */
  | 'AOF_LIMIT_EXCEEDED'
  /** MULTI while a MULTI is open. */
  | 'AOF_NESTED_MULTI'
  /** EXEC without MULTI. */
  | 'AOF_EXEC_WITHOUT_MULTI'
  /** A file ends inside a command or an open MULTI where that is not acceptable (not the last file). */
  | 'AOF_TRUNCATED'
  /** The RDB preamble or RDB base file is invalid (the RDB engine's error is the cause). */
  | 'AOF_RDB_INVALID'
  /** The RDB part is in a format this tool does not read yet (a newer RDB version, Valkey 9's VALKEY magic). */
  | 'AOF_RDB_UNSUPPORTED'
  /** The input holds more bytes than its declared size (the file grew while it was read). */
  | 'AOF_SIZE_CHANGED'
  /** The manifest of a multi-part AOF breaks Redis's rules. */
  | 'AOF_MANIFEST_INVALID'
  /** A base or incr file the manifest lists does not exist. */
  | 'AOF_FILE_MISSING'
  /** The path is neither an AOF file nor a directory holding one. */
  | 'AOF_NOT_FOUND'
  /** A file could not be read (permissions, I/O). */
  | 'AOF_READ_FAILED';

export interface AofErrorContext {
  /** Absolute byte offset in the file where the problem was found. */
  offset: number;
  /** redis-check-aof's "ok_up_to" for this file, when the problem is in the command part. */
  okUpTo?: number;
  /** The file (its name in the manifest, or its path) the problem is in. */
  file?: string;
  /** Manifest line number (1-based), for manifest problems. */
  line?: number;
}

export class AofError extends Error {
  readonly offset: number;
  readonly okUpTo?: number;
  readonly file?: string;
  readonly line?: number;

  constructor(
    readonly code: AofErrorCode,
    readonly reason: string,
    context: AofErrorContext,
    /** What to do next. */
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(AofError.format(code, reason, context, hint), options);
    this.name = 'AofError';
    this.offset = context.offset;
    this.okUpTo = context.okUpTo;
    this.file = context.file;
    this.line = context.line;
  }

  private static format(code: AofErrorCode, reason: string, c: AofErrorContext, hint?: string): string {
    const where = c.line !== undefined ? `line ${c.line} (byte ${c.offset})` : `byte ${c.offset}`;
    const file = c.file !== undefined ? `${c.file}: ` : '';
    // These reasons say where themselves (or concern no byte).
    const located = code === 'AOF_NOT_FOUND' || code === 'AOF_FILE_MISSING' || code === 'AOF_READ_FAILED' || code === 'AOF_TRUNCATED';
    const valid = c.okUpTo !== undefined && !located ? `; the file is valid up to byte ${c.okUpTo}` : '';
    const at = located ? '' : ` at ${where}`;
    return `${file}${reason}${at}${valid}${hint ? `. ${hint}` : ''}`;
  }

  /** The same error, naming the file it was found in. */
  withFile(file: string): AofError {
    if (this.file !== undefined) return this;
    return new AofError(this.code, this.reason, { offset: this.offset, okUpTo: this.okUpTo, file, line: this.line }, this.hint, { cause: this.cause });
  }

  /** The JSON form for reports and --json output. */
  toJSON(): { code: AofErrorCode; offset: number; okUpTo?: number; file?: string; line?: number; message: string } {
    return { code: this.code, offset: this.offset, okUpTo: this.okUpTo, file: this.file, line: this.line, message: this.message };
  }
}

const CORRUPT_HINT =
  'The command part is damaged from here on; redis-check-aof --fix would cut the file at the valid length (losing every later command), so prefer another copy of the AOF';

/** Damage in the command part: a malformed record, with where it was found and where the valid part ends. */
export function corruptCommand(code: AofErrorCode, reason: string, offset: number, okUpTo: number): AofError {
  return new AofError(code, reason, { offset, okUpTo }, CORRUPT_HINT);
}

export function limitExceeded(what: string, value: number, limit: number, offset: number, okUpTo: number): AofError {
  return new AofError(
    'AOF_LIMIT_EXCEEDED',
    `${what} ${value >= Number.MAX_SAFE_INTEGER ? 'beyond 2^53' : value} exceeds the limit of ${limit}`,
    { offset, okUpTo },
    'The length field is most likely corrupt; if the value is real (proto-max-bulk-len was raised), raise the reader limit',
  );
}

/** A truncated tail in a file that is not the last of the set: Redis refuses to load such an AOF. */
export function truncatedNotLast(file: string, at: number, bytes: number, what: string): AofError {
  return new AofError(
    'AOF_TRUNCATED',
    `${what} (the last ${bytes} bytes, from byte ${at}) and it is not the last file of the AOF: Redis refuses to load it`,
    { offset: at, okUpTo: at, file },
    'A file in the middle of a multi-part AOF was cut short: use another copy of the AOF directory',
  );
}
