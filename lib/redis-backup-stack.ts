import { CfnOutput, RemovalPolicy, Stack, StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { acknowledgeNagFindings } from './compliance';
import { CommonEnvInput } from './config/function-env';
import { ResolvedConfig } from './config/types';
import { Alerting } from './constructs/alerting';
import { BackupApi } from './constructs/backup-api';
import { BackupService } from './constructs/backup-service';
import { BackupDashboard } from './constructs/dashboard';
import { Maintenance } from './constructs/maintenance';
import { BackupNetwork } from './constructs/network';
import { RestoreWorkflow } from './constructs/restore-workflow';
import { ServicePartProps } from './constructs/service-part';
import { AccessLogsBucket, SnapshotBucket } from './constructs/snapshot-bucket';
import { StoreAccess } from './constructs/store-access';

export interface RedisBackupStackProps extends StackProps {
  /** The resolved configuration (lib/config: loadConfig, or resolveConfig of a validated object). */
  config: ResolvedConfig;
}

/**
 * The redis-backup service: the snapshot bucket, scheduled backups, daily prune, freshness
 * monitoring with alarms and a dashboard, the restore state machine and the HTTP API.
 */
export class RedisBackupStack extends Stack {
  readonly config: ResolvedConfig;
  readonly snapshots: SnapshotBucket;
  readonly store: StoreAccess;
  readonly network: BackupNetwork | null;
  readonly alerting: Alerting;
  readonly backups: BackupService;
  readonly maintenance: Maintenance;
  readonly restores: RestoreWorkflow;
  readonly api: BackupApi;
  readonly dashboard: BackupDashboard;

  constructor(scope: Construct, id: string, props: RedisBackupStackProps) {
    super(scope, id, props);
    // Server access logs are delivered through a bucket policy (not the LogDeliveryWrite ACL), so the
    // log bucket can keep ACLs disabled. Set here as well as in cdk.json: the stack does not depend on the app's context.
    this.node.setContext('@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy', true);
    const config = (this.config = props.config);
    const removalPolicy = config.bucket.removalPolicy === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
    const b = config.bucket;

    const accessLogs = b.existingBucketName === null && b.accessLogs.enabled ? new AccessLogsBucket(this, 'AccessLogs', { expireAfterDays: b.accessLogs.expireAfterDays, retain: removalPolicy === RemovalPolicy.RETAIN }) : null;
    this.snapshots = new SnapshotBucket(this, 'Snapshots', {
      existingBucketName: b.existingBucketName ?? undefined,
      encryption: b.encryption,
      encryptionKey: b.kmsKeyArn !== null ? kms.Key.fromKeyArn(this, 'SnapshotKey', b.kmsKeyArn) : undefined,
      retain: removalPolicy === RemovalPolicy.RETAIN,
      objectLock: b.objectLock ?? undefined,
      transition: { afterDays: b.lifecycle.transitionAfterDays, storageClass: b.lifecycle.storageClass, prefix: b.prefix },
      noncurrentVersionExpirationDays: b.lifecycle.noncurrentVersionExpirationDays,
      serverAccessLogsBucket: accessLogs?.bucket,
    });
    this.store = new StoreAccess(this.snapshots.bucket, b.prefix, this.snapshots.key);
    this.network = config.network !== null ? new BackupNetwork(this, 'Network', { network: config.network, serviceName: config.serviceName }) : null;
    this.alerting = new Alerting(this, 'Alerting', { alarmPrefix: config.stackName, emails: config.alarms.emails, removalPolicy });

    const common: CommonEnvInput = {
      storeUrl: this.store.storeUrl,
      serviceName: config.serviceName,
      metricsNamespace: config.metricsNamespace,
      logLevel: config.functions.logLevel,
    };
    const shared: ServicePartProps = { config, store: this.store, common, alerting: this.alerting, removalPolicy };
    this.backups = new BackupService(this, 'Backups', { ...shared, network: this.network });
    this.maintenance = new Maintenance(this, 'Maintenance', { ...shared, scheduleGroup: this.backups.scheduleGroup });
    this.restores = new RestoreWorkflow(this, 'Restores', { ...shared, network: this.network });
    this.api = new BackupApi(this, 'Api', { ...shared, restoreStateMachine: this.restores.stateMachine, backupStateMachine: this.backups.onDemand });
    this.dashboard = new BackupDashboard(this, 'Dashboard', {
      config,
      restoreStateMachine: this.restores.stateMachine,
      functions: [
        { label: 'backup', fn: this.backups.fn.fn },
        { label: 'prune', fn: this.maintenance.prune.fn },
        { label: 'freshness', fn: this.maintenance.freshness.fn },
        { label: 'restore-step', fn: this.restores.step.fn },
        { label: 'api', fn: this.api.fn.fn },
      ],
      deadLetters: this.alerting.deadLetters,
      alarms: this.alerting.alarms,
    });

    new CfnOutput(this, 'SnapshotBucketName', { value: this.snapshots.bucket.bucketName, description: 'Bucket holding the snapshots' });
    new CfnOutput(this, 'StoreUrl', { value: this.store.storeUrl, description: 'The store, for the CLI: redis-backup --store <this> list' });
    new CfnOutput(this, 'ApiUrl', { value: this.api.api.apiEndpoint, description: 'HTTP API endpoint (SigV4-signed requests, service execute-api)' });
    new CfnOutput(this, 'ApiReaderPolicyArn', { value: this.api.readerPolicy.managedPolicyArn, description: 'Attach to callers that may only read' });
    new CfnOutput(this, 'ApiOperatorPolicyArn', { value: this.api.operatorPolicy.managedPolicyArn, description: 'Attach to callers that may start backups and restores' });
    new CfnOutput(this, 'RestoreStateMachineArn', { value: this.restores.stateMachine.stateMachineArn });
    new CfnOutput(this, 'AlarmTopicArn', { value: this.alerting.topic.topicArn });
    new CfnOutput(this, 'DeadLetterQueueUrl', { value: this.alerting.deadLetters.queueUrl });
    if (this.network?.createdSecurityGroup) {
      new CfnOutput(this, 'FunctionSecurityGroupId', {
        value: this.network.createdSecurityGroup.securityGroupId,
        description: 'Allow this security group on the Redis port of every source and restore target',
      });
    }

    acknowledgeNagFindings(this, {
      deadLetterQueues: [this.alerting.deadLetters],
      accessLogsOff: this.snapshots.created && accessLogs === null ? this.snapshots.bucket : null,
      tracingOff: !config.functions.tracing,
    });
  }
}
