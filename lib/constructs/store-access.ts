import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CredentialsConfig } from '../config/types';

/**
 * IAM statements for the snapshot store, narrowed to what each function does and to the key
 * prefixes of the sources it serves (docs/store-layout.md):
 *
 *   <prefix><source>/lock.json             backup only
 *   <prefix><source>/snapshots/<id>/...    backup writes; prune deletes; the others read
 *   <prefix><source>/restores/<id>/...     restore records, checkpoints and reports
 *
 * s3:ListBucket is granted on the bucket without a prefix condition: S3 answers a request for a
 * missing key with 404 only to principals that may list the bucket (403 otherwise), and the
 * store relies on 404 to tell "absent" from "forbidden" (a missing lock, a manifest not yet
 * committed). It discloses key names (source names and snapshot ids), not contents.
 */
export class StoreAccess {
  constructor(
    readonly bucket: s3.IBucket,
    /** '' or segments ending with '/'. */
    readonly prefix: string,
    /** The bucket's KMS key; null for SSE-S3. */
    readonly key: kms.IKey | null,
  ) {}

  /** s3://bucket/prefix (the bucket name may be a token). */
  get storeUrl(): string {
    return `s3://${this.bucket.bucketName}/${this.prefix}`;
  }

  objectArn(relative: string): string {
    return `${this.bucket.bucketArn}/${this.prefix}${relative}`;
  }

  private list(): iam.PolicyStatement {
    return new iam.PolicyStatement({ sid: 'ListStore', actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] });
  }

  private kms(scope: Construct, write: boolean): iam.PolicyStatement[] {
    if (this.key === null) return [];
    return [
      new iam.PolicyStatement({
        sid: write ? 'SnapshotKeyReadWrite' : 'SnapshotKeyRead',
        actions: write ? ['kms:Decrypt', 'kms:GenerateDataKey'] : ['kms:Decrypt'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `s3.${Stack.of(scope).region}.amazonaws.com` } },
      }),
    ];
  }

  /** Backup functions: take snapshots of `sources` (lock, multipart upload, conditional manifest create, cleanup on failure). */
  backupStatements(scope: Construct, sources: readonly string[]): iam.PolicyStatement[] {
    return [
      this.list(),
      new iam.PolicyStatement({
        sid: 'WriteSnapshots',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: sources.map((s) => this.objectArn(`${s}/snapshots/*`)),
      }),
      new iam.PolicyStatement({ sid: 'SourceLocks', actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], resources: sources.map((s) => this.objectArn(`${s}/lock.json`)) }),
      ...this.kms(scope, true),
    ];
  }

  /** Prune: delete snapshots and leftovers of `sources` (no version deletes: noncurrent versions expire by lifecycle). */
  pruneStatements(scope: Construct, sources: readonly string[]): iam.PolicyStatement[] {
    return [
      this.list(),
      new iam.PolicyStatement({ sid: 'ListIncompleteUploads', actions: ['s3:ListBucketMultipartUploads'], resources: [this.bucket.bucketArn] }),
      new iam.PolicyStatement({
        sid: 'PruneSnapshots',
        actions: ['s3:GetObject', 's3:GetObjectRetention', 's3:DeleteObject', 's3:AbortMultipartUpload'],
        resources: sources.map((s) => this.objectArn(`${s}/snapshots/*`)),
      }),
      ...this.kms(scope, false),
    ];
  }

  /** Freshness: read the manifests of `sources`. */
  readStatements(scope: Construct, sources: readonly string[]): iam.PolicyStatement[] {
    return [
      this.list(),
      new iam.PolicyStatement({ sid: 'ReadSnapshots', actions: ['s3:GetObject'], resources: sources.map((s) => this.objectArn(`${s}/snapshots/*`)) }),
      ...this.kms(scope, false),
    ];
  }

  /**
   * The API: read manifests and locks (is a backup running?), and write the record of a restore
   * it accepts before starting the state machine (GET /restores/{id} answers at once).
   */
  apiStatements(scope: Construct, sources: readonly string[]): iam.PolicyStatement[] {
    return [
      this.list(),
      new iam.PolicyStatement({
        sid: 'ReadSnapshotsAndLocks',
        actions: ['s3:GetObject'],
        resources: sources.flatMap((s) => [this.objectArn(`${s}/snapshots/*`), this.objectArn(`${s}/lock.json`)]),
      }),
      new iam.PolicyStatement({ sid: 'ReadWriteRestoreRecords', actions: ['s3:GetObject', 's3:PutObject'], resources: sources.map((s) => this.objectArn(`${s}/restores/*`)) }),
      ...this.kms(scope, true),
    ];
  }

  /** The restore step: read snapshots, write restore records, checkpoints and reports. */
  restoreStatements(scope: Construct, sources: readonly string[]): iam.PolicyStatement[] {
    return [
      this.list(),
      new iam.PolicyStatement({ sid: 'ReadSnapshots', actions: ['s3:GetObject'], resources: sources.map((s) => this.objectArn(`${s}/snapshots/*`)) }),
      new iam.PolicyStatement({ sid: 'WriteRestoreRecords', actions: ['s3:GetObject', 's3:PutObject'], resources: sources.map((s) => this.objectArn(`${s}/restores/*`)) }),
      ...this.kms(scope, true),
    ];
  }
}

/** Read access to exactly these secrets (and their customer-managed keys, through Secrets Manager only). */
export function secretStatements(scope: Construct, credentials: ReadonlyArray<CredentialsConfig | null>): iam.PolicyStatement[] {
  const given = credentials.filter((c): c is CredentialsConfig => c !== null);
  const arns = [...new Set(given.map((c) => c.secretArn))].sort();
  const keys = [...new Set(given.flatMap((c) => (c.kmsKeyArn !== undefined ? [c.kmsKeyArn] : [])))].sort();
  const out: iam.PolicyStatement[] = [];
  if (arns.length > 0) out.push(new iam.PolicyStatement({ sid: 'ReadRedisSecrets', actions: ['secretsmanager:GetSecretValue'], resources: arns }));
  if (keys.length > 0) {
    out.push(
      new iam.PolicyStatement({
        sid: 'DecryptRedisSecrets',
        actions: ['kms:Decrypt'],
        resources: keys,
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${Stack.of(scope).region}.amazonaws.com` } },
      }),
    );
  }
  return out;
}
