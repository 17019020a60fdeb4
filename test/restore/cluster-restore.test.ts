import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { runBackup } from '../../lambdas/backup/run-backup';
import { keySlot } from '../../lambdas/restore/cluster/slot';
import { restoreIntoServer } from '../../lambdas/restore/restore';
import { LocalStore } from '../../lambdas/store';
import { RedisCluster } from '../helpers/redis-cluster';
import { RedisServer } from '../helpers/redis-server';

describe('restore into a Redis Cluster through the restore engine', () => {
  let source: RedisServer;
  let cluster: RedisCluster;
  let dir: string;
  let store: LocalStore;

  beforeAll(async () => {
    source = await RedisServer.start({ config: { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 } });
    const c = source.client();
    const p = c.pipeline();
    for (let i = 0; i < 1500; i++) p.set(`k:${i}`, `v${i}`, 'PXAT', Date.now() + 3_600_000 + i);
    for (let i = 0; i < 50; i++) p.rpush(`{group}:list:${i}`, 'a', 'b', String(i));
    p.hset('h', 'f', 'v');
    await p.exec();
    await c.select(2);
    await c.set('other-db', '1');
    cluster = await RedisCluster.start({ primaries: 3 });
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-cluster-'));
    store = new LocalStore(dir);
    await runBackup({ store, source: 'standalone', endpoint: { host: source.host, port: source.port }, chunkBytes: 16 << 10 });
  });
  afterAll(async () => {
    await cluster.stop();
    await source.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('keys of other databases must be selected or mapped to db 0; nothing is written otherwise', async () => {
    await expect(restoreIntoServer({ store, source: 'standalone', selector: 'latest', target: cluster.nodes[0], cluster: cluster.nodes })).rejects.toMatchObject({ code: 'RESTORE_BAD_REQUEST' });
    const sizes = await Promise.all(cluster.nodes.map((n) => dbsize(n)));
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(0);
  });

  test('a standalone snapshot lands on the primaries by slot, with TTLs, and verifies', async () => {
    const report = await restoreIntoServer({ store, source: 'standalone', selector: 'latest', target: cluster.nodes[0], cluster: cluster.nodes, dbMap: { 2: 0 }, sampleKeys: 200 });
    expect(report.mode).toBe('cluster');
    expect(report.writes.failed).toBe(0);
    expect(report.verification.ok).toBe(true);
    expect(report.verification.counts).toEqual([{ db: 0, expected: 1552, actual: 1552 }]);
    const client = cluster.client();
    expect(await client.get('k:7')).toBe('v7');
    expect(await client.pttl('k:7')).toBeGreaterThan(3_500_000);
    expect(await client.lrange('{group}:list:3', 0, -1)).toEqual(['a', 'b', '3']);
    expect(await client.get('other-db')).toBe('1');
    // Every hash-tagged key is in the same slot, so on the same node.
    expect(new Set(Array.from({ length: 50 }, (_, i) => keySlot(`{group}:list:${i}`))).size).toBe(1);
  });
});

/** DBSIZE of one node over a connection of its own. */
async function dbsize(node: { host: string; port: number }): Promise<number> {
  const c = new Redis({ host: node.host, port: node.port, lazyConnect: true });
  try {
    await c.connect();
    return await c.dbsize();
  } finally {
    c.disconnect();
  }
}
