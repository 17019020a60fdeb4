import { Match, Template } from 'aws-cdk-lib/assertions';
import { ACTIONS_WITHOUT_RESOURCE_SCOPE } from '../../lib/compliance';
import { ENV } from '../../lib/config/function-env';
import { METRIC, METRIC_DIMENSION, RuntimeSource, RuntimeTarget } from '../../lib/config/runtime-config';
import { API_ROUTES } from '../../lib/constructs/backup-api';
import { asList, exampleConfig, flat, functionStatements, iamStatements, minimalConfig, PolicyStatement, stackOf } from './helpers';

const { stack, resolved } = stackOf(exampleConfig());
const template = Template.fromStack(stack);
const SECRETS = {
  sessions: resolved.sources[0].credentials!.secretArn,
  catalog: resolved.sources[1].credentials!.secretArn,
  events: resolved.sources[2].credentials!.secretArn,
  staging: resolved.restoreTargets[0].credentials!.secretArn,
};

const actionsOf = (s: PolicyStatement): string[] => asList(s.Action);
const resourcesOf = (s: PolicyStatement): string[] => asList(s.Resource).map(flat);
const allowed = (statements: PolicyStatement[], action: string): string[] =>
  statements.filter((s) => s.Effect === 'Allow' && actionsOf(s).includes(action)).flatMap(resourcesOf);

