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

/** Commands at least this big are written to the socket as they are instead of being copied into the batch. */
const COPY_MAX = 64 << 10;
/** Batch buffers kept for reuse once the socket has written them. */
const POOL_MAX = 8;

/**
 * A pipelined connection: commands are batched into large writes, replies are
 * matched to their commands in order, and at most `maxInFlight` bytes of commands
 * await replies (`send` then returns a promise to wait on: back-pressure).
 *
 * Commands are either handed over encoded (`send`) or encoded straight into the
 * batch buffer (`reserve`, then `commit`), which spares a buffer per command.
 * A batch goes out once it holds `maxBatch` bytes, or at the next turn of the
 * event loop, so nothing waits in it while the caller waits for something else.
 */
export class RespPipeline {
  private out: Buffer;
  private fill = 0;
  private readonly capacity: number;
  private readonly pool: Buffer[] = [];
  private flushScheduled = false;
  private readonly queue: ReplyTag[] = [];
  private head = 0;
  /** Commands queued, and replies received, since the connection opened. */
  private queued = 0;
  private answered = 0;
  private inFlight = 0;
  private leftover: Buffer | null = null;
  private waiters: Array<() => void> = [];
  private drainers: Array<{ resolve: () => void; reject: (e: Error) => void }> = [];
  private marks: Array<{ upTo: number; resolve: () => void; reject: (e: Error) => void }> = [];
  private failure: Error | null = null;
  /**
   * Called with each batch buffer (commands from index 0) just before it is written: the last
   * moment to fill in what its commands left open (deferred DUMP checksums).
   */
  beforeWrite: ((batch: Buffer) => void) | null = null;

  constructor(
    private readonly socket: Socket,
    private readonly maxInFlight = 16 << 20,
    private readonly maxBatch = 256 << 10,
  ) {
    this.capacity = maxBatch * 2;
    this.out = Buffer.allocUnsafe(this.capacity);
    socket.setNoDelay(true);
    socket.on('data', (d: Buffer) => this.onData(d));
    socket.on('error', (e: Error) => this.fail(e));
    socket.on('close', () => this.fail(new Error('the target closed the connection')));
  }

  /** Commands sent whose replies have not arrived. */
  get pending(): number {
    return this.queued - this.answered;
  }

  /** Queues an encoded command. Resolves immediately (undefined) unless too many bytes are in flight. */
  send(command: Buffer, tag: ReplyTag): void | Promise<void> {
    if (this.failure) throw this.failure;
    if (command.length >= COPY_MAX) {
      this.flush();
      this.socket.write(command);
    } else {
      const out = this.reserve(command.length);
      command.copy(out, this.fill);
      this.fill += command.length;
    }
    return this.queue1(tag);
  }

  /**
   * The batch buffer, with room for at least `bytes` more from `writePos`: encode a
   * command there, then call `commit` with where it ends.
   */
  reserve(bytes: number): Buffer {
    if (this.fill + bytes > this.out.length) {
      this.flush();
      if (bytes > this.out.length) this.out = Buffer.allocUnsafe(bytes);
    }
    return this.out;
  }

  /** Where the next command goes in the buffer `reserve` returned. */
  get writePos(): number {
    return this.fill;
  }

  /** Queues the command encoded at `writePos` up to `end` in the reserved buffer. */
  commit(end: number, tag: ReplyTag): void | Promise<void> {
    if (this.failure) throw this.failure;
    this.fill = end;
    return this.queue1(tag);
  }

  private queue1(tag: ReplyTag): void | Promise<void> {
    this.queue.push(tag);
    this.queued++;
    this.inFlight += tag.size;
    // A command sent from a reply callback while someone waits in drain() must go out now.
    if (this.fill >= this.maxBatch || this.drainers.length > 0) this.flush();
    else if (!this.flushScheduled && this.fill > 0) {
      this.flushScheduled = true;
      setImmediate(() => {
        this.flushScheduled = false;
        this.flush();
      });
    }
    if (this.inFlight < this.maxInFlight) return undefined;
    this.flush();
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  flush(): void {
    if (this.fill === 0 || this.failure) return;
    const full = this.out;
    this.beforeWrite?.(full);
    const data = full.subarray(0, this.fill);
    this.out = this.pool.pop() ?? Buffer.allocUnsafe(this.capacity);
    this.fill = 0;
    // The socket may hold the batch until the kernel takes it: it is reused only after that.
    this.socket.write(data, () => {
      if (full.length === this.capacity && this.pool.length < POOL_MAX) this.pool.push(full);
    });
  }

  /** Sends what is batched and waits for every reply. */
  drain(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.flush();
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve, reject) => this.drainers.push({ resolve, reject }));
  }

  /**
   * Sends what is batched and resolves once every command queued so far has its
   * reply. Unlike `drain`, commands queued meanwhile do not delay it.
   */
  mark(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    this.flush();
    if (this.answered >= this.queued) return Promise.resolve();
    return new Promise((resolve, reject) => this.marks.push({ upTo: this.queued, resolve, reject }));
  }

  private onData(data: Buffer): void {
    let buf = this.leftover === null ? data : Buffer.concat([this.leftover, data]);
    let pos = 0;
    const queue = this.queue;
    try {
      while (pos < buf.length) {
        let end: number;
        const type = buf[pos];
        // "+OK\r\n", the reply to almost every command, without a search.
        if (type === 0x2b && pos + 4 < buf.length && buf[pos + 1] === 0x4f && buf[pos + 2] === 0x4b && buf[pos + 3] === 13) end = pos + 5;
        else end = replyEnd(buf, pos);
        if (end === -1) break;
        const tag = queue[this.head];
        if (tag === undefined) throw new Error('the target sent a reply to no command');
        queue[this.head] = undefined as unknown as ReplyTag;
        this.head++;
        this.answered++;
        this.inFlight -= tag.size;
        if (type === 0x2d) tag.onError?.(buf.toString('utf8', pos + 1, buf.indexOf(13, pos)));
        else if (tag.onReply) tag.onReply(buf.toString('utf8', pos, buf.indexOf(13, pos)));
        pos = end;
      }
    } catch (e) {
      this.fail(e as Error);
      return;
    }
    buf = buf.subarray(pos);
    this.leftover = buf.length > 0 ? Buffer.from(buf) : null;
    if (this.head > 4096 && this.head * 2 > queue.length) {
      queue.splice(0, this.head);
      this.head = 0;
    }
    if (this.inFlight < this.maxInFlight / 2 && this.waiters.length > 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const resolve of w) resolve();
    }
    while (this.marks.length > 0 && this.marks[0].upTo <= this.answered) this.marks.shift()!.resolve();
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
    for (const { reject } of this.marks) reject(e);
    this.marks = [];
  }

  /** The connection's failure, if it failed. */
  get error(): Error | null {
    return this.failure;
  }

  close(): void {
    this.socket.destroy();
  }
}
