import { CompletedPart, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { StoreError } from './errors';
import { PartPool } from './part-pool';
import { S3Action } from './s3-errors';

/** S3's limit on the parts of one multipart upload. */
export const MAX_PARTS = 10_000;

/** An S3 request that failed, and which one it was. */
export class S3StepFailure extends Error {
  constructor(
    readonly action: S3Action,
    readonly error: unknown,
  ) {
    super(`${action} failed`, { cause: error });
    this.name = 'S3StepFailure';
  }
}

export interface MultipartWriterOptions {
  client: S3Client;
  bucket: string;
  /** The full S3 key. */
  s3Key: string;
  contentType?: string;
  /** Bytes per part (every part but the last). */
  partSize: number;
  /** Parts uploaded at once; one more buffer is being filled meanwhile. */
  queueSize: number;
  /** Told the upload id as soon as CreateMultipartUpload answers. */
  onCreated?: (uploadId: string) => void;
}

/**
 * Writes one object to S3 from a stream of pieces: a single PutObject when the whole body
 * fits in one part, otherwise a multipart upload with up to `queueSize` parts in flight,
 * each with a SHA-256 checksum, completed once every part is stored.
 *
 * The pieces are copied into a PartPool of `queueSize + 1` buffers as they arrive, so the
 * body's buffers are free at once and the upload's memory stays at the pool's size.
 *
 * write() rejects with the body's own error when the body fails, the reason given to stop(),
 * or an S3StepFailure naming the request that failed. Either way every part request has
 * settled before it rejects, so the caller's AbortMultipartUpload comes after all of them.
 */
export class MultipartWriter {
  private readonly pool: PartPool;
  private readonly parts: CompletedPart[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private failure: S3StepFailure | undefined;
  private stopped: { reason: unknown } | undefined;
  /** Part requests sent and not yet answered. */
  private running = 0;
  private slotWaiters: Array<() => void> = [];
  private maxInFlightSeen = 0;
  private id: string | undefined;

  constructor(private readonly options: MultipartWriterOptions) {
    this.pool = new PartPool(options.partSize, options.queueSize + 1);
  }

  /** The multipart upload's id, once created (never for a single PutObject). */
  get uploadId(): string | undefined {
    return this.id;
  }

  /** What the upload held at most: part buffers, and part requests at once. */
  get stats(): { buffersAllocated: number; maxInFlight: number; parts: number } {
    return { buffersAllocated: this.pool.buffersAllocated, maxInFlight: this.maxInFlightSeen, parts: this.parts.length };
  }

  async write(pieces: AsyncIterable<Buffer>): Promise<void> {
    try {
      await this.writeAll(pieces);
    } catch (error) {
      this.pool.close(error);
      await Promise.allSettled([...this.inFlight]);
      throw error;
    }
  }

  private async writeAll(pieces: AsyncIterable<Buffer>): Promise<void> {
    const { partSize } = this.options;
    let part: Buffer | undefined;
    let fill = 0;
    for await (const piece of pieces) {
      this.throwIfFailed();
      let offset = 0;
      while (offset < piece.length) {
        // A full buffer is sent only once more bytes come: a body of exactly one part stays a single PutObject.
        if (part !== undefined && fill === partSize) {
          await this.sendPart(part, fill);
          part = undefined;
        }
        if (part === undefined) {
          part = await this.pool.take();
          fill = 0;
        }
        const copied = piece.copy(part, fill, offset);
        fill += copied;
        offset += copied;
      }
    }
    this.throwIfFailed();
    if (this.id === undefined) {
      await this.putWhole(part === undefined ? Buffer.alloc(0) : part.subarray(0, fill));
      return;
    }
    if (part !== undefined && fill > 0) await this.sendPart(part, fill);
    await Promise.allSettled([...this.inFlight]);
    this.throwIfFailed();
    await this.complete(this.id);
  }

  /**
   * Stops the write from outside (the caller's abort): a write waiting for a free slot or buffer
   * rejects with `reason` at once, after the parts in flight settle.
   */
  stop(reason: unknown): void {
    this.stopped ??= { reason };
    this.pool.close(reason);
    this.wakeSlotWaiters();
  }

  private throwIfFailed(): void {
    if (this.stopped) throw this.stopped.reason;
    if (this.failure) throw this.failure;
  }

  private async step<T>(action: S3Action, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw new S3StepFailure(action, error);
    }
  }

  private async putWhole(body: Buffer): Promise<void> {
    const { client, bucket, s3Key, contentType } = this.options;
    await this.step('PutObject', () =>
      client.send(new PutObjectCommand({ Bucket: bucket, Key: s3Key, Body: body, ContentType: contentType, ChecksumAlgorithm: 'SHA256' })),
    );
  }

  private async create(): Promise<string> {
    const { client, bucket, s3Key, contentType, onCreated } = this.options;
    const created = await this.step('CreateMultipartUpload', () =>
      client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: s3Key, ContentType: contentType, ChecksumAlgorithm: 'SHA256' })),
    );
    const uploadId = created.UploadId;
    if (uploadId === undefined) throw new S3StepFailure('CreateMultipartUpload', new Error('CreateMultipartUpload answered without an UploadId'));
    this.id = uploadId;
    onCreated?.(uploadId);
    return uploadId;
  }

  /** Waits until fewer than queueSize parts are in flight; throws once a part has failed. */
  private async waitForSlot(): Promise<void> {
    while (this.running >= this.options.queueSize && !this.failure && !this.stopped) {
      await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    }
    this.throwIfFailed();
  }

  private partSettled(): void {
    this.running--;
    this.wakeSlotWaiters();
  }

  private wakeSlotWaiters(): void {
    const waiters = this.slotWaiters;
    this.slotWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Starts uploading `buffer[0, length)` as the next part once a slot is free; the buffer goes back to the pool once S3 has it. */
  private async sendPart(buffer: Buffer, length: number): Promise<void> {
    await this.waitForSlot();
    const uploadId = this.id ?? (await this.create());
    const { client, bucket, s3Key, partSize } = this.options;
    const partNumber = this.parts.length + 1;
    if (partNumber > MAX_PARTS) {
      throw new StoreError(
        'STORE_WRITE_FAILED',
        `s3://${bucket}/${s3Key} needs more than ${MAX_PARTS} parts of ${partSize} bytes (S3's limit): raise the store's partSize`,
        { store: `s3://${bucket}/`, key: s3Key },
      );
    }
    this.parts.push({ PartNumber: partNumber });
    const request = client.send(
      new UploadPartCommand({ Bucket: bucket, Key: s3Key, UploadId: uploadId, PartNumber: partNumber, Body: buffer.subarray(0, length), ChecksumAlgorithm: 'SHA256' }),
    );
    this.running++;
    this.maxInFlightSeen = Math.max(this.maxInFlightSeen, this.running);
    const tracked: Promise<void> = request
      .then((answer) => {
        if (answer.ETag === undefined) throw new Error(`part ${partNumber} was stored without an ETag`);
        this.parts[partNumber - 1] = { PartNumber: partNumber, ETag: answer.ETag, ChecksumSHA256: answer.ChecksumSHA256 };
        this.pool.give(buffer);
        this.partSettled();
      })
      .catch((error: unknown) => {
        // The buffer is not given back: the request may still hold it.
        this.failure ??= new S3StepFailure('UploadPart', error);
        this.pool.close(this.failure);
        this.partSettled();
      })
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  private async complete(uploadId: string): Promise<void> {
    const { client, bucket, s3Key } = this.options;
    await this.step('CompleteMultipartUpload', () =>
      client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: s3Key, UploadId: uploadId, MultipartUpload: { Parts: this.parts } })),
    );
  }
}