function resourceOf(type: string, prefix: string): { id: string; props: Record<string, unknown> } {
  const found = Object.entries(template.findResources(type)).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`Expected one ${type} ${prefix}*, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return { id: found[0][0], props: (found[0][1] as { Properties: Record<string, unknown> }).Properties };
}

function envOf(prefix: string): Record<string, unknown> {
  return ((resourceOf('AWS::Lambda::Function', prefix).props.Environment as { Variables: Record<string, unknown> }).Variables);
}

describe('the snapshot bucket', () => {
  const bucket = resourceOf('AWS::S3::Bucket', 'SnapshotsBucket');

  test('blocks public access, is SSE-KMS encrypted with a bucket key, versioned, owner-enforced', () => {
    expect(bucket.props).toMatchObject({
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [expect.stringMatching(/^SnapshotsKey/), 'Arn'] } }, BucketKeyEnabled: true }] },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    });
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true, Description: 'redis-backup snapshot encryption' });
  });

  test('the bucket policy denies every request without TLS, and TLS below 1.2', () => {
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: { Ref: bucket.id },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Principal: { AWS: '*' }, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } } }),
        ]),
      },
    });
  });

  test('lifecycle: abort incomplete uploads after 1 day, snapshots to a colder class, old versions expire', () => {
    expect((bucket.props.LifecycleConfiguration as { Rules: unknown[] }).Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Id: 'abort-incomplete-multipart-uploads', AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
        expect.objectContaining({ Id: 'expire-noncurrent-versions', NoncurrentVersionExpiration: { NoncurrentDays: 30 } }),
        expect.objectContaining({ Id: 'remove-expired-delete-markers', ExpiredObjectDeleteMarker: true }),
        expect.objectContaining({
          Id: 'snapshots-to-colder-storage',
          Prefix: 'redis/',
          ObjectSizeGreaterThan: '131072',
          Transitions: [{ StorageClass: 'STANDARD_IA', TransitionInDays: 30 }],
        }),
      ]),
    );
  });

  test('Object Lock with the configured default retention', () => {
    expect(bucket.props).toMatchObject({ ObjectLockEnabled: true, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } } } });
  });

  test('is retained, with its key, when the stack is deleted', () => {
    template.hasResource('AWS::S3::Bucket', { Properties: Match.objectLike({ ObjectLockEnabled: true }), DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::KMS::Key', { Properties: Match.objectLike({ Description: 'redis-backup snapshot encryption' }), DeletionPolicy: 'Retain' });
  });

  test('server access logs go to an SSE-S3, TLS-only log bucket that expires them', () => {
    const logs = resourceOf('AWS::S3::Bucket', 'AccessLogsBucket');
    expect(bucket.props.LoggingConfiguration).toEqual({ DestinationBucketName: { Ref: logs.id }, LogFilePrefix: 'snapshots/' });
    expect(logs.props).toMatchObject({
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      LifecycleConfiguration: { Rules: [expect.objectContaining({ ExpirationInDays: 365 })] },
    });
  });

  test('S3-managed encryption when asked, without a key', () => {
    const t = Template.fromStack(stackOf(minimalConfig()).stack);
    t.hasResourceProperties('AWS::S3::Bucket', { BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] }, VersioningConfiguration: { Status: 'Enabled' } });
    // The only key is the alarm topic's.
    t.resourceCountIs('AWS::KMS::Key', 1);
  });
});

describe('IAM: least privilege', () => {
  const statements = iamStatements(template);

  test('no statement grants s3:* or any wildcard action', () => {
    for (const { policy, statement } of statements) {
      if (statement.Effect !== 'Allow') continue;
      for (const action of actionsOf(statement)) expect(`${policy}: ${action}`).not.toMatch(/\*/);
    }
  });

  test('Resource "*" only for actions that have no resource-level permissions (X-Ray, Lambda VPC ENIs, Step Functions log delivery)', () => {
    const unscoped = new Set(Object.values(ACTIONS_WITHOUT_RESOURCE_SCOPE).flatMap((g) => g.actions));
    const star = statements.filter((s) => s.statement.Effect === 'Allow' && asList(s.statement.Resource).includes('*'));
    expect(star.length).toBeGreaterThan(0);
    for (const { policy, statement } of star) {
      for (const action of actionsOf(statement)) expect(`${policy}: ${action} ${unscoped.has(action) ? 'has no resource scope' : 'could be scoped'}`).toMatch(/has no resource scope$/);
    }
  });

  test('S3 object access is per source folder: <prefix><source>/snapshots/*, /restores/* or /lock.json', () => {
    const objectResources = statements.flatMap((s) => resourcesOf(s.statement)).filter((r) => r.startsWith('<SnapshotsBucket') && r.includes('/'));
    expect(objectResources.length).toBeGreaterThan(0);
    for (const r of objectResources) expect(r).toMatch(/^<SnapshotsBucket[A-Z0-9]+\.Arn>\/redis\/(sessions|catalog|events)\/(snapshots\/\*|restores\/\*|lock\.json)$/);
  });

  test('backup: writes snapshots and locks of its sources; reads exactly the source secrets', () => {
    const s = functionStatements(template, 'BackupsFunction');
    expect(allowed(s, 's3:PutObject').map((r) => r.replace(/^<SnapshotsBucket[A-Z0-9]+\.Arn>/, '')).sort()).toEqual([
      '/redis/catalog/lock.json',
      '/redis/catalog/snapshots/*',
      '/redis/events/lock.json',
      '/redis/events/snapshots/*',
      '/redis/sessions/lock.json',
      '/redis/sessions/snapshots/*',
    ]);
    expect(allowed(s, 's3:AbortMultipartUpload').every((r) => r.endsWith('/snapshots/*'))).toBe(true);
    expect(allowed(s, 'secretsmanager:GetSecretValue').sort()).toEqual([SECRETS.catalog, SECRETS.events, SECRETS.sessions].sort());
    expect(allowed(s, 's3:DeleteObjectVersion')).toEqual([]);
    // KMS through S3 only.
    const kms = s.find((x) => actionsOf(x).includes('kms:GenerateDataKey'));
    expect(kms?.Condition).toEqual({ StringEquals: { 'kms:ViaService': { 'Fn::Join': ['', ['s3.', { Ref: 'AWS::Region' }, '.amazonaws.com']] } } });
  });

  test('prune deletes snapshots only (never versions, never restore records), reads no secrets', () => {
    const s = functionStatements(template, 'MaintenancePruneFunction');
    expect(allowed(s, 's3:DeleteObject').every((r) => r.endsWith('/snapshots/*'))).toBe(true);
    expect(allowed(s, 's3:DeleteObjectVersion')).toEqual([]);
    expect(allowed(s, 's3:PutObject')).toEqual([]);
    expect(allowed(s, 'secretsmanager:GetSecretValue')).toEqual([]);
  });

  test('freshness only reads manifests; the API reads, records restores and starts executions; neither reads secrets', () => {
    const f = functionStatements(template, 'MaintenanceFreshnessFunction');
    expect(f.flatMap(actionsOf).filter((a) => a.startsWith('s3:')).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const api = functionStatements(template, 'ApiFunction');
    expect(allowed(api, 's3:PutObject').every((r) => r.endsWith('/restores/*'))).toBe(true);
    expect(allowed(api, 's3:DeleteObject')).toEqual([]);
    expect(allowed(api, 'states:StartExecution').sort()).toEqual(['<BackupsOnDemandECDA5730>', '<RestoresStateMachine806008C6>'].sort());
    expect(allowed(api, 'lambda:InvokeFunction')).toEqual([]);
    expect(allowed([...f, ...api], 'secretsmanager:GetSecretValue')).toEqual([]);
  });

  test('restore step: reads snapshots, writes restore records, reads exactly the target secrets; mounts EFS read-write', () => {
    const s = functionStatements(template, 'RestoresStepFunction');
    expect(allowed(s, 's3:PutObject').every((r) => r.endsWith('/restores/*'))).toBe(true);
    expect(allowed(s, 's3:DeleteObject')).toEqual([]);
    expect(allowed(s, 'secretsmanager:GetSecretValue')).toEqual([SECRETS.staging]);
    expect(allowed(s, 'elasticfilesystem:ClientWrite')).toHaveLength(1);
    // The example has an AOF source: its capture pins the AOF files with hard links, so it may write.
    const backup = functionStatements(template, 'BackupsFunction');
    expect(allowed(backup, 'elasticfilesystem:ClientMount')).toHaveLength(1);
    expect(allowed(backup, 'elasticfilesystem:ClientWrite')).toHaveLength(1);
  });
});

describe('functions', () => {
  const fns = template.findResources('AWS::Lambda::Function');

  test('five functions, all arm64 on nodejs22.x, each with its own log group with a retention', () => {
    expect(Object.keys(fns).sort()).toEqual([
      expect.stringMatching(/^ApiFunction/),
      expect.stringMatching(/^BackupsFunction/),
      expect.stringMatching(/^MaintenanceFreshnessFunction/),
      expect.stringMatching(/^MaintenancePruneFunction/),
      expect.stringMatching(/^RestoresStepFunction/),
    ]);
    for (const fn of Object.values(fns)) {
      expect((fn as { Properties: unknown }).Properties).toMatchObject({ Architectures: ['arm64'], Runtime: 'nodejs22.x', TracingConfig: { Mode: 'Active' }, LoggingConfig: { LogGroup: { Ref: expect.any(String) } } });
    }
    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  test('sizing from measurements: backup and restore 1769 MiB (one vCPU), 15 minutes, 512 MiB /tmp', () => {
    for (const prefix of ['BackupsFunction', 'RestoresStepFunction']) {
      expect(resourceOf('AWS::Lambda::Function', prefix).props).toMatchObject({ MemorySize: 1769, Timeout: 900, EphemeralStorage: { Size: 512 } });
    }
    expect(resourceOf('AWS::Lambda::Function', 'ApiFunction').props).toMatchObject({ MemorySize: 512, Timeout: 29 });
    expect(resourceOf('AWS::Lambda::Function', 'MaintenancePruneFunction').props).toMatchObject({ MemorySize: 512, Timeout: 900 });
    expect(resourceOf('AWS::Lambda::Function', 'MaintenanceFreshnessFunction').props).toMatchObject({ MemorySize: 256, Timeout: 120 });
  });

  test('backup and restore run in the configured subnets with the function security group; the others outside the VPC', () => {
    for (const prefix of ['BackupsFunction', 'RestoresStepFunction']) {
      expect(resourceOf('AWS::Lambda::Function', prefix).props.VpcConfig).toEqual({
        SubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'],
        SecurityGroupIds: [{ 'Fn::GetAtt': [expect.stringMatching(/^NetworkFunctionSecurityGroup/), 'GroupId'] }],
      });
    }
    for (const prefix of ['ApiFunction', 'MaintenancePruneFunction', 'MaintenanceFreshnessFunction']) expect(resourceOf('AWS::Lambda::Function', prefix).props.VpcConfig).toBeUndefined();
  });

  test('bgsave: the backup function mounts the EFS access point at /mnt/data; NFS is allowed from the functions', () => {
    expect(resourceOf('AWS::Lambda::Function', 'BackupsFunction').props.FileSystemConfigs).toEqual([
      { Arn: expect.objectContaining({ 'Fn::Join': ['', expect.arrayContaining([':access-point/fsap-0a1b2c3d4e5f60718'])] }), LocalMountPath: '/mnt/data' },
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', { GroupId: 'sg-0a1b2c3d4e5f60718', IpProtocol: 'tcp', FromPort: 2049, ToPort: 2049 });
  });

  test('an S3 gateway endpoint on the subnets\' route tables: snapshot bytes do not pass a NAT gateway', () => {
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      VpcId: 'vpc-0a1b2c3d4e5f60718',
      RouteTableIds: ['rtb-0a1b2c3d4e5f60001', 'rtb-0a1b2c3d4e5f60002'],
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
    });
  });

  test('the environment follows lib/config/function-env.ts: sources without secret values, targets for restore and API', () => {
    const backup = envOf('BackupsFunction');
    const sources = JSON.parse(backup[ENV.sources] as string) as RuntimeSource[];
    expect(sources.map((s) => s.name)).toEqual(['sessions', 'catalog', 'events']);
    expect(sources.map((s) => s.aof)).toEqual([null, null, { rewrite: true }]);
    expect(sources[0].endpoint.secretArn).toBe(SECRETS.sessions);
    expect(backup[ENV.store]).toEqual({ 'Fn::Join': ['', ['s3://', { Ref: expect.stringMatching(/^SnapshotsBucket/) }, '/redis/']] });
    expect(backup).toMatchObject({ [ENV.serviceName]: 'redis-backup', [ENV.metricsNamespace]: 'RedisBackup', [ENV.nodeOptions]: '--enable-source-maps' });
    expect(backup[ENV.targets]).toBeUndefined();
    const targets = JSON.parse(envOf('RestoresStepFunction')[ENV.targets] as string) as RuntimeTarget[];
    expect(targets.map((t) => [t.name, t.mode])).toEqual([
      ['sessions-staging', 'load'],
      ['catalog-dr', 'file'],
    ]);
    const api = envOf('ApiFunction');
    expect(api[ENV.restoreStateMachineArn]).toEqual({ Ref: expect.stringMatching(/^RestoresStateMachine/) });
    expect(api[ENV.backupStateMachineArn]).toEqual({ Ref: expect.stringMatching(/^BackupsOnDemand/) });
  });
});

describe('schedules', () => {
  const schedules = Object.values(template.findResources('AWS::Scheduler::Schedule')).map((r) => (r as { Properties: Record<string, unknown> }).Properties);
  const byInput = (source: string): Record<string, unknown> => {
    const found = schedules.find((s) => JSON.parse((s.Target as { Input: string }).Input).source === source);
    if (found === undefined) throw new Error(`No schedule for ${source}`);
    return found;
  };

  test('one schedule per source, with a flexible window, a retry policy and the dead-letter queue', () => {
    expect(byInput('sessions')).toMatchObject({
      ScheduleExpression: 'rate(6 hours)',
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      State: 'ENABLED',
      Target: { RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/^AlertingDeadLetters/), 'Arn'] } } },
    });
    expect(byInput('catalog')).toMatchObject({ ScheduleExpression: 'cron(0 3 * * ? *)', ScheduleExpressionTimezone: 'Europe/Dublin' });
    expect(JSON.parse((byInput('catalog').Target as { Input: string }).Input)).toEqual({
      source: 'catalog',
      trigger: 'schedule',
      scheduledTime: '<aws.scheduler.scheduled-time>',
      requestId: '<aws.scheduler.execution-id>',
    });
  });

  test('prune runs daily and freshness every 15 minutes, both with the dead-letter queue', () => {
    const others = schedules.filter((s) => JSON.parse((s.Target as { Input: string }).Input).source === undefined);
    expect(others.map((s) => s.ScheduleExpression).sort()).toEqual(['cron(30 4 * * ? *)', 'rate(15 minutes)']);
    for (const s of others) expect(s.Target).toMatchObject({ DeadLetterConfig: { Arn: expect.anything() }, RetryPolicy: expect.anything() });
  });
});

describe('failures: dead letters and alarms', () => {
  const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map((r) => (r as { Properties: Record<string, unknown> }).Properties);
  const topic = resourceOf('AWS::SNS::Topic', 'AlertingTopic');
  const alarmOn = (functionPrefix: string): boolean =>
    alarms.some((a) => a.MetricName === 'Errors' && JSON.stringify(a.Dimensions).includes(`"Ref":"${resourceOf('AWS::Lambda::Function', functionPrefix).id}"`));

  test('the dead-letter queue is encrypted and TLS-only', () => {
    template.hasResourceProperties('AWS::SQS::Queue', { SqsManagedSseEnabled: true, MessageRetentionPeriod: 1209600 });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
  });

  test('every function has its dead-letter queue or alarm, as designed', () => {
    // Asynchronous (scheduled) functions: failed invocations go to the dead-letter queue, and their errors alarm.
    for (const prefix of ['BackupsFunction', 'MaintenancePruneFunction', 'MaintenanceFreshnessFunction']) {
      const fn = resourceOf('AWS::Lambda::Function', prefix);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: fn.id },
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AlertingDeadLetters'), 'Arn'] } } },
      });
      expect(alarmOn(prefix)).toBe(true);
    }
    // The API is synchronous: its errors alarm. The restore step runs in the state machine, whose failures alarm.
    expect(alarmOn('ApiFunction')).toBe(true);
    const restoreAlarm = alarms.find((a) => a.AlarmName === 'RedisBackup-restore-failed');
    expect(JSON.stringify(restoreAlarm?.Metrics)).toMatch(/ExecutionsFailed.*ExecutionsTimedOut.*ExecutionsAborted/);
    const backupAlarm = alarms.find((a) => a.AlarmName === 'RedisBackup-backup-failed');
    expect(backupAlarm).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(alarms.some((a) => a.AlarmName === 'RedisBackup-on-demand-backup-failed')).toBe(true);
    expect(alarms.find((a) => a.AlarmName === 'RedisBackup-dead-letters')).toMatchObject({ MetricName: 'ApproximateNumberOfMessagesVisible', Threshold: 1 });
  });

  test('freshness: one alarm per source when its newest snapshot is older than 2x the interval, or not measured', () => {
    for (const [source, seconds] of [
      ['sessions', 12 * 3600],
      ['catalog', 2 * 86400],
      ['events', 2 * 3600],
    ] as const) {
      expect(alarms.find((a) => a.AlarmName === `RedisBackup-snapshot-stale-${source}`)).toMatchObject({
        Namespace: 'RedisBackup',
        MetricName: METRIC.snapshotAge,
        Dimensions: expect.arrayContaining([
          { Name: METRIC_DIMENSION.service, Value: 'redis-backup' },
          { Name: METRIC_DIMENSION.source, Value: source },
        ]),
        Threshold: seconds,
        ComparisonOperator: 'GreaterThanThreshold',
        TreatMissingData: 'breaching',
        Period: 900,
      });
    }
  });

  test('one SNS topic for all alarms, KMS-encrypted, TLS-only publishing, with the e-mail subscription', () => {
    template.resourceCountIs('AWS::SNS::Topic', 1);
    expect(topic.props.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^AlertingTopicKey/), 'Arn'] });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'oncall@example.com' });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', { PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) } });
    // One freshness alarm per source (three in the example) among them.
    expect(alarms.length).toBe(10);
    for (const a of alarms) {
      expect(a.AlarmActions).toEqual([{ Ref: topic.id }]);
      expect(a.OKActions).toEqual([{ Ref: topic.id }]);
    }
  });

  test('a dashboard: backup duration, size, throughput, snapshot age, restore duration', () => {
    const body = flat(resourceOf('AWS::CloudWatch::Dashboard', 'Dashboard').props.DashboardBody);
    for (const text of ['Backup duration', 'Backup size', 'Backup throughput', 'Age of the newest committed snapshot', 'Restore duration', METRIC.backupDuration, METRIC.backupStoredBytes, METRIC.backupThroughput, METRIC.snapshotAge, 'ExecutionTime']) {
      expect(body).toContain(text);
    }
  });
});

describe('the restore state machine', () => {
  const sm = resourceOf('AWS::StepFunctions::StateMachine', 'RestoresStateMachine');
  const definition = JSON.parse(flat(sm.props.DefinitionString).replace(/<[A-Za-z0-9]+\.Arn>/g, 'ARN')) as { StartAt: string; TimeoutSeconds: number; States: Record<string, Record<string, unknown>> };
  const steps = (name: string): string => ((definition.States[name].Parameters as { step: string }).step);

  test('validate -> verify snapshot -> restore -> (again while more) -> verify target -> optional repoint', () => {
    expect(definition.StartAt).toBe('Validate request');
    expect(steps('Validate request')).toBe('validate');
    expect(definition.States['Validate request'].Next).toBe('Verify snapshot');
    expect(steps('Verify snapshot')).toBe('verify-snapshot');
    expect(definition.States['Verify snapshot'].Next).toBe('Restore');
    expect(steps('Restore')).toBe('restore');
    expect(definition.States['Restore'].Next).toBe('More data?');
    expect(definition.States['More data?']).toEqual({
      Type: 'Choice',
      Choices: [{ And: [{ Variable: '$.more', IsPresent: true }, { Variable: '$.more', BooleanEquals: true }], Next: 'Restore' }],
      Default: 'Verify target',
    });
    expect(steps('Verify target')).toBe('verify-target');
    expect((definition.States['Repoint?'].Choices as Array<{ Next: string }>)[0].Next).toBe('Repoint replicas');
    expect(steps('Repoint replicas')).toBe('repoint');
    // Each task gets {step, state} and its result replaces the state.
    expect(definition.States['Restore'].Parameters).toEqual({ step: 'restore', 'state.$': '$' });
  });

  test('retries and timeouts: service errors, transient codes, and a dead restore invocation resumes', () => {
    const restore = definition.States['Restore'];
    expect(restore.TimeoutSeconds).toBe(960);
    const retries = restore.Retry as Array<{ ErrorEquals: string[] }>;
    expect(retries.map((r) => r.ErrorEquals)).toEqual(
      expect.arrayContaining([expect.arrayContaining(['Lambda.ServiceException']), expect.arrayContaining(['RESTORE_TARGET_UNREACHABLE']), ['Sandbox.Timedout', 'Lambda.Unknown', 'States.Timeout']]),
    );
    for (const name of ['Validate request', 'Verify snapshot', 'Restore', 'Verify target', 'Repoint replicas']) {
      expect(definition.States[name].TimeoutSeconds).toBeGreaterThan(0);
    }
    expect(definition.TimeoutSeconds).toBe(24 * 3600);
  });

  test('every Catch goes to the record-failure step, which marks the record failed, then to Fail with the restore\'s error', () => {
    const tasks = Object.entries(definition.States).filter(([, s]) => s.Type === 'Task');
    expect(tasks.map(([name]) => name).sort()).toEqual(['Record failure', 'Repoint replicas', 'Restore', 'Validate request', 'Verify snapshot', 'Verify target']);
    for (const [name, state] of tasks) {
      if (name === 'Record failure') continue;
      // The error is added to the state the step was given: record-failure gets the restore id, source and the error.
      expect({ name, catch: state.Catch }).toEqual({ name, catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Record failure' }] });
    }
    const record = definition.States['Record failure'];
    expect(record).toMatchObject({ Parameters: { step: 'record-failure', 'state.$': '$' }, ResultPath: null, Next: 'Restore failed' });
    expect(record.TimeoutSeconds).toBeGreaterThan(0);
    expect((record.Retry as Array<{ ErrorEquals: string[] }>).map((r) => r.ErrorEquals)).toEqual(expect.arrayContaining([expect.arrayContaining(['Lambda.ServiceException']), expect.arrayContaining(['STORE_UNREACHABLE'])]));
    // Even when recording fails, the execution fails with the restore's error, not the recorder's.
    expect(record.Catch).toEqual([{ ErrorEquals: ['States.ALL'], ResultPath: '$.recordFailureError', Next: 'Restore failed' }]);
    expect(definition.States['Restore failed']).toEqual({ Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' });
    // Nothing else reaches Fail.
    const toFail = Object.entries(definition.States).filter(([, s]) => s.Next === 'Restore failed' || (s.Catch as Array<{ Next: string }> | undefined)?.some((c) => c.Next === 'Restore failed'));
    expect(toFail.map(([name]) => name)).toEqual(['Record failure']);
  });

  test('standard workflow, logged (ALL) and traced', () => {
    expect(sm.props).toMatchObject({ StateMachineType: 'STANDARD', TracingConfiguration: { Enabled: true }, LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: true } });
  });
});

describe('the HTTP API', () => {
  test('every route, and only those, with IAM authorization', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map((r) => (r as { Properties: { RouteKey: string; AuthorizationType: string } }).Properties);
    expect(routes.map((r) => r.RouteKey).sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
    expect(routes.map((r) => r.RouteKey).sort()).toEqual([
      'GET /restores/{id}',
      'GET /sources',
      'GET /sources/{source}/snapshots',
      'GET /sources/{source}/snapshots/{id}',
      'POST /restores',
      'POST /sources/{source}/snapshots',
    ]);
    for (const r of routes) expect(r.AuthorizationType).toBe('AWS_IAM');
  });

  test('one stage, with access logs and throttling', () => {
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: { DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] }, Format: Match.stringLikeRegexp('"userArn":"\\$context.identity.userArn"') },
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  test('caller policies: read-only routes, or all of them', () => {
    const reader = resourceOf('AWS::IAM::ManagedPolicy', 'ApiReaderPolicy');
    const operator = resourceOf('AWS::IAM::ManagedPolicy', 'ApiOperatorPolicy');
    const routesOf = (p: Record<string, unknown>): string[] =>
      ((p.PolicyDocument as { Statement: PolicyStatement[] }).Statement).flatMap(resourcesOf).map((r) => r.replace(/^.*\/\$default\//, ''));
    expect(routesOf(reader.props).sort()).toEqual(['GET/restores/*', 'GET/sources', 'GET/sources/*/snapshots', 'GET/sources/*/snapshots/*']);
    expect(routesOf(operator.props)).toHaveLength(6);
  });
});

describe('other configurations', () => {
  test('without a network: no VPC, no endpoint, no EFS', () => {
    const t = Template.fromStack(stackOf(minimalConfig()).stack);
    t.resourceCountIs('AWS::EC2::VPCEndpoint', 0);
    t.resourceCountIs('AWS::EC2::SecurityGroup', 0);
    for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) {
      expect((fn as { Properties: Record<string, unknown> }).Properties.VpcConfig).toBeUndefined();
      expect((fn as { Properties: Record<string, unknown> }).Properties.TracingConfig).toBeUndefined();
    }
    t.hasResourceProperties('AWS::Scheduler::Schedule', { ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 } });
  });

  test('without an AOF source the backup function mounts the data directory read-only', () => {
    const config = exampleConfig();
    config.sources = config.sources.filter((s) => s.aof !== true);
    const backup = functionStatements(Template.fromStack(stackOf(config).stack), 'BackupsFunction');
    expect(allowed(backup, 'elasticfilesystem:ClientMount')).toHaveLength(1);
    expect(allowed(backup, 'elasticfilesystem:ClientWrite')).toEqual([]);
  });

  test('an existing bucket and key: nothing created for storage, grants on that bucket and key', () => {
    const config = exampleConfig();
    config.bucket = { existingBucketName: 'acme-redis-backups', prefix: 'prod/', kmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' };
    const t = Template.fromStack(stackOf(config).stack);
    t.resourceCountIs('AWS::S3::Bucket', 0);
    t.resourceCountIs('AWS::KMS::Key', 1);
    const s = functionStatements(t, 'BackupsFunction');
    expect(allowed(s, 's3:PutObject')).toContain('arn:<AWS::Partition>:s3:::acme-redis-backups/prod/sessions/snapshots/*');
    expect(allowed(s, 'kms:GenerateDataKey')).toEqual(['arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab']);
  });

  test('a Secrets Manager endpoint and existing security groups when configured', () => {
    const config = exampleConfig();
    config.network!.secretsManagerEndpoint = 'create';
    config.network!.securityGroupIds = ['sg-0123456789abcdef0'];
    const t = Template.fromStack(stackOf(config).stack);
    t.hasResourceProperties('AWS::EC2::VPCEndpoint', { VpcEndpointType: 'Interface', PrivateDnsEnabled: true, SubnetIds: ['subnet-0a1b2c3d4e5f60001', 'subnet-0a1b2c3d4e5f60002'] });
    t.hasResourceProperties('AWS::EC2::SecurityGroup', { SecurityGroupIngress: [Match.objectLike({ FromPort: 443, SourceSecurityGroupId: 'sg-0123456789abcdef0' })] });
    expect(Template.fromJSON(t.toJSON()).findResources('AWS::Lambda::Function', { Properties: { VpcConfig: { SecurityGroupIds: ['sg-0123456789abcdef0'] } } })).not.toEqual({});
  });

  test('too many sources for Lambda\'s 4 KB environment fail the synth with the reason', () => {
    const config = exampleConfig();
    const first = config.sources[0];
    config.sources = Array.from({ length: 12 }, (_, i) => ({ ...first, name: `source-with-a-long-name-${i}` }));
    config.restoreTargets = [];
    expect(() => stackOf(config)).toThrow(/over Lambda's 4096-byte limit: too many sources or restore targets for one stack/);
  });
});
