/**
 * The runtime contract between the CDK stack (lib/) and the Lambda handlers (lambdas/handlers/):
 * what the stack puts in each function's environment, the events each function receives, the
 * restore state machine's state, the secret format, and the metric names the dashboard and the
 * alarms read. Deliberately free of aws-cdk-lib: handlers import this module and esbuild bundles it.
 *
 * The environment variable names and which function gets which are in ./function-env.ts.
 */
import type { RetentionPolicy } from '../../lambdas/retention/policy';
import { ENV } from './function-env';

// ---------------------------------------------------------------------------------------------
// Sources and restore targets, as the handlers see them (no secret values: secret ARNs only).
// ---------------------------------------------------------------------------------------------

export type BackupMethod = 'replication' | 'bgsave';

/** TLS settings of an endpoint. CA, client certificate and key (PEM) come from the endpoint's secret when present. */
export interface RuntimeTls {
  /** SNI name and the name the certificate is checked against (default: the host). */
  servername?: string;
  /** Verify the server certificate (default true). */
  rejectUnauthorized: boolean;
}

export interface RuntimeEndpoint {
  host: string;
  port: number;
  /** null: plain TCP. */
  tls: RuntimeTls | null;
  /**
   * A Secrets Manager secret holding a RedisSecretValue (JSON), or null when the server needs no
   * credentials. Handlers read it at run time (e.g. @middy/secrets-manager); values never sit in
   * the environment or in CloudFormation.
   */
  secretArn: string | null;
}

/** One source as the backup, prune, freshness and API functions see it (REDIS_BACKUP_SOURCES). */
export interface RuntimeSource {
  /** Folder name in the store, also the `source` metric dimension. */
  name: string;
  endpoint: RuntimeEndpoint;
  method: BackupMethod;
  /** bgsave: the server's data directory as mounted in the backup function (EFS access point), else null. */
  dataDir: string | null;
  /** bgsave: the RDB file name (null: CONFIG GET dbfilename, else dump.rdb). */
  dbfilename: string | null;
  /** replication: the sync command when a service renames it (null: SYNC/PSYNC). */
  syncCommand: string | null;
  /**
   * bgsave: capture the AOF (a snapshot of kind aof, docs/aof.md) instead of the RDB; `rewrite`:
   * BGREWRITEAOF first. Absent in environments written before AOF sources existed: false.
   */
  aof?: { rewrite: boolean } | null;
  /** Raw bytes per chunk (one zstd frame each). */
  chunkBytes: number;
  /** zstd level. */
  compressionLevel: number;
  /** Applied by the daily prune; null: the source is never pruned. */
  retention: RetentionPolicy | null;
  schedule: {
    /** EventBridge Scheduler expression: rate(...) or cron(...). */
    expression: string;
    timeZone: string;
    /** The longest gap between two scheduled runs, in seconds. */
    intervalSeconds: number;
  };
  /** The freshness alarm fires when the newest committed snapshot is older than this (2x the interval unless configured). */
  maxAgeSeconds: number;
}

export type RestoreTargetKind = 'server' | 'cluster' | 'directory';
export type RestoreMode = 'load' | 'cluster' | 'file';

/** One restore target (REDIS_BACKUP_TARGETS). A restore request can only name one of these. */
export interface RuntimeTarget {
  name: string;
  kind: RestoreTargetKind;
  /** server, cluster (a seed node): where to connect. null for kind 'directory'. */
  endpoint: RuntimeEndpoint | null;
  /** The one mode this target accepts: server -> load, cluster -> cluster, directory -> file. */
  mode: RestoreMode;
  /** directory: where the data directory is mounted in the restore function (EFS access point), else null. */
  dataDir: string | null;
  /** directory: the RDB file name the server will load. */
  dbfilename: string;
  /** Whether a request may ask for `flush` (FLUSHALL before writing). False unless configured. */
  allowFlush: boolean;
  /** Replicas that an optional `repoint` step points at this target after a load (same secret and TLS settings as the target). */
  replicas: Array<{ host: string; port: number }>;
  /** The sources whose snapshots may be restored here; undefined: every configured source. */
  sources?: string[];
}

/** What an endpoint's Secrets Manager secret holds (a JSON object). Every field is optional. */
export interface RedisSecretValue {
  username?: string;
  password?: string;
  /** PEM: the CA to verify the server with. */
  ca?: string;
  /** PEM: client certificate and key (mutual TLS). */
  cert?: string;
  key?: string;
}

const SECRET_FIELDS: ReadonlyArray<keyof RedisSecretValue> = ['username', 'password', 'ca', 'cert', 'key'];

