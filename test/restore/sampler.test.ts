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

describe('KeySampler.check on a target that serializes the same values differently', () => {
  let source: RedisServer;
  let target: RedisServer;

  beforeAll(async () => {
    source = await RedisServer.start();
    // The target keeps every hash as a hash table: its DUMP of a small hash is another encoding.
    target = await RedisServer.start({ config: { 'hash-max-listpack-entries': 0 } });
  });
  afterAll(async () => {
    await source.stop();
    await target.stop();
  });

  test('equal values match although their serialized bytes differ, and a changed one is still found', async () => {
    const c = source.client();
    await c.hset('h', 'f1', 'v1', 'f2', 'v2');
    await c.sadd('big-set', ...Array.from({ length: 300 }, (_, i) => `member-${i}`));
    await c.zadd('z', 1, 'a', 2, 'b');
    await c.set('s', 'plain');
    await c.save();
    const sampler = new KeySampler(10, 4);
    await readRdbFile(join(source.dir, 'dump.rdb'), {
      onRecord: (r) => {
        if (r.kind === 'entry') sampler.offer(0, r.entry);
      },
    });

    const t = target.client();
    for (const key of ['h', 'big-set', 'z', 's']) {
      const payload = await c.dumpBuffer(key);
      await t.restore(key, 0, payload as Buffer);
    }
    // The hash went from a listpack to a hash table on the way: not the same bytes.
    expect((await t.dumpBuffer('h'))!.equals((await c.dumpBuffer('h'))!)).toBe(false);
    expect(await sampler.check(t)).toEqual({ checked: 4, mismatched: [] });

    await t.hset('h', 'f2', 'changed');
    await t.srem('big-set', 'member-7');
    const { mismatched } = await sampler.check(t);
    expect(mismatched).toHaveLength(2);
    expect(mismatched).toEqual(
      expect.arrayContaining([
        { db: 0, key: 'h', problem: 'value differs from the snapshot' },
        { db: 0, key: 'big-set', problem: 'value differs from the snapshot' },
      ]),
    );
  });
});
