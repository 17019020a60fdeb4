import { AbortMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { Readable } from 'node:stream';
import { abandonBody, newBodyProgress, readBody } from './body';
import { StoreError } from './errors';
import { hasS3Code, mapS3Error, S3Target, sdkErrorFacts } from './s3-errors';
import { MultipartWriter, S3StepFailure } from './s3-multipart';
import { PutStreamOptions, PutStreamResult } from './store';

/** A multipart upload's life: created, then completed, aborted, or left behind because aborting failed. */
export interface MultipartEvent {
  /** The key relative to the store. */
  key: string;
  uploadId: string;
  state: 'created' | 'completed' | 'aborted' | 'abort-failed';
  /** Why aborting failed ('abort-failed' only). */
  error?: unknown;
}

export type MultipartListener = (event: MultipartEvent) => void;

export interface StreamUpload {
  client: S3Client;
  target: S3Target & { key: string; s3Key: string };
  body: Readable | AsyncIterable<Buffer>;
  options: PutStreamOptions;
  partSize: number;
  queueSize: number;
  onMultipart?: MultipartListener;
}

/** Aborts a multipart upload; one that is already gone (NoSuchUpload) counts as aborted. Returns the failure, if any. */
export async function abortMultipart(client: S3Client, bucket: string, s3Key: string, uploadId: string): Promise<unknown> {
  try {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: s3Key, UploadId: uploadId }));
    return undefined;
  } catch (error) {
    return hasS3Code(error, 'NoSuchUpload') ? undefined : error;
  }
}

function leftBehind(uploadId: string, abortError: unknown): string {
  const facts = sdkErrorFacts(abortError);
  const why = `${facts.name}${facts.errno ? ` ${facts.errno}` : ''}: ${facts.message}`;
  return (
    `its multipart upload ${uploadId} could not be aborted (${why}); its parts stay stored (and billed) until ` +
    'abortIncomplete (redis-backup cleanup) or a bucket lifecycle rule with AbortIncompleteMultipartUpload removes them'
  );
}

/**
 * putStream for S3 (MultipartWriter: a single PutObject for bodies up to one part, else a
 * multipart upload with `queueSize` parts in flight, each with a SHA-256 checksum).
 *
 * When the body fails, the signal aborts (which fails the body, and stops a writer waiting for
 * S3), or a request fails, the writer stops reading and lets the part requests in flight settle;
 * only then is the upload aborted. (S3 may still store a part whose request failed on our side
 * after that: such leftovers are what abortIncomplete and the bucket's lifecycle rule clean up.)
 * An abort that comes after the whole body was read no longer cancels the write: putStream
 * resolves.
 */
export async function uploadStream(u: StreamUpload): Promise<PutStreamResult> {
  const { client, target, body, options } = u;
  options.signal?.throwIfAborted();
  const progress = newBodyProgress();
  const emit = (state: MultipartEvent['state'], error?: unknown): void => {
    if (writer.uploadId !== undefined) u.onMultipart?.({ key: target.key, uploadId: writer.uploadId, state, ...(error === undefined ? {} : { error }) });
  };
  const writer: MultipartWriter = new MultipartWriter({
    client,
    bucket: target.bucket,
    s3Key: target.s3Key,
    contentType: options.contentType,
    partSize: u.partSize,
    queueSize: u.queueSize,
    onCreated: () => emit('created'),
  });

  // The abort reason is the caller's error, also when it comes while the writer waits for S3.
  const onAbort = (): void => {
    if (progress.ended) return;
    progress.failure ??= { error: options.signal?.reason };
    writer.stop(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let failure: { error: unknown } | undefined;
  try {
    await writer.write(readBody(body, options.signal, progress));
  } catch (error) {
    failure = { error };
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (!failure) {
    emit('completed');
    return { size: progress.bytes };
  }

  abandonBody(body, progress);
  const uploadId = writer.uploadId;
  const abortError = uploadId === undefined ? undefined : await abortMultipart(client, target.bucket, target.s3Key, uploadId);
  emit(abortError === undefined ? 'aborted' : 'abort-failed', abortError);

  const caller = progress.failure; // the body's own error, or the abort reason
  if (caller && abortError === undefined) throw caller.error;
  if (caller && uploadId !== undefined) {
    const callerError = caller.error;
    const mapped = mapS3Error(abortError, 'AbortMultipartUpload', target);
    const why = sdkErrorFacts(callerError).message;
    throw new StoreError(mapped.code, `Writing ${target.key} to ${target.store} stopped (${why}) and ${leftBehind(uploadId, abortError)}`, mapped.context, {
      cause: callerError,
    });
  }
  const step = failure.error instanceof S3StepFailure ? failure.error : new S3StepFailure(uploadId === undefined ? 'PutObject' : 'UploadPart', failure.error);
  const mapped = mapS3Error(step.error, step.action, target);
  if (uploadId === undefined) throw mapped;
  const outcome = abortError === undefined ? `its multipart upload ${uploadId} was aborted` : leftBehind(uploadId, abortError);
  throw new StoreError(mapped.code, `${mapped.message}; ${outcome}`, mapped.context, { cause: step.error });
}
