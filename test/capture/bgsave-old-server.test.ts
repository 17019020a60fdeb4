import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { captureBgsave } from '../../lambdas/capture';
import { rdbFile, rdbStr } from '../helpers/rdb-harness';
import { bulk, captureFailure, collect, FakeMaster } from './helpers';

/**
 * BGSAVE completion on servers without rdb_saves (before 7.0), which only have
 * rdb_last_save_time (1-second resolution): simulated by a fake server, since
 * only 7.0 is installed here.
 */

const nowSec = (): number => Math.floor(Date.now() / 1000);
const aux = (k: string, v: string): Buffer => Buffer.concat([Buffer.from([0xfa]), rdbStr(k), rdbStr(v)]);

interface FakeSaver {
  master: FakeMaster;
  dir: string;
  initialLastSave: number;
  /** Server second at which BGSAVE was received. */
  bgsaveAt: number | null;
}

async function fakeSaver(outcome: 'ok' | 'err' | 'never'): Promise<FakeSaver> {
  const dir = mkdtempSync(join(tmpdir(), 'capture-oldsave-'));
  let inProgress = false;
  let status = 'ok';
  // A save finished in the current second: a new save finishing within it could not be told apart.
  let lastSave = nowSec();
  const state: Omit<FakeSaver, 'master'> = { dir, initialLastSave: lastSave, bgsaveAt: null };
  const master = await FakeMaster.start({
    replies: {
      TIME: (socket: Socket) => {
        const sec = String(nowSec());
        socket.write(`*2\r\n${bulk(sec)}${bulk('123456')}`);
      },
      INFO: (socket: Socket, args: string[]) => {
        if (args[1] === 'persistence') {
          socket.write(bulk(`# Persistence\r\nloading:0\r\nrdb_bgsave_in_progress:${inProgress ? 1 : 0}\r\nrdb_last_save_time:${lastSave}\r\nrdb_last_bgsave_status:${status}\r\n`));
        } else {
          socket.write(bulk('# Server\r\nredis_version:6.2.14\r\n'));
        }
      },
      CONFIG: "-ERR unknown command 'CONFIG', with args beginning with: \r\n",
      BGSAVE: (socket: Socket) => {
        const at = nowSec();
        state.bgsaveAt = at;
        inProgress = true;
        socket.write('+Background saving started\r\n');
        if (outcome === 'never') return;
        setTimeout(() => {
          if (outcome === 'ok') {
            writeFileSync(join(dir, 'dump.rdb'), rdbFile(9, [aux('redis-ver', '6.2.14'), aux('ctime', String(at))]));
            lastSave = nowSec();
          }
          status = outcome;
          inProgress = false;
        }, 150);
      },
    },
  });
  return Object.assign(state, { master });
}

let saver: FakeSaver | null = null;
afterEach(async () => {
  if (saver !== null) {
    await saver.master.close();
    rmSync(saver.dir, { recursive: true, force: true });
    saver = null;
  }
});

test('a save finished in the current second: BGSAVE waits for the next second, then its save is read (dbfilename defaults to dump.rdb)', async () => {
  saver = await fakeSaver('ok');
  const capture = await captureBgsave({ endpoint: saver.master.endpoint, dataDir: saver.dir, pollMs: 50 });
  expect(saver.bgsaveAt).not.toBeNull();
  expect(saver.bgsaveAt!).toBeGreaterThan(saver.initialLastSave);
  expect(capture.info).toMatchObject({ method: 'bgsave', path: join(saver.dir, 'dump.rdb'), server: { engine: 'redis', version: '6.2.14' } });
  expect((await collect(capture)).length).toBe(capture.info.declaredBytes);
});

test('rdb_last_bgsave_status:err after our save: CAPTURE_BGSAVE_FAILED', async () => {
  saver = await fakeSaver('err');
  await captureFailure(() => captureBgsave({ endpoint: saver!.master.endpoint, dataDir: saver!.dir, pollMs: 50 }), 'CAPTURE_BGSAVE_FAILED');
});

test('a save that never finishes: CAPTURE_TIMEOUT naming the wait for the BGSAVE', async () => {
  saver = await fakeSaver('never');
  const err = await captureFailure(
    () => captureBgsave({ endpoint: saver!.master.endpoint, dataDir: saver!.dir, pollMs: 50, timeouts: { startMs: 1500 } }),
    'CAPTURE_TIMEOUT',
  );
  expect(err.context).toMatchObject({ phase: 'save', timeoutMs: 1500 });
  expect(err.message).toContain('waiting for the BGSAVE to finish');
});
