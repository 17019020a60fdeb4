import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RedisServer } from '../helpers/redis-server';
import { log, mb } from './format';
import { pipeToRedis } from './pipe';
import { RespWriter } from './resp';
import { Rng } from './rng';

/** Change when the generated content changes: cached AOFs of another version are rebuilt. */
export const AOF_DATASET_VERSION = 1;

/** What the AOF benchmark reads: a multi-part AOF written by a real redis-server. */
export interface AofDataset {
  id: string;
  /** The appendonlydir (what `verifyAof` and the import take). */
  dir: string;
  /** Its manifest (what `redis-check-aof` takes). */
  manifest: string;
  /** Bytes of all base and incr files. */
  bytes: number;
  /** Commands sent to the server (its AOF holds them plus a SELECT). */
  sent: number;
  redisVersion: string;
  loadSeconds: number;
  cached: boolean;
}

interface AofDatasetMeta extends Omit<AofDataset, 'dir' | 'manifest' | 'cached'> {
  version: number;
  createdAt: string;
}

/** Settings that make the server append every write as a command and never rewrite the AOF. */
const AOF_CONFIG = {
  appendonly: 'yes',
  'aof-use-rdb-preamble': 'no',
  appendfsync: 'no',
  appenddirname: 'appendonlydir',
  'auto-aof-rewrite-percentage': 0,
  save: '',
} as const;

const POOL = 1 << 20;

/**
 * Writes `commands` commands whose mix looks like an application's: mostly SET of
 * 40-200 byte text values, some hashes, lists, sets, sorted sets, counters, SET with
 * an expiry (propagated as PXAT), transactions, and now and then a 20-100 KB value
 * (an argument that spans read chunks). About 140 bytes per command in the AOF.
 */
async function produce(w: RespWriter, commands: number): Promise<number> {
  const rng = new Rng(0xa0f);
  const text = Buffer.alloc(POOL);
  for (let i = 0; i < POOL; i++) text[i] = 97 + ((rng.next() * 26) | 0);
  const slice = (len: number): Buffer => {
    const at = rng.int(0, POOL - len);
    return text.subarray(at, at + len);
  };
  const keys = Math.max(1000, Math.floor(commands / 4));
  const key = (prefix: string): string => `${prefix}:${rng.int(0, keys)}`;
  let sent = 0;
  while (sent < commands) {
    const p = rng.next();
    if (p < 0.45) w.command(['SET', key('s'), slice(rng.int(40, 200))]);
    else if (p < 0.6) w.command(['HSET', key('h'), `f${rng.int(0, 50)}`, slice(rng.int(10, 60)), `f${rng.int(0, 50)}`, slice(rng.int(10, 60))]);
    else if (p < 0.7) w.command(['RPUSH', key('l'), slice(rng.int(10, 80)), slice(rng.int(10, 80))]);
    else if (p < 0.78) w.command(['SADD', key('set'), slice(rng.int(8, 40))]);
    else if (p < 0.86) w.command(['ZADD', key('z'), rng.int(0, 1e6), slice(rng.int(8, 40))]);
    else if (p < 0.91) w.command(['INCRBY', key('c'), rng.int(1, 100)]);
    else if (p < 0.95) w.command(['SET', key('e'), slice(rng.int(40, 200)), 'PX', rng.int(3_600_000, 86_400_000)]);
    else if (p < 0.9995) {
      w.command(['MULTI']);
      w.command(['SET', key('s'), slice(rng.int(40, 200))]);
      w.command(['INCR', key('c')]);
      w.command(['EXEC']);
      sent += 3;
    } else w.command(['SET', key('big'), slice(rng.int(20_000, 100_000))]);
    sent++;
    if (sent % 10_000 === 0) await w.drained();
  }
  return sent;
}

function readCached(root: string, id: string): AofDataset | null {
  const dir = join(root, id, 'appendonlydir');
  const metaPath = join(root, id, 'dataset.json');
  if (!existsSync(metaPath)) return null;
  try {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as AofDatasetMeta;
    if (meta.version !== AOF_DATASET_VERSION || meta.id !== id || aofBytes(dir) !== meta.bytes) return null;
    return { ...meta, dir, manifest: manifestOf(dir), cached: true };
  } catch {
    return null;
  }
}

function manifestOf(dir: string): string {
  const name = readdirSync(dir).find((f) => f.endsWith('.manifest'));
  if (name === undefined) throw new Error(`${dir} holds no AOF manifest`);
  return join(dir, name);
}

function aofBytes(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.aof'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

/** Returns the cached AOF of `commands` commands under `root`, building it with a real redis-server when missing. */
export async function ensureAofDataset(root: string, commands: number, rebuild: boolean): Promise<AofDataset> {
  const id = `aof-v${AOF_DATASET_VERSION}-c${commands}`;
  if (!rebuild) {
    const cached = readCached(root, id);
    if (cached !== null) {
      log(`aof dataset ${id}: cached (${mb(cached.bytes)} MB)`);
      return cached;
    }
  }
  const final = join(root, id);
  const work = join(root, `${id}.building`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`aof dataset ${id}: writing ${commands} commands into a redis-server with appendonly yes ...`);
  const server = await RedisServer.start({ dir: work, config: { ...AOF_CONFIG } });
  let sent: number;
  let redisVersion: string;
  const t0 = performance.now();
  try {
    const client = server.client({ retryStrategy: () => null });
    // After SHUTDOWN the client only sees a closed connection.
    client.on('error', () => undefined);
    redisVersion = /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
    sent = (await pipeToRedis(server.host, server.port, (w) => produce(w, commands))).value;
    // SHUTDOWN fsyncs the AOF; the connection closing is the expected answer.
    await client.call('SHUTDOWN', 'NOSAVE').catch(() => undefined);
    for (let i = 0; i < 200 && (await portAnswers(client)); i++) await new Promise((r) => setTimeout(r, 50));
  } finally {
    await server.stop();
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  const dir = join(work, 'appendonlydir');
  const meta: AofDatasetMeta = { version: AOF_DATASET_VERSION, id, bytes: aofBytes(dir), sent, redisVersion, loadSeconds, createdAt: new Date().toISOString() };
  writeFileSync(join(work, 'dataset.json'), `${JSON.stringify(meta, null, 2)}\n`);
  rmSync(final, { recursive: true, force: true });
  renameSync(work, final);
  log(`aof dataset ${id}: ${mb(meta.bytes)} MB in ${loadSeconds.toFixed(1)} s`);
  return { ...meta, dir: join(final, 'appendonlydir'), manifest: manifestOf(join(final, 'appendonlydir')), cached: false };
}

async function portAnswers(client: ReturnType<RedisServer['client']>): Promise<boolean> {
  try {
    await client.ping();
    return true;
  } catch {
    return false;
  }
}
