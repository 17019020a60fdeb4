import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export interface SnapshotBucketProps {
  /** Encrypt with this customer-managed key; a new key (with rotation) is created when omitted. */
  encryptionKey?: kms.IKey;
  /** Days after which incomplete multipart uploads are aborted (default 1). */
  abortIncompleteUploadsAfterDays?: number;
  /** Retain the bucket when the stack is deleted (default true: it holds backups). */
  retain?: boolean;
}

/** The secure defaults of a snapshot bucket, as a pure function of the props (tested on its own). */
export function snapshotBucketDefaults(props: SnapshotBucketProps, key: kms.IKey): s3.BucketProps {
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    encryption: s3.BucketEncryption.KMS,
    encryptionKey: key,
    bucketKeyEnabled: true,
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: props.retain === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    lifecycleRules: [
      { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteUploadsAfterDays ?? 1) },
    ],
  };
}

/** A private, encrypted, TLS-only, versioned bucket for snapshots. */
export class SnapshotBucket extends Construct {
  readonly bucket: s3.Bucket;
  readonly key: kms.IKey;

  constructor(scope: Construct, id: string, props: SnapshotBucketProps = {}) {
    super(scope, id);
    this.key = props.encryptionKey ?? new kms.Key(this, 'Key', { enableKeyRotation: true, description: 'redis-backup snapshot encryption' });
    this.bucket = new s3.Bucket(this, 'Bucket', snapshotBucketDefaults(props, this.key));
  }
}
