import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeCommand } from '../../lambdas/aof';
import { loadAof, localAofSource } from '../../lambdas/restore/aof';
import { tempDir } from '../aof/helpers';
import { readDataset } from '../helpers/dataset';
import { withServer } from '../helpers/redis-server';

/**
 * Replay edges the fixtures are too small for: commands cut across the 256 KiB
 * reads (sent as the file's bytes from two reads, or encoded again when longer than
 * a read), and error replies from the target.
 */

test('commands of every size across read boundaries: the same data as redis-server loading the file', async () => {
  const t = tempDir();
  try {
    const parts: Buffer[] = [];
    // Values from a few bytes to 700 KB (longer than a read), interleaved with small commands and databases.
    for (let i = 0; i < 400; i++) {
      const size = i % 50 === 7 ? 700_000 + i : i % 9 === 0 ? 70_000 + i * 13 : 10 + ((i * 7919) % 3000);
      const value = Buffer.alloc(size, String.fromCharCode(97 + (i % 26)));
      value.writeUInt32BE(i, 0);
      if (i % 40 === 0) parts.push(encodeCommand(['SELECT', String((i / 40) % 3)]));
      parts.push(encodeCommand(['SET', `k:${i}`, value]));
      parts.push(encodeCommand(['RPUSH', `l:${i % 17}`, value.subarray(0, 100)]));
      if (i % 5 === 0) parts.push(encodeCommand(['MULTI']), encodeCommand(['INCR', `c:${i % 3}`]), encodeCommand(['APPEND', `k:${i}`, 'x']), encodeCommand(['EXEC']));
    }
    writeFileSync(join(t.dir, 'appendonly.aof'), Buffer.concat(parts));
    const replayed = await withServer(async (server) => {
      const report = await loadAof({ source: await localAofSource(t.dir), target: { host: server.host, port: server.port } });
      expect(report).toMatchObject({ ok: true, commands: { skipped: 0, droppedOpenMulti: 0 } });
      expect(report.files[0].bytes).toBeGreaterThan(5 * 256 * 1024);
      return readDataset(server.client());
    });
    const native = await withServer(async (server) => readDataset(server.client()), { dir: t.dir, config: { appendonly: 'yes' } });
    expect(native.keys.length).toBeGreaterThan(400);
    expect(replayed).toEqual(native);
  } finally {
    t.remove();
  }
});

test('error replies from the target are counted, the first listed with their file and command; the replay goes on', async () => {
  const t = tempDir();
  try {
    const cmds = [['SET', 'a', '1'], ['NOSUCHCOMMAND', 'x'], ['INCR', 'a'], ['LPUSH', 'a', 'v'], ['SET', 'b', '2']];
    writeFileSync(join(t.dir, 'appendonly.aof'), Buffer.concat(cmds.map((c) => encodeCommand(c))));
    await withServer(async (server) => {
      const report = await loadAof({ source: await localAofSource(t.dir), target: { host: server.host, port: server.port }, maxErrorDetails: 1 });
      expect(report.ok).toBe(false);
      expect(report.serverErrors.count).toBe(2);
      expect(report.serverErrors.first).toEqual([{ file: 'appendonly.aof', command: 'NOSUCHCOMMAND', error: expect.stringMatching(/unknown command/) as unknown as string }]);
      expect(await server.client().mget('a', 'b')).toEqual(['2', '2']);
    });
  } finally {
    t.remove();
  }
});
