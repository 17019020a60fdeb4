import { connect as netConnect, isIP, Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import { RedisEndpoint } from './endpoint';
import { abortedError, CaptureError } from './errors';
import { encodeCommand, readReply, RespReply } from './resp';
import { SocketReader } from './socket-reader';
import { CaptureTarget, contextOf, targetOf } from './target';
import { CaptureTimeouts } from './types';

/** Advice for a failed TCP/TLS connect, by error code. */
function connectAdvice(code: string | undefined, tls: boolean): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing listens there: check the host and port and that the server is running';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve: check it';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'no route to the host: check the address, security groups and VPC routing';
    case 'ECONNRESET':
      return tls ? 'the server reset the TLS handshake: is it a TLS port? (use redis:// for a plain one)' : 'the server reset the connection';
    default:
      if (code !== undefined && /CERT|SELF_SIGNED|ALTNAME|UNABLE_TO_/.test(code)) {
        return 'the server certificate was not accepted: pass the CA that signed it (tls.ca) and the name it was issued for (tls.servername)';
      }
      if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') return 'the port does not speak TLS: use redis:// instead of rediss://';
      return 'check the address, the network path and the TLS settings';
  }
}

/** Opens a TCP or TLS connection within `connectMs` (TLS handshake included). */
export function openSocket(endpoint: RedisEndpoint, connectMs: number, signal?: AbortSignal): Promise<Socket> {
  const target = targetOf(endpoint);
  const useTls = endpoint.tls !== undefined;
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortedError(target.endpoint, signal.reason));
      return;
    }
    let socket: Socket;
    if (endpoint.tls !== undefined) {
      const t = endpoint.tls;
      // SNI only carries host names, never IP addresses (RFC 6066); the certificate is then checked against the IP.
      const servername = t.servername ?? endpoint.host;
      socket = tlsConnect({
        host: endpoint.host,
        port: endpoint.port,
        ca: t.ca,
        cert: t.cert,
        key: t.key,
        servername: isIP(servername) === 0 ? servername : undefined,
        rejectUnauthorized: t.rejectUnauthorized ?? true,
      });
    } else {
      socket = netConnect({ host: endpoint.host, port: endpoint.port });
    }
    const fail = (error: CaptureError): void => {
      cleanup();
      socket.destroy();
      reject(error);
    };
    const timer = setTimeout(
      () =>
        fail(
          new CaptureError(
            'CAPTURE_CONNECT_FAILED',
            `Could not connect to ${target.endpoint}: no ${useTls ? 'TLS ' : ''}connection within ${connectMs} ms. ` +
              'Check the host, port, firewall/security groups and TLS settings; raise timeouts.connectMs for slow links',
            contextOf(target, { phase: 'connect', timeoutMs: connectMs }),
          ),
        ),
      connectMs,
    );
    const onError = (e: Error & { code?: string }): void =>
      fail(
        new CaptureError(
          'CAPTURE_CONNECT_FAILED',
          `Could not connect to ${target.endpoint}: ${e.code ?? e.message}; ${connectAdvice(e.code, useTls)}`,
          contextOf(target, { phase: 'connect' }),
          { cause: e },
        ),
      );
    const onAbort = (): void => fail(abortedError(target.endpoint, signal?.reason));
    const onReady = (): void => {
      cleanup();
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      resolve(socket);
    };
    function cleanup(): void {
      clearTimeout(timer);
      socket.off('error', onError);
      socket.off(useTls ? 'secureConnect' : 'connect', onReady);
      signal?.removeEventListener('abort', onAbort);
    }
    socket.once('error', onError);
    socket.once(useTls ? 'secureConnect' : 'connect', onReady);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A connection for request/reply commands (handshake, polling) whose socket can
 * later be read as raw bytes through `reader`.
 */
export class RespConnection {
  private closed = false;
  private readonly onAbort: () => void;

  private constructor(
    readonly socket: Socket,
    readonly reader: SocketReader,
    readonly target: CaptureTarget,
    readonly timeouts: CaptureTimeouts,
    private readonly signal?: AbortSignal,
  ) {
    this.onAbort = () => this.reader.stop(abortedError(target.endpoint, signal?.reason));
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  static async open(endpoint: RedisEndpoint, timeouts: CaptureTimeouts, signal?: AbortSignal): Promise<RespConnection> {
    const socket = await openSocket(endpoint, timeouts.connectMs, signal);
    const target = targetOf(endpoint);
    const conn = new RespConnection(socket, new SocketReader(socket, target), target, timeouts, signal);
    if (signal?.aborted) conn.reader.stop(abortedError(target.endpoint, signal.reason));
    return conn;
  }

  /** Writes a command without waiting for its reply. */
  send(args: ReadonlyArray<string | Buffer>): void {
    this.socket.write(encodeCommand(args));
  }

  /** Sends a command and reads its reply within timeouts.replyMs; `label` names it in errors (default: its first word). */
  async command(args: ReadonlyArray<string>, label = args[0]!.toUpperCase()): Promise<RespReply> {
    this.send(args);
    return readReply(this.reader, { phase: 'reply', command: label, timeoutMs: this.timeouts.replyMs });
  }

  /** Releases the connection (idempotent). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.signal?.removeEventListener('abort', this.onAbort);
    this.reader.stop(abortedError(this.target.endpoint, 'closed'));
  }
}
