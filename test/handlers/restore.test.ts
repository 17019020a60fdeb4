import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RestoreExecutionInput, RestoreState, RestoreStepEvent, RuntimeTarget } from '../../lib/config/runtime-config';
import { createBackupHandler } from '../../lambdas/handlers/backup';
import { createRestoreStepHandler } from '../../lambdas/handlers/restore-step';
import { Service } from '../../lambdas/handlers/service';
import { readReplication } from '../../lambdas/restore/replication-info';
import { loadRestore } from '../../lambdas/restore/restore-record';
import { writeSampleData } from '../backup/sample-data';
import { readDataset } from '../helpers/dataset';
import { freePort, RedisServer } from '../helpers/redis-server';
import { S3Server } from '../helpers/s3-server';
import {
  apiEvent,
  apiHandler,
  ApiResult,
  FAST_REPLICATION,
  functionEnv,
  InProcessBackups,
  InProcessRestoreMachine,
  lambdaContext,
  observability,
  Output,
  parse,
  RecordingStarter,
  runtimeSource,
  secretArn,
  secrets,
  serverTarget,
  serviceFor,
  stepFailure,
  useS3rver,
} from './harness';

/**
 * Restores through the API: POST /restores names a configured target, the state
 * machine (run in process) invokes the restore-step function step by step, the
 * restore step ends its runs early and resumes from checkpoints, and GET
 * /restores/{id} reports the result. Real redis-server processes and s3rver.
 */
