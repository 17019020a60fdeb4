import { RuntimeTarget } from '../../lib/config/runtime-config';
import { Service } from '../../lambdas/handlers/service';
import { RedisCluster } from '../helpers/redis-cluster';
import { RedisServer } from '../helpers/redis-server';
import { apiEvent, apiHandler, backupHandler, callApi, functionEnv, handlerSuite, InProcessBackups, InProcessRestoreMachine, lambdaContext, observability, restoreStepHandler, runtimeSource, sampleSource, secretArn, serviceFor, withoutSecret } from './harness';

/** A restore through the API into a configured Redis Cluster target (mode cluster): its databases must map to db 0. */
describe('restore into a cluster target', () => {
  const suite = handlerSuite();
  let source: RedisServer;
  let cluster: RedisCluster;
  let service: Service;
  let machine: InProcessRestoreMachine;
  let api: ReturnType<typeof apiHandler>;
  let keys: number;

  beforeAll(async () => {
    [source, cluster] = await Promise.all([sampleSource({ bigValues: 50 }), RedisCluster.start({ primaries: 3, password: 'cluster-pass' })]);
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
    service = serviceFor(functionEnv(suite.s3, [runtimeSource('orders', source.port, { endpoint: withoutSecret(source.port) })], [target]));
    const values = { [secretArn('cache-cluster')]: { password: 'cluster-pass' } };
    const backup = backupHandler(service);
    keys = (await suite.quietly(() => backup({ source: 'orders', trigger: 'schedule' }, lambdaContext('redis-backup-backup')))).keys;
    machine = new InProcessRestoreMachine(restoreStepHandler(service, values));
    api = apiHandler(service, observability(), new InProcessBackups(backup), machine);
  });
  afterAll(async () => {
    await Promise.all([source?.stop(), cluster?.stop()]);
  });

  const post = (body: unknown) => callApi(api, apiEvent('POST', '/restores', { body }));

  test('databases that do not map to db 0 fail at validate, before anything is written', async () => {
    const accepted = await post({ source: 'orders', snapshot: 'latest', target: 'cache-cluster', options: { flush: true } });
    expect(accepted).toMatchObject({ status: 202, body: { mode: 'cluster' } });
    const result = await machine.result(accepted.body.restoreId as string);
    expect(result).toMatchObject({ status: 'FAILED', error: { name: 'RESTORE_BAD_REQUEST' } });
    // Then the Catch's record-failure step: the restore is recorded as failed, with the reason.
    expect(machine.calls.filter((c) => c.state.restoreId === accepted.body.restoreId).map((c) => c.step)).toEqual(['validate', 'record-failure']);
    const id = accepted.body.restoreId as string;
    const status = await callApi(api, apiEvent('GET', `/restores/${id}`, { routeKey: 'GET /restores/{id}', pathParameters: { id } }));
    expect(status.body).toMatchObject({ status: 'failed', error: { code: 'RESTORE_BAD_REQUEST', message: expect.stringContaining('only database 0') } });
    // Phrased for the API's caller: the request's options, not the CLI's flags.
    expect((status.body.error as { message: string }).message).toMatch(/options\.dbs.*options\.dbMap \{"\d+": 0\}/);
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
    const status = await callApi(api, apiEvent('GET', `/restores/${restoreId}`, { routeKey: 'GET /restores/{id}', pathParameters: { id: restoreId } }));
    expect(status.body).toMatchObject({ status: 'completed', mode: 'cluster', report: { mode: 'cluster', verification: { ok: true }, writes: { failed: 0 } } });
  });
});
