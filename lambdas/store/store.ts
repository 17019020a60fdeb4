import { Readable } from 'node:stream';

/** One stored object. Keys are relative to the store's root (its directory or s3://bucket/prefix). */
export interface ObjectInfo {
  key: string;
  size: number;
  lastModified: Date;
}

/** A write in progress that never completed: an S3 multipart upload, or a local temporary file. */
export interface IncompleteUpload {
  key: string;
  /** S3 upload id; undefined for a local temporary file. */
  uploadId?: string;
  initiated: Date;
}

export interface PutStreamOptions {
  /** Aborting stops the upload and removes every part already written. */
  signal?: AbortSignal;
  contentType?: string;
}

export interface PutStreamResult {
  /** Bytes stored. */
  size: number;
}

/**
 * Where snapshots live. Two implementations share this contract and the same layout:
 * a local directory (LocalStore) and S3 (S3Store, `s3://bucket/prefix`).
 *
 * Atomicity rules every implementation keeps:
 * - `putStream` makes the object visible only once all of it is stored; if the body
 *   errors or the signal aborts, nothing is left behind (the S3 multipart upload is
 *   aborted, the local temporary file removed) and the promise rejects.
 * - `putIfAbsent` is a conditional create: it never replaces an existing object.
 */
export interface SnapshotStore {
  /** A description of the store for messages: a directory path or s3://bucket/prefix. */
  readonly url: string;
  /** Stores a streamed object. The store may keep the body's buffers until they are written: a body must not reuse a buffer it has yielded. */
  putStream(key: string, body: Readable | AsyncIterable<Buffer>, options?: PutStreamOptions): Promise<PutStreamResult>;
  /** Writes a small object, replacing any existing one. */
  put(key: string, body: Buffer, contentType?: string): Promise<void>;
  /** Creates a small object only if none exists under `key`; resolves false (and writes nothing) if one does. */
  putIfAbsent(key: string, body: Buffer, contentType?: string): Promise<boolean>;
  /** A small object's bytes, or null if it does not exist. */
  get(key: string): Promise<Buffer | null>;
  /** Streams an object, or the byte range [start, end) of it. Rejects with StoreNotFoundError if missing. */
  getStream(key: string, range?: { start: number; end: number }): Promise<Readable>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Every object whose key starts with `prefix`, in key order. */
  list(prefix: string): AsyncIterable<ObjectInfo>;
  /** Deletes the given objects (missing ones are ignored). */
  delete(keys: string[]): Promise<void>;
  /** Writes under `prefix` that never completed. */
  listIncomplete(prefix: string): Promise<IncompleteUpload[]>;
  abortIncomplete(upload: IncompleteUpload): Promise<void>;
  /** The date until which Object Lock forbids deleting `key` (S3 only), or null. */
  retainedUntil(key: string): Promise<Date | null>;
}
