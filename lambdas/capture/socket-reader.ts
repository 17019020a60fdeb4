import { Socket } from 'node:net';
import { CaptureError } from './errors';
import { PhaseRef, timeoutError } from './failures';
import { CaptureTarget } from './target';

/** How long one read may wait, and the phase named if it times out. */
export interface ReadWait extends PhaseRef {
  timeoutMs: number;
}

/** Bytes queued before the socket is paused (the consumer is behind). */
export const DEFAULT_HIGH_WATER = 256 << 10;

/**
 * Raw bytes from a socket, pulled one chunk at a time. Chunks queue up while
 * nobody reads; past `highWater` bytes the socket is paused (TCP flow control
 * then slows the server) and it resumes once the reader has caught up.
 * Timeouts only run while a read actually waits for the network.
 */
export class SocketReader {
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private paused = false;
  private ended = false;
  private socketError: Error | null = null;
  private stopError: CaptureError | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly socket: Socket,
    readonly target: CaptureTarget,
    private readonly highWater = DEFAULT_HIGH_WATER,
  ) {
    socket.on('data', (d: Buffer) => {
      this.chunks.push(d);
      this.queued += d.length;
      if (!this.paused && this.queued >= this.highWater) {
        this.paused = true;
        socket.pause();
      }
      this.notify();
    });
    const end = (): void => {
      this.ended = true;
      this.notify();
    };
    socket.on('end', end);
    socket.on('close', end);
    socket.on('error', (e: Error) => {
      this.socketError ??= e;
      end();
    });
  }

  /** Why the connection ended, for messages. */
  get closeReason(): string {
    const e = this.socketError as (Error & { code?: string }) | null;
    if (e === null) return 'the server closed the connection';
    return `the connection broke (${e.code ?? e.message})`;
  }

  get closeCause(): Error | null {
    return this.socketError;
  }

  /** Bytes received but not read yet. */
  get buffered(): number {
    return this.queued;
  }

  /**
   * The next chunk; null once the connection has ended and every byte was read.
   * Throws CAPTURE_TIMEOUT when nothing arrives in time, or the error given to stop().
   */
  async read(wait: ReadWait): Promise<Buffer | null> {
    for (;;) {
      if (this.stopError !== null) throw this.stopError;
      const chunk = this.chunks.shift();
      if (chunk !== undefined) {
        this.queued -= chunk.length;
        if (this.paused && this.queued < this.highWater) {
          this.paused = false;
          this.socket.resume();
        }
        return chunk;
      }
      if (this.ended) return null;
      await this.waitForData(wait);
    }
  }

  /** Puts bytes back in front of the queue (the unread rest of a chunk). */
  unshift(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.unshift(chunk);
    this.queued += chunk.length;
  }

  /** Ends the connection; pending and later reads throw `error`. */
  stop(error: CaptureError): void {
    this.stopError ??= error;
    this.chunks.length = 0;
    this.queued = 0;
    this.socket.destroy();
    this.notify();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private waitForData(wait: ReadWait): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.wake = null;
        reject(timeoutError(this.target, wait, wait.timeoutMs));
      }, Math.max(0, wait.timeoutMs));
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
