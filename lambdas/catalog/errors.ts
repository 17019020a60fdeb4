/** Errors of the snapshot catalog. */

export type CatalogErrorCode =
  | 'CATALOG_BAD_MANIFEST'
  | 'CATALOG_SNAPSHOT_NOT_FOUND'
  | 'CATALOG_NO_SNAPSHOTS'
  | 'CATALOG_VERIFY_FAILED'
  | 'CATALOG_RETAINED'
  | 'CATALOG_BAD_SOURCE'
  | 'CATALOG_COMMIT_CONFLICT'
  /** The snapshot is of the other kind (rdb or aof) than the operation takes. */
  | 'CATALOG_WRONG_KIND';

export class CatalogError extends Error {
  constructor(
    readonly code: CatalogErrorCode,
    message: string,
    readonly context: { where?: string; source?: string; snapshotId?: string; chunk?: number },
  ) {
    super(message);
    this.name = 'CatalogError';
  }
}
