/**
 * Defaults of the configuration, as pure functions of the (validated) config file.
 * The sizing numbers and why: README "Function sizing".
 */
import { parseScheduleExpression } from './schedule';
import {
  EfsConfig,
  EndpointConfig,
  FunctionSizing,
  RedisBackupConfig,
  ResolvedBucket,
  ResolvedConfig,
  ResolvedEfs,
  ResolvedEndpoint,
  ResolvedFunctionSizing,
  ResolvedNetwork,
  ResolvedSource,
  ResolvedTarget,
  RestoreTargetConfig,
  SourceConfig,
} from './types';

export const DEFAULTS = {
  stackName: 'RedisBackup',
  serviceName: 'redis-backup',
  metricsNamespace: 'RedisBackup',
  port: 6379,
  chunkSizeMiB: 64,
  compressionLevel: 1,
  timeZone: 'UTC',
  /** One full vCPU: the pipeline is CPU-bound (zstd + SHA-256 on the main thread, CRC-64 on a worker). */
  backup: { memoryMiB: 1769, timeoutMinutes: 15, ephemeralStorageMiB: 512 } satisfies ResolvedFunctionSizing,
  restore: { memoryMiB: 1769, timeoutMinutes: 15, ephemeralStorageMiB: 512 } satisfies ResolvedFunctionSizing,
  logRetentionDays: 30,
  restoreTimeoutHours: 24,
  transitionAfterDays: 30,
  storageClass: 'STANDARD_IA',
  noncurrentVersionExpirationDays: 30,
  accessLogsExpireAfterDays: 365,
  /** The longest default flexible window. */
  maxDefaultWindowMinutes: 15,
  /** The directory where an EFS access point is mounted in a function (Lambda requires /mnt/...). */
  efsMountPath: '/mnt/data',
} as const;

export function resolveEndpoint(e: EndpointConfig): ResolvedEndpoint {
  return {
    host: e.host,
    port: e.port ?? DEFAULTS.port,
    tls: e.tls === true ? { ...(e.tlsServername !== undefined ? { servername: e.tlsServername } : {}), rejectUnauthorized: e.tlsRejectUnauthorized ?? true } : null,
  };
}

export function resolveEfs(e: EfsConfig): ResolvedEfs {
  return { fileSystemId: e.fileSystemId, accessPointId: e.accessPointId, securityGroupId: e.securityGroupId ?? null, path: e.path ?? '', dbfilename: e.dbfilename ?? null };
}

/** The default flexible window: a quarter of the interval, at most 15 minutes; 0 when the interval is unknown. */
export function defaultFlexibleWindowMinutes(intervalSeconds: number | null): number {
  if (intervalSeconds === null) return 0;
  return Math.min(DEFAULTS.maxDefaultWindowMinutes, Math.floor(intervalSeconds / 60 / 4));
}

/** The freshness threshold: maxAgeMinutes when given, else twice the interval. */
export function defaultMaxAgeSeconds(intervalSeconds: number | null, maxAgeMinutes: number | undefined): number {
  if (maxAgeMinutes !== undefined) return maxAgeMinutes * 60;
  if (intervalSeconds === null) throw new Error('maxAgeMinutes is required when the schedule interval cannot be derived');
  return 2 * intervalSeconds;
}

export function resolveSource(s: SourceConfig): ResolvedSource {
  const parsed = parseScheduleExpression(s.schedule.expression);
  const maxAgeSeconds = defaultMaxAgeSeconds(parsed.intervalSeconds, s.maxAgeMinutes);
  return {
    name: s.name,
    endpoint: resolveEndpoint(s.endpoint),
    credentials: s.credentials ?? null,
    method: s.method ?? 'replication',
    syncCommand: s.syncCommand ?? null,
    aof: s.aof ?? false,
    rewrite: s.rewrite ?? false,
    efs: s.efs ? resolveEfs(s.efs) : null,
    schedule: {
      expression: s.schedule.expression,
      timeZone: s.schedule.timeZone ?? DEFAULTS.timeZone,
      flexibleWindowMinutes: s.schedule.flexibleWindowMinutes ?? defaultFlexibleWindowMinutes(parsed.intervalSeconds),
      // Unknown intervals (L, W, #): half the configured threshold, so that 2x the interval is the threshold.
      intervalSeconds: parsed.intervalSeconds ?? maxAgeSeconds / 2,
    },
    retention: { ...s.retention },
    chunkBytes: (s.chunkSizeMiB ?? DEFAULTS.chunkSizeMiB) * 1024 * 1024,
    compressionLevel: s.compressionLevel ?? DEFAULTS.compressionLevel,
    maxAgeSeconds,
    enabled: s.enabled ?? true,
  };
}

