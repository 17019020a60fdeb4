/** Errors of the restore engine. */

export type RestoreErrorCode =
  | 'RESTORE_TARGET_NOT_EMPTY'
  | 'RESTORE_TARGET_UNREACHABLE'
  | 'RESTORE_TARGET_AUTH'
  | 'RESTORE_TARGET_REFUSED'
  | 'RESTORE_CHUNK_CORRUPT'
  | 'RESTORE_SNAPSHOT_CORRUPT'
  | 'RESTORE_UNREPRESENTABLE'
  | 'RESTORE_WRITE_FAILED'
  | 'RESTORE_BAD_REQUEST'
  | 'RESTORE_NOT_FOUND'
  | 'RESTORE_VERIFY_FAILED'
  | 'RESTORE_REPOINT_FAILED'
  /** Not a failure: asked to stop (LoadRestoreRequest.signal), the restore ended at a checkpoint; resume continues it. */
  | 'RESTORE_PAUSED';

export interface RestoreErrorContext {
  restoreId?: string;
  snapshotId?: string;
  /** The chunk concerned (RESTORE_PAUSED: the next chunk to write). */
  chunk?: number;
  /** Keys already written when the error happened (the target holds them). */
  keysWritten?: number;
  key?: string;
  target?: string;
}

export class RestoreError extends Error {
  constructor(
    readonly code: RestoreErrorCode,
    message: string,
    readonly context: RestoreErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'RestoreError';
  }
}
