import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCommand } from '../../lambdas/aof';
import { runAofBackup } from '../../lambdas/backup/aof-run';
import { verifyAofSnapshot } from '../../lambdas/catalog/verify-aof-snapshot';
import { LocalStore } from '../../lambdas/store/local-store';
import { storedFiles } from '../backup/aof-helpers';
import { bulk, FakeMaster } from '../capture/helpers';
import { AOF_FIXTURES } from './helpers';

/**
 * AOF capture from a server that writes one old-style appendonly.aof (Redis 6.x),
 * simulated by a fake server since only redis-server 7.0 is installed here: rewrites
 * are paused and waited for, the file is pinned by an open handle (a rewrite renaming a
 * new file over the name right after the pause ends changes nothing), its size at that
 * moment bounds what is read, and a command being written at the end is left out.
 */

const FIXTURE = AOF_FIXTURES.find((f) => f.name === 'redis-6.2-aof-preamble-yes')!;

test('a single-file AOF: paused, waited for, pinned, cut at a command boundary; setting restored', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'redis-backup-aof-old-'));
  const path = join(dir, 'appendonly.aof');
  const original = readFileSync(join(FIXTURE.dir, 'appendonly.aof'));
  copyFileSync(join(FIXTURE.dir, 'appendonly.aof'), path);
  const partial = encodeCommand([Buffer.from('SET'), Buffer.from('being'), Buffer.from('written')]).subarray(0, 20);
  appendFileSync(path, partial);
  let percentage = '100';
  let rewritePolls = 3;
  const sets: string[][] = [];
  const master = await FakeMaster.start({
    replies: {
      INFO: (socket: Socket, args: string[]) => {
        if (args[1] === 'persistence') {
          const running = rewritePolls > 0 ? 1 : 0;
          rewritePolls--;
          socket.write(bulk(`# Persistence\r\naof_enabled:1\r\naof_rewrite_in_progress:${running}\r\naof_rewrite_scheduled:0\r\naof_last_bgrewrite_status:ok\r\n`));
        } else {
          socket.write(bulk('# Server\r\nredis_version:6.2.14\r\n\r\n# Replication\r\nrole:master\r\n'));
        }
      },
      CONFIG: (socket: Socket, args: string[]) => {
        const [sub, name, value] = args.slice(1);
        if (sub.toUpperCase() === 'SET') {
          sets.push([name, value]);
          percentage = value;
          if (value !== '0') {
            // Rewrites may run again: one renames a new file over the name at once.
            writeFileSync(join(dir, 'temp-rewrite.aof'), encodeCommand([Buffer.from('SET'), Buffer.from('rewritten'), Buffer.from('1')]));
            renameSync(join(dir, 'temp-rewrite.aof'), path);
          }
          socket.write('+OK\r\n');
          return;
        }
        const known: Record<string, string> = { appendonly: 'yes', appendfilename: 'appendonly.aof', 'auto-aof-rewrite-percentage': percentage };
        // Redis 6 has no appenddirname: CONFIG GET answers an empty array.
        socket.write(known[name] === undefined ? '*0\r\n' : `*2\r\n${bulk(name)}${bulk(known[name])}`);
      },
    },
  });
  try {
    const store = new LocalStore(join(dir, 'store'));
    const m = await runAofBackup({ store, source: 'old', endpoint: master.endpoint, dataDir: dir, capture: { pollMs: 10 } });
    // The server's configuration is never changed (a killed capture cannot leave rewrites paused).
    expect(sets).toEqual([]);
    expect(rewritePolls).toBeLessThan(0);
    expect(m).toMatchObject({ method: 'bgsave', server: { engine: 'redis', version: '6.2.14', role: 'master' }, aof: { layout: 'single', dirName: null, manifestName: null } });
    expect(m.files.map((f) => [f.name, f.type, f.format])).toEqual([['appendonly.aof', 'single', 'rdb']]);
    const stored = await storedFiles(store, m);
    expect(stored.get('appendonly.aof')!.equals(original)).toBe(true);
    expect((await verifyAofSnapshot(store, m)).ok).toBe(true);
  } finally {
    await master.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
