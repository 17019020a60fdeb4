import { RedisEndpoint } from './endpoint';

/** What a capture learned about the source, recorded in the snapshot manifest. */
export interface CaptureInfo {
  method: 'replication' | 'bgsave' | 'import';
  /** From INFO server when available: 'redis' or 'valkey' and its version. */
  server?: { engine: 'redis' | 'valkey'; version: string; role?: string };
  /** Replication: the +FULLRESYNC reply (absent for the SYNC fallback). */
  replId?: string;
  replOffset?: number;
  /** Replication: '$<len>' (disk-based) or '$EOF:<mark>' (diskless) framing. */
  framing?: 'length' | 'eof-marker';
  /** The declared payload length for 'length' framing, or the file size for bgsave/import. */
  declaredBytes?: number;
  /** The command that started the transfer: 'PSYNC', 'SYNC' or a configured renamed one. */
  syncCommand?: string;
  /** Bgsave/import: the file read. */
  path?: string;
}

/**
 * A capture in progress. `payload` yields exactly the RDB bytes (framing removed)
 * and ends only once the whole payload has arrived (length reached or end marker
 * seen); a payload cut short makes the iteration throw a CaptureError. The
 * producer is back-pressured: it stops reading while the consumer is busy.
 */
export interface Capture {
  readonly info: CaptureInfo;
  readonly payload: AsyncIterable<Buffer>;
  /** Stops the capture and releases the connection or file (idempotent). */
  close(): Promise<void>;
}

export interface CaptureTimeouts {
  /** TCP/TLS connect (default 10 s). */
  connectMs: number;
  /** Each handshake reply (AUTH, PING, REPLCONF, INFO; default 10 s). */
  replyMs: number;
  /** From PSYNC/SYNC to the first payload byte: the server forks and saves first (default 10 min). */
  startMs: number;
  /** Longest silence while the payload streams (default 60 s). */
  idleMs: number;
}

export const DEFAULT_CAPTURE_TIMEOUTS: CaptureTimeouts = {
  connectMs: 10_000,
  replyMs: 10_000,
  startMs: 600_000,
  idleMs: 60_000,
};

export interface ReplicationCaptureOptions {
  endpoint: RedisEndpoint;
  timeouts?: Partial<CaptureTimeouts>;
  /** The sync command to send (default PSYNC, falling back to SYNC); set it when a service renames it. */
  syncCommand?: string;
  signal?: AbortSignal;
}

export interface BgsaveCaptureOptions {
  endpoint: RedisEndpoint;
  /** Where the server's data directory is mounted (an EFS access point in AWS). */
  dataDir: string;
  /** The RDB file name in dataDir (default: CONFIG GET dbfilename, else dump.rdb). */
  dbfilename?: string;
  timeouts?: Partial<CaptureTimeouts>;
  /** How often INFO persistence is polled while the save runs (default 200 ms). */
  pollMs?: number;
  signal?: AbortSignal;
}
