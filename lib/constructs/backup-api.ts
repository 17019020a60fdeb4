import { ArnFormat, Duration, Stack } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { apiFunctionEnv } from '../config/function-env';
import { runtimeSource, runtimeTarget } from '../config/to-runtime';
import { configuredFunctionProps, ServiceFunction } from './service-function';
import { ServicePartProps } from './service-part';

/** The routes, each with whether it only reads. */
export const API_ROUTES: ReadonlyArray<{ method: apigwv2.HttpMethod; path: string; readOnly: boolean }> = [
  { method: apigwv2.HttpMethod.GET, path: '/sources', readOnly: true },
  { method: apigwv2.HttpMethod.GET, path: '/sources/{source}/snapshots', readOnly: true },
  { method: apigwv2.HttpMethod.GET, path: '/sources/{source}/snapshots/{id}', readOnly: true },
  { method: apigwv2.HttpMethod.POST, path: '/sources/{source}/snapshots', readOnly: false },
  { method: apigwv2.HttpMethod.POST, path: '/restores', readOnly: false },
  { method: apigwv2.HttpMethod.GET, path: '/restores/{id}', readOnly: true },
];

/** The ARN pattern of a state machine's executions (for states:DescribeExecution). */
export function executionsArn(scope: Construct, stateMachine: sfn.StateMachine): string {
  return Stack.of(scope).formatArn({ service: 'states', resource: 'execution', resourceName: `${stateMachine.stateMachineName}:*`, arnFormat: ArnFormat.COLON_RESOURCE_NAME });
}

/** One JSON line per request, with the IAM caller: who listed, backed up or restored what. */
export const ACCESS_LOG_FORMAT = apigw.AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    routeKey: '$context.routeKey',
    path: '$context.path',
    status: '$context.status',
    caller: '$context.identity.caller',
    userArn: '$context.identity.userArn',
    sourceIp: '$context.identity.sourceIp',
    responseLength: '$context.responseLength',
    integrationLatency: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
  }),
);

export interface BackupApiProps extends ServicePartProps {
  restoreStateMachine: sfn.StateMachine;
  backupStateMachine: sfn.StateMachine;
}

/**
 * The HTTP API (API Gateway HTTP API, IAM authorization on every route) in front of one api
 * function, which reads the store, starts on-demand backups and restores (Step Functions
 * executions) and reports on them. Two managed policies grant callers the read-only routes, or
 * all of them.
 */
export class BackupApi extends Construct {
  readonly fn: ServiceFunction;
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly readerPolicy: iam.ManagedPolicy;
  readonly operatorPolicy: iam.ManagedPolicy;

  constructor(scope: Construct, id: string, props: BackupApiProps) {
    super(scope, id);
    const { config, store, alerting } = props;
    // Not in the VPC: it only talks to S3 and Step Functions. 512 MiB; API Gateway waits 30 s at most.
    this.fn = new ServiceFunction(this, 'Function', {
      handler: 'api',
      description: 'redis-backup HTTP API',
      memoryMiB: 512,
      timeout: Duration.seconds(29),
      environment: apiFunctionEnv(props.common, config.sources.map(runtimeSource), config.restoreTargets.map(runtimeTarget), {
        restoreStateMachineArn: props.restoreStateMachine.stateMachineArn,
        backupStateMachineArn: props.backupStateMachine.stateMachineArn,
      }),
      ...configuredFunctionProps(config.functions, props.removalPolicy),
    });
    for (const statement of store.apiStatements(this, config.sources.map((s) => s.name))) this.fn.role.addToPrincipalPolicy(statement);
    const machines = [props.restoreStateMachine, props.backupStateMachine];
    this.fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'StartRestoresAndBackups', actions: ['states:StartExecution'], resources: machines.map((m) => m.stateMachineArn) }),
    );
    this.fn.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'DescribeRestoresAndBackups', actions: ['states:DescribeExecution'], resources: machines.map((m) => executionsArn(this, m)) }),
    );

    this.api = new apigwv2.HttpApi(this, 'HttpApi', {
      apiName: `${config.stackName}-api`,
      description: 'redis-backup: sources, snapshots, on-demand backups and restores (IAM authorization)',
      defaultAuthorizer: new HttpIamAuthorizer(),
      createDefaultStage: false,
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention: config.functions.logRetentionDays as logs.RetentionDays, removalPolicy: props.removalPolicy });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 20, burstLimit: 40 },
      accessLogSettings: { destination: new apigwv2.LogGroupLogDestination(accessLogs), format: ACCESS_LOG_FORMAT },
    });
    const integration = new HttpLambdaIntegration('ApiIntegration', this.fn.fn);
    for (const route of API_ROUTES) this.api.addRoutes({ path: route.path, methods: [route.method], integration });

    const arns = (readOnly: boolean): string[] =>
      API_ROUTES.filter((r) => !readOnly || r.readOnly).map((r) => this.api.arnForExecuteApi(r.method, r.path.replace(/\{[^}]+\}/g, '*'), '$default'));
    this.readerPolicy = new iam.ManagedPolicy(this, 'ReaderPolicy', {
      description: 'redis-backup API: list sources and snapshots, read restore status',
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: arns(true) })],
    });
    this.operatorPolicy = new iam.ManagedPolicy(this, 'OperatorPolicy', {
      description: 'redis-backup API: everything, including on-demand backups and restores into the configured targets',
      statements: [new iam.PolicyStatement({ actions: ['execute-api:Invoke'], resources: arns(false) })],
    });

    alerting.addAlarm('ApiErrorsAlarm', this.fn.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }), {
      name: 'api-errors',
      description: 'The API function failed (an unhandled error: callers got a 500). See its log group.',
      threshold: 1,
    });
  }
}
