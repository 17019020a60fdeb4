import { RuntimeTarget } from '../../lib/config/runtime-config';
import { createBackupHandler } from '../../lambdas/handlers/backup';
import { createRestoreStepHandler } from '../../lambdas/handlers/restore-step';
import { Service } from '../../lambdas/handlers/service';
import { writeSampleData } from '../backup/sample-data';
import { RedisCluster } from '../helpers/redis-cluster';
import { RedisServer } from '../helpers/redis-server';
import { S3Server } from '../helpers/s3-server';
import { apiEvent, apiHandler, FAST_REPLICATION, functionEnv, InProcessBackups, InProcessRestoreMachine, lambdaContext, observability, Output, parse, runtimeSource, secretArn, secrets, serviceFor, useS3rver } from './harness';

/** A restore through the API into a configured Redis Cluster target (mode cluster): its databases must map to db 0. */
describe('restore into a cluster target', () => {
  let s3: S3Server;
  let source: RedisServer;
  let cluster: RedisCluster;
  let service: Service;
  let machine: InProcessRestoreMachine;
  let api: ReturnType<typeof apiHandler>;
  let keys: number;
  const output = new Output();

  beforeAll(async () => {
    s3 = await S3Server.start();
    useS3rver(s3);
    [source, cluster] = await Promise.all([RedisServer.start({ config: FAST_REPLICATION }), RedisCluster.start({ primaries: 3, password: 'cluster-pass' })]);
    await writeSampleData(source.client(), { bigValues: 50 });
    const seed = cluster.servers[0];
    const target: RuntimeTarget = {
      name: 'cache-cluster',
      kind: 'cluster',
      endpoint: { host: '127.0.0.1', port: seed.port, tls: null, secretArn: secretArn('cache-cluster') },
      mode: 'cluster',
      dataDir: null,
      dbfilename: 'dump.rdb',
      allowFlush: true,
      replicas: [],
    };
    service = serviceFor(functionEnv(s3, [runtimeSource('orders', source.port, { endpoint: { host: '127.0.0.1', port: source.port, tls: null, secretArn: null } })], [target]));
    const values = { [secretArn('cache-cluster')]: { password: 'cluster-pass' } };
    const backup = createBackupHandler({ service: () => service, secrets: secrets({}), observability: observability() });
    output.start();
    try {
      keys = (await backup({ source: 'orders', trigger: 'schedule' }, lambdaContext('redis-backup-backup'))).keys;
    } finally {
      output.stop();
      output.clear();
    }
    machine = new InProcessRestoreMachine(createRestoreStepHandler({ service: () => service, secrets: secrets(values), observability: observability() }));
    api = apiHandler(service, observability(), new InProcessBackups(backup), machine);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), cluster?.stop()]);
    await s3?.stop();
  });
  beforeEach(() => output.start());
  afterEach(() => {
    output.stop();
    output.clear();
  });

  const post = async (body: unknown) => parse(await api(apiEvent('POST', '/restores', { body }), lambdaContext('redis-backup-api', () => 29_000)));

  test('databases that do not map to db 0 fail at validate, before anything is written', async () => {
    const accepted = await post({ source: 'orders', snapshot: 'latest', target: 'cache-cluster', options: { flush: true } });
    expect(accepted).toMatchObject({ status: 202, body: { mode: 'cluster' } });
    const result = await machine.result(accepted.body.restoreId as string);
    expect(result).toMatchObject({ status: 'FAILED', error: { name: 'RESTORE_BAD_REQUEST' } });
    // Then the Catch's record-failure step: the restore is recorded as failed, with the reason.
    expect(machine.calls.filter((c) => c.state.restoreId === accepted.body.restoreId).map((c) => c.step)).toEqual(['validate', 'record-failure']);
    const id = accepted.body.restoreId as string;
    const status = parse(await api(apiEvent('GET', `/restores/${id}`, { routeKey: 'GET /restores/{id}', pathParameters: { id } }), lambdaContext('redis-backup-api', () => 29_000)));
    expect(status.body).toMatchObject({ status: 'failed', error: { code: 'RESTORE_BAD_REQUEST', message: expect.stringContaining('only database 0') } });
  });

  test('every key lands on the primary that owns its slot; the report verifies', async () => {
    const accepted = await post({ source: 'orders', snapshot: 'latest', target: 'cache-cluster', mode: 'cluster', options: { flush: true, dbMap: { '1': 0, '5': 0 } } });
    expect(accepted.status).toBe(202);
    const restoreId = accepted.body.restoreId as string;
    const result = await machine.result(restoreId);
    expect(result.error).toBeUndefined();
    const sizes = await Promise.all(cluster.servers.map((_, i) => cluster.node(i).dbsize()));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(keys);
    expect(sizes.every((n) => n > 0)).toBe(true);
    const status = parse(await api(apiEvent('GET', `/restores/${restoreId}`, { routeKey: 'GET /restores/{id}', pathParameters: { id: restoreId } }), lambdaContext('redis-backup-api')));
    expect(status.body).toMatchObject({ status: 'completed', mode: 'cluster', report: { mode: 'cluster', verification: { ok: true }, writes: { failed: 0 } } });
  });
});
