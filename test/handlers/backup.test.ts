import { createBackupHandler, BackupEvent } from '../../lambdas/handlers/backup';
import { listSnapshots } from '../../lambdas/catalog/catalog';
import { writeSampleData } from '../backup/sample-data';
import { RedisServer } from '../helpers/redis-server';
import { S3Server } from '../helpers/s3-server';
import { FAST_REPLICATION, functionEnv, lambdaContext, observability, Output, runtimeSource, secretArn, secrets, serviceFor, useS3rver } from './harness';

/** The backup function, invoked as EventBridge Scheduler invokes it, against redis-server and s3rver. */
describe('backup handler', () => {
  let s3: S3Server;
  let source: RedisServer;
  const output = new Output();

  beforeAll(async () => {
    s3 = await S3Server.start();
    useS3rver(s3);
    source = await RedisServer.start({ config: { ...FAST_REPLICATION, requirepass: 's3cret-pass' } });
    await writeSampleData(source.client({ password: 's3cret-pass' }), { bigValues: 50 });
  });
  afterAll(async () => {
    await source.stop();
    await s3.stop();
  });
  beforeEach(() => output.start());
  afterEach(() => {
    output.stop();
    output.clear();
  });

  const setup = (password = 's3cret-pass') => {
    const service = serviceFor(functionEnv(s3, [runtimeSource('orders', source.port)], []));
    const handler = createBackupHandler({ service: () => service, secrets: secrets({ [secretArn('orders')]: { password } }), observability: observability() });
    return { service, handler };
  };

  test('a scheduled run commits a snapshot and publishes its metrics per source', async () => {
    const { service, handler } = setup();
    // What the schedule sends (its Input in lib/constructs/backup-service.ts, checked in test/cdk/stack.test.ts),
    // with Scheduler's context attributes <aws.scheduler.scheduled-time> and <aws.scheduler.execution-id> filled in.
    const executionId = '3f0c9a51-7d2e-4b6a-9e1f-0a8b2c4d6e8f';
    const event: BackupEvent = JSON.parse(
      JSON.stringify({ source: 'orders', trigger: 'schedule', scheduledTime: '<aws.scheduler.scheduled-time>', requestId: '<aws.scheduler.execution-id>' })
        .replace('<aws.scheduler.scheduled-time>', '2026-11-25T08:00:00Z')
        .replace('<aws.scheduler.execution-id>', executionId),
    ) as BackupEvent;
    const result = await handler(event, lambdaContext('redis-backup-backup'));

    expect(result.source).toBe('orders');
    expect(result.keys).toBeGreaterThan(100);
    const snapshots = await listSnapshots(service.store, 'orders');
    expect(snapshots.map((s) => [s.snapshotId, s.status])).toContainEqual([result.snapshotId, 'committed']);

    expect(output.metric('BackupSucceeded', 'orders')).toEqual([1]);
    expect(output.metric('BackupFailed', 'orders')).toEqual([0]);
    expect(output.metric('BackupRawBytes', 'orders')).toEqual([result.rawBytes]);
    expect(output.metric('BackupStoredBytes', 'orders')).toEqual([result.storedBytes]);
    expect(output.metric('BackupThroughputBytesPerSecond', 'orders')[0]).toBeGreaterThan(0);
    expect(output.metric('BackupDurationSeconds', 'orders')[0]).toBeGreaterThan(0);
    const [doc] = output.metrics().filter((m) => 'BackupSucceeded' in m.values);
    expect(doc.namespace).toBe('RedisBackupTest');
    expect(doc.dimensions.sort()).toEqual(['service', 'source']);
    const committed = output.logs().find((l) => l.message === 'Backup committed');
    // The Scheduler execution id is the run's correlation id.
    expect(committed).toMatchObject({ source: 'orders', trigger: 'schedule', scheduledTime: '2026-11-25T08:00:00Z', snapshotId: result.snapshotId, function_name: 'redis-backup-backup', correlation_id: executionId });
  });

  test('wrong credentials fail the run, commit nothing, and count BackupFailed', async () => {
    const { service, handler } = setup('not-the-password');
    const before = (await listSnapshots(service.store, 'orders')).length;
    await expect(handler({ source: 'orders', trigger: 'schedule' }, lambdaContext('redis-backup-backup'))).rejects.toMatchObject({ code: 'CAPTURE_AUTH_FAILED' });
    expect((await listSnapshots(service.store, 'orders')).length).toBe(before);
    expect(output.metric('BackupFailed', 'orders')).toEqual([1]);
    expect(output.logs().find((l) => l.message === 'Backup failed')).toMatchObject({ level: 'ERROR', error: { code: 'CAPTURE_AUTH_FAILED' } });
  });

  test('an unconfigured source or a malformed event is refused before anything runs', async () => {
    const { handler } = setup();
    await expect(handler({ source: 'nope', trigger: 'manual' }, lambdaContext('redis-backup-backup'))).rejects.toMatchObject({ code: 'UNKNOWN_SOURCE' });
    // Not a dimension: only configured names become one.
    expect(output.metric('BackupFailed', null)).toEqual([1]);
    await expect(handler({ source: '../etc' } as BackupEvent, lambdaContext('redis-backup-backup'))).rejects.toThrow('Event object failed validation');
    expect(output.logs().filter((l) => l.message === 'Backup failed').map((l) => (l.error as { code: string }).code)).toEqual(['UNKNOWN_SOURCE', 'INVALID_EVENT']);
  });
});
