/**
 * Errors of the capture layer. Every one carries a stable `code` and a typed
 * `context` (which server, which phase, how many bytes had arrived); the
 * message says what happened and what to do next. Secrets never appear.
 */

export type CaptureErrorCode =
  | 'CAPTURE_CONNECT_FAILED'
  | 'CAPTURE_AUTH_FAILED'
  | 'CAPTURE_NO_PERMISSION'
  | 'CAPTURE_SYNC_REFUSED'
  | 'CAPTURE_CLOSED'
  | 'CAPTURE_TRUNCATED'
  | 'CAPTURE_TIMEOUT'
  | 'CAPTURE_PROTOCOL'
  | 'CAPTURE_BGSAVE_FAILED'
  | 'CAPTURE_DATA_DIR'
  | 'CAPTURE_FILE'
  | 'CAPTURE_ABORTED'
  /** AOF capture: the server does not write an AOF (appendonly no), or its settings cannot be read. */
  | 'CAPTURE_AOF_DISABLED'
  /** AOF capture: BGREWRITEAOF failed, or the AOF set kept changing while it was pinned. */
  | 'CAPTURE_AOF_FAILED';

/**
 * Where a capture was when it failed:
 * connect (TCP/TLS), reply (a handshake or polling command, see `command`),
 * start (after PSYNC/SYNC, waiting for the payload to start), payload (streaming),
 * save (waiting for a BGSAVE to finish), file (opening or reading an RDB file),
 * rewrite (waiting for an AOF rewrite), pin (pinning the files of an AOF).
 */
export type CapturePhase = 'connect' | 'reply' | 'start' | 'payload' | 'save' | 'file' | 'rewrite' | 'pin';

export interface CaptureErrorContext {
  /** The server (no secrets), e.g. redis://backup@10.0.0.5:6379. */
  endpoint?: string;
  host?: string;
  port?: number;
  phase?: CapturePhase;
  /** The command whose reply was awaited or refused, e.g. 'PSYNC'. */
  command?: string;
  /** The server's reply, quoted (truncated to a few hundred characters). */
  reply?: string;
  /** The ACL rule that would allow the command, e.g. '+psync'. */
  aclRule?: string;
  /** Payload bytes received before the failure. */
  bytesReceived?: number;
  /** The declared payload length ('$<len>' framing). */
  declaredBytes?: number;
  timeoutMs?: number;
  /** A file involved (bgsave, import). */
  path?: string;
  /** The failure is expected to pass (server loading, replica link down): retry later. */
  transient?: boolean;
}

export class CaptureError extends Error {
  constructor(
    readonly code: CaptureErrorCode,
    message: string,
    readonly context: CaptureErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CaptureError';
  }
}

/** A reply or line as it may be quoted in a message: printable, at most `max` characters. */
export function quote(text: string | Buffer, max = 200): string {
  const s = typeof text === 'string' ? text : text.toString('latin1');
  const cut = s.length > max ? `${s.slice(0, max)}...` : s;
  return JSON.stringify(cut);
}

/** Human wording of a phase, for messages ("reply to AUTH", "payload idle" ...). */
export function describePhase(phase: CapturePhase, command?: string): string {
  switch (phase) {
    case 'connect':
      return 'connect';
    case 'reply':
      return `reply to ${command ?? 'a command'}`;
    case 'start':
      return 'waiting for the payload to start';
    case 'payload':
      return 'payload idle';
    case 'save':
      return 'waiting for the BGSAVE to finish';
    case 'file':
      return 'reading the RDB file';
    case 'rewrite':
      return 'waiting for the AOF rewrite to finish';
    case 'pin':
      return 'pinning the AOF files';
  }
}

export function abortedError(endpoint: string | undefined, reason?: unknown): CaptureError {
  return new CaptureError('CAPTURE_ABORTED', `Capture${endpoint ? ` from ${endpoint}` : ''} aborted`, endpoint ? { endpoint } : {}, {
    cause: reason,
  });
}
