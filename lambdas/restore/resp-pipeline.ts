import { Socket } from 'node:net';

/** Where a reply goes: the key it is about (for error reports) and what to do with it. */
export interface ReplyTag {
  /** Bytes the command took on the wire (for the in-flight bound). */
  size: number;
  onError?: (message: string) => void;
  onReply?: (firstLine: string) => void;
}

/**
 * Finds the end of one RESP2 reply in buf[pos...]; -1 when it is not complete yet.
 * Sets `out.error` to the message of a top-level error reply.
 */
function replyEnd(buf: Buffer, pos: number): number {
  if (pos >= buf.length) return -1;
  const lineEnd = buf.indexOf(13, pos);
  if (lineEnd === -1 || lineEnd + 1 >= buf.length) return -1;
  const type = buf[pos];
  if (type === 0x2b || type === 0x2d || type === 0x3a) return lineEnd + 2; // + - :
  const n = Number(buf.toString('latin1', pos + 1, lineEnd));
  if (type === 0x24) {
    // $
    if (n < 0) return lineEnd + 2;
    const end = lineEnd + 2 + n + 2;
    return end <= buf.length ? end : -1;
  }
  if (type === 0x2a) {
    // *
    let p = lineEnd + 2;
    for (let i = 0; i < n; i++) {
      p = replyEnd(buf, p);
      if (p === -1) return -1;
    }
    return p;
  }
  throw new Error(`Unexpected reply type ${JSON.stringify(String.fromCharCode(type))} from the target`);
}

/**
 * A pipelined connection: commands are batched into large writes, replies are
 * matched to their commands in order, and at most `maxInFlight` bytes of commands
 * await replies (`send` then returns a promise to wait on: back-pressure).
 */
export class RespPipeline {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private readonly queue: ReplyTag[] = [];
  private head = 0;
  private inFlight = 0;
  private leftover: Buffer | null = null;
  private waiters: Array<() => void> = [];
  private drainers: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly maxInFlight = 16 << 20,
    private readonly maxBatch = 256 << 10,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e: Error) => this.fail(e));
    socket.on('close', () => this.fail(new Error('the target closed the connection')));
  }

  /** Commands sent whose replies have not arrived. */
  get pending(): number {
    return this.queue.length - this.head;
  }

  /** Queues an encoded command. Resolves immediately (undefined) unless too many bytes are in flight. */
  send(command: Buffer, tag: ReplyTag): void | Promise<void> {
    if (this.failure) throw this.failure;
    this.queue.push(tag);
    this.inFlight += tag.size;
    this.batch.push(command);
    this.batchBytes += command.length;
    // A command sent from a reply callback while someone waits in drain() must go out now.
    if (this.batchBytes >= this.maxBatch || this.drainers.length > 0) this.flush();
    if (this.inFlight < this.maxInFlight) return undefined;
    this.flush();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  flush(): void {
    if (this.batchBytes === 0 || this.failure) return;
    const data = this.batch.length === 1 ? this.batch[0] : Buffer.concat(this.batch, this.batchBytes);
    this.batch = [];
    this.batchBytes = 0;
    this.socket.write(data);
  }

  /** Sends what is batched and waits for every reply. */
  drain(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.flush();
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.drainers.push({ resolve, reject }));
  }

  private onData(data: Buffer): void {
    let buf = this.leftover === null ? data : Buffer.concat([this.leftover, data]);
    let pos = 0;
    try {
      while (pos < buf.length) {
        const end = replyEnd(buf, pos);
        if (end === -1) break;
        const tag = this.queue[this.head];
        this.queue[this.head] = undefined as unknown as ReplyTag;
        this.head++;
        if (tag === undefined) throw new Error('the target sent a reply to no command');
        this.inFlight -= tag.size;
        if (buf[pos] === 0x2d) tag.onError?.(buf.toString('utf8', pos + 1, buf.indexOf(13, pos)));
        else if (tag.onReply) tag.onReply(buf.toString('utf8', pos, buf.indexOf(13, pos)));
        pos = end;
      }
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    buf = buf.subarray(pos);
    this.leftover = buf.length > 0 ? Buffer.from(buf) : null;
    if (this.head > 4096 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.inFlight < this.maxInFlight / 2 && this.waiters.length > 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
    if (this.pending === 0 && this.drainers.length > 0) {
      const d = this.drainers;
      this.drainers = [];
      for (const { resolve } of d) resolve();
    }
  }

  private fail(e: Error): void {
    if (this.failure) return;
    this.failure = e;
    for (const resolve of this.waiters) resolve();
    this.waiters = [];
    for (const { reject } of this.drainers) reject(e);
    this.drainers = [];
  }

  /** The connection's failure, if it failed. */
  get error(): Error | null {
    return this.failure;
  }

  close(): void {
    this.socket.destroy();
  }
}
