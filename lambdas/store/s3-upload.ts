import { AbortMultipartUploadCommand, S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { Readable } from 'node:stream';
import { abandonBody, newBodyProgress, readBody } from './body';
import { StoreError } from './errors';
import { hasS3Code, mapS3Error, S3Target, sdkErrorFacts } from './s3-errors';
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
 * putStream for S3: lib-storage's Upload (a single PutObject for bodies up to one part, else a
 * multipart upload with `queueSize` parts in flight, each with a SHA-256 checksum).
 *
 * Aborting through the signal fails the body instead of calling `Upload.abort()`: in
 * lib-storage 3.x, abort() rejects done() at once while parts are still in flight and sends
 * AbortMultipartUpload without waiting for it, so nobody could know when cleanup finished. A
 * failing body makes lib-storage finish its in-flight parts, abort the upload and only then
 * reject; this function then aborts once more (NoSuchUpload = already done), which also frees a
 * part that landed after the first abort, as S3 documents. An abort that comes after the whole
 * body was read no longer cancels the write: putStream resolves.
 */
export async function uploadStream(u: StreamUpload): Promise<PutStreamResult> {
  const { client, target, body, options } = u;
  options.signal?.throwIfAborted();
  const progress = newBodyProgress();
  const upload = new Upload({
    client,
    params: {
      Bucket: target.bucket,
      Key: target.s3Key,
      Body: Readable.from(readBody(body, options.signal, progress)),
      ContentType: options.contentType,
      ChecksumAlgorithm: 'SHA256',
    },
    partSize: u.partSize,
    queueSize: u.queueSize,
    leavePartsOnError: false,
  });
  let uploadId: string | undefined;
  const emit = (state: MultipartEvent['state'], error?: unknown): void => {
    if (uploadId !== undefined) u.onMultipart?.({ key: target.key, uploadId, state, ...(error === undefined ? {} : { error }) });
  };
  const noticeCreated = (): void => {
    if (uploadId === undefined && upload.uploadId !== undefined) {
      uploadId = upload.uploadId;
      emit('created');
    }
  };
  upload.on('httpUploadProgress', noticeCreated);

  let failure: { error: unknown } | undefined;
  try {
    await upload.done();
  } catch (error) {
    failure = { error };
  }
  noticeCreated();
  if (!failure) {
    emit('completed');
    return { size: progress.bytes };
  }

  abandonBody(body, progress);
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
  const mapped = mapS3Error(failure.error, uploadId === undefined ? 'PutObject' : 'MultipartUpload', target);
  if (uploadId === undefined) throw mapped;
  const outcome = abortError === undefined ? `its multipart upload ${uploadId} was aborted` : leftBehind(uploadId, abortError);
  throw new StoreError(mapped.code, `${mapped.message}; ${outcome}`, mapped.context, { cause: failure.error });
}
