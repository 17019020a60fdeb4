import { Service } from '../../lambdas/handlers/service';
import { RedisServer } from '../helpers/redis-server';
import {
  apiContext,
  apiEvent,
  apiHandler,
  backupHandler,
  callApi,
  functionEnv,
  handlerSuite,
  InProcessBackups,
  InProcessRestoreMachine,
  observability,
  parse,
  restoreStepHandler,
  runtimeSource,
  sampleSource,
  serverTarget,
  serviceFor,
  withoutSecret,
} from './harness';

/**
 * The HTTP API handler with API Gateway HTTP API events (payload 2.0, IAM auth):
 * on-demand backups run as the backup function would run them, listings, and
 * every refusal as a JSON error with a stable code.
 */
describe('API handler: sources, snapshots, on-demand backups', () => {
  const suite = handlerSuite();
  const { output } = suite;
  let source: RedisServer;
  let service: Service;
  let backups: InProcessBackups;
  let restores: InProcessRestoreMachine;
  let api: ReturnType<typeof apiHandler>;

  beforeAll(async () => {
    source = await sampleSource({ bigValues: 20 });
    const env = functionEnv(suite.s3, [runtimeSource('orders', source.port, { endpoint: withoutSecret(source.port) }), runtimeSource('billing', 1)], [serverTarget('staging', 1)]);
    service = serviceFor(env);
    // One Powertools set per function, as in Lambda.
    backups = new InProcessBackups(backupHandler(service));
    restores = new InProcessRestoreMachine(restoreStepHandler(service));
    api = apiHandler(service, observability(), backups, restores);
  });
  afterAll(async () => {
    await source.stop();
  });

  const call = (event: ReturnType<typeof apiEvent>) => callApi(api, event);

  test('POST /sources/{source}/snapshots starts a backup (202); once it ran, GET lists the snapshot', async () => {
    const empty = await call(apiEvent('GET', '/sources/orders/snapshots', { routeKey: 'GET /sources/{source}/snapshots', pathParameters: { source: 'orders' } }));
    expect(empty).toMatchObject({ status: 200, body: { source: 'orders', snapshots: [], nextCursor: null } });

    const event = apiEvent('POST', '/sources/orders/snapshots', { routeKey: 'POST /sources/{source}/snapshots', pathParameters: { source: 'orders' } });
    const accepted = await call(event);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ source: 'orders', status: 'accepted' });
    expect(accepted.headers['Content-Type']).toBe('application/json');
    expect(backups.requests).toEqual([{ source: 'orders', requestId: accepted.body.requestId, requestedAt: expect.any(String) }]);
    // The API's logs carry its request id as the correlation id.
    expect(output.logs().find((l) => l.message === 'On-demand backup requested')).toMatchObject({
      correlation_id: event.requestContext.requestId,
      backupRequestId: accepted.body.requestId,
      caller: 'arn:aws:sts::123456789012:assumed-role/Operator/operator',
    });

    // The asynchronous invocation: the backup function with {source, trigger: 'api', requestId}.
    const result = await backups.runs[0];
    expect(output.logs().find((l) => l.message === 'Backup committed')).toMatchObject({ correlation_id: accepted.body.requestId, trigger: 'api' });

    const listed = await call(apiEvent('GET', '/sources/orders/snapshots', { routeKey: 'GET /sources/{source}/snapshots', pathParameters: { source: 'orders' } }));
    expect(listed.status).toBe(200);
    expect(listed.body.snapshots).toEqual([expect.objectContaining({ snapshotId: result.snapshotId, status: 'committed', keys: result.keys, rawBytes: result.rawBytes, method: 'replication' })]);

    const one = await call(apiEvent('GET', `/sources/orders/snapshots/${result.snapshotId}`, { routeKey: 'GET /sources/{source}/snapshots/{id}', pathParameters: { source: 'orders', id: result.snapshotId } }));
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ snapshotId: result.snapshotId, status: 'committed', manifest: { snapshotId: result.snapshotId, source: 'orders', keys: { total: result.keys } } });

    const sources = await call(apiEvent('GET', '/sources'));
    expect(sources.status).toBe(200);
    expect(sources.body.sources).toEqual([
      expect.objectContaining({ name: 'orders', endpoint: `redis://127.0.0.1:${source.port}`, latest: expect.objectContaining({ snapshotId: result.snapshotId }), restoreTargets: ['staging'] }),
      expect.objectContaining({ name: 'billing', latest: null }),
    ]);
    expect(JSON.stringify(sources.body)).not.toContain('secret');
  });

  test('snapshots come in pages, newest first (?limit=&cursor=)', async () => {
    await backups.start({ source: 'orders', requestId: 'b-page-1', requestedAt: new Date().toISOString() });
    await backups.runs[backups.runs.length - 1];
    await new Promise((r) => setTimeout(r, 1100)); // snapshot ids have second resolution
    await backups.start({ source: 'orders', requestId: 'b-page-2', requestedAt: new Date().toISOString() });
    await backups.runs[backups.runs.length - 1];
    const all = await call(apiEvent('GET', '/sources/orders/snapshots', { routeKey: 'GET /sources/{source}/snapshots', pathParameters: { source: 'orders' } }));
    const ids = (all.body.snapshots as Array<{ snapshotId: string }>).map((s) => s.snapshotId);
    expect(ids.length).toBeGreaterThanOrEqual(3);
    expect([...ids].sort().reverse()).toEqual(ids);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: Record<string, string> = { limit: '2', ...(cursor !== null ? { cursor } : {}) };
      const page = await call(apiEvent('GET', '/sources/orders/snapshots', { routeKey: 'GET /sources/{source}/snapshots', pathParameters: { source: 'orders' }, query }));
      expect(page.status).toBe(200);
      const got = page.body.snapshots as Array<{ snapshotId: string }>;
      expect(got.length).toBeLessThanOrEqual(2);
      seen.push(...got.map((s) => s.snapshotId));
      cursor = page.body.nextCursor as string | null;
    } while (cursor !== null);
    expect(seen).toEqual(ids);

    for (const [query, field] of [
      [{ limit: '0' }, 'limit'],
      [{ limit: '101' }, 'limit'],
      [{ cursor: 'bm90LWFuLWlk' }, 'cursor'],
    ] as const) {
      const bad = await call(apiEvent('GET', '/sources/orders/snapshots', { routeKey: 'GET /sources/{source}/snapshots', pathParameters: { source: 'orders' }, query }));
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field } } });
    }
  });

  test('unknown sources, snapshots, restores and routes answer with stable codes, and start nothing', async () => {
    const before = backups.requests.length;
    const unknown = await call(apiEvent('POST', '/sources/nope/snapshots', { routeKey: 'POST /sources/{source}/snapshots', pathParameters: { source: 'nope' } }));
    expect(unknown).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_SOURCE' }, requestId: expect.any(String) } });
    expect(backups.requests.length).toBe(before);

    const list = await call(apiEvent('GET', '/sources/nope/snapshots', { routeKey: 'GET /sources/{source}/snapshots', pathParameters: { source: 'nope' } }));
    expect(list).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_SOURCE' } } });

    const missing = await call(apiEvent('GET', '/sources/orders/snapshots/20200101T000000Z-abcdef', { routeKey: 'GET /sources/{source}/snapshots/{id}', pathParameters: { source: 'orders', id: '20200101T000000Z-abcdef' } }));
    expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });

    const badId = await call(apiEvent('GET', '/sources/orders/snapshots/..%2Fx', { routeKey: 'GET /sources/{source}/snapshots/{id}', pathParameters: { source: 'orders', id: '../x' } }));
    expect(badId).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'id' } } });

    const noRestore = await call(apiEvent('GET', '/restores/r20200101T000000Z-abcdef', { routeKey: 'GET /restores/{id}', pathParameters: { id: 'r20200101T000000Z-abcdef' } }));
    expect(noRestore).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });

    const extra = await call(apiEvent('POST', '/sources/orders/snapshots', { routeKey: 'POST /sources/{source}/snapshots', pathParameters: { source: 'orders' }, body: { method: 'bgsave' } }));
    expect(extra).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'method' } } });
    expect(backups.requests.length).toBe(before);

    // Behind a $default route API Gateway does not match: the handler routes (and validates) all the same.
    const proxied = await call(apiEvent('GET', '/sources/nope/snapshots', { routeKey: '$default' }));
    expect(proxied).toMatchObject({ status: 404, body: { error: { code: 'UNKNOWN_SOURCE' } } });
    const noRoute = await call(apiEvent('GET', '/backups', { routeKey: '$default' }));
    expect(noRoute).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
  });

  test('a backup already running is reported as 409 BACKUP_IN_PROGRESS', async () => {
    const lock = { owner: 'redis-backup@lambda:1', token: 'x', acquiredAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 60_000).toISOString(), host: 'lambda', pid: 1 };
    await service.store.put('orders/lock.json', Buffer.from(JSON.stringify(lock)), 'application/json');
    try {
      const before = backups.requests.length;
      const busy = await call(apiEvent('POST', '/sources/orders/snapshots', { routeKey: 'POST /sources/{source}/snapshots', pathParameters: { source: 'orders' } }));
      expect(busy).toMatchObject({ status: 409, body: { error: { code: 'BACKUP_IN_PROGRESS' } } });
      expect(backups.requests.length).toBe(before);
    } finally {
      await service.store.delete(['orders/lock.json']);
    }
  });

  test('the deployed entry point reads its configuration from the environment the stack sets', async () => {
    const env = functionEnv(suite.s3, service.config.sources, service.config.targets);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const { handler } = await import('../../lambdas/handlers/api');
      const response = parse(await handler(apiEvent('GET', '/sources'), apiContext()));
      expect(response.status).toBe(200);
      expect((response.body.sources as Array<{ name: string }>).map((s) => s.name)).toEqual(['orders', 'billing']);
    } finally {
      for (const key of Object.keys(env)) if (!(key in saved)) delete process.env[key];
    }
  });

  test('what the API prints names no secret', async () => {
    await call(apiEvent('GET', '/sources'));
    await call(apiEvent('POST', '/restores', { body: { source: 'orders', snapshot: 'latest', target: 'staging', options: { flush: true } } }));
    expect(output.lines.length).toBeGreaterThan(0);
    expect(output.lines.join('\n')).not.toMatch(/secret:redis-backup/);
  });
});

test('the handler answers exactly the routes the CDK stack declares', async () => {
  const { API_ROUTES } = await import('../../lambdas/handlers/api/routes');
  const stack = await import('../../lib/constructs/backup-api');
  const declared = stack.API_ROUTES.map((r) => `${r.method} ${r.path}`).sort();
  expect(Object.values(API_ROUTES).sort()).toEqual(declared);
});
