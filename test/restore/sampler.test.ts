import { join } from 'node:path';
import { readRdbFile } from '../../lambdas/rdb/read-stream';
import { KeySampler } from '../../lambdas/restore/sampler';
import { RedisServer } from '../helpers/redis-server';

/**
 * The restore's sample check against a real server: keys sampled from an RDB the server
 * saved are compared with the same server, then after the server's data is changed.
 */
describe('KeySampler.check', () => {
  let server: RedisServer;
  let sampler: KeySampler;
  const KEYS = 40; // more than one group of commands sent together

  beforeAll(async () => {
    server = await RedisServer.start();
    const c = server.client();
    for (let i = 0; i < KEYS / 2; i++) {
      await c.set(`s:${i}`, `value ${i}`);
      await c.hset(`h:${i}`, 'a', String(i), 'b', 'x'.repeat(i));
    }
    await c.pexpire('s:3', 3_600_000);
    await c.select(1);
    await c.rpush('db1:list', 'a', 'b', 'c');
    await c.sadd('db1:set', 'm1', 'm2');
    await c.select(0);
    await c.save();
    sampler = new KeySampler(KEYS + 2, KEYS + 2);
    let db = 0;
    await readRdbFile(join(server.dir, 'dump.rdb'), {
      onRecord: (r) => {
        if (r.kind === 'selectdb') db = r.db;
        if (r.kind === 'entry') sampler.offer(db, r.entry);
      },
    });
  });
  afterAll(() => server.stop());

  test('every sampled key matches the server it came from, across databases', async () => {
    expect(await sampler.check(server.client())).toEqual({ checked: KEYS + 2, mismatched: [] });
  });

  test('a missing key, a changed value, a lost expiry and a new expiry are each reported', async () => {
    const c = server.client();
    await c.del('s:1');
    await c.hset('h:2', 'a', 'changed');
    await c.persist('s:3');
    await c.pexpire('s:4', 3_600_000);
    await c.select(1);
    await c.rpush('db1:list', 'd');
    const report = await sampler.check(server.client());
    expect(report.checked).toBe(KEYS + 2);
    expect(report.mismatched).toEqual(
      expect.arrayContaining([
        { db: 0, key: 's:1', problem: 'missing on the target' },
        { db: 0, key: 'h:2', problem: 'value differs from the snapshot' },
        { db: 0, key: 's:3', problem: 'lost its expiry' },
        { db: 0, key: 's:4', problem: 'has an expiry the snapshot has not' },
        { db: 1, key: 'db1:list', problem: 'value differs from the snapshot' },
      ]),
    );
    expect(report.mismatched).toHaveLength(5);
  });
});
