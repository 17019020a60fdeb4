import { FileHandle } from 'node:fs/promises';

/** Bytes gathered before one write to the file. */
export const WRITE_BATCH_BYTES = 1 << 20;

/** Writes every byte of `buffers` at the file's current position (writev may write less than asked). */
async function writevAll(handle: FileHandle, buffers: Buffer[]): Promise<void> {
  let rest = buffers;
  while (rest.length > 0) {
    const { bytesWritten } = await handle.writev(rest);
    let skip = bytesWritten;
    let i = 0;
    while (i < rest.length && skip >= rest[i].length) skip -= rest[i++].length;
    rest = rest.slice(i);
    if (rest.length > 0 && skip > 0) rest[0] = rest[0].subarray(skip);
  }
}

/**
 * A stream of buffers written to a file in batches of about `batchBytes` (one writev each)
 * instead of one write per buffer, with one batch on its way to the disk while the next one
 * gathers, so the producer keeps running while the disk writes. The buffers are kept until
 * written: a producer must not reuse a buffer it has handed over.
 *
 * With `syncEveryBytes`, a data sync of what is written so far starts every that many bytes,
 * beside the writes (never holding them up): the disk then writes while the stream still
 * runs, and the caller's final sync has little left to do instead of the whole file.
 */
export class BatchedFileWriter {
  private batch: Buffer[] = [];
  private batchBytes = 0;
  private inFlight: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  private unsynced = 0;

  constructor(
    private readonly handle: FileHandle,
    private readonly batchLimit = WRITE_BATCH_BYTES,
    private readonly syncEveryBytes = 0,
  ) {}

  /** Adds a buffer; waits only when a batch is full while the previous one is still being written. */
  async write(chunk: Buffer): Promise<void> {
    if (chunk.length === 0) return;
    this.batch.push(chunk);
    this.batchBytes += chunk.length;
    if (this.batchBytes >= this.batchLimit) await this.startBatch();
  }

  /** Writes what is gathered and waits for every write (and early sync); rejects with the first failure. */
  async finish(): Promise<void> {
    if (this.batchBytes > 0) await this.startBatch();
    const last = this.inFlight;
    this.inFlight = null;
    await last;
    const syncing = this.syncing;
    this.syncing = null;
    await syncing;
  }

  /** Waits for the write and sync in flight, whatever their outcome (so the file can be closed after a failure). */
  async settle(): Promise<void> {
    const last = this.inFlight;
    const syncing = this.syncing;
    this.inFlight = null;
    this.syncing = null;
    await last?.catch(() => undefined);
    await syncing?.catch(() => undefined);
  }

  private async startBatch(): Promise<void> {
    const buffers = this.batch;
    this.unsynced += this.batchBytes;
    this.batch = [];
    this.batchBytes = 0;
    const previous = this.inFlight;
    this.inFlight = null;
    await previous;
    const writing = writevAll(this.handle, buffers);
    // Observed by the next startBatch, finish or settle; until then it must not count as unhandled.
    writing.catch(() => undefined);
    this.inFlight = writing;
    if (this.syncEveryBytes > 0 && this.unsynced >= this.syncEveryBytes && this.syncing === null) this.startSync(writing);
  }

  /** Starts a data sync once `written` is on its way; the next one starts only after it ends. */
  private startSync(written: Promise<void>): void {
    this.unsynced = 0;
    const syncing: Promise<void> = written
      .then(() => this.handle.datasync())
      .then(() => {
        if (this.syncing === syncing) this.syncing = null;
      });
    // Dropped once it succeeded; a failure stays (no later sync starts) for finish or settle to observe.
    syncing.catch(() => undefined);
    this.syncing = syncing;
  }
}
