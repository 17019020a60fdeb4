import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { ResolvedConfig } from '../config/types';

export interface ServiceStateMachineProps {
  /** Construct ids in `scope`: the state machine's and its log group's. */
  ids: { stateMachine: string; logs: string };
  comment: string;
  definition: sfn.IChainable;
  timeout: Duration;
  functions: ResolvedConfig['functions'];
  removalPolicy: RemovalPolicy;
}

/**
 * A state machine of the service: STANDARD, its own log group (the functions' retention)
 * receiving every event with execution data, X-Ray when the functions trace.
 */
export function serviceStateMachine(scope: Construct, props: ServiceStateMachineProps): sfn.StateMachine {
  const logGroup = new logs.LogGroup(scope, props.ids.logs, { retention: props.functions.logRetentionDays as logs.RetentionDays, removalPolicy: props.removalPolicy });
  return new sfn.StateMachine(scope, props.ids.stateMachine, {
    comment: props.comment,
    definitionBody: sfn.DefinitionBody.fromChainable(props.definition),
    stateMachineType: sfn.StateMachineType.STANDARD,
    timeout: props.timeout,
    tracingEnabled: props.functions.tracing,
    logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: true },
  });
}

/** Executions of `stateMachine` that failed, timed out or were aborted, per 5 minutes: what its alarm watches. */
export function unsuccessfulExecutions(stateMachine: sfn.IStateMachine, label: string): cloudwatch.MathExpression {
  return new cloudwatch.MathExpression({
    expression: 'failed + timedOut + aborted',
    usingMetrics: {
      failed: stateMachine.metricFailed({ statistic: 'Sum' }),
      timedOut: stateMachine.metricTimedOut({ statistic: 'Sum' }),
      aborted: stateMachine.metricAborted({ statistic: 'Sum' }),
    },
    period: Duration.minutes(5),
    label,
  });
}
