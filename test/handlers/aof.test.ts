import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Redis from 'ioredis';
import { RestoreState, RestoreStepName, RuntimeTarget } from '../../lib/config/runtime-config';
import { runAofImport } from '../../lambdas/backup/aof-run';
import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { listSnapshots, readSnapshotManifest } from '../../lambdas/catalog/catalog';
import { isAofManifest } from '../../lambdas/catalog/snapshot-kind';
import { verifyAofSnapshot } from '../../lambdas/catalog/verify-aof-snapshot';
import { Service } from '../../lambdas/handlers/service';
import { loadRestore, saveRecord } from '../../lambdas/restore/restore-record';
import { writeSampleData } from '../backup/sample-data';
import { AOF_FIXTURES } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { RedisServer } from '../helpers/redis-server';
import {
  apiEvent,
  apiHandler,
  ApiResult,
  backupHandler,
  callApi,
  FAST_REPLICATION,
  functionEnv,
  handlerSuite,
  InProcessBackups,
  InProcessRestoreMachine,
  lambdaContext,
  observability,
  RecordingStarter,
  restoreStepHandler,
  runtimeSource,
  secretArn,
  serverTarget,
  serviceFor,
  withoutSecret,
} from './harness';

/** Waits until the server has no AOF rewrite running or scheduled. */
async function rewriteDone(client: Redis): Promise<void> {
  for (;;) {
    const info = await client.info('persistence');
    if (/aof_rewrite_in_progress:0/.test(info) && /aof_rewrite_scheduled:0/.test(info)) return;
    await sleep(50);
  }
}

/**
 * AOF snapshots in the service: a scheduled AOF backup of a real redis-server (appendonly yes,
 * its directory as the mounted data directory) through the backup function; an AOF imported
 * with the engine's import, then restored through the API and the restore state machine (run
 * in process) into a named target; AOF-only and RDB-only options; a replay whose run ended
 * before the data. Real redis-server processes and s3rver.
 */
