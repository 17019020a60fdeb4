import { loadAof, localAofSource } from '../../lambdas/restore/aof';
import { tempDir } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { RedisServer, withServer } from '../helpers/redis-server';

/**
 * SELECTs the target cannot follow: an AOF written by a real redis-server 7.0 that
 * selects database 5 (alone and inside a MULTI), replayed into a target started with
 * `databases 4`. Later commands must never land in the database before the SELECT.
 */

const t = tempDir('redis-backup-aof-select-');

beforeAll(async () => {
  const server = await RedisServer.start({ dir: t.dir, config: { appendonly: 'yes', appendfsync: 'always' } });
  try {
    const c = server.client();
    await c.set('a:db0', '1');
    await c.select(5);
    await c.set('b:db5', '1');
    await c.select(0);
    await c.set('c:db0', '1');
    await c.multi().set('d:db0', '1').select(5).set('e:db5', '1').exec();
  } finally {
    await server.stop();
  }
}, 30_000);
afterAll(() => t.remove());

const keysOf = async (s: RedisServer): Promise<Array<[number, string]>> => (await readDataset(s.client())).keys.map((k) => [k.db, String(k.key)]);

test('the target has fewer databases (CONFIG GET databases): refused at the SELECT, nothing sent to the wrong database', async () => {
  await withServer(
    async (server) => {
      await expect(loadAof({ source: await localAofSource(t.dir), target: { host: server.host, port: server.port } })).rejects.toMatchObject({
        code: 'AOF_RESTORE_SELECT_FAILED',
        context: { commandsWritten: 1 },
      });
      expect(await keysOf(server)).toEqual([[0, 'a:db0']]);
    },
    { config: { databases: 4 } },
  );
});

test('--db-map to a database the target lacks: refused before anything is written', async () => {
  await withServer(
    async (server) => {
      await expect(loadAof({ source: await localAofSource(t.dir), target: { host: server.host, port: server.port }, dbMap: { 5: 9 } })).rejects.toMatchObject({ code: 'AOF_RESTORE_BAD_REQUEST' });
      expect(await keysOf(server)).toEqual([]);
      // Mapped into range, everything lands.
      const report = await loadAof({ source: await localAofSource(t.dir), target: { host: server.host, port: server.port }, dbMap: { 5: 3 } });
      expect(report.ok).toBe(true);
      expect(await keysOf(server)).toEqual([
        [0, 'a:db0'],
        [0, 'c:db0'],
        [0, 'd:db0'],
        [3, 'b:db5'],
        [3, 'e:db5'],
      ]);
    },
    { config: { databases: 4 } },
  );
});

test('CONFIG refused to the restore user (as on managed services): the refused SELECT stops the restore with a typed error', async () => {
  await withServer(
    async (server) => {
      await server.client().call('ACL', 'SETUSER', 'restorer', 'on', '>pw', '~*', '&*', '+@all', '-config');
      const error = await loadAof({ source: await localAofSource(t.dir), target: { host: server.host, port: server.port, username: 'restorer', password: 'pw' } }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'AOF_RESTORE_SELECT_FAILED' });
      expect((error as Error).message).toContain('SELECT 5');
    },
    { config: { databases: 4 } },
  );
});
