import { describeEndpoint, RedisEndpoint } from './endpoint';
import { CaptureErrorContext } from './errors';

/** The server a capture talks to, as named in errors (never with secrets). */
export interface CaptureTarget {
  /** e.g. redis://backup@10.0.0.5:6379 */
  readonly endpoint: string;
  readonly host: string;
  readonly port: number;
  /** The ACL user, for permission advice. */
  readonly username?: string;
}

export function targetOf(endpoint: RedisEndpoint): CaptureTarget {
  return { endpoint: describeEndpoint(endpoint), host: endpoint.host, port: endpoint.port, username: endpoint.username };
}

/** The error context naming the target, plus the given fields. */
export function contextOf(target: CaptureTarget, extra: CaptureErrorContext = {}): CaptureErrorContext {
  return { endpoint: target.endpoint, host: target.host, port: target.port, ...extra };
}
