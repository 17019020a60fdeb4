import { appendFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCommand } from '../../lambdas/aof';
import { loadAof, localAofSource } from '../../lambdas/restore/aof';
import { copyWritable, tempDir } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { RedisServer, withServer } from '../helpers/redis-server';

/**
 * Transactions are streamed, not held: an AOF written by a real redis-server 7.0
 * whose last file ends with a large MULTI never closed. While it is replayed the
 * target's command connection is inside MULTI with commands queued (they were sent
 * as read); at the end the transaction is discarded, so none of it applies (as
 * Redis's loader drops it).
 */

const t = tempDir('redis-backup-aof-tx-stream-');
const dir = join(t.dir, 'data');
const OPEN = 20_000;

beforeAll(async () => {
  const original = join(t.dir, 'original');
  mkdirSync(original);
  const server = await RedisServer.start({ dir: original, config: { appendonly: 'yes', appendfsync: 'always' } });
  try {
    const c = server.client();
    await c.set('before', '1');
    await c.multi().set('tx:closed', '1').select(2).set('tx:db2', '1').exec();
  } finally {
    await server.stop();
  }
  copyWritable(original, dir);
  const incr = readdirSync(join(dir, 'appendonlydir')).find((n) => n.endsWith('.incr.aof'))!;
  const parts = [encodeCommand(['MULTI'])];
  for (let i = 0; i < OPEN; i++) parts.push(encodeCommand(['SET', `open:${i}`, 'v'.repeat(100)]));
  appendFileSync(join(dir, 'appendonlydir', incr), Buffer.concat(parts));
}, 30_000);
afterAll(() => t.remove());

test('a large transaction left open at the end: streamed while read, then discarded', async () => {
  await withServer(async (server) => {
    const admin = server.client();
    let listed: Promise<string> | null = null;
    const report = await loadAof({
      source: await localAofSource(dir),
      target: { host: server.host, port: server.port },
      maxInFlightBytes: 64 << 10,
      onProgress: (p) => {
        if (listed === null && p.fileIndex === 1) listed = admin.client('LIST') as Promise<string>;
      },
    });
    expect(listed).not.toBeNull();
    // Some client of the restore was inside MULTI with commands queued before the file ended.
    const queued = (await listed!).split('\n').map((line) => Number(/ multi=(-?\d+)/.exec(line)?.[1] ?? -1));
    expect(Math.max(...queued)).toBeGreaterThan(0);
    expect(report.commands.droppedOpenMulti).toBe(OPEN + 1);
    expect(report.files.at(-1)!.truncatedTail).toMatchObject({ reason: 'open-multi', droppedCommands: OPEN + 1 });
    const keys = (await readDataset(admin)).keys.map((k) => [k.db, String(k.key)]);
    expect(keys).toEqual([
      [0, 'before'],
      [0, 'tx:closed'],
      [2, 'tx:db2'],
    ]);
    // The restore's connections left nothing open: a new transaction works on the target.
    expect(await admin.multi().set('after', '1').exec()).toEqual([[null, 'OK']]);
  });
});
