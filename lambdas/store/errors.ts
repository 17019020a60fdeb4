/** Errors of the snapshot stores. */

export type StoreErrorCode = 'STORE_NOT_FOUND' | 'STORE_UNREACHABLE' | 'STORE_ACCESS_DENIED' | 'STORE_WRITE_FAILED' | 'STORE_BAD_URL' | 'STORE_LOCKED';

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
