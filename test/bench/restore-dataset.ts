import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRdb } from './build-rdb';
import { log, mb } from './format';
import { RespArg, RespWriter } from './resp';
import { Rng } from './rng';

/** Bump when the generated content of the big-collections dataset changes, so cached dumps are rebuilt. */
export const BIG_DATASET_VERSION = 1;

/** A dataset of large collections only: hashes, sorted sets, lists and sets of many elements each. */
export interface BigCollectionsSpec {
  keys: number;
  minElements: number;
  maxElements: number;
}

export const BIG_DEFAULT: BigCollectionsSpec = { keys: 2000, minElements: 5000, maxElements: 20_000 };
export const BIG_QUICK: BigCollectionsSpec = { keys: 100, minElements: 2000, maxElements: 5000 };

export interface BigCollectionsCounts {
  keys: number;
  expiring: number;
  elements: number;
  byKind: Record<string, number>;
  commands: number;
  respBytes: number;
}

export interface BigCollectionsMeta {
  version: number;
  id: string;
  spec: BigCollectionsSpec;
  counts: BigCollectionsCounts;
  redisVersion: string;
  rdbBytes: number;
  loadSeconds: number;
  saveSeconds: number;
  createdAt: string;
}

export interface BigCollectionsDataset {
  path: string;
  meta: BigCollectionsMeta;
  cached: boolean;
}

/** Elements per command while building (HSET/ZADD/RPUSH/SADD with this many elements at most). */
const BATCH = 1000;
const EXPIRE_SHARE = 0.15;
const EXPIRE_BASE_MS = 4102444800000;
const KINDS = ['hash', 'zset', 'list', 'set'] as const;

export function bigDatasetId(spec: BigCollectionsSpec): string {
  return `bigcoll-v${BIG_DATASET_VERSION}-k${spec.keys}-e${spec.minElements}-${spec.maxElements}`;
}

/** Reads "KEYS:MIN-MAX" (BENCH_RESTORE_BIG, e.g. 2000:5000-20000). */
export function parseBigSpec(raw: string | undefined, fallback: BigCollectionsSpec): BigCollectionsSpec {
  if (raw === undefined || raw === '') return fallback;
  const m = /^(\d+):(\d+)-(\d+)$/.exec(raw.replace(/_/g, ''));
  if (m === null) throw new Error(`BENCH_RESTORE_BIG must look like KEYS:MIN-MAX (e.g. 2000:5000-20000), got ${JSON.stringify(raw)}`);
  const spec = { keys: Number(m[1]), minElements: Number(m[2]), maxElements: Number(m[3]) };
  if (spec.keys < 4 || spec.minElements < 1 || spec.maxElements < spec.minElements) throw new Error(`BENCH_RESTORE_BIG: need KEYS >= 4 and 1 <= MIN <= MAX, got ${raw}`);
  return spec;
}

function score(rng: Rng): string {
  return rng.chance(0.5) ? String(rng.int(-1000, 1_000_000)) : (rng.next() * 1e6 - 1e5).toFixed(rng.int(1, 6));
}

/** Writes one collection as commands of at most BATCH elements each. Elements are unique (their index is part of them). */
function writeCollection(w: RespWriter, rng: Rng, kind: (typeof KINDS)[number], key: string, n: number): void {
  for (let start = 0; start < n; start += BATCH) {
    const end = Math.min(n, start + BATCH);
    const args: RespArg[] = [];
    switch (kind) {
      case 'hash':
        args.push('HSET', key);
        for (let j = start; j < end; j++) args.push(`f${j}:${rng.word(rng.int(2, 6))}`, rng.chance(0.3) ? String(rng.int(-100000, 100_000_000)) : rng.word(rng.int(4, 16)));
        break;
      case 'zset':
        args.push('ZADD', key);
        for (let j = start; j < end; j++) args.push(score(rng), `m${j}:${rng.word(rng.int(3, 10))}`);
        break;
      case 'list':
        args.push('RPUSH', key);
        for (let j = start; j < end; j++) args.push(`${rng.word(rng.int(5, 20))}:${j}`);
        break;
      case 'set':
        args.push('SADD', key);
        for (let j = start; j < end; j++) args.push(`s${j}:${rng.word(rng.int(3, 10))}`);
        break;
    }
    w.command(args);
  }
}

/** The dataset as RESP: key i is of kind KINDS[i % 4], with minElements..maxElements elements; 15% expire in 2100. */
export async function generateBigCollections(spec: BigCollectionsSpec, w: RespWriter, seed = 20240611): Promise<BigCollectionsCounts> {
  const rng = new Rng(seed);
  const byKind: Record<string, number> = {};
  let expiring = 0;
  let elements = 0;
  for (let i = 0; i < spec.keys; i++) {
    const kind = KINDS[i % KINDS.length];
    const key = `big${kind}:${i}`;
    const n = rng.int(spec.minElements, spec.maxElements);
    writeCollection(w, rng, kind, key, n);
    elements += n;
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    if (rng.chance(EXPIRE_SHARE)) {
      expiring++;
      w.command(['PEXPIREAT', key, EXPIRE_BASE_MS + rng.int(0, 86_400_000)]);
    }
    await w.drained();
  }
  return { keys: spec.keys, expiring, elements, byKind, commands: w.commands, respBytes: w.bytesOut };
}

function readCached(dir: string, id: string): BigCollectionsDataset | null {
  const path = join(dir, `${id}.rdb`);
  const metaPath = join(dir, `${id}.json`);
  if (!existsSync(path) || !existsSync(metaPath)) return null;
  try {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as BigCollectionsMeta;
    if (meta.version !== BIG_DATASET_VERSION || meta.id !== id || statSync(path).size !== meta.rdbBytes) return null;
    return { path, meta, cached: true };
  } catch {
    return null;
  }
}

/** The cached big-collections dump for `spec` under `dir`, built in a throwaway redis-server when missing (or with `rebuild`). */
export async function ensureBigCollections(dir: string, spec: BigCollectionsSpec, rebuild: boolean): Promise<BigCollectionsDataset> {
  mkdirSync(dir, { recursive: true });
  const id = bigDatasetId(spec);
  if (!rebuild) {
    const cached = readCached(dir, id);
    if (cached !== null) {
      log(`dataset ${id}: cached (${mb(cached.meta.rdbBytes)} MB); pass --rebuild to regenerate`);
      return cached;
    }
  }
  log(`dataset ${id}: building ${spec.keys.toLocaleString('en-US')} collections of ${spec.minElements}-${spec.maxElements} elements`);
  const built = await buildRdb(dir, id, {
    generate: (w) => generateBigCollections(spec, w),
    expected: (c) => ({ keys: c.keys, expiring: c.expiring }),
    loaded: (c) => `${c.elements.toLocaleString('en-US')} elements`,
    respBytes: (c) => c.respBytes,
  });
  const { path, counts, redisVersion, rdbBytes, loadSeconds, saveSeconds } = built;
  const meta: BigCollectionsMeta = { version: BIG_DATASET_VERSION, id, spec, counts, redisVersion, rdbBytes, loadSeconds, saveSeconds, createdAt: new Date().toISOString() };
  writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(meta, null, 2)}\n`);
  return { path, meta, cached: false };
}
