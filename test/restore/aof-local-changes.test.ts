import { appendFileSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCommand } from '../../lambdas/aof';
import { loadAof, localAofSource } from '../../lambdas/restore/aof';
import { copyWritable, tempDir } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { RedisServer, withServer } from '../helpers/redis-server';

/**
 * A local AOF (written by a real redis-server 7.0) that changes between its first
 * read (verify) and its second (replay): only verified bytes are ever sent.
 */

const t = tempDir('redis-backup-aof-local-changes-');
const original = join(t.dir, 'original');

beforeAll(async () => {
  mkdirSync(original);
  const server = await RedisServer.start({ dir: original, config: { appendonly: 'yes', appendfsync: 'always' } });
  try {
    const c = server.client();
    await c.set('k1', '1');
    await c.set('k2', '2');
  } finally {
    await server.stop();
  }
}, 30_000);
afterAll(() => t.remove());

function copy(name: string): { dir: string; incr: string } {
  const dir = join(t.dir, name);
  copyWritable(original, dir);
  const incr = readdirSync(join(dir, 'appendonlydir')).find((n) => n.endsWith('.incr.aof'))!;
  return { dir, incr: join(dir, 'appendonlydir', incr) };
}

const keys = async (s: RedisServer): Promise<string[]> => (await readDataset(s.client())).keys.map((k) => String(k.key)).sort();

test('the incr file grows after it was verified: the replay stops at the verified bytes', async () => {
  const { dir, incr } = copy('grows');
  await withServer(async (server) => {
    let appended = false;
    const report = await loadAof({
      source: await localAofSource(dir),
      target: { host: server.host, port: server.port },
      onProgress: (p) => {
        if (appended || p.fileIndex !== 0) return;
        appended = true;
        appendFileSync(incr, encodeCommand(['SET', 'unverified', 'x']));
      },
    });
    expect(appended).toBe(true);
    expect(report.ok).toBe(true);
    expect(await keys(server)).toEqual(['k1', 'k2']);
  });
});

test('the incr file replaced by another after it was verified: refused before anything from it is sent', async () => {
  const { dir, incr } = copy('replaced');
  await withServer(async (server) => {
    let replaced = false;
    const error = await loadAof({
      source: await localAofSource(dir),
      target: { host: server.host, port: server.port },
      onProgress: (p) => {
        if (replaced || p.fileIndex !== 0) return;
        replaced = true;
        // A rewrite's rename: another file under the name.
        writeFileSync(`${incr}.new`, encodeCommand(['SET', 'intruder', 'x']));
        renameSync(`${incr}.new`, incr);
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(replaced).toBe(true);
    expect(error).toMatchObject({ code: 'AOF_RESTORE_INTEGRITY' });
    expect(await keys(server)).toEqual([]);
  });
});