describe('restores through the API and the restore state machine', () => {
  const SRC_PASS = 'source-pass';
  const TGT_PASS = 'target-pass';
  let s3: S3Server;
  let source: RedisServer;
  let target: RedisServer;
  let replica: RedisServer;
  let dirty: RedisServer;
  let dataDir: string;
  let service: Service;
  let machine: InProcessRestoreMachine;
  let api: ReturnType<typeof apiHandler>;
  let snapshotId: string;
  let snapshotKeys: number;
  const output = new Output();
  const ctx = () => lambdaContext('redis-backup-api', () => 29_000);
  const call = async (event: ReturnType<typeof apiEvent>): Promise<ApiResult> => parse(await api(event, ctx()));
  const postRestore = (body: unknown) => call(apiEvent('POST', '/restores', { body }));
  const getRestore = (id: string) => call(apiEvent('GET', `/restores/${id}`, { routeKey: 'GET /restores/{id}', pathParameters: { id } }));
  const restoreObjects = async (): Promise<string[]> => {
    const keys: string[] = [];
    for await (const o of service.store.list('orders/restores/')) keys.push(o.key);
    return keys;
  };

  /** An API whose state machine only records the start: a test invokes the steps itself, one task input at a time. */
  const recordOnlyApi = (): { started: RestoreExecutionInput[]; starter: RecordingStarter; api: ReturnType<typeof apiHandler> } => {
    const starter = new RecordingStarter();
    return { started: starter.started, starter, api: apiHandler(service, observability(), new InProcessBackups(createBackupHandler({ service: () => service, secrets: secrets({}), observability: observability() })), starter) };
  };

  beforeAll(async () => {
    s3 = await S3Server.start();
    useS3rver(s3);
    [source, target, replica, dirty] = await Promise.all([
      RedisServer.start({ config: { ...FAST_REPLICATION, requirepass: SRC_PASS } }),
      RedisServer.start({ config: { ...FAST_REPLICATION, requirepass: TGT_PASS } }),
      // Repointed with the target's secret: it shares the target's password, and authenticates to it as its master.
      RedisServer.start({ config: { requirepass: TGT_PASS, masterauth: TGT_PASS } }),
      RedisServer.start(),
    ]);
    await writeSampleData(source.client({ password: SRC_PASS }));
    await dirty.client().set('already-here', '1');
    dataDir = mkdtempSync(join(tmpdir(), 'redis-backup-restore-dir-'));

    const targets: RuntimeTarget[] = [
      serverTarget('staging', target.port, { allowFlush: true, replicas: [{ host: '127.0.0.1', port: replica.port }] }),
      serverTarget('dirty', dirty.port, { endpoint: { host: '127.0.0.1', port: dirty.port, tls: null, secretArn: null } }),
      serverTarget('billing-only', dirty.port, { sources: ['billing'] }),
      serverTarget('gone', await freePort(), { endpoint: { host: '127.0.0.1', port: await freePort(), tls: null, secretArn: null } }),
      { name: 'seed-dir', kind: 'directory', endpoint: null, mode: 'file', dataDir, dbfilename: 'dump.rdb', allowFlush: false, replicas: [] },
    ];
    service = serviceFor(functionEnv(s3, [runtimeSource('orders', source.port), runtimeSource('billing', 1)], targets));
    const values = { [secretArn('orders')]: { password: SRC_PASS }, [secretArn('staging')]: { password: TGT_PASS }, [secretArn('billing-only')]: { password: 'x' } };

    // A snapshot to restore, from a scheduled run of the backup function.
    const backup = createBackupHandler({ service: () => service, secrets: secrets(values), observability: observability() });
    output.start();
    try {
      ({ snapshotId, keys: snapshotKeys } = await backup({ source: 'orders', trigger: 'schedule', scheduledTime: new Date().toISOString() }, lambdaContext('redis-backup-backup')));
    } finally {
      output.stop();
      output.clear();
    }

    // Every restore-step run is told it has 0.5 s left and keeps 1 s in reserve: it stops after each chunk.
    const step = createRestoreStepHandler({ service: () => service, secrets: secrets(values), observability: observability(), reserveMs: 1000 });
    machine = new InProcessRestoreMachine(step, () => 500);
    const backups = new InProcessBackups(backup);
    api = apiHandler(service, observability(), backups, machine);
  });
  afterAll(async () => {
    await Promise.all([source, target, replica, dirty].map((s) => s.stop()));
    await s3.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });
  beforeEach(() => output.start());
  afterEach(() => {
    output.stop();
    output.clear();
  });

  test('a restore of "latest" into a named target: 202, resumed across runs, verified, replicas repointed; GET shows the report', async () => {
    const accepted = await postRestore({ source: 'orders', snapshot: 'latest', target: 'staging', mode: 'load', options: { flush: true, repoint: true, sampleKeys: 50 } });
    expect(accepted.status).toBe(202);
    const restoreId = accepted.body.restoreId as string;
    expect(restoreId).toMatch(/^r\d{8}T\d{6}Z-[0-9a-f]{6}$/);
    expect(accepted.body).toMatchObject({ source: 'orders', snapshotId, target: 'staging', mode: 'load', status: 'running' });
    expect(accepted.headers.Location).toBe(`/restores/${restoreId}`);
    // The execution is named after the restore id; its input names the target, never an address.
    expect(machine.started).toEqual([
      { restoreId, source: 'orders', snapshot: snapshotId, target: 'staging', mode: 'load', options: { flush: true, repoint: true, sampleKeys: 50 }, requestedAt: expect.any(String) } satisfies RestoreExecutionInput,
    ]);
    // The record is filed before the execution starts: GET answers at once.
    const early = await getRestore(restoreId);
    expect(early).toMatchObject({ status: 200, body: { restoreId, status: 'running', source: 'orders', snapshotId, target: 'staging', targetAddress: `redis://127.0.0.1:${target.port}` } });

    const result = await machine.result(restoreId);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    const steps = machine.calls.filter((c) => c.state.restoreId === restoreId).map((c) => c.step);
    const chunks = result.output?.progress?.chunks ?? 0;
    expect(chunks).toBeGreaterThan(2);
    // One restore run per chunk: each stopped after its chunk and the next resumed from the checkpoint.
    expect(steps).toEqual(['validate', 'verify-snapshot', ...Array<string>(chunks).fill('restore'), 'verify-target', 'repoint']);
    expect(result.output).toMatchObject({ more: false, invocations: chunks, snapshotId, engineRestoreId: restoreId, reportKey: `orders/restores/${restoreId}/report.json` });
    const resumes = machine.calls.filter((c) => c.step === 'restore' && c.state.restoreId === restoreId).map((c) => c.state.progress?.chunk);
    expect(resumes).toEqual([0, ...Array.from({ length: chunks - 1 }, (_, i) => i + 1)]);

    // The target holds exactly the source's data; the replica follows the target.
    expect(await readDataset(target.client({ password: TGT_PASS }))).toEqual(await readDataset(source.client({ password: SRC_PASS })));
    expect(await readReplication(replica.client({ password: TGT_PASS }))).toMatchObject({ role: 'slave', masterPort: target.port, masterLinkStatus: 'up' });

    const done = await getRestore(restoreId);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      restoreId,
      status: 'completed',
      finishedAt: expect.any(String),
      error: null,
      progress: { chunksDone: chunks, chunks, percent: 100 },
      report: {
        snapshotId,
        status: 'completed',
        resumedFromChunk: chunks - 1,
        verification: { ok: true },
        writes: { failed: 0 },
        repoint: [{ replica: `redis://127.0.0.1:${replica.port}`, ok: true, linkUp: true }],
      },
    });
    expect((done.body.progress as { keysWritten: number }).keysWritten).toBe(snapshotKeys);

    expect(output.metric('RestoreSucceeded', 'orders')).toEqual([1]);
    expect(output.metric('RestoreDurationSeconds', 'orders')[0]).toBeGreaterThan(0);
    // The restore-step logs carry the restore id as the correlation id.
    expect(output.logs().find((l) => l.message === 'Restore paused; the state machine resumes it')).toMatchObject({ correlation_id: restoreId, step: 'restore' });
    expect(output.lines.join('\n')).not.toContain(TGT_PASS);
  });

  test('a request naming an unknown target or source is refused with 400 and nothing is done', async () => {
    const before = { started: machine.started.length, objects: await restoreObjects() };
    const unknownTarget = await postRestore({ source: 'orders', snapshot: 'latest', target: 'production' });
    expect(unknownTarget).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_TARGET', field: 'target' } } });
    const unknownSource = await postRestore({ source: 'payments', snapshot: 'latest', target: 'staging' });
    expect(unknownSource).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_SOURCE', field: 'source' } } });
    expect(machine.started.length).toBe(before.started);
    expect(await restoreObjects()).toEqual(before.objects);
  });

  test('malformed bodies: 400 BAD_REQUEST naming the field; a host is never a target', async () => {
    const before = { started: machine.started.length, objects: await restoreObjects() };
    const cases: Array<[unknown, string]> = [
      [{ source: 'orders', snapshot: 'latest', target: { host: '10.0.0.9', port: 6379 } }, 'target'],
      [{ source: 'orders', snapshot: 'latest', target: 'redis://10.0.0.9:6379' }, 'target'],
      [{ source: 'orders', snapshot: 'latest', target: 'staging', host: '10.0.0.9' }, 'host'],
      [{ source: 'orders', target: 'staging' }, 'snapshot'],
      [{ source: 'orders', snapshot: 'yesterday', target: 'staging' }, 'snapshot'],
      [{ source: 'orders', snapshot: { before: 'last week' }, target: 'staging' }, 'snapshot.before'],
      [{ source: 'orders', snapshot: 'latest', target: 'staging', options: { flush: 'yes' } }, 'options.flush'],
      [{ source: 'orders', snapshot: 'latest', target: 'staging', options: { dbMap: { x: 1 } } }, 'options.dbMap'],
      [{ source: 'orders', snapshot: 'latest', target: 'staging', mode: 'copy' }, 'mode'],
      [['orders'], 'body'],
    ];
    for (const [body, field] of cases) {
      const response = await postRestore(body);
      expect({ body, response: response.body.error }).toEqual({ body, response: expect.objectContaining({ code: 'BAD_REQUEST', field }) });
      expect(response.status).toBe(400);
      expect(String((response.body.error as { message: string }).message)).toContain(field);
    }
    const notJson = await call(apiEvent('POST', '/restores', { rawBody: '{"source": "orders",' }));
    expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'body' } } });
    const noType = await call(apiEvent('POST', '/restores', { rawBody: '{"source":"orders","snapshot":"latest","target":"staging"}', headers: {} }));
    expect(noType).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'body' } } });
    const noBody = await call(apiEvent('POST', '/restores'));
    expect(noBody).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'body' } } });
    expect(machine.started.length).toBe(before.started);
    expect(await restoreObjects()).toEqual(before.objects);
  });

  test('what a target allows: flush, the sources it takes, its mode; a snapshot that does not exist', async () => {
    const before = machine.started.length;
    expect(await postRestore({ source: 'orders', snapshot: 'latest', target: 'dirty', options: { flush: true } })).toMatchObject({ status: 400, body: { error: { code: 'TARGET_NOT_ALLOWED', field: 'options.flush' } } });
    expect(await postRestore({ source: 'orders', snapshot: 'latest', target: 'billing-only' })).toMatchObject({ status: 400, body: { error: { code: 'TARGET_NOT_ALLOWED', field: 'target' } } });
    expect(await postRestore({ source: 'orders', snapshot: 'latest', target: 'staging', mode: 'file' })).toMatchObject({ status: 400, body: { error: { code: 'TARGET_NOT_ALLOWED', field: 'mode' } } });
    expect(await postRestore({ source: 'orders', snapshot: 'latest', target: 'seed-dir', options: { replace: true } })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'options.replace' } } });
    expect(await postRestore({ source: 'orders', snapshot: 'latest', target: 'dirty', options: { repoint: true } })).toMatchObject({ status: 400, body: { error: { code: 'BAD_REQUEST', field: 'options.repoint' } } });
    expect(await postRestore({ source: 'orders', snapshot: '20200101T000000Z-abcdef', target: 'staging' })).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_SNAPSHOT', field: 'snapshot' } } });
    expect(await postRestore({ source: 'orders', snapshot: { before: '2001-01-01T00:00:00Z' }, target: 'staging' })).toMatchObject({ status: 400, body: { error: { code: 'UNKNOWN_SNAPSHOT', field: 'snapshot' } } });
    expect(machine.started.length).toBe(before);
  });

  test('a target that is not empty fails the execution at validate; the Catch records the failure; GET shows it and nothing was written', async () => {
    const accepted = await postRestore({ source: 'orders', snapshot: { before: new Date(Date.now() + 60_000).toISOString() }, target: 'dirty' });
    expect(accepted.status).toBe(202);
    const restoreId = accepted.body.restoreId as string;
    const result = await machine.result(restoreId);
    expect(result.status).toBe('FAILED');
    // The name Step Functions reports as the execution's error: the stable code.
    expect(result.error?.name).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(machine.calls.filter((c) => c.state.restoreId === restoreId).map((c) => c.step)).toEqual(['validate', 'record-failure']);
    expect(await dirty.client().dbsize()).toBe(1);
    const failed = await getRestore(restoreId);
    expect(failed).toMatchObject({ status: 200, body: { status: 'failed', finishedAt: expect.any(String), error: { code: 'RESTORE_TARGET_NOT_EMPTY', message: expect.stringContaining('is not empty') }, report: null } });
    expect(output.metric('RestoreFailed', 'orders')).toEqual([1]);
  });

  test('a dry run reads the snapshot, reports what would be written, and writes nothing', async () => {
    const accepted = await postRestore({ source: 'orders', snapshot: snapshotId, target: 'dirty', options: { dryRun: true, dbs: [0] } });
    expect(accepted.status).toBe(202);
    const restoreId = accepted.body.restoreId as string;
    expect((await machine.result(restoreId)).error).toBeUndefined();
    expect(await dirty.client().dbsize()).toBe(1);
    const status = await getRestore(restoreId);
    expect(status.body).toMatchObject({ status: 'completed', report: { restoreId, status: 'dry-run', counters: { filtered: expect.any(Number) } } });
    const report = status.body.report as { counters: { written: number; filtered: number } };
    expect(report.counters.written + report.counters.filtered).toBe(snapshotKeys);
    expect(report.counters.written).toBeGreaterThan(0);
  });

  test('a file restore into a directory target writes an RDB a server starts from', async () => {
    const accepted = await postRestore({ source: 'orders', snapshot: snapshotId, target: 'seed-dir' });
    expect(accepted).toMatchObject({ status: 202, body: { mode: 'file' } });
    const restoreId = accepted.body.restoreId as string;
    const result = await machine.result(restoreId);
    expect(result.error).toBeUndefined();
    expect(machine.calls.filter((c) => c.state.restoreId === restoreId).map((c) => c.step)).toEqual(['validate', 'verify-snapshot', 'restore', 'verify-target']);
    const status = await getRestore(restoreId);
    expect(status.body).toMatchObject({ status: 'completed', mode: 'file', targetAddress: join(dataDir, 'dump.rdb'), report: { restoreId, path: join(dataDir, 'dump.rdb'), status: 'completed' } });
    expect(readFileSync(join(dataDir, 'dump.rdb')).subarray(0, 5).toString()).toBe('REDIS');
    const loaded = await RedisServer.start({ dir: dataDir });
    try {
      expect(await readDataset(loaded.client())).toEqual(await readDataset(source.client({ password: SRC_PASS })));
    } finally {
      await loaded.stop();
    }
  });

  test('Step Functions task inputs: a restore run repeated with the same state (a retry after a run died) resumes from the stored checkpoint', async () => {
    // An API whose state machine only records the start: the steps are invoked here, one task input at a time.
    const { started, api: recordOnly } = recordOnlyApi();
    const accepted = parse(await recordOnly(apiEvent('POST', '/restores', { body: { source: 'orders', snapshot: snapshotId, target: 'staging', options: { flush: true } } }), ctx()));
    expect(accepted.status).toBe(202);
    const step = createRestoreStepHandler({ service: () => service, secrets: secrets({ [secretArn('staging')]: { password: TGT_PASS } }), observability: observability(), reserveMs: 1000 });
    const invoke = async (event: RestoreStepEvent): Promise<RestoreState> => JSON.parse(JSON.stringify(await step(event, lambdaContext('redis-backup-restore-step', () => 500)))) as RestoreState;

    let state: RestoreState = await invoke({ step: 'validate', state: started[0] });
    state = await invoke({ step: 'verify-snapshot', state });
    const first = await invoke({ step: 'restore', state });
    expect(first).toMatchObject({ more: true, invocations: 1, progress: { chunk: 1 } });
    const second = await invoke({ step: 'restore', state: first });
    expect(second).toMatchObject({ more: true, invocations: 2, progress: { chunk: 2 } });
    // The state machine retries with the input of the run it thinks died: the store's checkpoint wins.
    const retried = await invoke({ step: 'restore', state: first });
    expect(retried.progress?.chunk).toBe(3);
    expect(retried.more).toBe((retried.progress?.chunks ?? 0) > 3);
    state = retried;
    while (state.more === true) state = await invoke({ step: 'restore', state });
    state = await invoke({ step: 'verify-target', state });

    expect(await readDataset(target.client({ password: TGT_PASS }))).toEqual(await readDataset(source.client({ password: SRC_PASS })));
    const done = await getRestore(started[0].restoreId);
    expect(done.body).toMatchObject({ status: 'completed', report: { verification: { ok: true }, writes: { failed: 0 } } });
  });

  test('a transient error (an unreachable target) is named for the Retry and leaves the restore running', async () => {
    const { started, api: recordOnly } = recordOnlyApi();
    const accepted = parse(await recordOnly(apiEvent('POST', '/restores', { body: { source: 'orders', snapshot: 'latest', target: 'gone' } }), ctx()));
    expect(accepted.status).toBe(202);
    const step = createRestoreStepHandler({ service: () => service, secrets: secrets({}), observability: observability() });
    await expect(step({ step: 'validate', state: started[0] }, lambdaContext('redis-backup-restore-step'))).rejects.toMatchObject({ name: 'RESTORE_TARGET_UNREACHABLE' });
    expect((await getRestore(started[0].restoreId)).body).toMatchObject({ status: 'running', error: null });
    expect(output.metric('RestoreFailed', 'orders')).toEqual([]);
  });

  test('retries spent: the Catch task input (record-failure with $.error) marks the record failed with the code and message, and counts it', async () => {
    const { started, api: recordOnly } = recordOnlyApi();
    const step = createRestoreStepHandler({ service: () => service, secrets: secrets({ [secretArn('staging')]: { password: TGT_PASS } }), observability: observability(), reserveMs: 1000 });
    const invoke = async (event: RestoreStepEvent): Promise<RestoreState> => JSON.parse(JSON.stringify(await step(event, lambdaContext('redis-backup-restore-step', () => 500)))) as RestoreState;

    // A transient error the Retry gave up on: Step Functions' Error is the code, its Cause the runtime's JSON.
    const unreachable = parse(await recordOnly(apiEvent('POST', '/restores', { body: { source: 'orders', snapshot: 'latest', target: 'gone' } }), ctx()));
    const gone = started[0];
    const error = await step({ step: 'validate', state: gone }, lambdaContext('redis-backup-restore-step')).catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ name: 'RESTORE_TARGET_UNREACHABLE' });
    expect(await invoke({ step: 'record-failure', state: { ...gone, error: stepFailure(error as Error) } })).toMatchObject({ restoreId: unreachable.body.restoreId });
    expect((await getRestore(gone.restoreId)).body).toMatchObject({ status: 'failed', finishedAt: expect.any(String), error: { code: 'RESTORE_TARGET_UNREACHABLE', message: (error as Error).message } });
    expect(output.metric('RestoreFailed', 'orders')).toEqual([1]);

    // A restore whose Lambda runs kept timing out: written in part (a checkpoint), then Sandbox.Timedout past the Retry.
    parse(await recordOnly(apiEvent('POST', '/restores', { body: { source: 'orders', snapshot: snapshotId, target: 'staging', options: { flush: true } } }), ctx()));
    let state = await invoke({ step: 'validate', state: started[1] });
    state = await invoke({ step: 'verify-snapshot', state });
    state = await invoke({ step: 'restore', state });
    expect(state).toMatchObject({ more: true, progress: { chunk: 1 } });
    expect((await getRestore(state.restoreId)).body).toMatchObject({ status: 'running', progress: { chunksDone: 1 } });
    const timedOut = { Error: 'Sandbox.Timedout', Cause: JSON.stringify({ errorMessage: `2026-11-25T08:15:00.000Z ${state.restoreId} Task timed out after 900.00 seconds` }) };
    await invoke({ step: 'record-failure', state: { ...state, error: timedOut } });
    const failed = await getRestore(state.restoreId);
    expect(failed.body).toMatchObject({ status: 'failed', progress: { chunksDone: 1 }, error: { code: 'Sandbox.Timedout' } });
    expect((failed.body.error as { message: string }).message).toMatch(/^The restore-step Lambda run timed out, and so did its retries \(Sandbox.Timedout\): .*Task timed out after 900.00 seconds$/);
    expect(output.metric('RestoreFailed', 'orders')).toEqual([1, 1]);

    // A task timeout: Step Functions' Cause is not JSON, and may be empty.
    await invoke({ step: 'record-failure', state: { ...state, error: { Error: 'States.Timeout', Cause: '' } } });
    expect((await getRestore(state.restoreId)).body).toMatchObject({ status: 'failed', error: { code: 'States.Timeout', message: 'A restore step ran longer than its task timeout (States.Timeout)' } });
  });

  test('GET /restores/{id}: a record still running whose execution is over (state machine timeout, stopped, failed unrecorded) is marked failed', async () => {
    const { starter, api: recordOnly } = recordOnlyApi();
    const start = async (): Promise<string> => {
      const accepted = parse(await recordOnly(apiEvent('POST', '/restores', { body: { source: 'orders', snapshot: snapshotId, target: 'staging' } }), ctx()));
      expect(accepted.status).toBe(202);
      return accepted.body.restoreId as string;
    };
    const get = async (id: string): Promise<ApiResult> => parse(await recordOnly(apiEvent('GET', `/restores/${id}`, { routeKey: 'GET /restores/{id}', pathParameters: { id } }), ctx()));

    const running = await start();
    expect((await get(running)).body).toMatchObject({ status: 'running', error: null });
    // Step Functions cannot be asked (throttled, or no permission): the record answers.
    starter.executions.set(running, Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }));
    expect(await get(running)).toMatchObject({ status: 200, body: { status: 'running' } });

    const timedOut = await start();
    starter.executions.set(timedOut, { status: 'TIMED_OUT', stopDate: '2026-11-26T08:00:00.000Z' });
    expect((await get(timedOut)).body).toMatchObject({ status: 'failed', finishedAt: '2026-11-26T08:00:00.000Z', error: { code: 'EXECUTION_TIMED_OUT', message: expect.stringContaining('restore.timeoutHours') } });
    // Recorded, not only shown: the store's record says so for every reader.
    expect((await loadRestore(service.store, 'orders', timedOut)).record).toMatchObject({ status: 'failed', error: { code: 'EXECUTION_TIMED_OUT' } });

    const stopped = await start();
    starter.executions.set(stopped, { status: 'ABORTED', stopDate: '2026-11-25T09:00:00.000Z' });
    expect((await get(stopped)).body).toMatchObject({ status: 'failed', error: { code: 'EXECUTION_ABORTED' } });

    const unrecorded = await start();
    starter.executions.set(unrecorded, { status: 'FAILED', error: 'RESTORE_WRITE_FAILED', cause: JSON.stringify({ errorType: 'RESTORE_WRITE_FAILED', errorMessage: 'The target closed the connection' }) });
    expect((await get(unrecorded)).body).toMatchObject({ status: 'failed', error: { code: 'RESTORE_WRITE_FAILED', message: 'The target closed the connection' } });
  });

  test('record-failure files a record for an execution that failed before validate filed one', async () => {
    const step = createRestoreStepHandler({ service: () => service, secrets: secrets({}), observability: observability() });
    const restoreId = 'r20261125T081500Z-0a1b2c';
    const input: RestoreExecutionInput = { restoreId, source: 'orders', snapshot: 'latest', target: 'staging', mode: 'load', options: {}, requestedAt: '2026-11-25T08:15:00Z' };
    expect((await getRestore(restoreId)).status).toBe(404);
    await step({ step: 'record-failure', state: { ...input, error: { Error: 'STORE_UNREACHABLE', Cause: JSON.stringify({ errorType: 'STORE_UNREACHABLE', errorMessage: 'The store did not answer' }) } } }, lambdaContext('redis-backup-restore-step'));
    expect((await getRestore(restoreId)).body).toMatchObject({
      restoreId,
      status: 'failed',
      target: 'staging',
      targetAddress: `redis://127.0.0.1:${target.port}`,
      startedAt: '2026-11-25T08:15:00Z',
      error: { code: 'STORE_UNREACHABLE', message: 'The store did not answer' },
    });
  });

  test('the restore-step function refuses a task input that is not a RestoreStepEvent', async () => {
    const step = createRestoreStepHandler({ service: () => service, secrets: secrets({}), observability: observability() });
    const bad = { step: 'drop-everything', state: machine.started[0] };
    await expect(step(bad as never, lambdaContext('redis-backup-restore-step'))).rejects.toMatchObject({ name: 'INVALID_EVENT' });
  });
});
