/**
 * Errors raised while reading RDB data. Every one carries a stable `code`, the
 * absolute byte `offset` where the problem was found and a `reason`; the message
 * says what was found and what to do next.
 */

export type RdbErrorCode =
  | 'RDB_BAD_MAGIC'
  | 'RDB_UNSUPPORTED_VERSION'
  | 'RDB_TRUNCATED'
  | 'RDB_CORRUPT'
  | 'RDB_UNKNOWN_TYPE'
  | 'RDB_UNKNOWN_OPCODE'
  | 'RDB_UNSUPPORTED_TYPE'
  | 'RDB_CHECKSUM_MISMATCH'
  | 'RDB_LIMIT_EXCEEDED';

export interface RdbErrorContext {
  /** Absolute byte offset in the RDB stream where the problem was detected. */
  offset: number;
  /** Key being read when the problem was found, when known. */
  key?: string;
  /** RDB type id or opcode involved, when relevant. */
  byte?: number;
}

export class RdbError extends Error {
  readonly offset: number;
  readonly key?: string;
  readonly byte?: number;

  constructor(
    readonly code: RdbErrorCode,
    readonly reason: string,
    context: RdbErrorContext,
    /** What to do next. */
    readonly hint?: string,
  ) {
    super(`${reason} at byte ${context.offset}${context.key !== undefined ? ` (key ${JSON.stringify(context.key)})` : ''}${hint ? `. ${hint}` : ''}`);
    this.name = 'RdbError';
    this.offset = context.offset;
    this.key = context.key;
    this.byte = context.byte;
  }

  /** The same error, naming the key it was found in. */
  withKey(key: string): RdbError {
    return new RdbError(this.code, this.reason, { offset: this.offset, key, byte: this.byte }, this.hint);
  }
}

const CORRUPT_HINT = 'The file is damaged; use another snapshot (redis-check-rdb reports the same kind of damage)';

export function corrupt(reason: string, offset: number, key?: string): RdbError {
  return new RdbError('RDB_CORRUPT', reason, { offset, key }, CORRUPT_HINT);
}

export function truncated(offset: number, key?: string): RdbError {
  return new RdbError(
    'RDB_TRUNCATED',
    'Unexpected end of RDB data',
    { offset, key },
    'The file was cut short (an interrupted copy or transfer?); capture or copy it again',
  );
}

export function limitExceeded(what: string, value: number, limit: number, offset: number): RdbError {
  return new RdbError(
    'RDB_LIMIT_EXCEEDED',
    `${what} of ${value} bytes exceeds the limit of ${limit}`,
    { offset },
    'The length field is most likely corrupt; if the value is real, raise the reader limit',
  );
}

/** The stored CRC-64 trailer (hex) differs from the one computed over the data. */
export function checksumMismatch(stored: string, computed: bigint, offset: number): RdbError {
  return new RdbError(
    'RDB_CHECKSUM_MISMATCH',
    `RDB checksum mismatch: the file says ${stored}, the data hashes to ${computed.toString(16).padStart(16, '0')}`,
    { offset },
    'The data was altered after it was written; use another snapshot',
  );
}
