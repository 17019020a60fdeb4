import { BlobWalker, walkStoredBlob } from './blob';
import { Cursor } from './cursor';
import { corrupt, RdbError } from './errors';
import { PackedItem, itemToBuffer, itemToInt, itemToScore } from './encodings/item';
import { walkIntset } from './encodings/intset';
import { walkListpack } from './encodings/listpack';
import { walkZiplist } from './encodings/ziplist';
import { walkZipmap } from './encodings/zipmap';
import { readStream } from './stream-reader';
import { decodeModuleId, MODULE_OPCODE, RDB_TYPES } from './types';
import { HashField, RedisValue, ZsetEntry } from './value';

/** Hash field expiry times above this are invalid (Redis EB_EXPIRE_TIME_MAX). */
const MAX_FIELD_EXPIRE = 2 ** 48 - 1;

const QUICKLIST_PLAIN = 1;
const QUICKLIST_PACKED = 2;

/** Reads a string-wrapped compact blob and walks it with `walk`. */
function readBlob<T>(cur: Cursor, walk: BlobWalker<T>, out: T[] | null): number {
  const at = cur.offset;
  // A blob that is only walked may live in scratch memory; one whose items are kept may not.
  const blob = out === null ? cur.strTransient() : cur.str();
  return walkStoredBlob(cur, blob, at, walk, out);
}

function checkPairs(count: number, what: string, offset: number): void {
  if (count % 2 !== 0) throw corrupt(`${what} has an odd number of elements (${count})`, offset);
}

function checkScore(score: number, offset: number): void {
  if (Number.isNaN(score)) throw corrupt('Zset with NaN score', offset);
}

function pairsToZset(items: PackedItem[], out: ZsetEntry[], offset: number): void {
  for (let i = 0; i < items.length; i += 2) {
    const score = itemToScore(items[i + 1]);
    checkScore(score, offset);
    out.push({ member: itemToBuffer(items[i]), score });
  }
}

function pairsToHash(items: PackedItem[], out: HashField[]): void {
  for (let i = 0; i < items.length; i += 2) out.push({ field: itemToBuffer(items[i]), value: itemToBuffer(items[i + 1]), expireAtMs: null });
}

function readStringList(cur: Cursor, out: Buffer[] | null): number {
  const n = cur.len();
  if (out === null) {
    for (let i = 0; i < n; i++) cur.skipStr();
  } else {
    for (let i = 0; i < n; i++) out.push(cur.str());
  }
  return n;
}

function readZset(cur: Cursor, binaryScores: boolean, out: ZsetEntry[] | null): number {
  const n = cur.len();
  for (let i = 0; i < n; i++) {
    if (out === null) cur.skipStr();
    const member = out === null ? null : cur.str();
    const at = cur.offset;
    const score = binaryScores ? cur.f64le() : cur.doubleStr();
    checkScore(score, at);
    if (member !== null) out!.push({ member, score });
  }
  return n;
}

function readHash(cur: Cursor, out: HashField[] | null): number {
  const n = cur.len();
  for (let i = 0; i < n; i++) {
    if (out === null) {
      cur.skipStr();
      cur.skipStr();
    } else {
      out.push({ field: cur.str(), value: cur.str(), expireAtMs: null });
    }
  }
  return n;
}

/** Types 22 and 24: hash table with per-field TTLs. */
function readHashWithTtl(cur: Cursor, relative: boolean, out: HashField[] | null): number {
  let minExpire = 0;
  if (relative) {
    const at = cur.offset;
    minExpire = cur.i64le();
    if (minExpire < 0 || minExpire > MAX_FIELD_EXPIRE + 1) throw corrupt(`Invalid hash minimum expire time ${minExpire}`, at);
  }
  const n = cur.len();
  for (let i = 0; i < n; i++) {
    const at = cur.offset;
    const ttl = cur.len();
    const expireAt = ttl === 0 ? 0 : relative ? ttl + minExpire - 1 : ttl;
    if (expireAt > MAX_FIELD_EXPIRE) throw corrupt(`Invalid hash field expire time ${expireAt}`, at);
    if (out === null) {
      cur.skipStr();
      cur.skipStr();
    } else {
      out.push({ field: cur.str(), value: cur.str(), expireAtMs: expireAt === 0 ? null : expireAt });
    }
  }
  return n;
}

