/**
 * Validation of the configuration: the JSON schema (config.schema.json, with ajv) for shapes and
 * ranges, then the rules a schema cannot say (unique names, method-specific fields, schedules,
 * retention policies, what an existing bucket allows). Every problem names the field at fault,
 * as a JSON pointer into the file; all problems are reported at once.
 */
import Ajv, { ErrorObject } from 'ajv';
import { validateRetentionPolicy } from '../../lambdas/retention/policy';
import { RetentionError } from '../../lambdas/retention/errors';
import schema from './config.schema.json';
import { defaultFlexibleWindowMinutes } from './defaults';
import { parseScheduleExpression, ScheduleError } from './schedule';
import { EfsConfig, EndpointConfig, RedisBackupConfig, RestoreTargetConfig, SourceConfig } from './types';

export interface ConfigProblem {
  /** JSON pointer of the field at fault ('' for the whole file). */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: ConfigProblem[],
  ) {
    super(`Invalid redis-backup configuration ${file}:\n${problems.map((p) => `  - ${p.path || '/'}: ${p.message}`).join('\n')}\n(the schema is lib/config/config.schema.json; the README's "Configuration reference" describes every field)`);
    this.name = 'ConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
const check = ajv.compile<RedisBackupConfig>(schema);

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 77)}...` : value);
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

function describeError(e: ErrorObject): ConfigProblem {
  const path = e.instancePath;
  const parent = e.parentSchema as { description?: string; properties?: Record<string, unknown> } | undefined;
  switch (e.keyword) {
    case 'required':
      return { path: `${path}/${(e.params as { missingProperty: string }).missingProperty}`, message: 'is required' };
    case 'additionalProperties': {
      const known = Object.keys(parent?.properties ?? {}).join(', ');
      return { path: `${path}/${(e.params as { additionalProperty: string }).additionalProperty}`, message: `is not a known field (known here: ${known})` };
    }
    case 'enum':
      return { path, message: `must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')} (got ${show(e.data)})` };
    case 'type': {
      const type = (e.params as { type: string }).type;
      return { path, message: `must be ${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type} (got ${show(e.data)})` };
    }
    case 'pattern':
      return { path, message: `${show(e.data)} is not valid${parent?.description ? `: ${parent.description}` : ` (expected ${(e.params as { pattern: string }).pattern})`}` };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { path, message: `${e.message ?? 'is out of range'} (got ${show(e.data)})` };
    case 'minItems':
      return { path, message: `needs at least ${(e.params as { limit: number }).limit} item(s)` };
    default:
      return { path, message: e.message ?? 'is invalid' };
  }
}

function endpointProblems(e: EndpointConfig, path: string): ConfigProblem[] {
  const out: ConfigProblem[] = [];
  if (e.tls !== true && e.tlsServername !== undefined) out.push({ path: `${path}/tlsServername`, message: 'is only used with "tls": true' });
  if (e.tls !== true && e.tlsRejectUnauthorized !== undefined) out.push({ path: `${path}/tlsRejectUnauthorized`, message: 'is only used with "tls": true' });
  return out;
}

function duplicates(names: string[], path: string, what: string): ConfigProblem[] {
  const seen = new Map<string, number>();
  const out: ConfigProblem[] = [];
  names.forEach((n, i) => {
    const key = n.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) out.push({ path: `${path}/${i}/name`, message: `${JSON.stringify(n)} is already the name of ${what} ${first} (names must be unique, ignoring case)` });
    else seen.set(key, i);
  });
  return out;
}

