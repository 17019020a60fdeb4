import { walkStoredBlob } from './blob';
import { Cursor } from './cursor';
import { corrupt } from './errors';
import { itemToBigInt, itemToBuffer, PackedItem } from './encodings/item';
import { walkListpack } from './encodings/listpack';
import { StreamConsumer, StreamEntry, StreamGroup, StreamId, StreamPendingEntry, StreamValue } from './value';

const FLAG_DELETED = 1;
const FLAG_SAMEFIELDS = 2;
const ENTRIES_READ_UNKNOWN = 2n ** 64n - 1n;

function idText(ms: bigint, seq: bigint): StreamId {
  return `${ms}-${seq}`;
}

function readLenId(cur: Cursor): StreamId {
  const ms = cur.lenBig();
  const seq = cur.lenBig();
  return idText(ms, seq);
}

function readRawId(cur: Cursor): StreamId {
  const ms = cur.u64beBig();
  const seq = cur.u64beBig();
  return idText(ms, seq);
}

function safeNumber(v: bigint, what: string, offset: number): number {
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(`Stream ${what} ${v} is out of range`, offset);
  return Number(v);
}

/**
 * Parses the entries of one stream node: the master entry (count, deleted,
 * master fields) followed by delta-encoded entries. Appends live entries to
 * `out` when given; returns the number of live entries.
 */
function readNodeEntries(items: PackedItem[], masterMs: bigint, masterSeq: bigint, offset: number, out: StreamEntry[] | null): number {
  const bad = (what: string): never => {
    throw corrupt(`Stream node listpack is malformed (${what})`, offset);
  };
  const int = (i: number): bigint => {
    if (i >= items.length) bad('ends early');
    const v = itemToBigInt(items[i]);
    if (v === undefined) bad('expected an integer');
    return v as bigint;
  };
  const live = int(0);
  const deleted = int(1);
  const masterFieldCount = Number(int(2));
  if (masterFieldCount < 0 || 3 + masterFieldCount >= items.length) bad('master entry');
  const masterFields = items.slice(3, 3 + masterFieldCount);
  if (int(3 + masterFieldCount) !== 0n) bad('master entry terminator');
  let i = 4 + masterFieldCount;
  let seenLive = 0n;
  let seenDeleted = 0n;
  while (i < items.length) {
    const start = i;
    const flags = Number(int(i));
    const ms = masterMs + int(i + 1);
    const seq = masterSeq + int(i + 2);
    i += 3;
    let fields: Buffer[] | null = null;
    if (flags & FLAG_SAMEFIELDS) {
      if (i + masterFieldCount > items.length) bad('entry values');
      if (out !== null) {
        fields = [];
        for (let f = 0; f < masterFieldCount; f++) fields.push(itemToBuffer(masterFields[f]), itemToBuffer(items[i + f]));
      }
      i += masterFieldCount;
    } else {
      const n = Number(int(i));
      i += 1;
      if (n < 0 || i + 2 * n > items.length) bad('entry fields');
      if (out !== null) fields = items.slice(i, i + 2 * n).map(itemToBuffer);
      i += 2 * n;
    }
    const lpCount = Number(int(i));
    i += 1;
    if (lpCount !== i - start - 1) bad('entry back-count');
    if (flags & FLAG_DELETED) {
      seenDeleted++;
      continue;
    }
    seenLive++;
    if (out !== null && fields !== null) out.push({ id: idText(ms, seq), fields });
  }
  if (seenLive !== live || seenDeleted !== deleted) bad('entry counts');
  return Number(seenLive);
}

/**
 * Reads a stream value (types 15, 19 and 21). With `decode` false it validates and
 * skips, returning only the counts; with `decode` true it returns the whole value.
 */
export function readStream(cur: Cursor, typeId: number, decode: boolean): StreamValue {
  const entries: StreamEntry[] = [];
  const nodes = cur.len();
  let liveInNodes = 0;
  const items: PackedItem[] = [];
  for (let n = 0; n < nodes; n++) {
    const keyAt = cur.offset;
    const nodeKey = cur.str();
    if (nodeKey.length !== 16) throw corrupt(`Stream node key is ${nodeKey.length} bytes, not 16`, keyAt);
    const masterMs = nodeKey.readBigUInt64BE(0);
    const masterSeq = nodeKey.readBigUInt64BE(8);
    const lpAt = cur.offset;
    // When only validating, the node's items are dropped before the next string is read.
    const blob = decode ? cur.str() : cur.strTransient();
    items.length = 0;
    const count = walkStoredBlob(cur, blob, lpAt, walkListpack, items);
    if (count === 0) throw corrupt('Empty listpack inside stream', lpAt);
    liveInNodes += readNodeEntries(items, masterMs, masterSeq, lpAt, decode ? entries : null);
  }
  const lengthAt = cur.offset;
  const length = cur.len();
  if (length !== liveInNodes) throw corrupt(`Stream length ${length} does not match its ${liveInNodes} entries`, lengthAt);
  const lastId = readLenId(cur);
  let firstId: StreamId | null = null;
  let maxDeletedId: StreamId | null = null;
  let entriesAdded: number | null = null;
  if (typeId >= 19) {
    firstId = readLenId(cur);
    maxDeletedId = readLenId(cur);
    const at = cur.offset;
    entriesAdded = safeNumber(cur.lenBig(), 'entries-added', at);
  }
  const groupCount = cur.len();
  const groups: StreamGroup[] = [];
  for (let g = 0; g < groupCount; g++) {
    const name = cur.str();
    const groupLastId = readLenId(cur);
    let entriesRead: number | null = null;
    if (typeId >= 19) {
      const at = cur.offset;
      const raw = cur.lenBig();
      entriesRead = raw === ENTRIES_READ_UNKNOWN ? null : safeNumber(raw, 'entries-read', at);
    }
    const pelCount = cur.len();
    const pending: StreamPendingEntry[] = [];
    const pendingById = new Map<StreamId, StreamPendingEntry>();
    for (let p = 0; p < pelCount; p++) {
      const at = cur.offset;
      const id = readRawId(cur);
      const deliveryTimeMs = cur.i64le();
      const deliveryCount = cur.len();
      if (pendingById.has(id)) throw corrupt(`Duplicate stream PEL entry ${id}`, at);
      const pe: StreamPendingEntry = { id, deliveryTimeMs, deliveryCount, consumer: null };
      pendingById.set(id, pe);
      pending.push(pe);
    }
    const consumerCount = cur.len();
    const consumers: StreamConsumer[] = [];
    for (let c = 0; c < consumerCount; c++) {
      const cname = cur.str();
      const seenTimeMs = cur.i64le();
      const activeTimeMs = typeId >= 21 ? cur.i64le() : null;
      const cpel = cur.len();
      const ids: StreamId[] = [];
      for (let p = 0; p < cpel; p++) {
        const at = cur.offset;
        const id = readRawId(cur);
        const owner = pendingById.get(id);
        if (owner === undefined) throw corrupt(`Consumer PEL entry ${id} is missing from its group PEL`, at);
        owner.consumer = cname;
        ids.push(id);
      }
      consumers.push({ name: cname, seenTimeMs, activeTimeMs, pending: ids });
    }
    groups.push({ name, lastId: groupLastId, entriesRead, pending, consumers });
  }
  return { entries, length, lastId, firstId, maxDeletedId, entriesAdded, groups };
}
