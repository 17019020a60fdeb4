import { RespArg, RespWriter } from './resp';
import { Rng } from './rng';

/** Bump when the generated content changes, so cached dumps are rebuilt. */
export const DATASET_VERSION = 1;

export interface DatasetSpec {
  /** Total keys (random blobs and streams included). */
  keys: number;
  /** MiB of non-compressible random bytes, spread over string keys. */
  randomMb: number;
  /** Stream keys (each with 1000 entries, consumer groups and pending entries). */
  streams: number;
}

/** What the generator wrote, to check the loaded server against. */
export interface GeneratedCounts {
  keys: number;
  expiring: number;
  byKind: Record<string, number>;
  randomBytes: number;
  commands: number;
  respBytes: number;
}

type Kind = 'int' | 'text' | 'lzf' | 'list' | 'intset' | 'set' | 'zset' | 'hash' | 'biglist' | 'bigset' | 'bigzset' | 'bighash';

/**
 * Relative weights of the small keys. Small collections stay in their compact
 * encodings (listpack, intset); the "big" ones exceed the 7.0 default thresholds
 * (128 entries / 512 intset members / 8 KiB list nodes) and are written as
 * hashtable, skiplist or multi-node quicklist.
 */
const WEIGHTS: ReadonlyArray<[Kind, number]> = [
  ['int', 20],
  ['text', 22],
  ['lzf', 4],
  ['list', 10],
  ['intset', 8],
  ['set', 6],
  ['zset', 10],
  ['hash', 19.92],
  ['biglist', 0.02],
  ['bigset', 0.02],
  ['bigzset', 0.02],
  ['bighash', 0.02],
];
const TOTAL_WEIGHT = WEIGHTS.reduce((a, [, w]) => a + w, 0);

/** Share of keys given an expiry (far in the future: 2100-01-01 plus up to a day). */
const EXPIRE_SHARE = 0.15;
const EXPIRE_BASE_MS = 4102444800000;
/** Mean size of a random blob value when the key budget allows it. */
const BLOB_MEAN = 8 * 1024;
const STREAM_ENTRIES = 1000;
const MIB = 1024 * 1024;

function pickKind(rng: Rng): Kind {
  let r = rng.next() * TOTAL_WEIGHT;
  for (const [kind, w] of WEIGHTS) {
    r -= w;
    if (r < 0) return kind;
  }
  return 'hash';
}

/** A short member/field/element: text or integer (integers get int encodings inside listpacks). */
function element(rng: Rng, i: number): string {
  return rng.chance(0.3) ? String(rng.int(-100000, 10_000_000)) : `${rng.word(rng.int(3, 10))}:${i}`;
}

function score(rng: Rng): string {
  return rng.chance(0.5) ? String(rng.int(-1000, 100000)) : (rng.next() * 1e6 - 1e5).toFixed(rng.int(1, 6));
}

/** An integer string: small ones take RDB's int8/16/32 encodings, large ones are stored as text. */
function intString(rng: Rng): string {
  switch (rng.int(0, 3)) {
    case 0:
      return String(rng.int(-128, 127));
    case 1:
      return String(rng.int(-32768, 32767));
    case 2:
      return String(rng.int(-2147483648, 2147483647));
    default:
      return String(rng.int(0, 2 ** 53 - 1));
  }
}

/** 64-512 bytes of repetitive text that LZF compresses well. */
function compressible(rng: Rng): string {
  const unit = `${rng.word(6)}-${rng.int(0, 999)}|`;
  const n = rng.int(64, 512);
  return unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
}

/**
 * Writes the whole dataset as RESP commands to `w`. The key order is shuffled
 * by kind so compact, large and random values are interleaved through the file.
 */