/** Types 23 and 25: listpack of (field, value, ttl) triples. */
function readListpackHashWithTtl(cur: Cursor, hasMinExpire: boolean, out: HashField[] | null): number {
  if (hasMinExpire) cur.i64le();
  const at = cur.offset;
  const items: PackedItem[] = [];
  const count = readBlob(cur, walkListpack, items);
  if (count % 3 !== 0) throw corrupt(`Hash listpack with TTLs has ${count} elements, not a multiple of 3`, at);
  for (let i = 0; i < count; i += 3) {
    const ttl = itemToInt(items[i + 2]);
    if (ttl === undefined || ttl < 0 || ttl > MAX_FIELD_EXPIRE) throw corrupt('Invalid hash field expire time in listpack', at);
    out?.push({ field: itemToBuffer(items[i]), value: itemToBuffer(items[i + 1]), expireAtMs: ttl === 0 ? null : ttl });
  }
  return count / 3;
}

function readQuicklist(cur: Cursor, version2: boolean, out: Buffer[] | null): number {
  const nodes = cur.len();
  let count = 0;
  const items: PackedItem[] | null = out === null ? null : [];
  for (let i = 0; i < nodes; i++) {
    let container = QUICKLIST_PACKED;
    if (version2) {
      const at = cur.offset;
      container = cur.len();
      if (container !== QUICKLIST_PLAIN && container !== QUICKLIST_PACKED) throw corrupt(`Quicklist node has unknown container ${container}`, at);
    }
    if (container === QUICKLIST_PLAIN) {
      if (out === null) cur.skipStr();
      else out.push(cur.str());
      count++;
      continue;
    }
    const at = cur.offset;
    const blob = items === null ? cur.strTransient() : cur.str();
    if (items !== null) items.length = 0;
    count += walkStoredBlob(cur, blob, at, version2 ? walkListpack : walkZiplist, items);
    if (items !== null && out !== null) for (const it of items) out.push(itemToBuffer(it));
  }
  return count;
}

function readModule(cur: Cursor, out: { typeId: bigint } | null): number {
  const typeId = cur.lenBig();
  if (out !== null) out.typeId = typeId;
  skipModuleBody(cur);
  return 1;
}

/** Walks module-annotated values up to and including the EOF opcode. */
export function skipModuleBody(cur: Cursor): void {
  while (true) {
    const at = cur.offset;
    const op = cur.len();
    switch (op) {
      case MODULE_OPCODE.EOF:
        return;
      case MODULE_OPCODE.SINT:
      case MODULE_OPCODE.UINT:
        cur.lenBig();
        break;
      case MODULE_OPCODE.FLOAT:
        cur.skip(4);
        break;
      case MODULE_OPCODE.DOUBLE:
        cur.skip(8);
        break;
      case MODULE_OPCODE.STRING:
        cur.skipStr();
        break;
      default:
        throw corrupt(`Unknown module value opcode ${op}`, at);
    }
  }
}

export interface WalkOptions {
  /** Walk every element of compact encodings (listpack, ziplist, ...) and check it. */
  deep: boolean;
  /**
   * Only find the value's end (input proved intact elsewhere): quicklist nodes and hash
   * listpacks with TTLs are skipped as strings too; counts are then those of the containers.
   */
  trusted?: boolean;
}

/** Quicklists: skips `nodes` nodes as strings; returns the node count (non-zero unless empty). */
function skipQuicklist(cur: Cursor, version2: boolean): number {
  const nodes = cur.len();
  for (let i = 0; i < nodes; i++) {
    if (version2) cur.len();
    cur.skipStr();
  }
  return nodes;
}

/**
 * Consumes the value of an entry of type `typeId` (the type byte already read),
 * validating its structure. Returns the number of elements (1 for strings and modules).
 */
export function walkValue(cur: Cursor, typeId: number, opts: WalkOptions): number {
  if (opts.trusted === true) {
    if (typeId === 14 || typeId === 18) return skipQuicklist(cur, typeId === 18);
    // Hash tables, sets, linked lists and sorted sets with binary scores: a run of strings.
    if (typeId === 1 || typeId === 2 || typeId === 4 || typeId === 5) {
      const n = cur.len();
      cur.skipStrings(typeId === 4 ? 2 * n : n, typeId === 5 ? 8 : 0);
      return n;
    }
    if (typeId === 23 || typeId === 25) {
      if (typeId === 25) cur.i64le();
      cur.skipStr();
      return 1;
    }
  }
  switch (typeId) {
    case 0:
      cur.skipStr();
      return 1;
    case 1:
    case 2:
      return readStringList(cur, null);
    case 3:
      return readZset(cur, false, null);
    case 5:
      return readZset(cur, true, null);
    case 4:
      return readHash(cur, null);
    case 7:
      return readModule(cur, null);
    case 14:
      return readQuicklist(cur, false, null);
    case 18:
      return readQuicklist(cur, true, null);
    case 15:
    case 19:
    case 21:
      return readStream(cur, typeId, false).length;
    case 22:
      return readHashWithTtl(cur, false, null);
    case 24:
      return readHashWithTtl(cur, true, null);
    case 23:
      return readListpackHashWithTtl(cur, false, null);
    case 25:
      return readListpackHashWithTtl(cur, true, null);
    default:
      return walkBlobValue(cur, typeId, opts.deep);
  }
}

