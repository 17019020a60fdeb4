/** The snapshot stores: a local directory or S3, behind one contract. */
export * from './errors';
export * from './layout';
export type { IncompleteUpload, ObjectInfo, PutStreamOptions, PutStreamResult, SnapshotStore } from './store';
export { LocalStore } from './local-store';
export { S3Store } from './s3-store';
export type { S3StoreOptions } from './s3-store';
export type { S3ConnectionOptions } from './s3-client';
export type { MultipartEvent, MultipartListener } from './s3-upload';
export { openStore, parseStoreUrl } from './open-store';
export type { OpenStoreOptions, StoreLocation } from './open-store';
export { acquireLock } from './lock';
export type { Lock, LockOptions, LockRecord } from './lock';
