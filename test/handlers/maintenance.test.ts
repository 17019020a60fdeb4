import { listSnapshots } from '../../lambdas/catalog/catalog';
import { createFreshnessHandler } from '../../lambdas/handlers/freshness';
import { createPruneHandler } from '../../lambdas/handlers/prune';
import { Service } from '../../lambdas/handlers/service';
import { RedisServer } from '../helpers/redis-server';
import { backupHandler, functionEnv, handlerSuite, lambdaContext, observability, runtimeSource, sampleSource, serviceFor, withoutSecret } from './harness';

/** The daily prune and the freshness check, invoked with their schedules' events against s3rver. */
describe('prune and freshness handlers', () => {
  const suite = handlerSuite();
  const { output } = suite;
  let source: RedisServer;
  let service: Service;
  const taken: string[] = [];

  beforeAll(async () => {
    source = await sampleSource({ bigValues: 10 });
    const noSecret = withoutSecret(source.port);
    service = serviceFor(
      functionEnv(
        suite.s3,
        [
          runtimeSource('orders', source.port, { endpoint: noSecret, retention: { keepLast: 2 } }),
          // Never pruned (no retention policy); never backed up here.
          runtimeSource('billing', source.port, { endpoint: noSecret, retention: null }),
        ],
        [],
      ),
    );
    const backup = backupHandler(service);
    await suite.quietly(async () => {
      for (let i = 0; i < 3; i++) {
        if (i > 0) await new Promise((r) => setTimeout(r, 1100)); // snapshot ids have second resolution
        taken.push((await backup({ source: 'orders', trigger: 'schedule' }, lambdaContext('redis-backup-backup'))).snapshotId);
      }
    });
  });
  afterAll(async () => {
    await source.stop();
  });

  test('freshness publishes SnapshotAgeSeconds per source; a source without snapshots publishes none and is counted', async () => {
    const newest = (await listSnapshots(service.store, 'orders'))[0];
    const now = new Date(newest.takenAt.getTime() + 3_600_000);
    const freshness = createFreshnessHandler({ service: () => service, observability: observability(), now: () => now });
    const result = await freshness({ trigger: 'schedule' }, lambdaContext('redis-backup-freshness'));
    expect(result).toEqual([
      { source: 'orders', snapshotId: taken[2], takenAt: newest.takenAt.toISOString(), ageSeconds: 3600, stale: false },
      { source: 'billing', snapshotId: null, takenAt: null, ageSeconds: null, stale: true },
    ]);
    expect(output.metric('SnapshotAgeSeconds', 'orders')).toEqual([3600]);
    expect(output.metric('SnapshotAgeSeconds', 'billing')).toEqual([]);
    expect(output.metric('SourcesWithoutSnapshot', null)).toEqual([1]);
    expect(output.metric('FreshnessCheckFailed', null)).toEqual([0]);
    const [doc] = output.metrics().filter((m) => 'SnapshotAgeSeconds' in m.values);
    expect(doc).toMatchObject({ namespace: 'RedisBackupTest', dimensions: ['service', 'source'] });

    // Past maxAgeSeconds (7200 here): stale, and logged as a warning.
    const late = createFreshnessHandler({ service: () => service, observability: observability(), now: () => new Date(now.getTime() + 4 * 3_600_000) });
    expect((await late({ trigger: 'schedule' }, lambdaContext('redis-backup-freshness')))[0]).toMatchObject({ ageSeconds: 5 * 3600, stale: true });
    expect(output.logs().find((l) => l.message === 'Snapshot age' && l.level === 'WARN')).toMatchObject({ source: 'orders', maxAgeSeconds: 7200 });
  });

  test('prune applies each source\'s retention: a dry run plans, the daily run deletes', async () => {
    const prune = createPruneHandler({ service: () => service, observability: observability() });
    const plan = await prune({ trigger: 'api', dryRun: true }, lambdaContext('redis-backup-prune'));
    expect(plan).toEqual({ dryRun: true, sources: [{ source: 'orders', ok: true, kept: 2, deleted: [taken[0]], orphans: 0 }] });
    expect((await listSnapshots(service.store, 'orders')).length).toBe(3);

    // What the daily schedule sends (lib/constructs/maintenance.ts).
    const result = await prune({ trigger: 'schedule' }, lambdaContext('redis-backup-prune'));
    expect(result).toEqual({ dryRun: false, sources: [{ source: 'orders', ok: true, kept: 2, deleted: [taken[0]], orphans: 0 }] });
    expect((await listSnapshots(service.store, 'orders')).map((s) => s.snapshotId)).toEqual([taken[2], taken[1]]);
    expect(output.metric('PrunedSnapshots', 'orders')).toEqual([1]);
    expect(output.metric('KeptSnapshots', 'orders')).toEqual([2]);
    expect(output.metric('PruneFailed', null)).toEqual([0, 0]);

    await expect(prune({ trigger: 'api', sources: ['nope'] }, lambdaContext('redis-backup-prune'))).rejects.toThrow('No source named nope');
  });
});
