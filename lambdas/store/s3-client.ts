import { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';

/** How to reach S3 or an S3-compatible server. Unset fields follow the AWS SDK's own defaults and credential chain. */
export interface S3ConnectionOptions {
  region?: string;
  /** An S3-compatible server's URL (MinIO, Ceph, s3rver...); path-style addressing is then the default. */
  endpoint?: string;
  forcePathStyle?: boolean;
  credentials?: S3ClientConfig['credentials'];
  /** Attempts per request, retries included (SDK default 3). */
  maxAttempts?: number;
}

export function createS3Client(options: S3ConnectionOptions): S3Client {
  const { endpoint } = options;
  return new S3Client({
    // An S3-compatible server rarely cares about the region, but signing needs one.
    region: options.region ?? (endpoint !== undefined && !process.env.AWS_REGION ? 'us-east-1' : undefined),
    endpoint,
    forcePathStyle: options.forcePathStyle ?? (endpoint !== undefined ? true : undefined),
    credentials: options.credentials,
    maxAttempts: options.maxAttempts,
    followRegionRedirects: true,
    // Fail a connection that cannot be opened, or that stalls, instead of hanging a backup.
    requestHandler: { connectionTimeout: 10_000, socketTimeout: 120_000 },
  });
}
