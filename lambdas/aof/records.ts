import { ChecksumStatus, RdbRecord } from '../rdb/records';

/** Records emitted while reading AOF data, in file order. Offsets are absolute in their file. */

/** One command: a RESP array of bulk strings. */
export interface AofCommand {
  kind: 'command';
  /** Offset of its `*`. */
  offset: number;
  /** Offset just past its last `\r\n`. */
  end: number;
  /**
   * The arguments, the command name first. They are views into the input chunks
   * when an argument lies within one chunk (the reader never reuses a chunk), so
   * they may be kept — unless the reader was given `transientInput`: then they are
   * valid only during the callback.
   */
  args: Buffer[];
  /** Part of a transaction: MULTI, the commands it queues, and the EXEC that closes it. */
  multi: boolean;
}

/** A `#TS:<unix seconds>` annotation (written with aof-timestamp-enabled yes). */
export interface AofTimestamp {
  kind: 'timestamp';
  offset: number;
  /** Unix time in seconds. */
  seconds: number;
}

/** A record of the RDB preamble (old single-file AOF) or of an RDB base file. */
export interface AofRdbRecord {
  kind: 'rdb';
  record: RdbRecord;
}

export type AofRecord = AofCommand | AofTimestamp | AofRdbRecord;

/** Where redis-check-aof --fix would cut a file, and why. */
export interface TruncatedTail {
  /** Offset the file would be truncated to (its "ok_up_to"). */
  at: number;
  /** Bytes after `at`. */
  bytes: number;
  /** 'incomplete-command': the file ends inside a command; 'open-multi': inside a MULTI that has no EXEC. */
  reason: 'incomplete-command' | 'open-multi';
}

/** What the command part of one file held. */
export interface CommandsResult {
  /** Offset just past the last byte read. */
  end: number;
  /** Complete commands before `okUpTo` (those of a MULTI left open at the end were emitted, flagged, but are not counted). */
  commands: number;
  /** `#TS:` annotations. */
  timestamps: number;
  /** Other `#` lines, skipped. */
  annotations: number;
  /** redis-check-aof's "ok_up_to": the whole input unless there is a truncated tail. */
  okUpTo: number;
  truncatedTail: TruncatedTail | null;
}

/** The RDB part of a file with an RDB preamble (or an RDB base file). */
export interface RdbPartResult {
  version: number;
  /** Bytes of the RDB, trailer included: the command part starts here. */
  bytes: number;
  checksum: ChecksumStatus;
  storedCrc: string | null;
  keys: number;
}

/** What one AOF file (or stream) held. */
export interface AofReadResult extends CommandsResult {
  /** 'rdb': an RDB (preamble or base) followed by zero or more commands; 'resp': commands only. */
  format: 'rdb' | 'resp';
  rdb: RdbPartResult | null;
}
