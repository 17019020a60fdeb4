import type { S3Client } from '@aws-sdk/client-s3';
import { fileURLToPath } from 'node:url';
import { StoreError } from './errors';
import { LocalStore } from './local-store';
import type { S3ConnectionOptions } from './s3-client';
import { assertBucketName, normalizeS3Prefix } from './s3-location';
import type { MultipartListener } from './s3-upload';
import { SnapshotStore } from './store';

/** Where a store URL points. */
export type StoreLocation = { kind: 's3'; bucket: string; prefix: string } | { kind: 'local'; dir: string };

export interface OpenStoreOptions extends S3ConnectionOptions {
  /** For s3:// URLs: a client to use instead of one built from the options and the environment. */
  client?: S3Client;
  partSize?: number;
  queueSize?: number;
  onMultipart?: MultipartListener;
  /** Where REDIS_BACKUP_S3_ENDPOINT and AWS_REGION are read (default process.env). */
  env?: NodeJS.ProcessEnv;
}

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

function badUrl(url: string, why: string): StoreError {
  return new StoreError('STORE_BAD_URL', `Invalid store ${JSON.stringify(url)}: ${why}. Use s3://bucket/prefix or a directory path`, { store: url });
}

/**
 * Parses a store URL: `s3://bucket[/prefix]` (prefix normalised to '' or ending with '/'),
 * `file:///dir`, or a directory path. Other schemes are refused (STORE_BAD_URL) rather than
 * taken for directory names.
 */
export function parseStoreUrl(url: string): StoreLocation {
  if (url.trim() === '') throw badUrl(url, 'it is empty');
  if (url.includes('\0')) throw badUrl(url, 'it contains a NUL character');
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase() ?? (/^file:/i.test(url) ? 'file' : undefined);
  if (scheme === 's3') {
    const rest = url.slice('s3://'.length);
    if (/[?#]/.test(rest)) throw badUrl(url, 'query strings and fragments are not supported');
    const slash = rest.indexOf('/');
    const bucket = slash === -1 ? rest : rest.slice(0, slash);
    if (bucket === '') throw badUrl(url, 'it names no bucket');
    assertBucketName(bucket, url);
    return { kind: 's3', bucket, prefix: normalizeS3Prefix(slash === -1 ? '' : rest.slice(slash + 1), url) };
  }
  if (scheme === 'file') {
    try {
      return { kind: 'local', dir: fileURLToPath(url) };
    } catch (error) {
      throw badUrl(url, error instanceof Error ? error.message : String(error));
    }
  }
  if (scheme !== undefined) throw badUrl(url, `the scheme ${scheme}:// is not supported`);
  return { kind: 'local', dir: url };
}

/**
 * The S3 store and the AWS SDK behind it (about 25 MB of memory and 60 ms to load) are loaded
 * only when an s3:// store is opened, so local backups and restores do without them.
 */
function loadS3Store(): typeof import('./s3-store') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded lazily on purpose (above)
  return require('./s3-store') as typeof import('./s3-store');
}

/**
 * Opens the store at `url`: an S3Store for s3:// URLs, a LocalStore otherwise. S3 settings come
 * from `options`, then the environment (REDIS_BACKUP_S3_ENDPOINT for S3-compatible servers,
 * AWS_REGION), then the AWS SDK's defaults; credentials follow the standard AWS chain unless given.
 */
export function openStore(url: string, options: OpenStoreOptions = {}): SnapshotStore {
  const location = parseStoreUrl(url);
  if (location.kind === 'local') return new LocalStore(location.dir);
  const env = options.env ?? process.env;
  const endpoint = options.endpoint ?? (env.REDIS_BACKUP_S3_ENDPOINT || undefined);
  if (endpoint !== undefined && !/^https?:\/\/[^/]/i.test(endpoint)) {
    throw new StoreError('STORE_BAD_URL', `Invalid S3 endpoint ${JSON.stringify(endpoint)}: use http(s)://host[:port]`, { store: url });
  }
  const { S3Store } = loadS3Store();
  return new S3Store({
    ...options,
    bucket: location.bucket,
    prefix: location.prefix,
    endpoint,
    region: options.region ?? (env.AWS_REGION || undefined),
  });
}
