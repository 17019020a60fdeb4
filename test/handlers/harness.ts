/**
 * What the handler tests share: the environment the CDK stack would set, a real
 * store (s3rver behind REDIS_BACKUP_S3_ENDPOINT), secrets handed in by value,
 * realistic Lambda contexts and API Gateway events, the metrics and logs the
 * handlers print, and in-process stand-ins for the two Step Functions machines.
 */
import type { APIGatewayProxyEventV2WithIAMAuthorizer, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { ENV } from '../../lib/config/function-env';
import { RestoreExecutionInput, RestoreState, RestoreStepEvent, RestoreStepName, RuntimeSource, RuntimeTarget, StepFailure } from '../../lib/config/runtime-config';
import { createApiHandler } from '../../lambdas/handlers/api';
import { BackupEvent, BackupResult, createBackupHandler } from '../../lambdas/handlers/backup';
import { BackupRequest, BackupStarter } from '../../lambdas/handlers/backup-starter';
import { createObservability, Observability } from '../../lambdas/handlers/observability';
import { RestoreExecution, RestoreStarter } from '../../lambdas/handlers/restore-starter';
import { createRestoreStepHandler } from '../../lambdas/handlers/restore-step';
import { loadRuntimeConfig } from '../../lambdas/handlers/runtime';
import { SecretValues, staticSecrets } from '../../lambdas/handlers/secrets';
import { Service } from '../../lambdas/handlers/service';
import { openStore } from '../../lambdas/store/open-store';
import { S3RVER_CREDENTIALS, S3Server } from '../helpers/s3-server';

export const FAST_REPLICATION = { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 };

export const secretArn = (name: string): string => `arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-backup/${name}-AbCdEf`;

export function runtimeSource(name: string, port: number, overrides: Partial<RuntimeSource> = {}): RuntimeSource {
  return {
    name,
    endpoint: { host: '127.0.0.1', port, tls: null, secretArn: secretArn(name) },
    method: 'replication',
    dataDir: null,
    dbfilename: null,
    syncCommand: null,
    // Small chunks: a restore of the sample data spans several, so it can pause and resume.
    chunkBytes: 48 << 10,
    compressionLevel: 3,
    retention: { keepLast: 2 },
    schedule: { expression: 'rate(1 hour)', timeZone: 'UTC', intervalSeconds: 3600 },
    maxAgeSeconds: 7200,
    ...overrides,
  };
}

export function serverTarget(name: string, port: number, overrides: Partial<RuntimeTarget> = {}): RuntimeTarget {
  return {
    name,
    kind: 'server',
    endpoint: { host: '127.0.0.1', port, tls: null, secretArn: secretArn(name) },
    mode: 'load',
    dataDir: null,
    dbfilename: 'dump.rdb',
    allowFlush: false,
    replicas: [],
    ...overrides,
  };
}

/** The environment the stack gives a function, pointing at s3rver. */
export function functionEnv(s3: S3Server, sources: RuntimeSource[], targets: RuntimeTarget[]): NodeJS.ProcessEnv {
  return {
    [ENV.store]: s3.url,
    [ENV.sources]: JSON.stringify(sources),
    [ENV.targets]: JSON.stringify(targets),
    [ENV.serviceName]: 'redis-backup-test',
    [ENV.metricsNamespace]: 'RedisBackupTest',
  };
}

/** Points the SDK (openStore, the credential chain) at s3rver, as REDIS_BACKUP_S3_ENDPOINT does in a deployment's tests. */
export function useS3rver(s3: S3Server): void {
  process.env.REDIS_BACKUP_S3_ENDPOINT = s3.endpoint;
  process.env.AWS_ACCESS_KEY_ID = S3RVER_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = S3RVER_CREDENTIALS.secretAccessKey;
  process.env.AWS_REGION = 'us-east-1';
}

export function serviceFor(env: NodeJS.ProcessEnv): Service {
  const config = loadRuntimeConfig(env);
  return { config, store: openStore(config.store) };
}

/** A Lambda context as the runtime gives it; `remainingMs` may shrink to make a run end early. */
export function lambdaContext(functionName: string, remainingMs: () => number = () => 900_000): Context {
  const requestId = `${Math.random().toString(16).slice(2, 10)}-aaaa-bbbb-cccc-${Date.now().toString(16).padStart(12, '0')}`;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`,
    memoryLimitInMB: '1769',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `2026/11/25/[$LATEST]${requestId.replace(/-/g, '')}`,
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** What the handlers print: EMF metric documents and structured log lines. */
export class Output {
  readonly lines: string[] = [];
  private spies: jest.SpyInstance[] = [];

  /** Captures stdout (EMF, logs) and stderr (warnings and errors). */
  start(): void {
    const capture = (chunk: string | Uint8Array): boolean => {
      this.lines.push(...String(chunk).split('\n').filter((l) => l.trim() !== ''));
      return true;
    };
    this.spies = [jest.spyOn(process.stdout, 'write').mockImplementation(capture), jest.spyOn(process.stderr, 'write').mockImplementation(capture)];
  }

  stop(): void {
    for (const spy of this.spies) spy.mockRestore();
    this.spies = [];
  }

  clear(): void {
    this.lines.length = 0;
  }

  private json(): Array<Record<string, unknown>> {
    return this.lines.flatMap((l) => {
      try {
        const v = JSON.parse(l) as unknown;
        return typeof v === 'object' && v !== null ? [v as Record<string, unknown>] : [];
      } catch {
        return [];
      }
    });
  }

  /** EMF documents: their dimensions and metric values. */
  metrics(): Array<{ namespace: string; dimensions: string[]; values: Record<string, unknown> }> {
    return this.json()
      .filter((d) => typeof d._aws === 'object')
      .map((d) => {
        const aws = d._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][]; Metrics: Array<{ Name: string }> }> };
        const cw = aws.CloudWatchMetrics[0];
        const values: Record<string, unknown> = {};
        for (const m of cw.Metrics) values[m.Name] = d[m.Name];
        for (const dim of cw.Dimensions[0]) values[dim] = d[dim];
        return { namespace: cw.Namespace, dimensions: cw.Dimensions[0], values };
      });
  }

  /** The value of `metric` in documents whose `source` dimension is `source` (null: documents without one). */
  metric(metric: string, source: string | null): unknown[] {
    return this.metrics()
      .filter((m) => metric in m.values && (source === null ? !m.dimensions.includes('source') : m.values.source === source))
      .map((m) => m.values[metric]);
  }

  logs(): Array<Record<string, unknown>> {
    return this.json().filter((d) => typeof d.message === 'string' && typeof d.level === 'string');
  }
}

/** Quiet, real Powertools (what the handlers print is captured by Output). */
export function observability(): Observability {
  return createObservability({ POWERTOOLS_SERVICE_NAME: 'redis-backup-test', POWERTOOLS_METRICS_NAMESPACE: 'RedisBackupTest' });
}

/** Secrets by ARN, as the Secrets Manager middleware would hand them over (parsed JSON). */
export const secrets = (values: SecretValues) => staticSecrets(values);

let requestCounter = 0;

/** An API Gateway HTTP API (payload 2.0) event with IAM authorization, as the route would deliver it. */
export function apiEvent(
  method: 'GET' | 'POST',
  path: string,
  options: { routeKey?: string; pathParameters?: Record<string, string>; query?: Record<string, string>; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): APIGatewayProxyEventV2WithIAMAuthorizer {
  const requestId = `Req${(++requestCounter).toString().padStart(4, '0')}${Date.now().toString(36)}=`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    Accept: 'application/json',
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'aws-sdk-js/3',
    'X-Amz-Date': '20261125T080000Z',
    'X-Amzn-Trace-Id': 'Root=1-67890abc-0123456789abcdef01234567',
    ...(body !== undefined && options.headers === undefined ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  const query = options.query;
  return {
    version: '2.0',
    routeKey: options.routeKey ?? `${method} ${path}`,
    rawPath: path,
    rawQueryString: query ? new URLSearchParams(query).toString() : '',
    headers,
    ...(query ? { queryStringParameters: query } : {}),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123',
      authorizer: {
        iam: {
          accessKey: 'ASIAEXAMPLE',
          accountId: '123456789012',
          callerId: 'AROAEXAMPLE:operator',
          cognitoIdentity: null,
          principalOrgId: 'o-exampleorgid',
          userArn: 'arn:aws:sts::123456789012:assumed-role/Operator/operator',
          userId: 'AROAEXAMPLE:operator',
        },
      },
      domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'aws-sdk-js/3' },
      requestId,
      routeKey: options.routeKey ?? `${method} ${path}`,
      stage: '$default',
      time: '25/Nov/2026:08:00:00 +0000',
      timeEpoch: Date.now(),
    },
    ...(body !== undefined ? { body } : {}),
    isBase64Encoded: false,
  };
}

export interface ApiResult {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, unknown>;
}

export function parse(response: APIGatewayProxyStructuredResultV2): ApiResult {
  return { status: response.statusCode ?? 0, body: JSON.parse(String(response.body)) as Record<string, unknown>, headers: (response.headers ?? {}) as Record<string, unknown> };
}

type StepHandler = ReturnType<typeof createRestoreStepHandler>;
type BackupHandler = ReturnType<typeof createBackupHandler>;

/** One step invocation as the state machine made it. */
export interface StepCall {
  step: RestoreStepName;
  state: RestoreState;
}

/**
 * A Lambda function's error as Step Functions hands it to a Catch (ResultPath $.error): Error is
 * the errorType the Node.js runtime reports (the error's name), Cause the runtime's JSON.
 */
export function stepFailure(e: Error): StepFailure {
  return { Error: e.name, Cause: JSON.stringify({ errorType: e.name, errorMessage: e.message, trace: (e.stack ?? '').split('\n') }) };
}

const stepFailureFields = (e: Error): { error: string; cause?: string } => {
  const f = stepFailure(e);
  return { error: f.Error, cause: f.Cause };
};

/** A restore state machine that only records what it was asked to start; a test says how each execution stands (`executions`), RUNNING by default. */
export class RecordingStarter implements RestoreStarter {
  readonly started: RestoreExecutionInput[] = [];
  readonly executions = new Map<string, RestoreExecution | Error>();

  async start(input: RestoreExecutionInput): Promise<void> {
    this.started.push(input);
  }

  async execution(restoreId: string): Promise<RestoreExecution | null> {
    const set = this.executions.get(restoreId);
    if (set instanceof Error) throw set;
    return set ?? (this.started.some((s) => s.restoreId === restoreId) ? { status: 'RUNNING' } : null);
  }
}

/**
 * The restore state machine (lib/constructs/restore-workflow.ts), run in process:
 * validate -> verify-snapshot -> restore (again while `more`) -> verify-target ->
 * repoint (when options.repoint); any error ends the execution through the Catch:
 * record-failure with the error in $.error, then Fail (no Retry: a test names
 * the error it wants). Each task invokes the restore-step handler with
 * `{ step, state }` and a fresh Lambda context whose remaining time `remainingMs` gives.
 */
export class InProcessRestoreMachine implements RestoreStarter {
  readonly started: RestoreExecutionInput[] = [];
  readonly calls: StepCall[] = [];
  private readonly runs = new Map<string, Promise<{ status: 'SUCCEEDED' | 'FAILED'; output?: RestoreState; error?: Error }>>();
  private readonly ended = new Map<string, RestoreExecution>();

  constructor(
    private readonly handler: StepHandler,
    private readonly remainingMs: () => number = () => 900_000,
  ) {}

  async start(input: RestoreExecutionInput): Promise<void> {
    if (this.runs.has(input.restoreId)) throw new Error(`ExecutionAlreadyExists: ${input.restoreId}`);
    this.started.push(input);
    // Like StartExecution: the caller gets an answer, the execution runs on.
    this.runs.set(
      input.restoreId,
      this.run(input).then((end) => {
        this.ended.set(input.restoreId, { status: end.status, ...(end.error ? stepFailureFields(end.error) : {}), stopDate: new Date().toISOString() });
        return end;
      }),
    );
  }

  async execution(restoreId: string): Promise<RestoreExecution | null> {
    if (!this.runs.has(restoreId)) return null;
    return this.ended.get(restoreId) ?? { status: 'RUNNING' };
  }

  /** The execution's end. */
  result(restoreId: string): Promise<{ status: 'SUCCEEDED' | 'FAILED'; output?: RestoreState; error?: Error }> {
    const run = this.runs.get(restoreId);
    if (run === undefined) throw new Error(`No execution ${restoreId}`);
    return run;
  }

  private async invoke(step: RestoreStepName, state: RestoreState): Promise<RestoreState> {
    this.calls.push({ step, state });
    const event: RestoreStepEvent = JSON.parse(JSON.stringify({ step, state })) as RestoreStepEvent;
    const out = await this.handler(event, lambdaContext('redis-backup-restore-step', this.remainingMs));
    return JSON.parse(JSON.stringify(out)) as RestoreState;
  }

  private async run(input: RestoreExecutionInput): Promise<{ status: 'SUCCEEDED' | 'FAILED'; output?: RestoreState; error?: Error }> {
    // The input of the task that fails: the Catch adds the error to it.
    let state: RestoreState = input;
    try {
      state = await this.invoke('validate', state);
      state = await this.invoke('verify-snapshot', state);
      state = await this.invoke('restore', state);
      for (let i = 0; state.more === true; i++) {
        if (i > 1000) throw new Error('The restore never finished');
        state = await this.invoke('restore', state);
      }
      state = await this.invoke('verify-target', state);
      if (state.options.repoint === true) state = await this.invoke('repoint', state);
      return { status: 'SUCCEEDED', output: state };
    } catch (e) {
      // Record failure (its result discarded), then Fail with the step's error, whether or not recording worked.
      await this.invoke('record-failure', { ...state, error: stepFailure(e as Error) }).catch(() => undefined);
      return { status: 'FAILED', error: e as Error };
    }
  }
}

/** On-demand backups as the stack runs them: the backup function invoked with {source, trigger: 'api', requestId}, in process. */
export class InProcessBackups implements BackupStarter {
  readonly requests: BackupRequest[] = [];
  readonly runs: Array<Promise<BackupResult>> = [];

  constructor(private readonly handler: BackupHandler) {}

  async start(request: BackupRequest): Promise<void> {
    this.requests.push(request);
    const event: BackupEvent = { source: request.source, trigger: 'api', requestId: request.requestId };
    this.runs.push(this.handler(event, lambdaContext('redis-backup-backup')));
  }
}

export function apiHandler(service: Service, obs: Observability, backups: BackupStarter, restores: RestoreStarter) {
  return createApiHandler({ service: () => service, observability: obs, backups: () => backups, restores: () => restores });
}