describe('AOF snapshots through the service', () => {
  const TGT_PASS = 'target-pass';
  const suite = handlerSuite();
  const { output } = suite;
  let source: RedisServer;
  let target: RedisServer;
  let dirty: RedisServer;
  /** Stopped and started again on its port by a test. */
  let flaky: RedisServer;
  let dataDir: string;
  let service: Service;
  let machine: InProcessRestoreMachine;
  let api: ReturnType<typeof apiHandler>;
  let backup: ReturnType<typeof backupHandler>;
  /** A time between the early and the late writes (both after the rewrite), second-aligned by #TS: annotations. */
  let between: string;
  /** Keys when the AOF was rewritten: the base's. */
  let baseKeys: number;
  /** The server's AOF as `redis-backup import` stores it. */
  let imported: AofSnapshotManifest;
  const values = { [secretArn('staging')]: { password: TGT_PASS } };
  const call = (event: ReturnType<typeof apiEvent>): Promise<ApiResult> => callApi(api, event);
  const postRestore = (body: unknown) => call(apiEvent('POST', '/restores', { body }));
  const getRestore = (id: string) => call(apiEvent('GET', `/restores/${id}`, { routeKey: 'GET /restores/{id}', pathParameters: { id } }));
  const stepsOf = (restoreId: string): string[] => machine.calls.filter((c) => c.state.restoreId === restoreId).map((c) => c.step);

  beforeAll(async () => {
    [source, target, dirty] = await Promise.all([
      RedisServer.start({ config: { ...FAST_REPLICATION, appendonly: 'yes', 'aof-timestamp-enabled': 'yes', appendfsync: 'always' } }),
      RedisServer.start({ config: { requirepass: TGT_PASS } }),
      RedisServer.start(),
    ]);
    flaky = await RedisServer.start();
    await dirty.client().set('already-here', '1');
    dataDir = mkdtempSync(join(tmpdir(), 'redis-backup-aof-dir-'));
    // The history: the sample data, a rewrite (an RDB-preamble base), then commands in the incr file, a second apart.
    const c = source.client();
    await writeSampleData(c, { bigValues: 30 });
    await c.bgrewriteaof();
    await rewriteDone(c);
    baseKeys = (await readDataset(c)).keys.length;
    await c.set('early:1', 'a');
    await c.incrby('s:int:0', 5);
    await sleep(1100);
    between = new Date().toISOString();
    await sleep(1100);
    await c.set('late:1', 'b');
    await c.del('s:text:0');

    const targets: RuntimeTarget[] = [
      serverTarget('staging', target.port, { allowFlush: true }),
      serverTarget('dirty', dirty.port, { endpoint: withoutSecret(dirty.port) }),
      serverTarget('flaky', flaky.port, { endpoint: withoutSecret(flaky.port) }),
      { ...serverTarget('shards', target.port), kind: 'cluster', mode: 'cluster' },
      { name: 'seed-dir', kind: 'directory', endpoint: null, mode: 'file', dataDir, dbfilename: 'dump.rdb', allowFlush: false, replicas: [] },
    ];
    service = serviceFor(
      functionEnv(
        suite.s3,
        [
          // The AOF source: bgsave with aof, its data directory mounted where the server keeps it.
          runtimeSource('events', source.port, { endpoint: withoutSecret(source.port), method: 'bgsave', dataDir: source.dir, aof: { rewrite: false } }),
          runtimeSource('events-compact', source.port, { endpoint: withoutSecret(source.port), method: 'bgsave', dataDir: source.dir, aof: { rewrite: true } }),
          runtimeSource('imported', 1),
          runtimeSource('untimed', 1),
          // An RDB of the same server, over replication.
          runtimeSource('events-rdb', source.port, { endpoint: withoutSecret(source.port) }),
        ],
        targets,
      ),
    );
    // Imported before any backup with rewrite compacts the server's AOF: base, then the timed commands.
    imported = await runAofImport({ store: service.store, source: 'imported', path: source.dir });
    backup = backupHandler(service, values);
    machine = new InProcessRestoreMachine(restoreStepHandler(service, values));
    api = apiHandler(service, observability(), new InProcessBackups(backup), machine);
  });
  afterAll(async () => {
    await Promise.all([source, target, dirty, flaky].map((s) => s.stop()));
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('a scheduled backup of an AOF source captures the AOF (kind aof), with the backup metrics and logs; the API lists it', async () => {
    const c = source.client();
    const [, rewritePercentage] = (await c.config('GET', 'auto-aof-rewrite-percentage')) as string[];
    const result = await backup({ source: 'events', trigger: 'schedule', scheduledTime: '2026-11-25T08:00:00Z', requestId: 'exec-aof-1' }, lambdaContext('redis-backup-backup'));
    expect(result).toMatchObject({ source: 'events', kind: 'aof', files: 3 });
    // The base's RDB preamble holds the sample data's keys.
    expect(result.keys).toBe(baseKeys);

    const manifest = await readSnapshotManifest(service.store, 'events', result.snapshotId);
    if (!isAofManifest(manifest)) throw new Error('expected an AOF snapshot');
    expect(manifest).toMatchObject({ kind: 'aof', method: 'bgsave', endpoint: `redis://127.0.0.1:${source.port}`, aof: { layout: 'multi-part', dirName: 'appendonlydir' } });
    expect(manifest.files.map((f) => f.type)).toEqual(['manifest', 'base', 'incr']);
    expect(manifest.raw.bytes).toBe(result.rawBytes);
    expect((await verifyAofSnapshot(service.store, manifest)).ok).toBe(true);
    // Automatic rewrites were paused for the capture only.
    expect(await c.config('GET', 'auto-aof-rewrite-percentage')).toEqual(['auto-aof-rewrite-percentage', rewritePercentage]);

    expect(output.metric('BackupSucceeded', 'events')).toEqual([1]);
    expect(output.metric('BackupFailed', 'events')).toEqual([0]);
    expect(output.metric('BackupRawBytes', 'events')).toEqual([result.rawBytes]);
    expect(output.metric('BackupStoredBytes', 'events')).toEqual([result.storedBytes]);
    expect(output.logs().find((l) => l.message === 'Backup starting')).toMatchObject({ source: 'events', method: 'bgsave', kind: 'aof' });
    expect(output.logs().find((l) => l.message === 'Backup committed')).toMatchObject({ source: 'events', kind: 'aof', snapshotId: result.snapshotId, correlation_id: 'exec-aof-1' });

    const listed = await call(apiEvent('GET', '/sources/events/snapshots', { routeKey: 'GET /sources/{source}/snapshots', pathParameters: { source: 'events' } }));
    expect(listed).toMatchObject({ status: 200, body: { snapshots: [{ snapshotId: result.snapshotId, status: 'committed', kind: 'aof', method: 'bgsave', keys: result.keys, rawBytes: result.rawBytes }] } });
  });

  test('with rewrite: a BGREWRITEAOF first, so the snapshot is one base and an empty incr file', async () => {
    const result = await backup({ source: 'events-compact', trigger: 'schedule' }, lambdaContext('redis-backup-backup'));
    const manifest = await readSnapshotManifest(service.store, 'events-compact', result.snapshotId);
    if (!isAofManifest(manifest)) throw new Error('expected an AOF snapshot');
    const [, base, incr] = manifest.files;
    expect([base.type, incr.type, incr.commands]).toEqual(['base', 'incr', 0]);
    // Every key is now in the base, the late writes included.
    expect(manifest.baseKeys).toBe(result.keys);
    expect(result.keys).toBe((await readDataset(source.client())).keys.length);
    expect(output.metric('BackupSucceeded', 'events-compact')).toEqual([1]);
  });

  test('an AOF source whose server has appendonly no fails the run, commits nothing, and counts BackupFailed', async () => {
    const plain = await RedisServer.start();
    try {
      const broken = serviceFor(functionEnv(suite.s3, [runtimeSource('no-aof', plain.port, { endpoint: withoutSecret(plain.port), method: 'bgsave', dataDir: plain.dir, aof: { rewrite: false } })], []));
      await expect(backupHandler(broken)({ source: 'no-aof', trigger: 'schedule' }, lambdaContext('redis-backup-backup'))).rejects.toMatchObject({ code: expect.stringMatching(/^CAPTURE_/) });
      expect(await listSnapshots(broken.store, 'no-aof')).toEqual([]);
      expect(output.metric('BackupFailed', 'no-aof')).toEqual([1]);
      expect(output.logs().find((l) => l.message === 'Backup failed')).toMatchObject({ level: 'ERROR', error: { message: expect.stringMatching(/appendonly/i) } });
    } finally {
      await plain.stop();
    }
  });

  test('an imported AOF restored through the API into a named target: one replay run, verified, the target matches the source', async () => {
    const accepted = await postRestore({ source: 'imported', snapshot: 'latest', target: 'staging', options: { flush: true } });
    expect(accepted).toMatchObject({ status: 202, body: { source: 'imported', snapshotId: imported.snapshotId, target: 'staging', mode: 'load', status: 'running' } });
    const restoreId = accepted.body.restoreId as string;

    const result = await machine.result(restoreId);
    expect(result.error).toBeUndefined();
    expect(result.status).toBe('SUCCEEDED');
    // No pause and resume: one restore run.
    expect(stepsOf(restoreId)).toEqual(['validate', 'verify-snapshot', 'restore', 'verify-target']);
    expect(result.output).toMatchObject({ more: false, invocations: 1, snapshotId: imported.snapshotId, progress: { chunk: 2, chunks: 2 } });

    expect(await readDataset(target.client({ password: TGT_PASS }))).toEqual(await readDataset(source.client()));

    const done = await getRestore(restoreId);
    expect(done).toMatchObject({
      status: 200,
      body: {
        restoreId,
        status: 'completed',
        source: 'imported',
        snapshotId: imported.snapshotId,
        target: 'staging',
        targetAddress: `redis://127.0.0.1:${target.port}`,
        mode: 'load',
        error: null,
        progress: { chunksDone: 2, chunks: 2, percent: 100 },
        report: {
          kind: 'aof',
          restoreId,
          status: 'completed',
          ok: true,
          serverErrors: { count: 0 },
          verification: { counts: 'not comparable', note: expect.stringContaining('Key counts are not compared'), targetKeys: expect.any(Number), ok: true },
        },
      },
    });
    const report = done.body.report as { commands: { sent: number }; keys: { written: number }; verification: { targetKeys: number } };
    expect(report.keys.written).toBe(imported.baseKeys);
    expect(report.commands.sent).toBeGreaterThan(0);
    expect(report.verification.targetKeys).toBe((await readDataset(target.client({ password: TGT_PASS }))).keys.length);
    // The record keeps the service's view (the target's name, the request's options) over the engine's.
    const { record } = await loadRestore(service.store, 'imported', restoreId);
    expect(record.options).toMatchObject({ targetName: 'staging', flush: true });
    expect(output.metric('RestoreSucceeded', 'imported')).toEqual([1]);
    expect(output.lines.join('\n')).not.toContain(TGT_PASS);
  });

  test('options.until stops the replay at the first #TS: annotation after it', async () => {
    const accepted = await postRestore({ source: 'imported', snapshot: 'latest', target: 'staging', options: { flush: true, until: between } });
    expect(accepted.status).toBe(202);
    const restoreId = accepted.body.restoreId as string;
    expect((await machine.result(restoreId)).error).toBeUndefined();
    const t = target.client({ password: TGT_PASS });
    expect(await t.get('early:1')).toBe('a');
    expect(await t.get('s:int:0')).toBe('12350');
    expect(await t.get('late:1')).toBeNull();
    expect(await t.get('s:text:0')).toBe('hello world');
    const done = await getRestore(restoreId);
    expect(done.body).toMatchObject({ status: 'completed', report: { kind: 'aof', until: { time: expect.any(String), stoppedAt: { file: expect.stringMatching(/incr/) } } } });
    expect((await loadRestore(service.store, 'imported', restoreId)).record.options).toMatchObject({ until: between, targetName: 'staging' });
  });

  test('what does not apply to an AOF (or to an RDB) is refused with 400 naming the field, before anything starts', async () => {
    const rdb = await backup({ source: 'events-rdb', trigger: 'manual' }, lambdaContext('redis-backup-backup'));
    const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes');
    if (fixture === undefined) throw new Error('fixture redis-7.0-aof-preamble-yes is missing');
    await runAofImport({ store: service.store, source: 'untimed', path: fixture.dir });
    const before = machine.started.length;
    const cases: Array<[unknown, string, string]> = [
      [{ source: 'imported', snapshot: 'latest', target: 'staging', options: { flush: true, match: ['s:*'] } }, 'NOT_FOR_AOF', 'options.match'],
      [{ source: 'imported', snapshot: 'latest', target: 'staging', options: { flush: true, types: ['hash'] } }, 'NOT_FOR_AOF', 'options.types'],
      [{ source: 'imported', snapshot: 'latest', target: 'staging', options: { sampleKeys: 10 } }, 'NOT_FOR_AOF', 'options.sampleKeys'],
      [{ source: 'imported', snapshot: 'latest', target: 'shards' }, 'NOT_FOR_AOF', 'target'],
      [{ source: 'imported', snapshot: 'latest', target: 'seed-dir' }, 'NOT_FOR_AOF', 'target'],
      [{ source: 'untimed', snapshot: 'latest', target: 'staging', options: { until: between } }, 'NOT_FOR_AOF', 'options.until'],
      [{ source: 'events-rdb', snapshot: rdb.snapshotId, target: 'staging', options: { until: between } }, 'NOT_FOR_RDB', 'options.until'],
      [{ source: 'imported', snapshot: 'latest', target: 'staging', options: { until: 'yesterday' } }, 'BAD_REQUEST', 'options.until'],
    ];
    for (const [body, code, field] of cases) {
      const response = await postRestore(body);
      expect({ body, status: response.status, error: response.body.error }).toEqual({ body, status: 400, error: expect.objectContaining({ code, field }) });
    }
    const message = (r: ApiResult): string => (r.body.error as { message: string }).message;
    expect(message(await postRestore(cases[0][0]))).toMatch(/AOF snapshot.*options\.match does not apply.*options\.dbs/);
    expect(message(await postRestore(cases[6][0]))).toMatch(/RDB snapshot.*"before"/);
    expect(machine.started.length).toBe(before);
  });

  test('a target that is not empty fails the AOF restore at validate, before anything is written', async () => {
    const accepted = await postRestore({ source: 'imported', snapshot: 'latest', target: 'dirty' });
    expect(accepted.status).toBe(202);
    const restoreId = accepted.body.restoreId as string;
    const result = await machine.result(restoreId);
    expect(result.error?.name).toBe('RESTORE_TARGET_NOT_EMPTY');
    expect(stepsOf(restoreId)).toEqual(['validate', 'record-failure']);
    expect(await dirty.client().dbsize()).toBe(1);
    const failed = await getRestore(restoreId);
    expect(failed.body).toMatchObject({ status: 'failed', error: { code: 'RESTORE_TARGET_NOT_EMPTY', message: expect.stringContaining('options.flush (where the target allows it)') } });
    expect(output.metric('RestoreFailed', 'imported')).toEqual([1]);
  });

  test('a dry run of an AOF restore reads and verifies every file, reports what would be sent, and writes nothing', async () => {
    const accepted = await postRestore({ source: 'imported', snapshot: imported.snapshotId, target: 'dirty', options: { dryRun: true } });
    expect(accepted.status).toBe(202);
    const restoreId = accepted.body.restoreId as string;
    expect((await machine.result(restoreId)).error).toBeUndefined();
    expect(stepsOf(restoreId)).toEqual(['validate', 'verify-snapshot', 'restore', 'verify-target']);
    expect(await dirty.client().dbsize()).toBe(1);
    const status = await getRestore(restoreId);
    expect(status.body).toMatchObject({ status: 'completed', target: 'dirty', report: { kind: 'aof', status: 'dry-run', keys: { read: imported.baseKeys } } });
    // Every data file read and verified; the incr file's commands counted, none sent.
    const files = (status.body.report as { files: Array<{ type: string; commands: number; replayed: string }> }).files;
    expect(files.map((f) => [f.type, f.replayed])).toEqual([
      ['base', 'whole'],
      ['incr', 'whole'],
    ]);
    expect(files[1].commands).toBeGreaterThan(0);
  });

  test('a replay that failed before writing anything (target unreachable) is started again by the retry', async () => {
    const starter = new RecordingStarter();
    const recordOnly = apiHandler(service, observability(), new InProcessBackups(backup), starter);
    const accepted = await callApi(recordOnly, apiEvent('POST', '/restores', { body: { source: 'imported', snapshot: 'latest', target: 'flaky' } }));
    const restoreId = accepted.body.restoreId as string;
    const step = restoreStepHandler(service, values);
    const invoke = (name: RestoreStepName, state: RestoreState) => step({ step: name, state }, lambdaContext('redis-backup-restore-step'));
    let state: RestoreState = starter.started[0];
    state = await invoke('validate', state);
    state = await invoke('verify-snapshot', state);
    const { port } = flaky;
    await flaky.stop();
    // A transient error (the state machine retries it): nothing was written, so the replay may start again.
    await expect(invoke('restore', state)).rejects.toMatchObject({ name: 'RESTORE_TARGET_UNREACHABLE' });
    const { record } = await loadRestore(service.store, 'imported', restoreId);
    expect(record.options.replayStartedAt).toBeUndefined();
    expect(record.options.targetName).toBe('flaky');
    flaky = await RedisServer.start({ config: { port } });
    state = await invoke('restore', state);
    state = await invoke('verify-target', state);
    expect(state).toMatchObject({ more: false, progress: { chunk: 2, chunks: 2 } });
    expect(await readDataset(flaky.client())).toEqual(await readDataset(source.client()));
    expect((await loadRestore(service.store, 'imported', restoreId)).record).toMatchObject({ status: 'completed', options: { targetName: 'flaky' } });
  });

  test('a replay whose run ended before the data is not resumed: the retry and the Catch fail it with AOF_RESTORE_INCOMPLETE', async () => {
    // The steps invoked one by one, as the state machine would, with the state each returned.
    const starter = new RecordingStarter();
    const recordOnly = apiHandler(service, observability(), new InProcessBackups(backup), starter);
    const accepted = await callApi(recordOnly, apiEvent('POST', '/restores', { body: { source: 'imported', snapshot: 'latest', target: 'staging', options: { flush: true } } }));
    const restoreId = accepted.body.restoreId as string;
    const step = restoreStepHandler(service, values);
    const invoke = (name: RestoreStepName, state: RestoreState) => step({ step: name, state }, lambdaContext('redis-backup-restore-step'));
    let state: RestoreState = starter.started[0];
    state = await invoke('validate', state);
    state = await invoke('verify-snapshot', state);
    // What a run that Lambda's timeout killed leaves behind: the replay begun, the record still running.
    const { record } = await loadRestore(service.store, 'imported', restoreId);
    await saveRecord(service.store, { ...record, options: { ...record.options, replayStartedAt: new Date().toISOString() } });

    // The state machine's retry of the restore step.
    await expect(invoke('restore', state)).rejects.toMatchObject({ name: 'AOF_RESTORE_INCOMPLETE', message: expect.stringContaining('cannot pause and resume') });
    // Its Catch: record-failure with Lambda's own error.
    await invoke('record-failure', { ...state, error: { Error: 'Sandbox.Timedout', Cause: JSON.stringify({ errorMessage: 'Task timed out after 900.00 seconds' }) } });
    const failed = await callApi(recordOnly, apiEvent('GET', `/restores/${restoreId}`, { routeKey: 'GET /restores/{id}', pathParameters: { id: restoreId } }));
    expect(failed.body).toMatchObject({
      status: 'failed',
      target: 'staging',
      error: { code: 'AOF_RESTORE_INCOMPLETE', message: expect.stringMatching(/ended before the data did \(.*Task timed out.*\)\. An AOF snapshot is replayed in one run.*timeoutMinutes/) },
    });
  });
});
