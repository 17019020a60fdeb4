import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dump } from 'js-yaml';
import { defaultFlexibleWindowMinutes, DEFAULTS, resolveConfig } from '../../lib/config/defaults';
import { apiFunctionEnv, backupFunctionEnv, CommonEnvInput, ENV, envSizeBytes, LAMBDA_ENV_LIMIT_BYTES } from '../../lib/config/function-env';
import { loadConfig } from '../../lib/config/load';
import { executionArn, parseRedisSecret, readSources, readTargets, RESTORE_TRANSIENT_ERRORS } from '../../lib/config/runtime-config';
import { parseScheduleExpression, ScheduleError } from '../../lib/config/schedule';
import { runtimeSource, runtimeTarget } from '../../lib/config/to-runtime';
import { RedisBackupConfig } from '../../lib/config/types';
import { ConfigError, configProblems, validateConfig } from '../../lib/config/validate';
import schema from '../../lib/config/config.schema.json';
import { EXAMPLE_FILE, exampleConfig, minimalConfig, ROOT } from './helpers';

/** The problems of a config, as "path: message" lines. */
const problems = (value: unknown): string[] => configProblems(value).map((p) => `${p.path || '/'}: ${p.message}`);

function withExample(change: (c: RedisBackupConfig) => void): RedisBackupConfig {
  const c = exampleConfig();
  change(c);
  return c;
}

describe('the example configuration', () => {
  test('is valid and loads from the default path', () => {
    expect(configProblems(exampleConfig())).toEqual([]);
    const config = loadConfig(EXAMPLE_FILE, ROOT);
    expect(config.sources.map((s) => [s.name, s.method])).toEqual([
      ['sessions', 'replication'],
      ['catalog', 'bgsave'],
      ['events', 'bgsave'],
    ]);
    expect(config.restoreTargets.map((t) => [t.name, t.kind])).toEqual([
      ['sessions-staging', 'server'],
      ['catalog-dr', 'directory'],
    ]);
  });

  test('has a TLS replication source with an ACL secret and a bgsave source on an EFS access point', () => {
    const [sessions, catalog] = loadConfig(EXAMPLE_FILE, ROOT).sources;
    expect(sessions.endpoint.tls).toEqual({ rejectUnauthorized: true });
    expect(sessions.credentials?.secretArn).toMatch(/^arn:aws:secretsmanager:/);
    expect(catalog.efs).toMatchObject({ accessPointId: expect.stringMatching(/^fsap-/), path: 'redis' });
  });

  test('defaults: freshness threshold 2x the interval, flexible window, chunk size, sizing', () => {
    const config = loadConfig(EXAMPLE_FILE, ROOT);
    const [sessions, catalog] = config.sources;
    expect(sessions.schedule).toMatchObject({ intervalSeconds: 6 * 3600, flexibleWindowMinutes: 15, timeZone: 'UTC' });
    expect(sessions.maxAgeSeconds).toBe(12 * 3600);
    expect(catalog.schedule).toMatchObject({ intervalSeconds: 86400, timeZone: 'Europe/Dublin' });
    expect(catalog.maxAgeSeconds).toBe(2 * 86400);
    expect(catalog.chunkBytes).toBe(32 * 1024 * 1024);
    expect(config.functions.backup).toEqual({ memoryMiB: 1769, timeoutMinutes: 15, ephemeralStorageMiB: 512 });
    expect(config.bucket).toMatchObject({ prefix: 'redis/', encryption: 'kms', objectLock: { mode: 'governance', retentionDays: 7 }, removalPolicy: 'retain' });
    expect(config.network?.s3GatewayEndpoint).toBe('create');
  });
});

