import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import * as tasks from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { CommonEnvInput, restoreStepFunctionEnv } from '../config/function-env';
import { RESTORE_TRANSIENT_ERRORS, RestoreStepName } from '../config/runtime-config';
import { runtimeSource, runtimeTarget } from '../config/to-runtime';
import { ResolvedConfig } from '../config/types';
import { Alerting } from './alerting';
import { EfsMount } from './backup-service';
import { FunctionNetwork, ServiceFunction } from './service-function';
import { secretStatements, StoreAccess } from './store-access';

export interface RestoreWorkflowProps {
  config: ResolvedConfig;
  store: StoreAccess;
  network: FunctionNetwork | null;
  common: CommonEnvInput;
  alerting: Alerting;
  removalPolicy: RemovalPolicy;
}

/** Errors after which the restore step is invoked again with the same state: its invocation died (timeout, crash) and it resumes from its checkpoint. */
export const RESUMABLE_ERRORS = ['Sandbox.Timedout', 'Lambda.Unknown', 'States.Timeout'];

/**
 * Restores: a Step Functions state machine
 *
 *   validate -> verify snapshot -> restore (again while it reports `more`) -> verify target -> [repoint]
 *
 * Every task is the restore-step function with `{ step, state }` (RestoreStepEvent) and returns
 * the next state. The restore step checkpoints after every chunk and returns `more: true` when
 * its invocation ends before the data does; it is then invoked again and resumes from the
 * checkpoint, also after an invocation that died (RESUMABLE_ERRORS). Transient errors
 * (RESTORE_TRANSIENT_ERRORS) are retried with backoff on every step. Every step's Catch (any
 * other error, or retries spent) goes to the record-failure step, which marks the restore's
 * record failed with the error's code and message (GET /restores/{id} shows it), then to the
 * Fail state with the error and its cause. The execution name is the restore id.
 */
export class RestoreWorkflow extends Construct {
  readonly step: ServiceFunction;
  readonly stateMachine: sfn.StateMachine;

  constructor(scope: Construct, id: string, props: RestoreWorkflowProps) {
    super(scope, id);
    const { config, store, alerting } = props;
    const sizing = config.functions.restore;
    const directory = config.restoreTargets.find((t) => t.kind === 'directory' && t.efs !== null);
    this.step = new ServiceFunction(this, 'StepFunction', {
      handler: 'restore-step',
      description: 'redis-backup: one step of a restore (validate, verify snapshot, restore, verify target, repoint)',
      memoryMiB: sizing.memoryMiB,
      timeout: Duration.minutes(sizing.timeoutMinutes),
      ephemeralStorageMiB: sizing.ephemeralStorageMiB,
      environment: restoreStepFunctionEnv(props.common, config.sources.map(runtimeSource), config.restoreTargets.map(runtimeTarget)),
      network: props.network,
      filesystem: directory?.efs ? EfsMount.of(this, 'DirectoryMount', directory.efs, 'read-write') : undefined,
      logRetentionDays: config.functions.logRetentionDays,
      tracing: config.functions.tracing,
      awsSdk: config.functions.awsSdk,
      removalPolicy: props.removalPolicy,
    });
    const statements = [...store.restoreStatements(this, config.sources.map((s) => s.name)), ...secretStatements(this, config.restoreTargets.map((t) => t.credentials))];
    for (const statement of statements) this.step.role.addToPrincipalPolicy(statement);

    const long = sfn.Timeout.duration(Duration.minutes(sizing.timeoutMinutes + 1));
    const failed = new sfn.Fail(this, 'Restore failed', { errorPath: '$.error.Error', causePath: '$.error.Cause' });
    const invoke = (name: string, step: RestoreStepName, timeout: sfn.Timeout, resultPath?: string): tasks.LambdaInvoke => {
      const t = new tasks.LambdaInvoke(this, name, {
        lambdaFunction: this.step.fn,
        payload: sfn.TaskInput.fromObject({ step, state: sfn.JsonPath.entirePayload }),
        payloadResponseOnly: true,
        retryOnServiceExceptions: true,
        taskTimeout: timeout,
        resultPath,
        comment: `restore-step ${step}`,
      });
      t.addRetry({ errors: [...RESTORE_TRANSIENT_ERRORS], maxAttempts: 3, interval: Duration.seconds(15), backoffRate: 2 });
      return t;
    };
    // The state (with the caught error in $.error) passes through unchanged, so that Fail reports the restore's error.
    const recordFailure = invoke('Record failure', 'record-failure', sfn.Timeout.duration(Duration.minutes(2)), sfn.JsonPath.DISCARD);
    // If even that fails, the execution still fails with the restore's error (the record-failure error is in its history).
    recordFailure.addCatch(failed, { errors: ['States.ALL'], resultPath: '$.recordFailureError' });
    recordFailure.next(failed);
    const task = (name: string, step: RestoreStepName, timeout: sfn.Timeout): tasks.LambdaInvoke => {
      const t = invoke(name, step, timeout);
      t.addCatch(recordFailure, { errors: ['States.ALL'], resultPath: '$.error' });
      return t;
    };

    const validate = task('Validate request', 'validate', sfn.Timeout.duration(Duration.minutes(2)));
    const verifySnapshot = task('Verify snapshot', 'verify-snapshot', long);
    const restore = task('Restore', 'restore', long);
    restore.addRetry({ errors: RESUMABLE_ERRORS, maxAttempts: 2, interval: Duration.seconds(10), backoffRate: 2 });
    const verifyTarget = task('Verify target', 'verify-target', long);
    const repoint = task('Repoint replicas', 'repoint', long);
    const done = new sfn.Succeed(this, 'Restored');

    const more = new sfn.Choice(this, 'More data?')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.more'), sfn.Condition.booleanEquals('$.more', true)), restore)
      .otherwise(verifyTarget);
    const wantsRepoint = new sfn.Choice(this, 'Repoint?')
      .when(sfn.Condition.and(sfn.Condition.isPresent('$.options.repoint'), sfn.Condition.booleanEquals('$.options.repoint', true)), repoint.next(done))
      .otherwise(done);

    const definition = validate.next(verifySnapshot).next(restore).next(more);
    verifyTarget.next(wantsRepoint);

    const logGroup = new logs.LogGroup(this, 'Logs', { retention: config.functions.logRetentionDays as logs.RetentionDays, removalPolicy: props.removalPolicy });
    this.stateMachine = new sfn.StateMachine(this, 'StateMachine', {
      comment: 'redis-backup restore: validate -> verify snapshot -> restore (resumes from checkpoints) -> verify target -> optional repoint',
      definitionBody: sfn.DefinitionBody.fromChainable(definition),
      stateMachineType: sfn.StateMachineType.STANDARD,
      timeout: Duration.hours(config.restore.timeoutHours),
      tracingEnabled: config.functions.tracing,
      logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
    });

    alerting.addAlarm(
      'RestoreFailedAlarm',
      new cloudwatch.MathExpression({
        expression: 'failed + timedOut + aborted',
        usingMetrics: {
          failed: this.stateMachine.metricFailed({ statistic: 'Sum' }),
          timedOut: this.stateMachine.metricTimedOut({ statistic: 'Sum' }),
          aborted: this.stateMachine.metricAborted({ statistic: 'Sum' }),
        },
        period: Duration.minutes(5),
        label: 'Restores that did not succeed',
      }),
      { name: 'restore-failed', description: 'A restore failed, timed out or was aborted: GET /restores/{id} or the execution history has the error.', threshold: 1 },
    );
  }
}
