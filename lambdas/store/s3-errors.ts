import { StoreError, StoreErrorCode } from './errors';

/** Mapping AWS SDK errors to StoreErrors whose messages say what to do next. */

export type S3Action =
  | 'GetObject'
  | 'HeadObject'
  | 'PutObject'
  | 'ListObjectsV2'
  | 'DeleteObjects'
  | 'CreateMultipartUpload'
  | 'UploadPart'
  | 'CompleteMultipartUpload'
  | 'AbortMultipartUpload'
  | 'ListMultipartUploads'
  | 'GetObjectRetention';

/** The IAM permission each action needs. */
const PERMISSION: Record<S3Action, string> = {
  GetObject: 's3:GetObject',
  HeadObject: 's3:GetObject',
  PutObject: 's3:PutObject',
  ListObjectsV2: 's3:ListBucket',
  DeleteObjects: 's3:DeleteObject',
  CreateMultipartUpload: 's3:PutObject',
  UploadPart: 's3:PutObject',
  CompleteMultipartUpload: 's3:PutObject',
  AbortMultipartUpload: 's3:AbortMultipartUpload',
  ListMultipartUploads: 's3:ListBucketMultipartUploads',
  GetObjectRetention: 's3:GetObjectRetention',
};

const WRITES: ReadonlySet<S3Action> = new Set<S3Action>([
  'PutObject',
  'DeleteObjects',
  'CreateMultipartUpload',
  'UploadPart',
  'CompleteMultipartUpload',
  'AbortMultipartUpload',
]);

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'UND_ERR_SOCKET',
]);
const NETWORK_CODE_IN_MESSAGE = new RegExp(`\\b(${[...NETWORK_CODES].join('|')})\\b`);
const NETWORK_NAMES = new Set(['TimeoutError', 'NetworkingError', 'RequestTimeout', 'RequestTimeoutException']);
const CREDENTIAL_NAMES = new Set(['InvalidAccessKeyId', 'SignatureDoesNotMatch', 'ExpiredToken', 'InvalidToken', 'TokenRefreshRequired', 'CredentialsProviderError']);
const UNAVAILABLE_NAMES = new Set(['InternalError', 'ServiceUnavailable', 'SlowDown', 'Throttling', 'ThrottlingException']);

/** The parts of an SDK error this module looks at. */
export interface SdkErrorFacts {
  /** The S3 error code ('NoSuchKey', 'AccessDenied', ...) or the JavaScript error name. */
  name: string;
  /** HTTP status, when S3 answered. */
  status?: number;
  /** A Node.js system error code ('ECONNREFUSED', ...), when the request never got an answer. */
  errno?: string;
  message: string;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? (value as Record<string, unknown>)[name] : undefined;
}

export function sdkErrorFacts(error: unknown): SdkErrorFacts {
  const metadata = field(error, '$metadata');
  const status = field(metadata, 'httpStatusCode');
  const code = field(error, 'code') ?? field(field(error, 'cause'), 'code');
  const s3Code = field(error, 'Code');
  const errorName = field(error, 'name');
  const name = typeof s3Code === 'string' ? s3Code : typeof errorName === 'string' ? errorName : 'Error';
  const messageField = field(error, 'message');
  const message = typeof messageField === 'string' ? messageField : String(error);
  return {
    name,
    status: typeof status === 'number' ? status : undefined,
    // A system error can reach us wrapped, its code only left in the message ("AWS SDK error wrapper for Error: connect ECONNREFUSED ...").
    errno: typeof code === 'string' ? code : NETWORK_CODE_IN_MESSAGE.exec(message)?.[1],
    message,
  };
}

/** True for an answer meaning "no such object" (GetObject's NoSuchKey, HeadObject's bare 404). */
export function isNoSuchKey(error: unknown): boolean {
  const { name, status } = sdkErrorFacts(error);
  return name === 'NoSuchKey' || name === 'NotFound' || (status === 404 && !['NoSuchBucket', 'NoSuchUpload'].includes(name));
}

export function hasS3Code(error: unknown, ...names: string[]): boolean {
  return names.includes(sdkErrorFacts(error).name);
}

