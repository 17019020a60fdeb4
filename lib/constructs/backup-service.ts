import { Duration, RemovalPolicy, TimeZone } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as efs from 'aws-cdk-lib/aws-efs';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { DEFAULTS } from '../config/defaults';
import { backupFunctionEnv } from '../config/function-env';
import { BackupEvent } from '../config/runtime-config';
import { runtimeSource } from '../config/to-runtime';
import { ResolvedConfig, ResolvedEfs, ResolvedSource } from '../config/types';
import { configuredFunctionProps, ServiceFunction, sizedFunctionProps } from './service-function';
import { NetworkedPartProps } from './service-part';
import { serviceStateMachine, unsuccessfulExecutions } from './service-state-machine';
import { secretStatements } from './store-access';

/**
 * An EFS access point mounted in a function, with only the IAM actions it needs: read-only
 * (elasticfilesystem:ClientMount) for RDB bgsave captures, read-write for AOF captures (pins) and file restores.
 */
export class EfsMount extends lambda.FileSystem {
  static of(scope: Construct, id: string, mount: ResolvedEfs, access: 'read' | 'read-write'): EfsMount {
    const stackScope = new Construct(scope, id);
    const fileSystem = efs.FileSystem.fromFileSystemAttributes(stackScope, 'FileSystem', {
      fileSystemId: mount.fileSystemId,
      // The mount targets' group gets an NFS ingress rule from the functions when it is named.
      securityGroup: ec2.SecurityGroup.fromSecurityGroupId(stackScope, 'MountTargetSecurityGroup', mount.securityGroupId ?? 'sg-00000000000000000', {
        mutable: mount.securityGroupId !== null,
      }),
    });
    const accessPoint = efs.AccessPoint.fromAccessPointAttributes(stackScope, 'AccessPoint', { accessPointId: mount.accessPointId, fileSystem });
    return new EfsMount({
      localMountPath: DEFAULTS.efsMountPath,
      arn: accessPoint.accessPointArn,
      connections: mount.securityGroupId !== null ? fileSystem.connections : undefined,
      policies: [
        new iam.PolicyStatement({
          sid: access === 'read' ? 'MountDataDirectoryReadOnly' : 'MountDataDirectoryReadWrite',
          actions: access === 'read' ? ['elasticfilesystem:ClientMount'] : ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
          resources: [fileSystem.fileSystemArn],
          conditions: { StringEquals: { 'elasticfilesystem:AccessPointArn': accessPoint.accessPointArn } },
        }),
      ],
    });
  }
}

export type BackupServiceProps = NetworkedPartProps;

/** Scheduler keeps retrying a failed delivery for at most this long (and at most half the interval). */
export function scheduleMaxEventAge(source: ResolvedSource): Duration {
  return Duration.seconds(Math.max(60, Math.min(3600, Math.floor(source.schedule.intervalSeconds / 2))));
}

/**
 * Backups: the backup function (one for every source; it mounts the bgsave sources' EFS access
 * point when there are any), one EventBridge Scheduler schedule per source (flexible window,
 * retry policy, dead-letter queue), the on-demand backup state machine the API starts (input
 * OnDemandBackupInput: it invokes the function and waits), and alarms on failed runs.
 */
