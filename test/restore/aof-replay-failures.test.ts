import { loadAof, localAofSource } from '../../lambdas/restore/aof';
import { tempDir } from '../aof/helpers';
import { RedisServer, withServer } from '../helpers/redis-server';

/**
 * Faults while commands are replayed into a real redis-server, with an AOF written
 * by a real redis-server 7.0 (appendonly yes): several MiB of commands, so that the
 * replay reads many chunks.
 */

const t = tempDir('redis-backup-aof-replay-failures-');

beforeAll(async () => {
  const server = await RedisServer.start({ dir: t.dir, config: { appendonly: 'yes', appendfsync: 'always' } });
  try {
    const c = server.client();
    const value = 'v'.repeat(200);
    for (let batch = 0; batch < 10; batch++) {
      const p = c.pipeline();
      for (let i = 0; i < 2000; i++) p.set(`k:${batch}:${i}`, value);
      await p.exec();
    }
  } finally {
    await server.stop();
  }
}, 60_000);
afterAll(() => t.remove());

test('the connection to the target lost mid-replay: AOF_RESTORE_WRITE_FAILED saying what was sent', async () => {
  await withServer(async (server) => {
    const admin = server.client();
    let killed = false;
    const error = await loadAof({
      source: await localAofSource(t.dir),
      target: { host: server.host, port: server.port },
      maxInFlightBytes: 64 << 10,
      onProgress: (p) => {
        if (killed || p.commands === 0) return;
        killed = true;
        // Every other client: the restore's connections.
        void admin.call('CLIENT', 'KILL', 'TYPE', 'normal');
      },
    }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(killed).toBe(true);
    expect(error).toMatchObject({ name: 'AofRestoreError', code: 'AOF_RESTORE_WRITE_FAILED' });
    const ctx = (error as { context: { commandsWritten: number; keysWritten: number } }).context;
    expect(ctx.commandsWritten).toBeGreaterThan(0);
    expect(ctx.commandsWritten).toBeLessThan(20_000);
    expect((error as Error).message).toContain(`${ctx.commandsWritten} commands`);
  });
});
