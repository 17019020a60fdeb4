import { RdbEntry } from '../rdb/entry';

/** What a restore target can take, learned from INFO server (and refined by its first RESTORE error). */
export interface TargetCapabilities {
  engine: 'redis' | 'valkey';
  /** Server version, e.g. [7, 0, 15]. For Valkey its own version (valkey_version), not the Redis-compat one. */
  version: [number, number, number];
  /** Highest RDB version the server's RESTORE accepts (Redis 7.0 → 10, 7.2 → 11, 7.4 → 12; Valkey 7.2/8.x → 11). */
  rdbVersion: number;
  /** HPEXPIREAT exists (Redis >= 7.4). */
  hashFieldExpiry: boolean;
  /** XSETID ENTRIESADDED/MAXDELETEDID and XGROUP CREATE ENTRIESREAD exist (>= 7.0). */
  streamMetadata: boolean;
  /** XGROUP CREATECONSUMER exists (>= 6.2). */
  createConsumer: boolean;
  /** FUNCTION RESTORE / FUNCTION LOAD exist (>= 7.0). */
  functions: boolean;
}

/** One key to write, after filters and db mapping. */
/** What every key writer (one server, or a cluster's nodes) is told. */
export interface KeyWriterOptions {
  /** Overwrite existing keys (RESTORE ... REPLACE; DEL before rewritten keys). */
  replace: boolean;
  /** Rewrite keys the target cannot represent exactly, dropping what it cannot hold (listed in the stats). */
  allowLossy: boolean;
  /** Engine that wrote the snapshot: keys go to another engine as ordinary commands. */
  sourceEngine: 'redis' | 'valkey';
  /** Bytes of commands awaiting replies (per connection) before `add` makes the caller wait. */
  maxInFlightBytes?: number;
  connectTimeoutMs?: number;
  /** Keep at most this many error details (all are counted). */
  maxErrorDetails?: number;
}

export interface KeyJob {
  /** Target database. */
  db: number;
  entry: RdbEntry;
}

/** A command as its arguments (the command name first). */
export type Command = Array<Buffer | string>;

/** The outcome of writing keys, for the restore report. */
export interface WriteStats {
  /** Keys written with RESTORE. */
  restored: number;
  /** Keys written as ordinary commands (cross-version or cross-engine rewrite). */
  rewritten: number;
  /** Keys whose write failed (see errors). */
  failed: number;
  /** Features dropped by --allow-lossy rewrites, e.g. "field expiry (3 fields) of key x". */
  lossy: string[];
  errors: Array<{ db: number; key: string; error: string }>;
}

/**
 * Writes keys into a target. `add` queues a key and returns a promise only when
 * the caller must wait (bytes in flight above the bound); `drain` waits until
 * every queued key is acknowledged.
 */
export interface TargetWriter {
  add(job: KeyJob): void | Promise<void>;
  drain(): Promise<void>;
  /**
   * Optional: resolves once every key added so far is acknowledged, without waiting for
   * keys added meanwhile (so the caller can keep adding). Writers without it are drained.
   */
  settled?(): Promise<void>;
  stats(): WriteStats;
  close(): Promise<void>;
}