export class BackupService extends Construct {
  readonly fn: ServiceFunction;
  readonly scheduleGroup: scheduler.ScheduleGroup;
  readonly schedules = new Map<string, scheduler.Schedule>();
  readonly onDemand: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: BackupServiceProps) {
    super(scope, id);
    const { config, store, network, alerting } = props;
    // Validation guarantees that every bgsave source uses the same file system and access point.
    const mount = config.sources.find((s) => s.method === 'bgsave' && s.efs !== null)?.efs ?? null;
    // An AOF capture pins the files with hard links in the AOF directory (.redis-backup-pin-*): over NFS an open
    // handle does not keep a file that the server's host deletes after a rewrite. RDB captures only read.
    const access = config.sources.some((s) => s.method === 'bgsave' && s.aof) ? 'read-write' : 'read';
    const names = config.sources.map((s) => s.name);

    this.fn = new ServiceFunction(this, 'Function', {
      handler: 'backup',
      description: `redis-backup: back up one source per invocation (${names.join(', ')})`.slice(0, 256),
      ...sizedFunctionProps(config.functions.backup),
      environment: backupFunctionEnv(props.common, config.sources.map(runtimeSource)),
      network,
      filesystem: mount !== null ? EfsMount.of(this, 'DataDirectoryMount', mount, access) : undefined,
      ...configuredFunctionProps(config.functions, props.removalPolicy),
      asyncFailureQueue: alerting.deadLetters,
      // A failed backup is not retried by Lambda: it goes to the dead-letter queue and alarms; the next scheduled run follows.
      retryAttempts: 0,
      maxEventAge: Duration.hours(1),
    });
    for (const statement of [...store.backupStatements(this, names), ...secretStatements(this, config.sources.map((s) => s.credentials))]) {
      this.fn.role.addToPrincipalPolicy(statement);
    }
    alerting.addAlarm('BackupFailedAlarm', this.fn.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      name: 'backup-failed',
      description: 'A backup failed (scheduled or on-demand). The dead-letter queue and the backup function\'s log group have the source and the error.',
      threshold: 1,
    });

    this.scheduleGroup = new scheduler.ScheduleGroup(this, 'Schedules', { removalPolicy: RemovalPolicy.DESTROY });
    for (const source of config.sources) {
      const event: BackupEvent = {
        source: source.name,
        trigger: 'schedule',
        scheduledTime: scheduler.ContextAttribute.scheduledTime,
        requestId: scheduler.ContextAttribute.executionId,
      };
      const window = source.schedule.flexibleWindowMinutes;
      this.schedules.set(
        source.name,
        new scheduler.Schedule(this, `Schedule-${source.name}`, {
          description: `redis-backup: back up ${source.name} (${source.schedule.expression} ${source.schedule.timeZone})`,
          schedule: scheduler.ScheduleExpression.expression(source.schedule.expression, TimeZone.of(source.schedule.timeZone)),
          scheduleGroup: this.scheduleGroup,
          timeWindow: window > 0 ? scheduler.TimeWindow.flexible(Duration.minutes(window)) : scheduler.TimeWindow.off(),
          enabled: source.enabled,
          target: new targets.LambdaInvoke(this.fn.fn, {
            input: scheduler.ScheduleTargetInput.fromObject(event),
            deadLetterQueue: alerting.deadLetters,
            retryAttempts: 3,
            maxEventAge: scheduleMaxEventAge(source),
          }),
        }),
      );
    }

    this.onDemand = this.onDemandStateMachine(config, props.removalPolicy);
    alerting.addAlarm(
      'OnDemandFailedAlarm',
      unsuccessfulExecutions(this.onDemand, 'On-demand backups that did not succeed'),
      { name: 'on-demand-backup-failed', description: 'An on-demand backup (POST /sources/{source}/snapshots) failed, timed out or was aborted: the execution history has the error.', threshold: 1 },
    );
  }

  /** Input OnDemandBackupInput { source, requestId, requestedAt }: invokes the backup function with a BackupEvent and waits for it. */
  private onDemandStateMachine(config: ResolvedConfig, removalPolicy: RemovalPolicy): sfn.StateMachine {
    const backUp = new tasks.LambdaInvoke(this, 'Back up', {
      lambdaFunction: this.fn.fn,
      payload: sfn.TaskInput.fromObject({ source: sfn.JsonPath.stringAt('$.source'), trigger: 'api', requestId: sfn.JsonPath.stringAt('$$.Execution.Name') }),
      payloadResponseOnly: true,
      retryOnServiceExceptions: true,
      taskTimeout: sfn.Timeout.duration(Duration.minutes(config.functions.backup.timeoutMinutes + 1)),
    });
    return serviceStateMachine(this, {
      ids: { stateMachine: 'OnDemand', logs: 'OnDemandLogs' },
      comment: 'redis-backup: on-demand backup of one source (POST /sources/{source}/snapshots)',
      definition: backUp,
      timeout: Duration.minutes(config.functions.backup.timeoutMinutes + 5),
      functions: config.functions,
      removalPolicy,
    });
  }
}
