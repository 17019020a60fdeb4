import Redis from 'ioredis';
import { repointReplicas } from '../../lambdas/restore/repoint';
import { readReplication } from '../../lambdas/restore/replication-info';
import { readDataset } from '../helpers/dataset';
import { freePort, RedisServer } from '../helpers/redis-server';

/** Waits until a replica follows `master` with its link up and has caught up with it. */
async function following(replica: Redis, master: RedisServer): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const [r, m] = await Promise.all([readReplication(replica), readReplication(master.client())]);
    if (r.masterPort === master.port && r.masterLinkStatus === 'up' && r.replOffset === m.replOffset) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the replica does not follow ${master.url}`);
}

describe('re-pointing replicas at a new primary', () => {
  let oldPrimary: RedisServer;
  let newPrimary: RedisServer;
  let r1: RedisServer;
  let r2: RedisServer;
  let oldStopped = false;

  beforeAll(async () => {
    // Diskless syncs without the default 5 s wait for more replicas.
    const primaryConfig = { config: { 'repl-diskless-sync-delay': 0 } };
    [oldPrimary, newPrimary, r1, r2] = await Promise.all([RedisServer.start(primaryConfig), RedisServer.start(primaryConfig), RedisServer.start(), RedisServer.start()]);
    await oldPrimary.client().mset('old:a', '1', 'old:b', '2');
    const p = newPrimary.client();
    await p.mset('new:a', 'A', 'new:b', 'B');
    await p.rpush('new:list', 'x', 'y', 'z');
    await p.select(3);
    await p.hset('new:hash', 'f', 'v');
    await p.select(0);
    for (const r of [r1, r2]) await r.client().replicaof(oldPrimary.host, oldPrimary.port);
    await Promise.all([following(r1.client(), oldPrimary), following(r2.client(), oldPrimary)]);
    // The old master fails.
    await oldPrimary.stop();
    oldStopped = true;
  });
  afterAll(async () => {
    for (const s of [oldStopped ? undefined : oldPrimary, newPrimary, r1, r2]) await s?.stop();
  });

  test('both replicas follow the new primary, with its data', async () => {
    const primary = { host: newPrimary.host, port: newPrimary.port };
    const results = await repointReplicas(primary, [{ host: r1.host, port: r1.port }, { host: r2.host, port: r2.port }], { timeoutMs: 10_000 });
    expect(results).toEqual([
      { replica: `redis://${r1.host}:${r1.port}`, ok: true, linkUp: true },
      { replica: `redis://${r2.host}:${r2.port}`, ok: true, linkUp: true },
    ]);
    const expected = await readDataset(newPrimary.client());
    for (const r of [r1, r2]) {
      const info = await readReplication(r.client());
      expect(info).toMatchObject({ role: 'slave', masterHost: newPrimary.host, masterPort: newPrimary.port, masterLinkStatus: 'up' });
      await following(r.client(), newPrimary);
      expect(await readDataset(r.client())).toEqual(expected);
    }
    // Re-pointing at the primary they already follow is a no-op that succeeds.
    expect((await repointReplicas(primary, [{ host: r1.host, port: r1.port }], { timeoutMs: 5_000 }))[0].ok).toBe(true);
  });

  test('an unreachable replica fails on its own while the other is re-pointed', async () => {
    const ghost = { host: '127.0.0.1', port: await freePort() };
    const results = await repointReplicas({ host: newPrimary.host, port: newPrimary.port }, [{ host: r1.host, port: r1.port }, ghost], { timeoutMs: 3_000 });
    expect(results[0]).toEqual({ replica: `redis://${r1.host}:${r1.port}`, ok: true, linkUp: true });
    expect(results[1]).toMatchObject({ replica: `redis://127.0.0.1:${ghost.port}`, ok: false, linkUp: false, error: { code: 'RESTORE_REPOINT_FAILED' } });
    expect(results[1].error?.message).toMatch(/Cannot point redis:\/\/127\.0\.0\.1:\d+ at/);
  });

  test('a link that does not come up in time is a RESTORE_REPOINT_FAILED for that replica', async () => {
    // Nothing listens at the "primary": REPLICAOF is accepted, the link never comes up.
    const nowhere = { host: '127.0.0.1', port: await freePort() };
    const started = Date.now();
    const [result] = await repointReplicas(nowhere, [{ host: r2.host, port: r2.port }], { timeoutMs: 1_500 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result).toMatchObject({ ok: false, linkUp: false, error: { code: 'RESTORE_REPOINT_FAILED' } });
    expect(result.error?.message).toMatch(/did not complete its replication link .* within 1500 ms \(master 127\.0\.0\.1:\d+, master_link_status:down/);
    // Put it back for good measure.
    expect((await repointReplicas({ host: newPrimary.host, port: newPrimary.port }, [{ host: r2.host, port: r2.port }], { timeoutMs: 10_000 }))[0].ok).toBe(true);
  });
});
