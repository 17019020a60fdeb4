import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRdb } from './build-rdb';
import { DATASET_VERSION, DatasetSpec, GeneratedCounts, generateDataset } from './dataset-gen';
import { log, mb } from './format';

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

async function buildDataset(dir: string, id: string, spec: DatasetSpec): Promise<Dataset> {
  log(`dataset ${id}: building ${spec.keys.toLocaleString('en-US')} keys with ${spec.randomMb} MiB of random values and ${spec.streams} streams`);
  const built = await buildRdb(dir, id, {
    generate: (w) => generateDataset(spec, w),
    expected: (c) => ({ keys: c.keys, expiring: c.expiring }),
    loaded: (c) => `${c.commands.toLocaleString('en-US')} commands`,
    respBytes: (c) => c.respBytes,
  });
  const { path, counts, redisVersion, rdbBytes, loadSeconds, saveSeconds } = built;
  const meta: DatasetMeta = { version: DATASET_VERSION, id, spec, counts, redisVersion, rdbBytes, loadSeconds, saveSeconds, createdAt: new Date().toISOString() };
  writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(meta, null, 2)}\n`);
  return { path, meta, cached: false };
}