export function resolveTarget(t: RestoreTargetConfig): ResolvedTarget {
  return {
    name: t.name,
    kind: t.kind ?? 'server',
    endpoint: t.endpoint ? resolveEndpoint(t.endpoint) : null,
    credentials: t.credentials ?? null,
    efs: t.efs ? resolveEfs(t.efs) : null,
    allowFlush: t.allowFlush ?? false,
    sources: t.sources ? [...t.sources] : null,
    replicas: (t.replicas ?? []).map((r) => ({ host: r.host, port: r.port ?? DEFAULTS.port })),
  };
}

export function resolveBucket(b: RedisBackupConfig['bucket'] = {}): ResolvedBucket {
  return {
    existingBucketName: b.existingBucketName ?? null,
    prefix: b.prefix ?? '',
    encryption: b.encryption ?? 'kms',
    kmsKeyArn: b.kmsKeyArn ?? null,
    objectLock: b.objectLock ? { ...b.objectLock } : null,
    lifecycle: {
      transitionAfterDays: b.lifecycle?.transitionAfterDays ?? DEFAULTS.transitionAfterDays,
      storageClass: b.lifecycle?.storageClass ?? DEFAULTS.storageClass,
      noncurrentVersionExpirationDays: b.lifecycle?.noncurrentVersionExpirationDays ?? DEFAULTS.noncurrentVersionExpirationDays,
    },
    accessLogs: { enabled: b.accessLogs?.enabled ?? true, expireAfterDays: b.accessLogs?.expireAfterDays ?? DEFAULTS.accessLogsExpireAfterDays },
    removalPolicy: b.removalPolicy ?? 'retain',
  };
}

export function resolveNetwork(n: RedisBackupConfig['network']): ResolvedNetwork | null {
  if (n === undefined) return null;
  return {
    vpcId: n.vpcId,
    subnets: n.subnets.map((s) => ({ ...s })),
    securityGroupIds: [...(n.securityGroupIds ?? [])],
    s3GatewayEndpoint: n.s3GatewayEndpoint ?? 'create',
    secretsManagerEndpoint: n.secretsManagerEndpoint ?? 'none',
  };
}

function sizing(given: FunctionSizing | undefined, base: ResolvedFunctionSizing): ResolvedFunctionSizing {
  return {
    memoryMiB: given?.memoryMiB ?? base.memoryMiB,
    timeoutMinutes: given?.timeoutMinutes ?? base.timeoutMinutes,
    ephemeralStorageMiB: given?.ephemeralStorageMiB ?? base.ephemeralStorageMiB,
  };
}

/** Every default applied. `config` must have passed validateConfig. */
export function resolveConfig(config: RedisBackupConfig): ResolvedConfig {
  const f = config.functions ?? {};
  return {
    stackName: config.stackName ?? DEFAULTS.stackName,
    serviceName: config.serviceName ?? DEFAULTS.serviceName,
    metricsNamespace: config.metricsNamespace ?? DEFAULTS.metricsNamespace,
    env: { ...(config.env ?? {}) },
    bucket: resolveBucket(config.bucket),
    network: resolveNetwork(config.network),
    alarms: { emails: [...(config.alarms?.emails ?? [])] },
    functions: {
      backup: sizing(f.backup, DEFAULTS.backup),
      restore: sizing(f.restore, DEFAULTS.restore),
      logRetentionDays: f.logRetentionDays ?? DEFAULTS.logRetentionDays,
      logLevel: f.logLevel ?? 'INFO',
      tracing: f.tracing ?? true,
      awsSdk: f.awsSdk ?? 'bundled',
    },
    restore: { timeoutHours: config.restore?.timeoutHours ?? DEFAULTS.restoreTimeoutHours },
    sources: config.sources.map(resolveSource),
    restoreTargets: (config.restoreTargets ?? []).map(resolveTarget),
  };
}
