import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';

export type SnapshotStorageClass = 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'GLACIER_IR';

export interface SnapshotBucketProps {
  /** Use this existing bucket: nothing is created and none of the settings below apply except `encryption`/`encryptionKey`. */
  existingBucketName?: string;
  /** 'kms' (default): SSE-KMS; 's3-managed': SSE-S3. */
  encryption?: 'kms' | 's3-managed';
  /** kms: encrypt with this key; a new key (with rotation) is created for a new bucket when omitted. */
  encryptionKey?: kms.IKey;
  /** Days after which incomplete multipart uploads are aborted (default 1). */
  abortIncompleteUploadsAfterDays?: number;
  /** Retain the bucket (and a created key) when the stack is deleted (default true: it holds backups). */
  retain?: boolean;
  /** S3 Object Lock with a default retention (new buckets only). */
  objectLock?: { mode: 'governance' | 'compliance'; retentionDays: number };
  /** Move objects over 128 KiB under `prefix` to a colder class after `afterDays` (0 or absent: no transition). */
  transition?: { afterDays: number; storageClass: SnapshotStorageClass; prefix: string };
  /** Expire noncurrent versions after this many days (default 30). */
  noncurrentVersionExpirationDays?: number;
  /** Deliver server access logs here. */
  serverAccessLogsBucket?: s3.IBucket;
  serverAccessLogsPrefix?: string;
}

/** Objects smaller than this are not transitioned: the colder classes bill at least 128 KiB per object. */
export const TRANSITION_MIN_OBJECT_BYTES = 128 * 1024;

const STORAGE_CLASSES: Record<SnapshotStorageClass, s3.StorageClass> = {
  STANDARD_IA: s3.StorageClass.INFREQUENT_ACCESS,
  ONEZONE_IA: s3.StorageClass.ONE_ZONE_INFREQUENT_ACCESS,
  INTELLIGENT_TIERING: s3.StorageClass.INTELLIGENT_TIERING,
  GLACIER_IR: s3.StorageClass.GLACIER_INSTANT_RETRIEVAL,
};

/** The lifecycle rules of a snapshot bucket, as a pure function of the props. */
export function snapshotLifecycleRules(props: SnapshotBucketProps): s3.LifecycleRule[] {
  const rules: s3.LifecycleRule[] = [
    { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(props.abortIncompleteUploadsAfterDays ?? 1) },
    { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpirationDays ?? 30) },
    { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
  ];
  if (props.transition !== undefined && props.transition.afterDays > 0) {
    rules.push({
      id: 'snapshots-to-colder-storage',
      prefix: props.transition.prefix === '' ? undefined : props.transition.prefix,
      objectSizeGreaterThan: TRANSITION_MIN_OBJECT_BYTES,
      transitions: [{ storageClass: STORAGE_CLASSES[props.transition.storageClass], transitionAfter: Duration.days(props.transition.afterDays) }],
    });
  }
  return rules;
}

/** The secure defaults of a snapshot bucket, as a pure function of the props (tested on its own). */
export function snapshotBucketDefaults(props: SnapshotBucketProps, key: kms.IKey | null): s3.BucketProps {
  const lock = props.objectLock;
  return {
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    ...(key !== null
      ? { encryption: s3.BucketEncryption.KMS, encryptionKey: key, bucketKeyEnabled: true }
      : { encryption: s3.BucketEncryption.S3_MANAGED }),
    versioned: true,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    removalPolicy: props.retain === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    lifecycleRules: snapshotLifecycleRules(props),
    ...(lock !== undefined
      ? {
          objectLockEnabled: true,
          objectLockDefaultRetention:
            lock.mode === 'compliance' ? s3.ObjectLockRetention.compliance(Duration.days(lock.retentionDays)) : s3.ObjectLockRetention.governance(Duration.days(lock.retentionDays)),
        }
      : {}),
    ...(props.serverAccessLogsBucket !== undefined ? { serverAccessLogsBucket: props.serverAccessLogsBucket, serverAccessLogsPrefix: props.serverAccessLogsPrefix ?? 'snapshots/' } : {}),
  };
}

/**
 * The snapshot bucket: a private, encrypted, TLS-only, versioned bucket with lifecycle rules and
 * optional Object Lock, or an existing bucket used as it is.
 */
export class SnapshotBucket extends Construct {
  readonly bucket: s3.IBucket;
  /** The key objects are encrypted with; null for SSE-S3. */
  readonly key: kms.IKey | null;
  /** Whether the bucket was created by this construct (its settings are then the ones above). */
  readonly created: boolean;

  constructor(scope: Construct, id: string, props: SnapshotBucketProps = {}) {
    super(scope, id);
    const kmsEncrypted = (props.encryption ?? 'kms') === 'kms';
    if (props.existingBucketName !== undefined) {
      this.created = false;
      this.key = kmsEncrypted ? (props.encryptionKey ?? null) : null;
      this.bucket = s3.Bucket.fromBucketName(this, 'Bucket', props.existingBucketName);
      return;
    }
    this.created = true;
    this.key = kmsEncrypted
      ? (props.encryptionKey ??
        new kms.Key(this, 'Key', {
          enableKeyRotation: true,
          description: 'redis-backup snapshot encryption',
          removalPolicy: props.retain === false ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
        }))
      : null;
    const bucket = new s3.Bucket(this, 'Bucket', snapshotBucketDefaults(props, this.key));
    // CloudFormation types ObjectSizeGreaterThan as a string; the L2 writes a number.
    const sized = snapshotLifecycleRules(props).findIndex((r) => r.objectSizeGreaterThan !== undefined);
    if (sized >= 0) (bucket.node.defaultChild as s3.CfnBucket).addPropertyOverride(`LifecycleConfiguration.Rules.${sized}.ObjectSizeGreaterThan`, String(TRANSITION_MIN_OBJECT_BYTES));
    this.bucket = bucket;
  }
}

/** A bucket for the snapshot bucket's server access logs (SSE-S3: S3 log delivery cannot use SSE-KMS). */
export class AccessLogsBucket extends Construct {
  readonly bucket: s3.Bucket;

  constructor(scope: Construct, id: string, props: { expireAfterDays: number; retain: boolean }) {
    super(scope, id);
    this.bucket = new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: props.retain ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      lifecycleRules: [{ id: 'expire-access-logs', expiration: Duration.days(props.expireAfterDays) }],
    });
  }
}