export async function generateDataset(spec: DatasetSpec, w: RespWriter, seed = 20240501): Promise<GeneratedCounts> {
  const rng = new Rng(seed);
  const randomBytes = spec.randomMb * MIB;
  const budget = spec.keys - spec.streams;
  if (budget < 1) throw new Error(`${spec.keys} keys leave no room beside ${spec.streams} streams`);
  let blobsLeft = randomBytes === 0 ? 0 : Math.min(budget, Math.max(1, Math.ceil(randomBytes / BLOB_MEAN)));
  let blobBytesLeft = randomBytes;
  const byKind: Record<string, number> = {};
  let expiring = 0;

  for (let i = 0; i < budget; i++) {
    const keysLeft = budget - i;
    const expireAt = rng.chance(EXPIRE_SHARE) ? EXPIRE_BASE_MS + rng.int(0, 86_400_000) : 0;
    if (expireAt !== 0) expiring++;
    let kind: Kind | 'blob';
    if (blobsLeft > 0 && rng.next() * keysLeft < blobsLeft) kind = 'blob';
    else kind = pickKind(rng);
    byKind[kind] = (byKind[kind] ?? 0) + 1;
    const key = `${kind}:${i}`;
    const px: RespArg[] = expireAt === 0 ? [] : ['PXAT', expireAt];
    switch (kind) {
      case 'blob': {
        const mean = blobBytesLeft / blobsLeft;
        const len = blobsLeft === 1 ? blobBytesLeft : Math.min(blobBytesLeft - (blobsLeft - 1), Math.max(1, Math.round(mean * (0.25 + 1.5 * rng.next()))));
        blobsLeft--;
        blobBytesLeft -= len;
        w.commandWithRandom(['SET', key], len, px);
        break;
      }
      case 'int':
        w.command(['SET', key, intString(rng), ...px]);
        break;
      case 'text':
        w.command(['SET', key, `${rng.word(rng.int(4, 40))}#${i}`, ...px]);
        break;
      case 'lzf':
        w.command(['SET', key, compressible(rng), ...px]);
        break;
      default:
        writeCollection(w, rng, kind, key, i);
        if (expireAt !== 0) w.command(['PEXPIREAT', key, expireAt]);
    }
    if ((i & 255) === 0) await w.drained();
  }
  for (let s = 0; s < spec.streams; s++) {
    writeStream(w, rng, `stream:${s}`, s);
    byKind.stream = (byKind.stream ?? 0) + 1;
    await w.drained();
  }
  return { keys: spec.keys, expiring, byKind, randomBytes, commands: w.commands, respBytes: w.bytesOut };
}

function writeCollection(w: RespWriter, rng: Rng, kind: Kind, key: string, i: number): void {
  const args: RespArg[] = [];
  switch (kind) {
    case 'list':
    case 'biglist': {
      const n = kind === 'list' ? rng.int(3, 24) : rng.int(300, 3000);
      args.push('RPUSH', key);
      for (let j = 0; j < n; j++) args.push(kind === 'list' ? element(rng, j) : `${rng.word(rng.int(20, 100))}:${j}`);
      break;
    }
    case 'intset': {
      const n = rng.int(3, 60);
      args.push('SADD', key);
      const wide = rng.chance(0.1);
      for (let j = 0; j < n; j++) args.push(wide ? rng.int(0, 2 ** 53 - 1) : rng.int(-30000, 30000));
      break;
    }
    case 'set':
    case 'bigset': {
      const n = kind === 'set' ? rng.int(3, 20) : rng.int(600, 2000);
      args.push('SADD', key);
      for (let j = 0; j < n; j++) args.push(element(rng, j));
      break;
    }
    case 'zset':
    case 'bigzset': {
      const n = kind === 'zset' ? rng.int(3, 24) : rng.int(200, 1500);
      args.push('ZADD', key);
      for (let j = 0; j < n; j++) args.push(score(rng), element(rng, j));
      break;
    }
    case 'hash':
    case 'bighash': {
      const n = kind === 'hash' ? rng.int(3, 24) : rng.int(200, 1500);
      args.push('HSET', key);
      for (let j = 0; j < n; j++) args.push(`f${j}:${rng.word(rng.int(2, 8))}`, element(rng, i + j));
      break;
    }
    default:
      throw new Error(`not a collection kind: ${kind}`);
  }
  w.command(args);
}

/** A stream with explicit ids, a few deletions, two consumer groups and pending entries. */
function writeStream(w: RespWriter, rng: Rng, key: string, s: number): void {
  const baseMs = 1_700_000_000_000 + s * 10_000_000;
  const id = (j: number): string => `${baseMs + j}-${j % 3}`;
  for (let j = 0; j < STREAM_ENTRIES; j++) {
    w.command(['XADD', key, id(j), 'sensor', rng.int(1, 500), 'temp', (rng.next() * 40).toFixed(2), 'note', rng.word(rng.int(4, 24))]);
  }
  for (let j = 10; j < STREAM_ENTRIES; j += 97) w.command(['XDEL', key, id(j)]);
  w.command(['XGROUP', 'CREATE', key, 'g1', '0']);
  w.command(['XGROUP', 'CREATE', key, 'g2', '$']);
  w.command(['XREADGROUP', 'GROUP', 'g1', 'alice', 'COUNT', 200, 'STREAMS', key, '>']);
  w.command(['XREADGROUP', 'GROUP', 'g1', 'bob', 'COUNT', 100, 'STREAMS', key, '>']);
  w.command(['XACK', key, 'g1', id(1), id(2), id(3), id(4)]);
}