describe('defaults are pure functions of the file', () => {
  test('a minimal file gets every default', () => {
    const c = resolveConfig(validateConfig(minimalConfig(), 'minimal'));
    expect(c).toMatchObject({ stackName: 'RedisBackup', serviceName: 'redis-backup', metricsNamespace: 'RedisBackup', network: null, restoreTargets: [] });
    expect(c.bucket.lifecycle).toEqual({ transitionAfterDays: 30, storageClass: 'STANDARD_IA', noncurrentVersionExpirationDays: 30 });
    expect(c.sources[0]).toMatchObject({ method: 'replication', chunkBytes: 64 << 20, compressionLevel: 1, maxAgeSeconds: 7200, enabled: true });
    expect(c.sources[0].endpoint.port).toBe(12345);
    // Resolving twice gives the same result, and the input is not changed.
    const input = minimalConfig();
    const copy = JSON.parse(JSON.stringify(input)) as RedisBackupConfig;
    expect(resolveConfig(input)).toEqual(resolveConfig(input));
    expect(input).toEqual(copy);
  });

  test('the flexible window is a quarter of the interval, at most 15 minutes', () => {
    expect(defaultFlexibleWindowMinutes(3600)).toBe(15);
    expect(defaultFlexibleWindowMinutes(1800)).toBe(7);
    expect(defaultFlexibleWindowMinutes(null)).toBe(0);
  });
});

