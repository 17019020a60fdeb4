/**
 * The deployment configuration as written in the config file (config.schema.json describes the
 * same shape, with the constraints; README "Configuration reference" documents every field).
 * Optional fields get their defaults in ./defaults.ts; ResolvedConfig is the result.
 */
import type { RetentionPolicy } from '../../lambdas/retention/policy';
import type { BackupMethod, RestoreTargetKind } from './runtime-config';

export interface RedisBackupConfig {
  $schema?: string;
  /** CloudFormation stack name (default RedisBackup). */
  stackName?: string;
  /** Powertools service name, prefix of resource names, `service` metric dimension (default redis-backup). */
  serviceName?: string;
  /** CloudWatch namespace of the custom metrics (default RedisBackup). */
  metricsNamespace?: string;
  /** Pin the stack to an account and region (default: the CLI's, or environment-agnostic). */
  env?: { account?: string; region?: string };
  bucket?: BucketConfig;
  network?: NetworkConfig;
  alarms?: AlarmsConfig;
  functions?: FunctionsConfig;
  restore?: { timeoutHours?: number };
  sources: SourceConfig[];
  restoreTargets?: RestoreTargetConfig[];
}

export type StorageClassName = 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'GLACIER_IR';

export interface BucketConfig {
  /** Use this bucket instead of creating one (its own policy, encryption and lifecycle then apply). */
  existingBucketName?: string;
  /** Key prefix of the store inside the bucket: '' or segments ending with '/'. */
  prefix?: string;
  /** 'kms' (default): SSE-KMS with a customer-managed key; 's3-managed': SSE-S3. */
  encryption?: 'kms' | 's3-managed';
  /** kms: bring your own key (otherwise a key with rotation is created, unless the bucket is existing). */
  kmsKeyArn?: string;
  objectLock?: { mode: 'governance' | 'compliance'; retentionDays: number };
  lifecycle?: {
    /** Move snapshot objects to `storageClass` after this many days (0 turns the transition off). */
    transitionAfterDays?: number;
    storageClass?: StorageClassName;
    /** Delete noncurrent versions (deleted or overwritten objects) after this many days. */
    noncurrentVersionExpirationDays?: number;
  };
  /** S3 server access logs into a separate, SSE-S3 bucket. */
  accessLogs?: { enabled?: boolean; expireAfterDays?: number };
  removalPolicy?: 'retain' | 'destroy';
}

export interface SubnetConfig {
  subnetId: string;
  availabilityZone: string;
  routeTableId: string;
}

export interface NetworkConfig {
  vpcId: string;
  subnets: SubnetConfig[];
  /** Security groups for the in-VPC functions (Redis must allow them); one is created when omitted. */
  securityGroupIds?: string[];
  /** 'create' (default): an S3 gateway endpoint on the subnets' route tables; 'none': one exists already. */
  s3GatewayEndpoint?: 'create' | 'none';
  /** 'create': a Secrets Manager interface endpoint; 'none' (default): reachable already (NAT or an endpoint). */
  secretsManagerEndpoint?: 'create' | 'none';
}

export interface AlarmsConfig {
  /** E-mail addresses subscribed to the alarm topic (each confirms the subscription). */
  emails?: string[];
}

export interface FunctionSizing {
  memoryMiB?: number;
  timeoutMinutes?: number;
  ephemeralStorageMiB?: number;
}

export interface FunctionsConfig {
  backup?: FunctionSizing;
  restore?: FunctionSizing;
  logRetentionDays?: number;
  logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  tracing?: boolean;
  /** 'bundled' (default): the AWS SDK version tested with the engine is bundled; 'runtime': use the Lambda runtime's. */
  awsSdk?: 'bundled' | 'runtime';
}

export interface EndpointConfig {
  host: string;
  port?: number;
  tls?: boolean;
  tlsServername?: string;
  tlsRejectUnauthorized?: boolean;
}

export interface CredentialsConfig {
  /** Full ARN of a Secrets Manager secret holding {"username"?, "password"?, "ca"?, "cert"?, "key"?}. */
  secretArn: string;
  /** The customer-managed KMS key the secret is encrypted with, if not the AWS managed one. */
  kmsKeyArn?: string;
}

