import { StoreError } from './errors';

/** Bucket names and key prefixes of S3 stores. */

// S3's rules, plus the uppercase and '_' that some S3-compatible servers and legacy buckets allow.
const BUCKET = /^[A-Za-z0-9][A-Za-z0-9._-]{1,61}[A-Za-z0-9]$/;

export function assertBucketName(bucket: string, url: string): void {
  if (!BUCKET.test(bucket)) {
    throw new StoreError(
      'STORE_BAD_URL',
      `Invalid S3 bucket name ${JSON.stringify(bucket)} in ${url}: a bucket name has 3 to 63 letters, digits, '.', '-' or '_', starting and ending with a letter or digit`,
      { store: url },
    );
  }
}

/**
 * A store's key prefix: '' or '/'-separated segments ending with '/' ('backups/prod/'). Leading
 * slashes are dropped and a missing trailing one added; empty, '.' and '..' segments are refused.
 */
export function normalizeS3Prefix(prefix: string, url: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  if (trimmed === '') return '';
  const segments = (trimmed.endsWith('/') ? trimmed.slice(0, -1) : trimmed).split('/');
  const bad = segments.find((s) => s === '' || s === '.' || s === '..');
  if (bad !== undefined) {
    throw new StoreError('STORE_BAD_URL', `Invalid S3 prefix ${JSON.stringify(prefix)} in ${url}: it has an ${bad === '' ? 'empty' : `"${bad}"`} path segment`, {
      store: url,
    });
  }
  return `${segments.join('/')}/`;
}

export function s3Url(bucket: string, prefix: string): string {
  return `s3://${bucket}/${prefix}`;
}
