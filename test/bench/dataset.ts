import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RedisServer } from '../helpers/redis-server';
import { DATASET_VERSION, DatasetSpec, GeneratedCounts, generateDataset } from './dataset-gen';
import { log, mb } from './format';
import { pipeToRedis } from './pipe';

/** A saved dump.rdb under .bench/ and how it was made. */
export interface DatasetMeta {
  version: number;
  id: string;
  spec: DatasetSpec;
  counts: GeneratedCounts;
  redisVersion: string;
  rdbBytes: number;
  /** Seconds spent generating + loading through redis-cli --pipe, and in SAVE. */
  loadSeconds: number;
  saveSeconds: number;
  createdAt: string;
}

export interface Dataset {
  path: string;
  meta: DatasetMeta;
  /** True when it was taken from the cache. */
  cached: boolean;
}

export function datasetId(spec: DatasetSpec): string {
  return `dataset-v${DATASET_VERSION}-k${spec.keys}-r${spec.randomMb}-s${spec.streams}`;
}

function readCached(dir: string, id: string): Dataset | null {
  const path = join(dir, `${id}.rdb`);
  const metaPath = join(dir, `${id}.json`);
  if (!existsSync(path) || !existsSync(metaPath)) return null;
  try {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as DatasetMeta;
    if (meta.version !== DATASET_VERSION || meta.id !== id || statSync(path).size !== meta.rdbBytes) return null;
    return { path, meta, cached: true };
  } catch {
    return null;
  }
}

/** Returns the cached dataset for `spec`, building it (in a real redis-server) when missing or when `rebuild` is set. */
export async function ensureDataset(dir: string, spec: DatasetSpec, rebuild: boolean): Promise<Dataset> {
  mkdirSync(dir, { recursive: true });
  const id = datasetId(spec);
  if (!rebuild) {
    const cached = readCached(dir, id);
    if (cached !== null) {
      log(`dataset ${id}: cached (${mb(cached.meta.rdbBytes)} MB); pass --rebuild to regenerate`);
      return cached;
    }
  }
  return buildDataset(dir, id, spec);
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

async function buildDataset(dir: string, id: string, spec: DatasetSpec): Promise<Dataset> {
  const work = join(dir, `build-${id}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  log(`dataset ${id}: building ${spec.keys.toLocaleString('en-US')} keys with ${spec.randomMb} MiB of random values and ${spec.streams} streams`);
  const server = await RedisServer.start({ dir: work, config: { dbfilename: 'dump.rdb', rdbcompression: 'yes', rdbchecksum: 'yes' } });
  try {
    const client = server.client();
    const t0 = performance.now();
    const { value: counts } = await pipeToRedis(server.host, server.port, async (w) => {
      const timer = setInterval(() => log(`  loading: ${w.commands.toLocaleString('en-US')} commands, ${mb(w.bytesOut)} MB sent`), 5000);
      try {
        return await generateDataset(spec, w);
      } finally {
        clearInterval(timer);
      }
    });
    const loadSeconds = (performance.now() - t0) / 1000;
    const ks = keyspace(await client.info('keyspace'));
    if (ks.keys !== counts.keys || ks.expires !== counts.expiring) {
      throw new Error(`server holds ${ks.keys} keys (${ks.expires} expiring), expected ${counts.keys} (${counts.expiring})`);
    }
    const mem = /used_memory_human:(\S+)/.exec(await client.info('memory'))?.[1] ?? '?';
    log(`  loaded ${counts.commands.toLocaleString('en-US')} commands (${mb(counts.respBytes)} MB of RESP) in ${loadSeconds.toFixed(1)} s; server memory ${mem}`);
    const t1 = performance.now();
    await client.call('SAVE');
    const saveSeconds = (performance.now() - t1) / 1000;
    const redisVersion = /redis_version:(\S+)/.exec(await client.info('server'))?.[1] ?? 'unknown';
    await server.stop();
    const path = join(dir, `${id}.rdb`);
    renameSync(join(work, 'dump.rdb'), path);
    const meta: DatasetMeta = {
      version: DATASET_VERSION,
      id,
      spec,
      counts,
      redisVersion,
      rdbBytes: statSync(path).size,
      loadSeconds,
      saveSeconds,
      createdAt: new Date().toISOString(),
    };
    writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(meta, null, 2)}\n`);
    log(`  SAVE took ${saveSeconds.toFixed(1)} s: ${path} (${mb(meta.rdbBytes)} MB)`);
    return { path, meta, cached: false };
  } finally {
    await server.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
