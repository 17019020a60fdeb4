/** Errors of the snapshot stores. */

export type StoreErrorCode =
  | 'STORE_NOT_FOUND'
  | 'STORE_UNREACHABLE'
  | 'STORE_ACCESS_DENIED'
  | 'STORE_WRITE_FAILED'
  /** A read failed for a reason other than the object missing, access or the network. */
  | 'STORE_READ_FAILED'
  | 'STORE_BAD_URL'
  /** A key or prefix the store refuses: empty, absolute, '.' or '..' segments, reserved names. */
  | 'STORE_BAD_KEY'
  | 'STORE_LOCKED';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    readonly context: { store: string; key?: string },
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

export class StoreNotFoundError extends StoreError {
  constructor(store: string, key: string) {
    super('STORE_NOT_FOUND', `${key} does not exist in ${store}`, { store, key });
    this.name = 'StoreNotFoundError';
  }
}