function sourceProblems(s: SourceConfig, i: number, hasNetwork: boolean): ConfigProblem[] {
  const path = `/sources/${i}`;
  const out: ConfigProblem[] = [...endpointProblems(s.endpoint, `${path}/endpoint`)];
  const method = s.method ?? 'replication';
  if (method === 'bgsave') {
    if (s.efs === undefined) out.push({ path: `${path}/efs`, message: 'is required for method "bgsave": the server\'s data directory, mounted through an EFS access point' });
    else if (!hasNetwork) out.push({ path: `${path}/efs`, message: 'needs /network: EFS is mounted from inside a VPC' });
    if (s.syncCommand !== undefined) out.push({ path: `${path}/syncCommand`, message: 'is only used with method "replication"' });
  } else {
    if (s.efs !== undefined) out.push({ path: `${path}/efs`, message: 'is only used with method "bgsave" (replication streams the RDB over the network)' });
    if (s.aof === true) out.push({ path: `${path}/aof`, message: 'needs "method": "bgsave" with "efs": the AOF files are read from the server\'s data directory, which replication cannot reach' });
  }
  if (s.rewrite !== undefined && s.aof !== true) out.push({ path: `${path}/rewrite`, message: 'is only used with "aof": true (it rewrites the AOF before capturing it)' });
  let interval: number | null = null;
  try {
    interval = parseScheduleExpression(s.schedule.expression).intervalSeconds;
  } catch (e) {
    if (!(e instanceof ScheduleError)) throw e;
    out.push({ path: `${path}/schedule/expression`, message: e.message });
  }
  if (interval !== null && interval < 15 * 60) {
    out.push({ path: `${path}/schedule/expression`, message: `${s.schedule.expression} runs every ${interval / 60} minute(s): backups must be at least 15 minutes apart (the freshness check runs every 15 minutes)` });
  }
  if (interval === null && s.maxAgeMinutes === undefined && !out.some((p) => p.path === `${path}/schedule/expression`)) {
    out.push({ path: `${path}/maxAgeMinutes`, message: `is required: the interval of ${s.schedule.expression} (L, W or # forms) is not derived, so the freshness threshold must be given` });
  }
  const window = s.schedule.flexibleWindowMinutes ?? defaultFlexibleWindowMinutes(interval);
  if (interval !== null && window * 60 > interval / 2) {
    out.push({ path: `${path}/schedule/flexibleWindowMinutes`, message: `${window} minutes is more than half the interval (${interval / 60} minutes): runs could pile up and the freshness threshold (2x the interval) would not hold` });
  }
  if (s.maxAgeMinutes !== undefined && interval !== null && s.maxAgeMinutes * 60 <= interval) {
    out.push({ path: `${path}/maxAgeMinutes`, message: `${s.maxAgeMinutes} minutes is not more than the schedule interval (${interval / 60} minutes): the alarm would fire between every two runs` });
  }
  try {
    validateRetentionPolicy(s.retention);
  } catch (e) {
    if (!(e instanceof RetentionError)) throw e;
    out.push({ path: `${path}/retention${e.field !== undefined && e.field in (s.retention ?? {}) ? `/${e.field}` : ''}`, message: e.message });
  }
  return out;
}

function targetProblems(t: RestoreTargetConfig, i: number, hasNetwork: boolean, sourceNames: ReadonlySet<string>): ConfigProblem[] {
  const path = `/restoreTargets/${i}`;
  const kind = t.kind ?? 'server';
  const out: ConfigProblem[] = [];
  (t.sources ?? []).forEach((name, j) => {
    if (!sourceNames.has(name)) out.push({ path: `${path}/sources/${j}`, message: `${JSON.stringify(name)} is not the name of a configured source (known: ${[...sourceNames].join(', ')})` });
  });
  if (kind === 'directory') {
    if (t.efs === undefined) out.push({ path: `${path}/efs`, message: 'is required for kind "directory": the data directory on EFS the RDB is written to' });
    else if (!hasNetwork) out.push({ path: `${path}/efs`, message: 'needs /network: EFS is mounted from inside a VPC' });
    if (t.endpoint !== undefined) out.push({ path: `${path}/endpoint`, message: 'is not used with kind "directory" (the RDB is written to a directory, not sent to a server)' });
    if (t.credentials !== undefined) out.push({ path: `${path}/credentials`, message: 'is not used with kind "directory"' });
    if (t.allowFlush !== undefined) out.push({ path: `${path}/allowFlush`, message: 'is not used with kind "directory"' });
  } else {
    if (t.endpoint === undefined) out.push({ path: `${path}/endpoint`, message: `is required for kind "${kind}"` });
    else out.push(...endpointProblems(t.endpoint, `${path}/endpoint`));
    if (t.efs !== undefined) out.push({ path: `${path}/efs`, message: 'is only used with kind "directory"' });
  }
  if (t.replicas !== undefined && kind !== 'server') out.push({ path: `${path}/replicas`, message: 'is only used with kind "server"' });
  return out;
}