export interface EfsConfig {
  fileSystemId: string;
  accessPointId: string;
  /** The file system's mount-target security group: an NFS ingress rule from the functions is added to it. */
  securityGroupId?: string;
  /** Directory below the access point's root where the server's RDB is (default: the root). */
  path?: string;
  dbfilename?: string;
}

export interface ScheduleConfig {
  /** rate(...) or cron(...) (EventBridge Scheduler syntax). */
  expression: string;
  timeZone?: string;
  flexibleWindowMinutes?: number;
}

export interface SourceConfig {
  name: string;
  endpoint: EndpointConfig;
  credentials?: CredentialsConfig;
  method?: BackupMethod;
  syncCommand?: string;
  /** bgsave: capture the server's AOF (a snapshot of kind aof) instead of its RDB. */
  aof?: boolean;
  /** With aof: BGREWRITEAOF first, and wait for it. */
  rewrite?: boolean;
  efs?: EfsConfig;
  schedule: ScheduleConfig;
  retention: RetentionPolicy;
  chunkSizeMiB?: number;
  compressionLevel?: number;
  /** Freshness alarm threshold (default: 2x the longest interval between scheduled runs). */
  maxAgeMinutes?: number;
  enabled?: boolean;
}

export interface RestoreTargetConfig {
  name: string;
  kind?: RestoreTargetKind;
  endpoint?: EndpointConfig;
  credentials?: CredentialsConfig;
  efs?: EfsConfig;
  allowFlush?: boolean;
  /** The sources whose snapshots may be restored here (default: every configured source). */
  sources?: string[];
  replicas?: Array<{ host: string; port?: number }>;
}

// ---------------------------------------------------------------------------------------------
// After defaults (./defaults.ts).
// ---------------------------------------------------------------------------------------------

export interface ResolvedFunctionSizing {
  memoryMiB: number;
  timeoutMinutes: number;
  ephemeralStorageMiB: number;
}

export interface ResolvedEndpoint {
  host: string;
  port: number;
  tls: { servername?: string; rejectUnauthorized: boolean } | null;
}

export interface ResolvedEfs {
  fileSystemId: string;
  accessPointId: string;
  securityGroupId: string | null;
  path: string;
  dbfilename: string | null;
}

export interface ResolvedSource {
  name: string;
  endpoint: ResolvedEndpoint;
  credentials: CredentialsConfig | null;
  method: BackupMethod;
  syncCommand: string | null;
  aof: boolean;
  rewrite: boolean;
  efs: ResolvedEfs | null;
  schedule: { expression: string; timeZone: string; flexibleWindowMinutes: number; intervalSeconds: number };
  retention: RetentionPolicy;
  chunkBytes: number;
  compressionLevel: number;
  maxAgeSeconds: number;
  enabled: boolean;
}

export interface ResolvedTarget {
  name: string;
  kind: RestoreTargetKind;
  endpoint: ResolvedEndpoint | null;
  credentials: CredentialsConfig | null;
  efs: ResolvedEfs | null;
  allowFlush: boolean;
  sources: string[] | null;
  replicas: Array<{ host: string; port: number }>;
}

export interface ResolvedBucket {
  existingBucketName: string | null;
  prefix: string;
  encryption: 'kms' | 's3-managed';
  kmsKeyArn: string | null;
  objectLock: { mode: 'governance' | 'compliance'; retentionDays: number } | null;
  lifecycle: { transitionAfterDays: number; storageClass: StorageClassName; noncurrentVersionExpirationDays: number };
  accessLogs: { enabled: boolean; expireAfterDays: number };
  removalPolicy: 'retain' | 'destroy';
}

export interface ResolvedNetwork {
  vpcId: string;
  subnets: SubnetConfig[];
  securityGroupIds: string[];
  s3GatewayEndpoint: 'create' | 'none';
  secretsManagerEndpoint: 'create' | 'none';
}

export interface ResolvedConfig {
  stackName: string;
  serviceName: string;
  metricsNamespace: string;
  env: { account?: string; region?: string };
  bucket: ResolvedBucket;
  network: ResolvedNetwork | null;
  alarms: { emails: string[] };
  functions: {
    backup: ResolvedFunctionSizing;
    restore: ResolvedFunctionSizing;
    logRetentionDays: number;
    logLevel: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
    tracing: boolean;
    awsSdk: 'bundled' | 'runtime';
  };
  restore: { timeoutHours: number };
  sources: ResolvedSource[];
  restoreTargets: ResolvedTarget[];
}