export function isNetworkError(error: unknown): boolean {
  const facts = sdkErrorFacts(error);
  if (facts.status !== undefined) return false;
  return (facts.errno !== undefined && NETWORK_CODES.has(facts.errno)) || NETWORK_NAMES.has(facts.name) || /socket hang up/i.test(facts.message);
}

/** Where an action happened, for messages. */
export interface S3Target {
  /** The store's URL (s3://bucket/prefix). */
  store: string;
  bucket: string;
  /** The key relative to the store, when the action concerns one object. */
  key?: string;
  /** The full S3 key (prefix included), or the full listing prefix. */
  s3Key?: string;
  /** The endpoint, when not AWS's own. */
  endpoint?: string;
}

function location(target: S3Target): string {
  return `s3://${target.bucket}/${target.s3Key ?? ''}`;
}

function classify(error: unknown, action: S3Action, target: S3Target): { code: StoreErrorCode; advice: string } {
  const facts = sdkErrorFacts(error);
  const { name, status } = facts;
  const service = target.endpoint ?? 'S3';
  if (isNetworkError(error)) {
    return {
      code: 'STORE_UNREACHABLE',
      advice: `could not reach ${service}: check the network, the endpoint${target.endpoint ? '' : ' (REDIS_BACKUP_S3_ENDPOINT for S3-compatible servers)'} and that the service is up, then retry`,
    };
  }
  if (/region is missing/i.test(facts.message)) {
    return { code: 'STORE_BAD_URL', advice: 'no AWS region is configured: set AWS_REGION (or a region in the AWS profile)' };
  }
  if (CREDENTIAL_NAMES.has(name)) {
    const advice =
      name === 'CredentialsProviderError'
        ? 'no AWS credentials were found: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or run with an IAM role'
        : name === 'ExpiredToken' || name === 'TokenRefreshRequired'
          ? 'the AWS session credentials have expired: refresh them and retry'
          : 'S3 rejected the AWS credentials: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or the profile in use';
    return { code: 'STORE_ACCESS_DENIED', advice };
  }
  if (name === 'AccessDenied' || name === 'AllAccessDisabled' || status === 403) {
    const arn = action === 'ListObjectsV2' || action === 'ListMultipartUploads' ? `arn:aws:s3:::${target.bucket}` : `arn:aws:s3:::${target.bucket}/*`;
    const headNote = action === 'HeadObject' ? ' (S3 also answers 403 instead of 404 for a missing object when s3:ListBucket is not granted)' : '';
    return { code: 'STORE_ACCESS_DENIED', advice: `grant ${PERMISSION[action]} on ${arn} to the identity running redis-backup${headNote}` };
  }
  if (name === 'NoSuchBucket') {
    return { code: 'STORE_BAD_URL', advice: `bucket ${target.bucket} does not exist: create it or fix the store URL` };
  }
  if (name === 'PermanentRedirect' || name === 'AuthorizationHeaderMalformed' || status === 301) {
    return { code: 'STORE_BAD_URL', advice: `bucket ${target.bucket} is in another region: set AWS_REGION to the bucket's region` };
  }
  if (isNoSuchKey(error)) return { code: 'STORE_NOT_FOUND', advice: 'it does not exist' };
  if (UNAVAILABLE_NAMES.has(name) || (status !== undefined && status >= 500)) {
    return { code: 'STORE_UNREACHABLE', advice: `${service} is unavailable or throttling (HTTP ${status ?? '?'}): retry later` };
  }
  return {
    code: WRITES.has(action) ? 'STORE_WRITE_FAILED' : 'STORE_READ_FAILED',
    advice: 'retry; if it keeps failing, check the bucket configuration (policies, Object Lock, encryption keys)',
  };
}

/** An SDK error as a StoreError naming the action, the object and what to do next. */
export function mapS3Error(error: unknown, action: S3Action, target: S3Target): StoreError {
  if (error instanceof StoreError) return error;
  const facts = sdkErrorFacts(error);
  const { code, advice } = classify(error, action, target);
  const answer = [facts.name, facts.status, facts.errno].filter((part) => part !== undefined).join(' ');
  const message = `S3 ${action} on ${location(target)} failed (${answer}: ${facts.message}): ${advice}`;
  return new StoreError(code, message, { store: target.store, key: target.key }, { cause: error });
}