/** Parses a secret string into a RedisSecretValue, naming the field at fault (never echoing values). */
export function parseRedisSecret(text: string, secretArn: string): RedisSecretValue {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`The secret ${secretArn} is not a JSON object (expected {"username"?, "password"?, "ca"?, "cert"?, "key"?})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`The secret ${secretArn} is not a JSON object (expected {"username"?, "password"?, "ca"?, "cert"?, "key"?})`);
  }
  const out: RedisSecretValue = {};
  for (const [field, v] of Object.entries(value)) {
    if (!(SECRET_FIELDS as readonly string[]).includes(field)) {
      throw new Error(`The secret ${secretArn} has an unknown field ${JSON.stringify(field)} (known: ${SECRET_FIELDS.join(', ')})`);
    }
    if (typeof v !== 'string') throw new Error(`The secret ${secretArn}: ${field} must be a string`);
    out[field as keyof RedisSecretValue] = v;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Events.
// ---------------------------------------------------------------------------------------------

/** The backup function's event: from its schedule, or from the on-demand backup state machine. */
export interface BackupEvent {
  source: string;
  trigger: 'schedule' | 'api' | 'manual';
  /** schedule: EventBridge Scheduler's <aws.scheduler.scheduled-time>. */
  scheduledTime?: string;
  /** The correlation id: Scheduler's <aws.scheduler.execution-id>, or the on-demand request id (the execution name). */
  requestId?: string;
}

/** The prune function's event (daily schedule): every source with a retention policy unless `sources` narrows it. */
export interface PruneEvent {
  trigger: 'schedule' | 'api';
  sources?: string[];
  dryRun?: boolean;
}

/** The freshness function's event (every 15 minutes). */
export interface FreshnessEvent {
  trigger: 'schedule';
}

/** Which snapshot: an id, 'latest', or the newest taken at or before an ISO time. */
export type RestoreSnapshotSelector = string | { before: string };

/** Options of a restore request (POST /restores `options`). */
export interface RestoreRequestOptions {
  flush?: boolean;
  replace?: boolean;
  allowLossy?: boolean;
  dbs?: number[];
  dbMap?: Record<string, number>;
  match?: string[];
  types?: string[];
  sampleKeys?: number;
  dryRun?: boolean;
  /** After a load, point the target's configured replicas at it (the state machine's optional repoint step). */
  repoint?: boolean;
  /** AOF snapshots only: stop the replay at the first #TS: annotation later than this ISO time. */
  until?: string;
}

/** The body of POST /restores. */
export interface RestoreRequestBody {
  source: string;
  snapshot: RestoreSnapshotSelector;
  /** The name of a configured restore target; never a host. */
  target: string;
  mode: RestoreMode;
  options?: RestoreRequestOptions;
}

/** The restore state machine's input: the API's validated request plus the restore id (= the execution name). */
export interface RestoreExecutionInput extends RestoreRequestBody {
  restoreId: string;
  options: RestoreRequestOptions;
  requestedAt: string;
}

/** Progress of the restore step, updated by each invocation. */
export interface RestoreProgressState {
  chunk: number;
  chunks: number;
  keys: number;
  rawBytes: number;
}

/**
 * The state that flows through the restore state machine. Every task receives
 * `{ step, state }` (RestoreStepEvent) and returns the next RestoreState, which replaces
 * the whole state. The restore step returns `more: true` when its invocation ended before
 * the data did (it checkpointed); the state machine then invokes it again with that state,
 * and it resumes from the checkpoint (engineRestoreId).
 */
export interface RestoreState extends RestoreExecutionInput {
  /** Set by validate/verify-snapshot: the resolved snapshot. */
  snapshotId?: string;
  /** The engine's restore id (records and checkpoints under <source>/restores/<id>/), used to resume. */
  engineRestoreId?: string;
  /** restore: another invocation is needed. */
  more?: boolean;
  /** restore: how many invocations so far. */
  invocations?: number;
  progress?: RestoreProgressState;
  /** Where the final report was written (a store key), once there is one. */
  reportKey?: string;
  /** Set by the state machine's Catch (ResultPath $.error) for the record-failure step: what ended the restore. */
  error?: StepFailure;
}

/**
 * A failed task's error as Step Functions hands it to a Catch: `Error` is the error name (the
 * restore-step function names its errors by their stable code; Step Functions and Lambda use
 * theirs, e.g. States.Timeout, Sandbox.Timedout) and `Cause` is, for a Lambda error, the JSON
 * `{errorType, errorMessage, trace}` the runtime reported.
 */
export interface StepFailure {
  Error: string;
  Cause?: string;
}

/**
 * The restore steps, in order (repoint only when asked). record-failure is not a step of a
 * restore: every other step's Catch routes to it, and it marks the restore's record failed with
 * the error before the execution fails.
 */
export type RestoreStepName = 'validate' | 'verify-snapshot' | 'restore' | 'verify-target' | 'repoint' | 'record-failure';

/**
 * Error names (the errorType Step Functions sees: the restore-step function names a thrown error
 * by its stable code) that the state machine retries, with backoff, on every restore step. Any
 * other error (a corrupt snapshot, a non-empty target, bad credentials) fails the restore at once.
 */
export const RESTORE_TRANSIENT_ERRORS: readonly string[] = [
  'RESTORE_TARGET_UNREACHABLE',
  'RESTORE_WRITE_FAILED',
  'STORE_UNREACHABLE',
  'STORE_READ_FAILED',
  'STORE_WRITE_FAILED',
  'SECRET_UNAVAILABLE',
];

/** The on-demand backup state machine's input (POST /sources/{source}/snapshots); the execution name is `requestId`. */
export interface OnDemandBackupInput {
  source: string;
  requestId: string;
  requestedAt: string;
}

/** The restore-step function's event. */
export interface RestoreStepEvent {
  step: RestoreStepName;
  state: RestoreState;
}

// ---------------------------------------------------------------------------------------------
// Metrics: published by the handlers with Powertools Metrics (EMF, no PutMetricData permission),
// read by the dashboard and the alarms. Namespace: POWERTOOLS_METRICS_NAMESPACE. Dimensions:
// exactly { service: POWERTOOLS_SERVICE_NAME, source: <source name> } (Powertools adds `service`).
// ---------------------------------------------------------------------------------------------

export const METRIC = {
  /** freshness: seconds since the newest committed snapshot of a source started (Seconds). Not published for a source without one. */
  snapshotAge: 'SnapshotAgeSeconds',
  /** backup: wall time of a successful backup (Seconds). */
  backupDuration: 'BackupDurationSeconds',
  /** backup: raw RDB bytes (Bytes). */
  backupRawBytes: 'BackupRawBytes',
  /** backup: bytes stored after compression (Bytes). */
  backupStoredBytes: 'BackupStoredBytes',
  /** backup: raw bytes per second of wall time (Bytes/Second). */
  backupThroughput: 'BackupThroughputBytesPerSecond',
  /** backup: 1 per successful / failed run (Count). */
  backupSucceeded: 'BackupSucceeded',
  backupFailed: 'BackupFailed',
  /** restore: wall time from the first step to the end (Seconds), 1 per finished / failed restore (Count). */
  restoreDuration: 'RestoreDurationSeconds',
  restoreSucceeded: 'RestoreSucceeded',
  restoreFailed: 'RestoreFailed',
} as const;

export const METRIC_DIMENSION = { service: 'service', source: 'source' } as const;

// ---------------------------------------------------------------------------------------------
// Reading the environment (handlers).
// ---------------------------------------------------------------------------------------------

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') throw new Error(`The environment variable ${name} is not set (the CDK stack sets it)`);
  return value;
}

function parseJsonArray<T>(env: NodeJS.ProcessEnv, name: string): T[] {
  const text = required(env, name);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`The environment variable ${name} is not valid JSON: ${(e as Error).message}`);
  }
  if (!Array.isArray(value)) throw new Error(`The environment variable ${name} must be a JSON array`);
  return value as T[];
}

/** REDIS_BACKUP_STORE: the store URL (s3://bucket/prefix). */
export function readStoreUrl(env: NodeJS.ProcessEnv = process.env): string {
  return required(env, ENV.store);
}

/** REDIS_BACKUP_SOURCES. */
export function readSources(env: NodeJS.ProcessEnv = process.env): RuntimeSource[] {
  return parseJsonArray<RuntimeSource>(env, ENV.sources);
}

/** REDIS_BACKUP_TARGETS. */
export function readTargets(env: NodeJS.ProcessEnv = process.env): RuntimeTarget[] {
  return parseJsonArray<RuntimeTarget>(env, ENV.targets);
}

/** A source by name, or undefined. */
export function findSource(sources: readonly RuntimeSource[], name: string): RuntimeSource | undefined {
  return sources.find((s) => s.name === name);
}

/** A restore target by name, or undefined: the only way a restore names where it writes. */
export function findTarget(targets: readonly RuntimeTarget[], name: string): RuntimeTarget | undefined {
  return targets.find((t) => t.name === name);
}

/** The execution ARN of a restore (or on-demand backup) from its state machine's ARN and the execution name. */
export function executionArn(stateMachineArn: string, executionName: string): string {
  const parts = stateMachineArn.split(':');
  // arn:partition:states:region:account:stateMachine:name
  if (parts.length !== 7 || parts[5] !== 'stateMachine') throw new Error(`Not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], executionName].join(':');
}
