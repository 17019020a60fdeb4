import {
  _Object,
  DeleteObjectsCommand,
  GetObjectCommand,
  GetObjectCommandOutput,
  GetObjectRetentionCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListMultipartUploadsCommandOutput,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { PassThrough, Readable } from 'node:stream';
import { StoreError, StoreNotFoundError } from './errors';
import { assertValidKey, assertValidPrefix } from './keys';
import { checkRange, emptyStream } from './range';
import { S3ConnectionOptions, createS3Client } from './s3-client';
import { addSinglePassSha256 } from './s3-part-checksum';
import { hasS3Code, isNoSuchKey, mapS3Error, S3Action, S3Target, sdkErrorFacts } from './s3-errors';
import { assertBucketName, normalizeS3Prefix, s3Url } from './s3-location';
import { abortMultipart, MultipartListener, uploadStream } from './s3-upload';
import { IncompleteUpload, ObjectInfo, PutStreamOptions, PutStreamResult, SnapshotStore } from './store';

const MIB = 1024 * 1024;
/** S3's smallest part, except the last. */
const MIN_PART_SIZE = 5 * MIB;
const DELETE_BATCH = 1000;

export interface S3StoreOptions extends S3ConnectionOptions {
  bucket: string;
  /** Key prefix of every object; normalised to '' or ending with '/'. */
  prefix?: string;
  /** A client to use instead of one built from the connection options. */
  client?: S3Client;
  /** Multipart part size in bytes (default 8 MiB, at least 5 MiB). Each putStream holds at most (queueSize + 1) × partSize bytes of part buffers. */
  partSize?: number;
  /** Parts uploaded concurrently per putStream (default 4). */
  queueSize?: number;
  /** Told when a putStream's multipart upload is created, completed, aborted, or left behind. */
  onMultipart?: MultipartListener;
}

/**
 * A SnapshotStore in S3 (or an S3-compatible server): key `k` is the object `<prefix>k`.
 *
 * - putStream: multipart upload with SHA-256 checksums on every part; see uploadStream.
 * - putIfAbsent: HEAD, then PutObject with `If-None-Match: *`. S3 makes the create atomic
 *   (412 when the key exists); the HEAD only narrows the race on S3-compatible servers that
 *   ignore the header (s3rver, older MinIO), where a concurrent create can still be overwritten.
 *   A 409 ConditionalRequestConflict (a concurrent conditional write) is retried once.
 * - listIncomplete: ListMultipartUploads; a server that does not implement it (501) lists none.
 *
 * Permissions: s3:ListBucket on the bucket (listing, and without it S3 answers 403 instead of
 * 404 for a missing object), s3:GetObject, s3:PutObject, s3:DeleteObject,
 * s3:AbortMultipartUpload and s3:ListBucketMultipartUploads under the prefix, plus
 * s3:GetObjectRetention with Object Lock.
 */
export class S3Store implements SnapshotStore {
  readonly url: string;
  readonly bucket: string;
  readonly prefix: string;
  readonly client: S3Client;
  private readonly partSize: number;
  private readonly queueSize: number;
  private readonly onMultipart?: MultipartListener;
  private readonly endpoint?: string;

  constructor(options: S3StoreOptions) {
    const where = s3Url(options.bucket, options.prefix ?? '');
    assertBucketName(options.bucket, where);
    this.bucket = options.bucket;
    this.prefix = normalizeS3Prefix(options.prefix ?? '', where);
    this.url = s3Url(this.bucket, this.prefix);
    this.partSize = options.partSize ?? 8 * MIB;
    this.queueSize = options.queueSize ?? 4;
    if (!Number.isSafeInteger(this.partSize) || this.partSize < MIN_PART_SIZE) {
      throw new RangeError(`S3Store partSize must be an integer of at least ${MIN_PART_SIZE} bytes (5 MiB), got ${options.partSize}`);
    }
    if (!Number.isSafeInteger(this.queueSize) || this.queueSize < 1) {
      throw new RangeError(`S3Store queueSize must be a positive integer, got ${options.queueSize}`);
    }
    this.onMultipart = options.onMultipart;
    this.endpoint = options.endpoint;
    this.client = options.client ?? createS3Client(options);
    addSinglePassSha256(this.client);
  }

  /** Where `key` is, validated: for messages and requests. */
  private target(key: string): S3Target & { key: string; s3Key: string } {
    assertValidKey(this.url, key);
    return { store: this.url, bucket: this.bucket, key, s3Key: `${this.prefix}${key}`, endpoint: this.endpoint };
  }

  private listTarget(prefix: string): S3Target & { s3Key: string } {
    assertValidPrefix(this.url, prefix);
    return { store: this.url, bucket: this.bucket, s3Key: `${this.prefix}${prefix}`, endpoint: this.endpoint };
  }

  /** The store-relative key of a full S3 key, or undefined for keys outside the prefix or folder markers. */
  private relative(s3Key: string | undefined): string | undefined {
    if (s3Key === undefined || !s3Key.startsWith(this.prefix) || s3Key.endsWith('/')) return undefined;
    return s3Key.slice(this.prefix.length);
  }

  private async call<T>(action: S3Action, target: S3Target, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      throw mapS3Error(error, action, target);
    }
  }

  async putStream(key: string, body: Readable | AsyncIterable<Buffer>, options: PutStreamOptions = {}): Promise<PutStreamResult> {
    return uploadStream({
      client: this.client,
      target: this.target(key),
      body,
      options,
      partSize: this.partSize,
      queueSize: this.queueSize,
      onMultipart: this.onMultipart,
    });
  }

  async put(key: string, body: Buffer, contentType?: string): Promise<void> {
    const target = this.target(key);
    await this.call('PutObject', target, () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: target.s3Key, Body: body, ContentType: contentType, ChecksumAlgorithm: 'SHA256' })),
    );
  }

  async putIfAbsent(key: string, body: Buffer, contentType?: string): Promise<boolean> {
    const target = this.target(key);
    // Only narrows the race on servers that ignore If-None-Match; S3 itself decides atomically below.
    if ((await this.head(key)) !== null) return false;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.send(
          new PutObjectCommand({ Bucket: this.bucket, Key: target.s3Key, Body: body, ContentType: contentType, ChecksumAlgorithm: 'SHA256', IfNoneMatch: '*' }),
        );
        return true;
      } catch (error) {
        const { name, status } = sdkErrorFacts(error);
        if (name === 'PreconditionFailed' || status === 412) return false;
        // 409: a concurrent conditional write to the key was in progress; the retry sees its outcome.
        if ((name === 'ConditionalRequestConflict' || status === 409) && attempt === 1) continue;
        throw mapS3Error(error, 'PutObject', target);
      }
    }
  }

  async get(key: string): Promise<Buffer | null> {
    const target = this.target(key);
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: target.s3Key }));
      return response.Body ? Buffer.from(await response.Body.transformToByteArray()) : Buffer.alloc(0);
    } catch (error) {
      if (isNoSuchKey(error)) return null;
      throw mapS3Error(error, 'GetObject', target);
    }
  }

  async getStream(key: string, range?: { start: number; end: number }): Promise<Readable> {
    const target = this.target(key);
    if (range) checkRange(this.url, key, range);
    if (range && range.start === range.end) {
      // HTTP cannot ask for zero bytes; still report a missing object.
      if ((await this.head(key)) === null) throw new StoreNotFoundError(this.url, key);
      return emptyStream();
    }
    let response: GetObjectCommandOutput;
    try {
      response = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: target.s3Key, Range: range ? `bytes=${range.start}-${range.end - 1}` : undefined }),
      );
    } catch (error) {
      if (isNoSuchKey(error)) throw new StoreNotFoundError(this.url, key);
      if (hasS3Code(error, 'InvalidRange')) return emptyStream(); // the range starts at or past the end
      throw mapS3Error(error, 'GetObject', target);
    }
    const body = response.Body;
    if (body === undefined) return emptyStream();
    if (!(body instanceof Readable)) {
      throw new StoreError('STORE_READ_FAILED', `S3 GetObject on ${this.url}${key} returned a body that is not a Node.js stream`, { store: this.url, key });
    }
    return relayErrors(body, (error) => mapS3Error(error, 'GetObject', target));
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const target = this.target(key);
    try {
      const response = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: target.s3Key }));
      return { key, size: response.ContentLength ?? 0, lastModified: response.LastModified ?? new Date(0) };
    } catch (error) {
      if (isNoSuchKey(error)) return null;
      throw mapS3Error(error, 'HeadObject', target);
    }
  }

  async *list(prefix: string): AsyncIterable<ObjectInfo> {
    const target = this.listTarget(prefix);
    let token: string | undefined;
    do {
      const page = await this.call('ListObjectsV2', target, () =>
        this.client.send(new ListObjectsV2Command({ Bucket: this.bucket, Prefix: target.s3Key, ContinuationToken: token })),
      );
      for (const object of page.Contents ?? []) {
        const info = this.objectInfo(object);
        if (info) yield info;
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
  }

  private objectInfo(object: _Object): ObjectInfo | undefined {
    const key = this.relative(object.Key);
    if (key === undefined) return undefined;
    return { key, size: object.Size ?? 0, lastModified: object.LastModified ?? new Date(0) };
  }

  async delete(keys: string[]): Promise<void> {
    const targets = keys.map((key) => this.target(key));
    for (let i = 0; i < targets.length; i += DELETE_BATCH) {
      const batch = targets.slice(i, i + DELETE_BATCH);
      const first = batch[0];
      const response = await this.call('DeleteObjects', { ...first, key: undefined, s3Key: this.prefix }, () =>
        this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: batch.map((t) => ({ Key: t.s3Key })), Quiet: true } })),
      );
      const failed = (response.Errors ?? []).find((e) => e.Code !== 'NoSuchKey');
      if (failed) {
        const target = batch.find((t) => t.s3Key === failed.Key) ?? first;
        const error = Object.assign(new Error(failed.Message ?? 'delete failed'), { name: failed.Code ?? 'Error' });
        throw mapS3Error(error, 'DeleteObjects', target);
      }
    }
  }

  /** Multipart uploads under `prefix` that were never completed or aborted. */
  async listIncomplete(prefix: string): Promise<IncompleteUpload[]> {
    const target = this.listTarget(prefix);
    const found: IncompleteUpload[] = [];
    let keyMarker: string | undefined;
    let uploadIdMarker: string | undefined;
    do {
      let page: ListMultipartUploadsCommandOutput;
      try {
        page = await this.client.send(
          new ListMultipartUploadsCommand({ Bucket: this.bucket, Prefix: target.s3Key, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }),
        );
      } catch (error) {
        // Some S3-compatible servers (s3rver) cannot list uploads: there is nothing this store can find then.
        if (hasS3Code(error, 'NotImplemented') || sdkErrorFacts(error).status === 501) return [];
        throw mapS3Error(error, 'ListMultipartUploads', target);
      }
      for (const upload of page.Uploads ?? []) {
        const key = this.relative(upload.Key);
        if (key !== undefined && upload.UploadId) found.push({ key, uploadId: upload.UploadId, initiated: upload.Initiated ?? new Date(0) });
      }
      const more = page.IsTruncated === true;
      keyMarker = more ? page.NextKeyMarker : undefined;
      uploadIdMarker = more ? page.NextUploadIdMarker : undefined;
    } while (keyMarker !== undefined);
    return found;
  }

  async abortIncomplete(upload: IncompleteUpload): Promise<void> {
    const target = this.target(upload.key);
    if (upload.uploadId === undefined) {
      throw new StoreError('STORE_BAD_KEY', `${upload.key} has no upload id: pass an entry returned by listIncomplete of ${this.url}`, {
        store: this.url,
        key: upload.key,
      });
    }
    const failure = await abortMultipart(this.client, this.bucket, target.s3Key, upload.uploadId);
    if (failure !== undefined) throw mapS3Error(failure, 'AbortMultipartUpload', target);
  }

  /** Object Lock's retain-until date; null without Object Lock or retention on the object, or on servers without Object Lock. */
  async retainedUntil(key: string): Promise<Date | null> {
    const target = this.target(key);
    try {
      const response = await this.client.send(new GetObjectRetentionCommand({ Bucket: this.bucket, Key: target.s3Key }));
      return response.Retention?.RetainUntilDate ?? null;
    } catch (error) {
      if (hasS3Code(error, 'NoSuchObjectLockConfiguration', 'InvalidRequest', 'NotImplemented') || sdkErrorFacts(error).status === 501) return null;
      if (isNoSuchKey(error)) return null;
      throw mapS3Error(error, 'GetObjectRetention', target);
    }
  }
}

/** `source` through a stream whose errors are mapped; destroying the result releases the source. */
function relayErrors(source: Readable, map: (error: unknown) => Error): Readable {
  const out = new PassThrough();
  source.once('error', (error) => out.destroy(map(error)));
  out.once('close', () => source.destroy());
  source.pipe(out);
  return out;
}
