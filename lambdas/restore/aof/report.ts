import { TruncatedTail } from '../../aof/records';

/** What happened to one AOF file. */
export interface AofFileOutcome {
  name: string;
  type: 'base' | 'incr' | 'single';
  seq: number | null;
  bytes: number;
  sha256: string;
  /** 'rdb': an RDB preamble (keys restored through the RDB path) then commands; 'resp': commands only. */
  format: 'rdb' | 'resp';
  /** Keys in the RDB preamble, or null. */
  baseKeys: number | null;
  /** Complete commands in the file. */
  commands: number;
  /** Commands sent (MULTI/EXEC included, SELECTs not) and left out by the db filter. */
  sent: number;
  skipped: number;
  timestamps: { first: number; last: number } | null;
  /** A truncated tail in the last file: cut where redis-check-aof would cut it; the commands of an open MULTI there dropped. */
  truncatedTail: (TruncatedTail & { droppedCommands: number }) | null;
  /** 'whole', 'until' (stopped at a #TS: annotation in it), or 'not reached' (after the --until stop). */
  replayed: 'whole' | 'until' | 'not reached';
}

export interface AofLoadReport {
  mode: 'load';
  status: 'completed' | 'dry-run';
  source: string;
  target: string;
  startedAt: string;
  finishedAt: string;
  files: AofFileOutcome[];
  commands: {
    sent: number;
    skipped: number;
    /** Commands of a MULTI left open at the end (or at the --until stop), dropped as the loader does. */
    droppedOpenMulti: number;
  };
  /** Keys of the RDB preamble. */
  keys: { read: number; written: number; filtered: number; skippedExpired: number; restored: number; rewritten: number; failed: number };
  functions: string[];
  /** Error replies from the target: all counted, the first few listed. */
  serverErrors: { count: number; first: Array<{ file: string; command: string; error: string }> };
  /** What rewrites for an older target dropped (with allowLossy). */
  lossy: string[];
  until: { time: string; stoppedAt: { file: string; offset: number; timestamp: string } | null; withoutTimestamps: boolean } | null;
  /** No error reply, no failed key. */
  ok: boolean;
}
