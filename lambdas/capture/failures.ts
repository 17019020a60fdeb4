import { CaptureError, CapturePhase, describePhase, quote } from './errors';
import { CaptureTarget, contextOf } from './target';

/** Connection-level failures (timeouts, closed connections, cut payloads, odd replies) with advice. */

export interface PhaseRef {
  phase: CapturePhase;
  /** The command awaited ('AUTH', 'PSYNC' ...). */
  command?: string;
  /** Payload bytes received so far. */
  bytesReceived?: number;
}

export function timeoutError(target: CaptureTarget, at: PhaseRef, timeoutMs: number): CaptureError {
  const where = describePhase(at.phase, at.command);
  let advice: string;
  switch (at.phase) {
    case 'reply':
      advice =
        'Check that it is a Redis or Valkey server and that TLS matches (rediss:// for a TLS port, redis:// otherwise); ' +
        'raise timeouts.replyMs if the server is merely slow';
      break;
    case 'start':
      advice =
        `The server accepted ${at.command ?? 'the sync command'} but did not start sending the snapshot: it forks and saves first ` +
        '(with disk-based replication the whole file is written before the transfer starts, and repl-diskless-sync-delay adds a wait). ' +
        'Raise timeouts.startMs for big datasets and check the server log for fork or save errors';
      break;
    case 'payload':
      advice = `No bytes arrived after ${at.bytesReceived ?? 0} payload bytes: the network or the server stalled. Retry, or raise timeouts.idleMs`;
      break;
    case 'save':
      advice = 'Raise timeouts.startMs for big datasets; check INFO persistence and the server log';
      break;
    default:
      advice = 'Retry, or raise the timeout for this phase';
  }
  return new CaptureError(
    'CAPTURE_TIMEOUT',
    `Timed out (${where}) after ${timeoutMs} ms talking to ${target.endpoint}. ${advice}`,
    contextOf(target, { phase: at.phase, command: at.command, timeoutMs, bytesReceived: at.bytesReceived }),
  );
}

/** The server closed the connection (or it broke) before the capture was complete. */
export function closedError(target: CaptureTarget, at: PhaseRef, reason: string, cause?: unknown): CaptureError {
  const where = describePhase(at.phase, at.command);
  let advice: string;
  switch (at.phase) {
    case 'reply':
      advice =
        'If the server only accepts TLS use rediss://; check maxclients, protected-mode/bind and the server log';
      break;
    case 'start':
      advice =
        'The server dropped the sync before the payload started: its snapshot probably failed (check the server log for BGSAVE or fork errors ' +
        'and the free space of its data directory) or the client was killed. Retry';
      break;
    case 'payload':
      advice =
        `The transfer stopped after ${at.bytesReceived ?? 0} payload bytes without its end marker, so nothing was kept. ` +
        'The server killed the replica connection (CLIENT KILL, client-output-buffer-limit replica, repl-timeout) or the network dropped: ' +
        'retry; if it repeats, raise client-output-buffer-limit replica on the server';
      break;
    default:
      advice = 'Retry';
  }
  return new CaptureError(
    'CAPTURE_CLOSED',
    `${target.endpoint} closed the connection (${where}): ${reason}. ${advice}`,
    contextOf(target, { phase: at.phase, command: at.command, bytesReceived: at.bytesReceived }),
    { cause },
  );
}

/** A '$<len>' payload that ended before its declared length. */
export function truncatedError(target: CaptureTarget, received: number, declared: number, reason: string, cause?: unknown): CaptureError {
  return new CaptureError(
    'CAPTURE_TRUNCATED',
    `The snapshot from ${target.endpoint} was cut short: ${received} of ${declared} declared bytes arrived (${reason}). ` +
      'The incomplete payload is not a snapshot and was not kept; retry the capture',
    contextOf(target, { phase: 'payload', bytesReceived: received, declaredBytes: declared }),
    { cause },
  );
}

/** A reply the protocol does not allow at this point. */
export function protocolError(target: CaptureTarget, at: PhaseRef, expected: string, got: string | Buffer): CaptureError {
  return new CaptureError(
    'CAPTURE_PROTOCOL',
    `Unexpected reply from ${target.endpoint} (${describePhase(at.phase, at.command)}): expected ${expected}, got ${quote(got)}. ` +
      'Check that the endpoint is a Redis or Valkey server (and that TLS matches: rediss:// for a TLS port)',
    contextOf(target, { phase: at.phase, command: at.command, reply: quote(got), bytesReceived: at.bytesReceived }),
  );
}
