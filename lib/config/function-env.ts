/**
 * Every environment variable the stack sets on the Lambda functions, and which function gets
 * which. The one place to look when writing a handler. Free of aws-cdk-lib (handlers import the
 * names); the builders below are pure functions of strings, so CloudFormation tokens (the bucket
 * name, a state machine ARN) pass through them unchanged.
 *
 * | variable                                  | backup | prune | freshness | api | restore-step |
 * |-------------------------------------------|--------|-------|-----------|-----|--------------|
 * | REDIS_BACKUP_STORE                        |   x    |   x   |     x     |  x  |      x       |
 * | REDIS_BACKUP_SOURCES                      |   x    |   x   |     x     |  x  |      x       |
 * | REDIS_BACKUP_TARGETS                      |        |       |           |  x  |      x       |
 * | REDIS_BACKUP_RESTORE_STATE_MACHINE_ARN    |        |       |           |  x  |              |
 * | REDIS_BACKUP_BACKUP_STATE_MACHINE_ARN     |        |       |           |  x  |              |
 * | POWERTOOLS_SERVICE_NAME                   |   x    |   x   |     x     |  x  |      x       |
 * | POWERTOOLS_METRICS_NAMESPACE              |   x    |   x   |     x     |  x  |      x       |
 * | POWERTOOLS_LOG_LEVEL                      |   x    |   x   |     x     |  x  |      x       |
 * | POWERTOOLS_TRACER_CAPTURE_RESPONSE        |   x    |   x   |     x     |  x  |      x       |
 * | NODE_OPTIONS                              |   x    |   x   |     x     |  x  |      x       |
 *
 * One backup function serves every source (all bgsave sources share one EFS access point: a
 * Lambda function mounts at most one file system). The API starts an on-demand backup as an
 * execution of the on-demand backup state machine (REDIS_BACKUP_BACKUP_STATE_MACHINE_ARN, input
 * OnDemandBackupInput, execution name = the request id; it invokes the backup function and
 * waits), and a restore as an execution of the restore state machine (REDIS_BACKUP_RESTORE_STATE_MACHINE_ARN),
 * named after the restore id.
 */
import type { RuntimeSource, RuntimeTarget } from './runtime-config';

export const ENV = {
  /** The store URL: s3://<bucket>/<prefix> (the prefix ends with '/' or is empty). */
  store: 'REDIS_BACKUP_STORE',
  /** JSON RuntimeSource[]: source definitions, secret ARNs only (never secret values). */
  sources: 'REDIS_BACKUP_SOURCES',
  /** JSON RuntimeTarget[]: the restore targets a request may name. */
  targets: 'REDIS_BACKUP_TARGETS',
  /** ARN of the restore state machine (POST /restores starts an execution named after the restore id). */
  restoreStateMachineArn: 'REDIS_BACKUP_RESTORE_STATE_MACHINE_ARN',
  /** ARN of the on-demand backup state machine (POST /sources/{source}/snapshots starts an execution with an OnDemandBackupInput). */
  backupStateMachineArn: 'REDIS_BACKUP_BACKUP_STATE_MACHINE_ARN',
  /** Powertools: the `service` of logs, traces and metrics (also a metric dimension). */
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  /** Powertools: the CloudWatch namespace of the custom metrics. */
  metricsNamespace: 'POWERTOOLS_METRICS_NAMESPACE',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
  /** 'false': traces do not carry handler responses (restore reports can be large). */
  tracerCaptureResponse: 'POWERTOOLS_TRACER_CAPTURE_RESPONSE',
  nodeOptions: 'NODE_OPTIONS',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Lambda's limit on the total size of a function's environment (keys and values). */
export const LAMBDA_ENV_LIMIT_BYTES = 4096;

export interface CommonEnvInput {
  /** s3://bucket/prefix; the bucket name may be a CloudFormation token. */
  storeUrl: string;
  serviceName: string;
  metricsNamespace: string;
  logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
}

export type FunctionEnv = Record<string, string>;

export function commonEnv(input: CommonEnvInput): FunctionEnv {
  return {
    [ENV.store]: input.storeUrl,
    [ENV.serviceName]: input.serviceName,
    [ENV.metricsNamespace]: input.metricsNamespace,
    [ENV.logLevel]: input.logLevel,
    [ENV.tracerCaptureResponse]: 'false',
    [ENV.nodeOptions]: '--enable-source-maps',
  };
}

const json = (value: unknown): string => JSON.stringify(value);

export function backupFunctionEnv(common: CommonEnvInput, sources: readonly RuntimeSource[]): FunctionEnv {
  return { ...commonEnv(common), [ENV.sources]: json(sources) };
}

export function pruneFunctionEnv(common: CommonEnvInput, sources: readonly RuntimeSource[]): FunctionEnv {
  return { ...commonEnv(common), [ENV.sources]: json(sources) };
}

export function freshnessFunctionEnv(common: CommonEnvInput, sources: readonly RuntimeSource[]): FunctionEnv {
  return { ...commonEnv(common), [ENV.sources]: json(sources) };
}

export function restoreStepFunctionEnv(common: CommonEnvInput, sources: readonly RuntimeSource[], targets: readonly RuntimeTarget[]): FunctionEnv {
  return { ...commonEnv(common), [ENV.sources]: json(sources), [ENV.targets]: json(targets) };
}

export function apiFunctionEnv(
  common: CommonEnvInput,
  sources: readonly RuntimeSource[],
  targets: readonly RuntimeTarget[],
  refs: { restoreStateMachineArn: string; backupStateMachineArn: string },
): FunctionEnv {
  return {
    ...commonEnv(common),
    [ENV.sources]: json(sources),
    [ENV.targets]: json(targets),
    [ENV.restoreStateMachineArn]: refs.restoreStateMachineArn,
    [ENV.backupStateMachineArn]: refs.backupStateMachineArn,
  };
}

/**
 * The size Lambda counts for an environment, with `tokenAllowance` bytes for each unresolved
 * CloudFormation token (a bucket name has at most 63 characters, a state machine ARN about 140).
 */
export function envSizeBytes(env: FunctionEnv, tokenAllowance = 150): number {
  let total = 0;
  for (const [k, v] of Object.entries(env)) {
    const tokens = v.match(/\$\{Token\[[^\]]+\]\}/g) ?? [];
    const literal = tokens.reduce((s, t) => s.replace(t, ''), v);
    total += Buffer.byteLength(k) + Buffer.byteLength(literal) + tokens.length * tokenAllowance;
  }
  return total;
}
