import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { envSizeBytes, FunctionEnv, LAMBDA_ENV_LIMIT_BYTES } from '../config/function-env';
import { ResolvedConfig, ResolvedFunctionSizing } from '../config/types';

/** The handlers the stack deploys: lambdas/handlers/<name>.ts, each exporting `handler`. */
export type HandlerName = 'backup' | 'prune' | 'freshness' | 'api' | 'restore-step';

/** The project root (where cdk.json is), whether this runs from lib/ (tests) or dist/lib/ (cdk synth). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, 'cdk.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`Cannot find the project root (cdk.json) above ${from}`);
    dir = parent;
  }
  return dir;
}

export function handlerEntry(name: HandlerName, root = projectRoot()): string {
  return join(root, 'lambdas', 'handlers', `${name}.ts`);
}

export interface FunctionNetwork {
  vpc: ec2.IVpc;
  subnets: ec2.ISubnet[];
  securityGroups: ec2.ISecurityGroup[];
}

export interface ServiceFunctionProps {
  handler: HandlerName;
  description: string;
  memoryMiB: number;
  timeout: Duration;
  ephemeralStorageMiB?: number;
  environment: FunctionEnv;
  network?: FunctionNetwork | null;
  filesystem?: lambda.FileSystem;
  logRetentionDays: number;
  tracing: boolean;
  awsSdk: 'bundled' | 'runtime';
  /** Asynchronous invocations that still fail after `retryAttempts` go to this queue (with the error). */
  asyncFailureQueue?: sqs.IQueue;
  retryAttempts?: number;
  maxEventAge?: Duration;
  removalPolicy: RemovalPolicy;
}

/** What every function of the service takes from the configuration (log retention, tracing, SDK) and the stack (removal policy). */
export function configuredFunctionProps(
  functions: ResolvedConfig['functions'],
  removalPolicy: RemovalPolicy,
): Pick<ServiceFunctionProps, 'logRetentionDays' | 'tracing' | 'awsSdk' | 'removalPolicy'> {
  return { logRetentionDays: functions.logRetentionDays, tracing: functions.tracing, awsSdk: functions.awsSdk, removalPolicy };
}

/** A function sized by the configuration (functions.backup, functions.restore): memory, timeout, ephemeral storage. */
export function sizedFunctionProps(sizing: ResolvedFunctionSizing): Pick<ServiceFunctionProps, 'memoryMiB' | 'timeout' | 'ephemeralStorageMiB'> {
  return { memoryMiB: sizing.memoryMiB, timeout: Duration.minutes(sizing.timeoutMinutes), ephemeralStorageMiB: sizing.ephemeralStorageMiB };
}

/**
 * A Lambda function of the service: NodejsFunction bundled locally with esbuild, arm64,
 * nodejs22.x, its own log group with a retention, and its own role whose only built-in
 * permissions are writing to that log group (plus VPC networking and X-Ray when used).
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const size = envSizeBytes(props.environment);
    if (size > LAMBDA_ENV_LIMIT_BYTES) {
      throw new Error(
        `The environment of the ${props.handler} function (${this.node.path}) would be about ${size} bytes, over Lambda's ${LAMBDA_ENV_LIMIT_BYTES}-byte limit: too many sources or restore targets for one stack. Split them over several configuration files (one stack each).`,
      );
    }
    this.logGroup = new logs.LogGroup(this, 'Logs', { retention: props.logRetentionDays as logs.RetentionDays, removalPolicy: props.removalPolicy });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `redis-backup ${props.handler} function`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [this.logGroup.logGroupArn] }),
    );
    if (props.network) {
      // What Lambda needs to attach the function to the VPC (the actions of the AWS managed
      // AWSLambdaVPCAccessExecutionRole without its logs:* on *). EC2's Describe* actions have no
      // resource-level permissions, and Lambda checks these when the function is created.
      this.role.addToPrincipalPolicy(
        new iam.PolicyStatement({
          sid: 'LambdaVpcNetworking',
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }
    const root = projectRoot();
    this.fn = new NodejsFunction(this, 'Function', {
      entry: handlerEntry(props.handler, root),
      handler: 'handler',
      projectRoot: root,
      depsLockFilePath: join(root, 'package-lock.json'),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      description: props.description,
      memorySize: props.memoryMiB,
      timeout: props.timeout,
      ephemeralStorageSize: Size.mebibytes(props.ephemeralStorageMiB ?? 512),
      environment: props.environment,
      role: this.role,
      logGroup: this.logGroup,
      tracing: props.tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      ...(props.network
        ? { vpc: props.network.vpc, vpcSubnets: { subnets: props.network.subnets }, securityGroups: props.network.securityGroups }
        : {}),
      ...(props.filesystem ? { filesystem: props.filesystem } : {}),
      ...(props.asyncFailureQueue
        ? {
            onFailure: new destinations.SqsDestination(props.asyncFailureQueue),
            retryAttempts: props.retryAttempts ?? 0,
            maxEventAge: props.maxEventAge ?? Duration.hours(1),
          }
        : {}),
      bundling: {
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        keepNames: true,
        target: 'node22',
        format: OutputFormat.CJS,
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        // 'bundled': the SDK version the engine is tested with (S3 conditional writes, checksums).
        externalModules: props.awsSdk === 'runtime' ? ['@aws-sdk/*'] : [],
      },
    });
  }
}
