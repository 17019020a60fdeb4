/** Errors of the AOF restore (load and file modes). Each message says what happened, what was written, and what to do next. */

export type AofRestoreErrorCode =
  /** A file's bytes do not match the SHA-256 the snapshot (or the first read) recorded. */
  | 'AOF_RESTORE_INTEGRITY'
  /** A file's content is not a valid AOF (the AOF reader's error is the cause). */
  | 'AOF_RESTORE_INVALID'
  /** --until was given but the AOF has no #TS: annotations to stop at. */
  | 'AOF_RESTORE_NO_TIMESTAMPS'
  /** The load target holds keys and neither flush nor replace was asked for. */
  | 'AOF_RESTORE_TARGET_NOT_EMPTY'
  /** File mode: the data directory already holds an AOF. */
  | 'AOF_RESTORE_EXISTS'
  /** An option or target the AOF restore cannot honour. */
  | 'AOF_RESTORE_BAD_REQUEST'
  /** Reading a stored object or a local file failed. */
  | 'AOF_RESTORE_READ_FAILED'
  /** The temporary copy of a file (spool, or file mode's temporary name) could not be written. */
  | 'AOF_RESTORE_SPOOL_FAILED'
  /** A database the AOF selects does not exist on the target, or the target refused a SELECT: later commands would go to the wrong database. */
  | 'AOF_RESTORE_SELECT_FAILED'
  /** The connection to the target failed while commands were being sent. */
  | 'AOF_RESTORE_WRITE_FAILED';

export interface AofRestoreErrorContext {
  /** The AOF file the problem is in. */
  file?: string;
  /** Commands (and RDB keys) already sent to the target when the restore stopped: the target holds them. */
  commandsWritten?: number;
  keysWritten?: number;
  restoreId?: string;
  target?: string;
}

export class AofRestoreError extends Error {
  constructor(
    readonly code: AofRestoreErrorCode,
    message: string,
    readonly context: AofRestoreErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'AofRestoreError';
  }
}

/** What the target holds when a restore stops: said in every error raised after writing began. */
export function writtenSoFar(commands: number, keys: number): string {
  if (commands === 0 && keys === 0) return 'Nothing was written to the target';
  return `The target already holds what was sent before: ${keys} keys of the base and ${commands} commands`;
}
