import { mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RedisServer } from '../helpers/redis-server';
import { log, mb } from './format';
import { pipeToRedis } from './pipe';
import { RespWriter } from './resp';

/** What building a dataset's RDB measured, for the dataset's cached description. */
export interface BuiltRdb<C> {
  path: string;
  counts: C;
  redisVersion: string;
  rdbBytes: number;
  loadSeconds: number;
  saveSeconds: number;
}

export interface BuildRdbOptions<C> {
  /** Writes the dataset's commands (piped through redis-cli --pipe into a throwaway server). */
  generate: (w: RespWriter) => Promise<C>;
  /** The keys and expiring keys the server must hold afterwards. */
  expected: (counts: C) => { keys: number; expiring: number };
  /** What was loaded, for the log line (e.g. "5,000,000 commands"). */
  loaded: (counts: C) => string;
  respBytes: (counts: C) => number;
}

function keyspace(info: string): { keys: number; expires: number } {
  let keys = 0;
  let expires = 0;
  for (const m of info.matchAll(/^db\d+:keys=(\d+),expires=(\d+)/gm)) {
    keys += Number(m[1]);
    expires += Number(m[2]);
  }
  return { keys, expires };
}

/**
 * Loads a generated dataset into a throwaway redis-server, checks its key counts,
 * SAVEs it and moves the RDB to `<dir>/<id>.rdb`. The caller writes the `.json`.
 */
export async function buildRdb<C>(dir: string, id: string, options: BuildRdbOptions<C>): Promise<BuiltRdb<C>> {
  const work = join(dir, `build-${id}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const server = await RedisServer.start({ dir: work, config: { dbfilename: 'dump.rdb', rdbcompression: 'yes', rdbchecksum: 'yes' } });
  try {
    const client = server.client();
    const t0 = performance.now();
    const { value: counts } = await pipeToRedis(server.host, server.port, async (w) => {
      const timer = setInterval(() => log(`  loading: ${w.commands.toLocaleString('en-US')} commands, ${mb(w.bytesOut)} MB sent`), 5000);
      try {
        return await options.generate(w);
      } finally {
        clearInterval(timer);
      }
    });
    const loadSeconds = (performance.now() - t0) / 1000;
    const ks = keyspace(await client.info('keyspace'));
    const want = options.expected(counts);
    if (ks.keys !== want.keys || ks.expires !== want.expiring) {
      throw new Error(`server holds ${ks.keys} keys (${ks.expires} expiring), expected ${want.keys} (${want.expiring})`);
    }
    const mem = /used_memory_human:(\S+)/.exec(await client.info('memory'))?.[1] ?? '?';
    log(`  loaded ${options.loaded(counts)} (${mb(options.respBytes(counts))} MB of RESP) in ${loadSeconds.toFixed(1)} s; server memory ${mem}`);
    const t1 = performance.now();
    await client.call('SAVE');
    const saveSeconds = (performance.now() - t1) / 1000;
    const redisVersion = /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
    await server.stop();
    const path = join(dir, `${id}.rdb`);
    renameSync(join(work, 'dump.rdb'), path);
    const rdbBytes = statSync(path).size;
    log(`  SAVE took ${saveSeconds.toFixed(1)} s: ${path} (${mb(rdbBytes)} MB)`);
    return { path, counts, redisVersion, rdbBytes, loadSeconds, saveSeconds };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