function walkBlobValue(cur: Cursor, typeId: number, deep: boolean): number {
  const at = cur.offset;
  if (!deep) {
    cur.skipStr();
    return 1;
  }
  switch (typeId) {
    case 9: {
      const pairs = readBlob<Buffer>(cur, walkZipmap, null);
      return pairs * 2;
    }
    case 10:
      return readBlob(cur, walkZiplist, null);
    case 11:
      return readBlob(cur, walkIntset, null);
    case 12:
    case 13:
    case 16:
    case 17: {
      // Pairs. Score text in zset blobs is not parsed here: Redis does not check it on load either.
      const n = readBlob(cur, typeId === 12 || typeId === 13 ? walkZiplist : walkListpack, null);
      checkPairs(n, `${typeId === 12 || typeId === 17 ? 'Zset' : 'Hash'} ${typeId <= 13 ? 'ziplist' : 'listpack'}`, at);
      return n / 2;
    }
    case 20:
      return readBlob(cur, walkListpack, null);
    default:
      throw new RdbError('RDB_UNKNOWN_TYPE', `Unknown RDB value type ${typeId}`, { offset: at, byte: typeId });
  }
}

/**
 * Decodes a value of type `typeId` serialized in `buf[start, end)`.
 * `base` is the absolute offset of buf[0], for error messages.
 */
export function decodeValue(typeId: number, buf: Buffer, start = 0, end = buf.length, base = 0): RedisValue {
  const cur = new Cursor(buf, start, end, true, base);
  const info = RDB_TYPES[typeId];
  if (info === undefined) throw new RdbError('RDB_UNKNOWN_TYPE', `Unknown RDB value type ${typeId}`, { offset: base + start, byte: typeId });
  const at = cur.offset;
  switch (typeId) {
    case 0:
      return { type: 'string', value: cur.str() };
    case 1:
    case 14:
    case 18:
    case 10: {
      const items: Buffer[] = [];
      if (typeId === 1) readStringList(cur, items);
      else if (typeId === 10) for (const it of readPacked(cur, walkZiplist)) items.push(itemToBuffer(it));
      else readQuicklist(cur, typeId === 18, items);
      return { type: 'list', items };
    }
    case 2: {
      const members: Buffer[] = [];
      readStringList(cur, members);
      return { type: 'set', members };
    }
    case 11:
    case 20:
      return { type: 'set', members: readPacked(cur, typeId === 11 ? walkIntset : walkListpack).map(itemToBuffer) };
    case 3:
    case 5: {
      const entries: ZsetEntry[] = [];
      readZset(cur, typeId === 5, entries);
      return { type: 'zset', entries };
    }
    case 12:
    case 17: {
      const items = readPacked(cur, typeId === 12 ? walkZiplist : walkListpack);
      checkPairs(items.length, 'Zset blob', at);
      const entries: ZsetEntry[] = [];
      pairsToZset(items, entries, at);
      return { type: 'zset', entries };
    }
    case 4:
    case 22:
    case 24:
    case 23:
    case 25: {
      const fields: HashField[] = [];
      if (typeId === 4) readHash(cur, fields);
      else if (typeId === 22 || typeId === 24) readHashWithTtl(cur, typeId === 24, fields);
      else readListpackHashWithTtl(cur, typeId === 25, fields);
      return { type: 'hash', fields };
    }
    case 9: {
      const flat: Buffer[] = [];
      readBlob(cur, walkZipmap, flat);
      const fields: HashField[] = [];
      for (let i = 0; i < flat.length; i += 2) fields.push({ field: flat[i], value: flat[i + 1], expireAtMs: null });
      return { type: 'hash', fields };
    }
    case 13:
    case 16: {
      const items = readPacked(cur, typeId === 13 ? walkZiplist : walkListpack);
      checkPairs(items.length, 'Hash blob', at);
      const fields: HashField[] = [];
      pairsToHash(items, fields);
      return { type: 'hash', fields };
    }
    case 15:
    case 19:
    case 21:
      return { type: 'stream', stream: readStream(cur, typeId, true) };
    case 7: {
      const holder = { typeId: 0n };
      readModule(cur, holder);
      return { type: 'module', module: { typeId: holder.typeId, ...decodeModuleId(holder.typeId) } };
    }
    default:
      throw new RdbError('RDB_UNSUPPORTED_TYPE', `RDB value type ${typeId} (${info.name}) cannot be decoded`, { offset: base + start, byte: typeId });
  }
}

function readPacked(cur: Cursor, walk: BlobWalker<PackedItem>): PackedItem[] {
  const items: PackedItem[] = [];
  readBlob(cur, walk, items);
  return items;
}