function bucketProblems(config: RedisBackupConfig): ConfigProblem[] {
  const b = config.bucket;
  if (b === undefined) return [];
  const out: ConfigProblem[] = [];
  if (b.encryption === 's3-managed' && b.kmsKeyArn !== undefined) out.push({ path: '/bucket/kmsKeyArn', message: 'is only used with "encryption": "kms"' });
  if (b.existingBucketName !== undefined) {
    for (const field of ['objectLock', 'lifecycle', 'accessLogs', 'removalPolicy'] as const) {
      if (b[field] !== undefined) out.push({ path: `/bucket/${field}`, message: `cannot be applied to an existing bucket (${b.existingBucketName}): configure it on the bucket itself, or let the stack create the bucket` });
    }
    if ((b.encryption ?? 'kms') === 'kms' && b.kmsKeyArn === undefined) {
      out.push({ path: '/bucket/kmsKeyArn', message: `is required with an existing bucket and "encryption": "kms" (the key the bucket encrypts with), or set "encryption": "s3-managed" if the bucket uses SSE-S3` });
    }
  }
  const t = b.lifecycle;
  if (t !== undefined) {
    const days = t.transitionAfterDays ?? 30;
    const cls = t.storageClass ?? 'STANDARD_IA';
    if (days > 0 && days < 30 && (cls === 'STANDARD_IA' || cls === 'ONEZONE_IA')) {
      out.push({ path: '/bucket/lifecycle/transitionAfterDays', message: `S3 transitions to ${cls} only after 30 days or more (got ${days})` });
    }
  }
  if (b.prefix !== undefined && b.prefix.split('/').some((seg) => seg === '.' || seg === '..')) {
    out.push({ path: '/bucket/prefix', message: `${JSON.stringify(b.prefix)} has a "." or ".." segment` });
  }
  return out;
}

function networkProblems(config: RedisBackupConfig): ConfigProblem[] {
  const n = config.network;
  if (n === undefined) return [];
  const out: ConfigProblem[] = [];
  const seen = new Set<string>();
  n.subnets.forEach((s, i) => {
    if (seen.has(s.subnetId)) out.push({ path: `/network/subnets/${i}/subnetId`, message: `${s.subnetId} is listed twice` });
    seen.add(s.subnetId);
  });
  const region = config.env?.region;
  if (region !== undefined) {
    n.subnets.forEach((s, i) => {
      if (!s.availabilityZone.startsWith(region)) out.push({ path: `/network/subnets/${i}/availabilityZone`, message: `${s.availabilityZone} is not in ${region} (/env/region)` });
    });
  }
  return out;
}

/**
 * bgsave sources share the backup function, and directory targets the restore function; a Lambda
 * function mounts one file system: one access point for each group.
 */
function sharedMountProblems(mounts: Array<{ path: string; efs: EfsConfig }>, what: string): ConfigProblem[] {
  const first = mounts[0];
  if (first === undefined) return [];
  return mounts
    .slice(1)
    .filter((m) => m.efs.accessPointId !== first.efs.accessPointId || m.efs.fileSystemId !== first.efs.fileSystemId)
    .map((m) => ({
      path: `${m.path}/efs/accessPointId`,
      message: `differs from ${first.path}/efs (${first.efs.fileSystemId}, ${first.efs.accessPointId}): a Lambda function mounts one file system, so all ${what} must use the same file system and access point (use efs.path to tell their directories apart)`,
    }));
}

/** Every problem of a parsed config file; empty when it is valid. */
export function configProblems(value: unknown): ConfigProblem[] {
  if (!check(value)) {
    const seen = new Set<string>();
    const problems: ConfigProblem[] = [];
    for (const e of check.errors ?? []) {
      const p = describeError(e);
      const key = `${p.path}\0${p.message}`;
      if (!seen.has(key)) problems.push(p);
      seen.add(key);
    }
    return problems;
  }
  const config = value;
  const hasNetwork = config.network !== undefined;
  return [
    ...duplicates(config.sources.map((s) => s.name), '/sources', 'source'),
    ...duplicates((config.restoreTargets ?? []).map((t) => t.name), '/restoreTargets', 'restore target'),
    ...config.sources.flatMap((s, i) => sourceProblems(s, i, hasNetwork)),
    ...(config.restoreTargets ?? []).flatMap((t, i) => targetProblems(t, i, hasNetwork, new Set(config.sources.map((s) => s.name)))),
    ...bucketProblems(config),
    ...networkProblems(config),
    ...sharedMountProblems(
      config.sources.flatMap((s, i) => ((s.method ?? 'replication') === 'bgsave' && s.efs !== undefined ? [{ path: `/sources/${i}`, efs: s.efs }] : [])),
      'bgsave sources',
    ),
    ...sharedMountProblems(
      (config.restoreTargets ?? []).flatMap((t, i) => (t.kind === 'directory' && t.efs !== undefined ? [{ path: `/restoreTargets/${i}`, efs: t.efs }] : [])),
      'directory targets',
    ),
  ];
}

/** Validates a parsed config file; throws ConfigError listing every problem. */
export function validateConfig(value: unknown, file: string): RedisBackupConfig {
  const problems = configProblems(value);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return value as RedisBackupConfig;
}
