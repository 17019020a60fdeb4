import { CfnOutput, Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { SnapshotBucket } from './constructs/snapshot-bucket';

/** The redis-backup service. Functions, schedules and the API are added on top of the snapshot bucket. */
export class RedisBackupStack extends Stack {
  readonly snapshots: SnapshotBucket;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.snapshots = new SnapshotBucket(this, 'Snapshots');
    new CfnOutput(this, 'SnapshotBucketName', { value: this.snapshots.bucket.bucketName });
  }
}