describe('validation names the field at fault', () => {
  test('schema errors: unknown field, missing field, enum, pattern, range', () => {
    const c = withExample((x) => {
      (x.sources[0] as unknown as Record<string, unknown>).colour = 'blue';
      delete (x.sources[1] as Partial<RedisBackupConfig['sources'][number]>).retention;
      (x.bucket as Record<string, unknown>).encryption = 'aes';
      x.sources[0].credentials = { secretArn: 'my-secret' };
      x.sources[0].endpoint.port = 70000;
    });
    const out = problems(c);
    expect(out).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/sources\/0\/colour: is not a known field \(known here: name, endpoint, /),
        '/sources/1/retention: is required',
        '/bucket/encryption: must be one of "kms", "s3-managed" (got "aes")',
        expect.stringMatching(/^\/sources\/0\/credentials\/secretArn: "my-secret" is not valid: Full ARN/),
        '/sources/0/endpoint/port: must be <= 65535 (got 70000)',
      ]),
    );
  });

  test('a file that is not an object, or has no sources', () => {
    expect(problems([])).toEqual(['/: must be an object (got an array)']);
    expect(problems({})).toEqual(['/sources: is required']);
    expect(problems({ sources: [] })).toEqual(['/sources: needs at least 1 item(s)']);
  });

  test('duplicate names, ignoring case', () => {
    const c = withExample((x) => {
      x.sources[1].name = 'Sessions';
      x.restoreTargets![1].name = 'sessions-staging';
    });
    expect(problems(c)).toEqual(
      expect.arrayContaining([
        '/sources/1/name: "Sessions" is already the name of source 0 (names must be unique, ignoring case)',
        '/restoreTargets/1/name: "sessions-staging" is already the name of restore target 0 (names must be unique, ignoring case)',
      ]),
    );
  });

  test('method-specific fields', () => {
    const c = withExample((x) => {
      delete x.sources[1].efs;
      x.sources[0].efs = { fileSystemId: 'fs-0123456789abcdef0', accessPointId: 'fsap-0123456789abcdef0' };
      x.sources[1].syncCommand = 'SYNC2';
      x.sources[0].endpoint.tls = false;
      x.sources[0].endpoint.tlsServername = 'cache.example.com';
    });
    expect(problems(c)).toEqual(
      expect.arrayContaining([
        '/sources/1/efs: is required for method "bgsave": the server\'s data directory, mounted through an EFS access point',
        '/sources/0/efs: is only used with method "bgsave" (replication streams the RDB over the network)',
        '/sources/1/syncCommand: is only used with method "replication"',
        '/sources/0/endpoint/tlsServername: is only used with "tls": true',
      ]),
    );
  });

  test('AOF sources: bgsave with a data directory only; rewrite only with aof', () => {
    const c = withExample((x) => {
      x.sources[0].aof = true;
      x.sources[1].rewrite = true;
      x.sources.push({ ...x.sources[2], name: 'events-2', efs: undefined });
    });
    expect(problems(c)).toEqual([
      '/sources/0/aof: needs "method": "bgsave" with "efs": the AOF files are read from the server\'s data directory, which replication cannot reach',
      '/sources/1/rewrite: is only used with "aof": true (it rewrites the AOF before capturing it)',
      '/sources/3/efs: is required for method "bgsave": the server\'s data directory, mounted through an EFS access point',
    ]);
    expect(problems(withExample((x) => Object.assign(x.sources[2], { aof: 'yes' })))).toEqual(['/sources/2/aof: must be a boolean (got "yes")']);
    // Resolved: off unless asked for.
    const resolved = resolveConfig(validateConfig(exampleConfig(), 'example'));
    expect(resolved.sources.map((s) => [s.name, s.aof, s.rewrite])).toEqual([
      ['sessions', false, false],
      ['catalog', false, false],
      ['events', true, true],
    ]);
  });

  test('EFS needs the network; bgsave sources share one access point', () => {
    const noNetwork = withExample((x) => delete x.network);
    expect(problems(noNetwork)).toEqual(expect.arrayContaining(['/sources/1/efs: needs /network: EFS is mounted from inside a VPC', '/restoreTargets/1/efs: needs /network: EFS is mounted from inside a VPC']));
    const twoMounts = withExample((x) => {
      x.sources.push({ ...x.sources[1], name: 'catalog-2', efs: { ...x.sources[1].efs!, accessPointId: 'fsap-0fffffffffffffff0' } });
    });
    expect(problems(twoMounts)).toEqual([expect.stringMatching(/^\/sources\/3\/efs\/accessPointId: differs from \/sources\/1\/efs .*all bgsave sources must use the same file system and access point/)]);
  });

  test('schedules: syntax, at least 15 minutes apart, window at most half the interval, threshold', () => {
    const c = withExample((x) => {
      x.sources[0].schedule = { expression: 'rate(1 hours)' };
      x.sources[1].schedule = { expression: 'cron(*/5 * * * ? *)' };
    });
    expect(problems(c)).toEqual(
      expect.arrayContaining([
        '/sources/0/schedule/expression: rate(1 hours): write rate(1 hour) (singular unit for 1)',
        '/sources/1/schedule/expression: cron(*/5 * * * ? *) runs every 5 minute(s): backups must be at least 15 minutes apart (the freshness check runs every 15 minutes)',
      ]),
    );
    const window = withExample((x) => (x.sources[0].schedule = { expression: 'rate(1 hour)', flexibleWindowMinutes: 45 }));
    expect(problems(window)).toEqual([expect.stringMatching(/^\/sources\/0\/schedule\/flexibleWindowMinutes: 45 minutes is more than half the interval \(60 minutes\)/)]);
    const threshold = withExample((x) => (x.sources[0].maxAgeMinutes = 300));
    expect(problems(threshold)).toEqual([expect.stringMatching(/^\/sources\/0\/maxAgeMinutes: 300 minutes is not more than the schedule interval \(360 minutes\)/)]);
    const last = withExample((x) => (x.sources[0].schedule = { expression: 'cron(0 3 L * ? *)' }));
    expect(problems(last)).toEqual([expect.stringMatching(/^\/sources\/0\/maxAgeMinutes: is required: the interval of cron\(0 3 L \* \? \*\)/)]);
    expect(problems(withExample((x) => ((x.sources[0].schedule = { expression: 'cron(0 3 L * ? *)' }), (x.sources[0].maxAgeMinutes = 50000))))).toEqual([]);
  });

  test('retention policies are checked by the engine\'s own rules', () => {
    const c = withExample((x) => (x.sources[0].retention = { keepLast: 0 }));
    expect(problems(c)).toEqual([expect.stringMatching(/^\/sources\/0\/retention: Invalid retention policy: no keep rule/)]);
  });

  test('bucket: what an existing bucket allows, KMS settings, transitions', () => {
    const existing = withExample((x) => (x.bucket = { existingBucketName: 'my-backups', objectLock: { mode: 'compliance', retentionDays: 30 } }));
    expect(problems(existing)).toEqual([
      expect.stringMatching(/^\/bucket\/objectLock: cannot be applied to an existing bucket \(my-backups\)/),
      expect.stringMatching(/^\/bucket\/kmsKeyArn: is required with an existing bucket and "encryption": "kms"/),
    ]);
    const s3Managed = withExample((x) => (x.bucket = { encryption: 's3-managed', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' }));
    expect(problems(s3Managed)).toEqual(['/bucket/kmsKeyArn: is only used with "encryption": "kms"']);
    const early = withExample((x) => (x.bucket = { lifecycle: { transitionAfterDays: 7, storageClass: 'STANDARD_IA' } }));
    expect(problems(early)).toEqual(['/bucket/lifecycle/transitionAfterDays: S3 transitions to STANDARD_IA only after 30 days or more (got 7)']);
    expect(problems(withExample((x) => (x.bucket = { lifecycle: { transitionAfterDays: 7, storageClass: 'GLACIER_IR' } })))).toEqual([]);
  });

  test('restore targets: kind-specific fields, allowed sources, one access point', () => {
    const c = withExample((x) => {
      const [server, directory] = x.restoreTargets!;
      delete server.endpoint;
      directory.endpoint = { host: 'x.example.com' };
      server.sources = ['sessions', 'nope'];
    });
    expect(problems(c)).toEqual(
      expect.arrayContaining([
        '/restoreTargets/0/endpoint: is required for kind "server"',
        '/restoreTargets/1/endpoint: is not used with kind "directory" (the RDB is written to a directory, not sent to a server)',
        '/restoreTargets/0/sources/1: "nope" is not the name of a configured source (known: sessions, catalog, events)',
      ]),
    );
  });

  test('ConfigError lists every problem with the file name and where to read about the fields', () => {
    let error: unknown;
    try {
      validateConfig({ sources: [], bucket: { prefix: '/x' } }, 'config/bad.json');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toMatch(/^Invalid redis-backup configuration config\/bad\.json:\n {2}- \/bucket\/prefix: "\/x" is not valid: Key prefix/m);
    expect(message).toContain('  - /sources: needs at least 1 item(s)');
    expect(message).toContain('Configuration reference');
  });
});

describe('loading', () => {
  const dir = mkdtempSync(join(tmpdir(), 'redis-backup-config-'));

  test('JSON syntax errors name the file', () => {
    writeFileSync(join(dir, 'broken.json'), '{ "sources": [ }');
    expect(() => loadConfig('broken.json', dir)).toThrow(/Invalid redis-backup configuration broken\.json:\n {2}- \/: is not valid JSON: /);
  });

  test('a missing file: how to name one', () => {
    expect(() => loadConfig('missing.json', dir)).toThrow(/cannot be read \(ENOENT\); name the file with -c config=path\/to\/config\.json \(or \.yaml\)/);
  });

  test('YAML: the example written as YAML loads to the same configuration', () => {
    writeFileSync(join(dir, 'example.yaml'), `# The example deployment, as YAML\n${dump(exampleConfig(), { lineWidth: 200 })}`);
    writeFileSync(join(dir, 'example.yml'), dump(exampleConfig()));
    const fromJson = loadConfig(EXAMPLE_FILE, ROOT);
    expect(loadConfig('example.yaml', dir)).toEqual(fromJson);
    expect(loadConfig('example.yml', dir)).toEqual(fromJson);
  });

  test('YAML: syntax errors name the file and the line; field errors are the same as in JSON; dates stay strings', () => {
    writeFileSync(join(dir, 'broken.yaml'), 'sources:\n  - name: a\n   endpoint: {host: x}\n');
    expect(() => loadConfig('broken.yaml', dir)).toThrow(/Invalid redis-backup configuration broken\.yaml:\n {2}- \/: is not valid YAML at line 3, column \d+: /);
    writeFileSync(join(dir, 'dupe.yaml'), 'stackName: A\nstackName: B\n');
    expect(() => loadConfig('dupe.yaml', dir)).toThrow(/is not valid YAML at line 2, column \d+: duplicated mapping key/);
    const yaml = [
      'bucket: {encryption: s3-managed, prefix: /x}',
      'sources:',
      '  - name: cache',
      '    endpoint: {host: cache.internal, port: 6379}',
      '    schedule: {expression: rate(1 hour)}',
      '    retention: {keepLast: 2}',
      '    # unquoted, a date in YAML 1.1; a plain string here, refused by the schema as one',
      '    chunkSizeMiB: 2026-11-25',
    ].join('\n');
    writeFileSync(join(dir, 'fields.yaml'), yaml);
    let message = '';
    try {
      loadConfig('fields.yaml', dir);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/^Invalid redis-backup configuration fields\.yaml:/);
    expect(message).toContain('- /bucket/prefix: "/x" is not valid');
    expect(message).toMatch(/- \/sources\/0\/chunkSizeMiB: .*integer/);
  });
});

describe('schedule expressions', () => {
  test.each([
    ['rate(15 minutes)', 900],
    ['rate(1 hour)', 3600],
    ['rate(6 hours)', 21600],
    ['rate(1 day)', 86400],
    ['cron(0 3 * * ? *)', 86400],
    ['cron(0 */6 * * ? *)', 21600],
    ['cron(30 2,14 * * ? *)', 12 * 3600],
    ['cron(0 1 ? * MON-FRI *)', 3 * 86400],
    ['cron(0 4 ? * SUN *)', 7 * 86400],
    ['cron(0 0 1 * ? *)', 31 * 86400],
    ['cron(15/20 * * * ? *)', 20 * 60],
  ])('%s: the longest gap is %i s', (expression, seconds) => {
    expect(parseScheduleExpression(expression).intervalSeconds).toBe(seconds);
  });

  test('L, W and # forms are accepted without an interval', () => {
    expect(parseScheduleExpression('cron(0 3 L * ? *)')).toEqual({ kind: 'cron', intervalSeconds: null });
    expect(parseScheduleExpression('cron(0 3 ? * 6#3 *)')).toEqual({ kind: 'cron', intervalSeconds: null });
    expect(parseScheduleExpression('cron(0 3 ? * WED *)').intervalSeconds).toBe(7 * 86400);
  });

  test.each([
    ['every hour', /is not a schedule expression/],
    ['rate(2 hour)', /write rate\(2 hours\)/],
    ['cron(0 3 * * *)', /has 6 fields/],
    ['cron(0 3 * * MON *)', /exactly one of day-of-month and day-of-week must be '\?'/],
    ['cron(61 3 * * ? *)', /"61" is not a valid minutes value \(0-59\)/],
    ['cron(0 5-2 * * ? *)', /runs backwards/],
    ['at(2030-01-01T00:00:00)', /one-time at/],
  ])('%s is refused', (expression, message) => {
    expect(() => parseScheduleExpression(expression)).toThrow(ScheduleError);
    expect(() => parseScheduleExpression(expression)).toThrow(message);
  });
});

describe('the runtime contract (what the handlers read)', () => {
  const config = loadConfig(EXAMPLE_FILE, ROOT);
  const common: CommonEnvInput = { storeUrl: 's3://bucket/redis/', serviceName: 'redis-backup', metricsNamespace: 'RedisBackup', logLevel: 'INFO' };

  test('sources carry secret ARNs and mounted directories, never secret values', () => {
    const env = backupFunctionEnv(common, config.sources.map(runtimeSource));
    const sources = readSources(env);
    expect(sources.map((s) => s.name)).toEqual(['sessions', 'catalog', 'events']);
    expect(sources[0].endpoint).toEqual({ host: 'sessions.redis.internal.example.com', port: 6380, tls: { rejectUnauthorized: true }, secretArn: config.sources[0].credentials!.secretArn });
    expect(sources[1]).toMatchObject({ method: 'bgsave', dataDir: `${DEFAULTS.efsMountPath}/redis`, dbfilename: 'dump.rdb', chunkBytes: 32 << 20, compressionLevel: 6 });
    expect(sources[1].retention).toEqual({ daily: 7, weekly: 4, monthly: 12, minAgeDays: 1 });
    // An RDB source says no AOF; the AOF source its rewrite, on the same access point (its own directory).
    expect(sources[1].aof).toBeNull();
    expect(sources[2]).toMatchObject({ method: 'bgsave', aof: { rewrite: true }, dataDir: `${DEFAULTS.efsMountPath}/redis-events` });
    expect(JSON.stringify(env)).not.toMatch(/password/i);
  });

  test('targets: names, modes, mounted directories, replicas', () => {
    const targets = readTargets({ [ENV.targets]: JSON.stringify(config.restoreTargets.map(runtimeTarget)) });
    expect(targets[0]).toMatchObject({ name: 'sessions-staging', kind: 'server', mode: 'load', allowFlush: true, replicas: [{ host: 'sessions-staging-replica.redis.internal.example.com', port: 6380 }] });
    expect(targets[1]).toMatchObject({ name: 'catalog-dr', kind: 'directory', mode: 'file', endpoint: null, dataDir: '/mnt/data/redis', dbfilename: 'dump.rdb', allowFlush: false });
  });

  test('the API environment names both state machines and stays under Lambda\'s 4 KB', () => {
    const env = apiFunctionEnv(common, config.sources.map(runtimeSource), config.restoreTargets.map(runtimeTarget), {
      restoreStateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:Restore',
      backupStateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:OnDemand',
    });
    // One name per variable: every key of ENV is a different variable.
    expect(new Set(Object.values(ENV)).size).toBe(Object.keys(ENV).length);
    expect(env[ENV.restoreStateMachineArn]).toMatch(/:stateMachine:Restore$/);
    expect(env[ENV.backupStateMachineArn]).toMatch(/:stateMachine:OnDemand$/);
    expect(envSizeBytes(env)).toBeLessThan(LAMBDA_ENV_LIMIT_BYTES);
    // Tokens count as 150 bytes each.
    expect(envSizeBytes({ A: 'x${Token[TOKEN.12]}y' })).toBe(1 + 2 + 150);
  });

  test('helpers: execution ARNs, secrets, transient errors', () => {
    expect(executionArn('arn:aws:states:eu-west-1:111122223333:stateMachine:Restore', 'r20260101T000000Z-abcdef')).toBe('arn:aws:states:eu-west-1:111122223333:execution:Restore:r20260101T000000Z-abcdef');
    expect(() => executionArn('arn:aws:lambda:eu-west-1:111122223333:function:x', 'y')).toThrow(/Not a state machine ARN/);
    expect(parseRedisSecret('{"username":"backup","password":"p"}', 'arn')).toEqual({ username: 'backup', password: 'p' });
    expect(() => parseRedisSecret('{"pass":"p"}', 'arn')).toThrow(/unknown field "pass"/);
    expect(() => parseRedisSecret('hunter2', 'arn')).toThrow(/is not a JSON object/);
    expect(RESTORE_TRANSIENT_ERRORS).toContain('RESTORE_TARGET_UNREACHABLE');
  });
});

describe('the README documents the configuration', () => {
  interface Node {
    $ref?: string;
    type?: string;
    description?: string;
    properties?: Record<string, Node>;
    items?: Node;
  }
  const definitions = (schema as unknown as { definitions: Record<string, Node> }).definitions;
  const deref = (n: Node): Node => (n.$ref ? { ...definitions[n.$ref.split('/').pop() as string], ...n, $ref: undefined } : n);
  function paths(node: Node, prefix: string): string[] {
    const out: string[] = [];
    for (const [key, child] of Object.entries(node.properties ?? {})) {
      if (key === '$schema') continue;
      const n = deref(child);
      out.push(`${prefix}${key}`);
      if (n.properties) out.push(...paths(n, `${prefix}${key}.`));
      const items = n.items ? deref(n.items) : undefined;
      if (items?.properties) out.push(...paths(items, `${prefix}${key}[].`));
    }
    return out;
  }
  const all = paths(schema as unknown as Node, '');

  test('every field of the schema has a description and a row in the reference table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const table = readme.slice(readme.indexOf('### Configuration reference'), readme.indexOf('### Resources and defaults'));
    expect(all.length).toBeGreaterThan(90);
    const missing = all.filter((p) => !table.includes(`| \`${p}\` |`));
    expect(missing).toEqual([]);
  });
});
