/**
 * Every fixture RDB with a ground truth beside it must export exactly to that
 * truth, key by key; the librdb dumps must parse and agree with librdb's own
 * expected outputs where those are easy to read.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import {
  bytesFromJson,
  exportEntry,
  ExportedKey,
  JsonBytes,
  jsonBytes,
  parseDumpPayload,
  RdbEntry,
  RdbError,
  RdbRecord,
  readRdbFile,
  RedisValue,
  scoreFormatFor,
  SummaryCollector,
  RdbSummary,
} from '../../lambdas/rdb';
import { parseScoreText } from '../../lambdas/rdb/encodings/item';
import { decodeValue } from '../../lambdas/rdb/value-reader';
import { ABSOLUTE_EXPIRIES, allRdbFixtures, rdbFixturesWithTruth, Truth, TruthKey } from '../helpers/fixtures';
import { firstDifference, fixtureName } from '../helpers/rdb-harness';

interface ReadFixture {
  records: RdbRecord[];
  entries: RdbEntry[];
  summary: RdbSummary;
  rdbVersion: number;
  magic: string;
}

/** Streams a fixture from disk (small chunks, so records straddle reads) and collects everything. */
async function readFixture(path: string): Promise<ReadFixture> {
  const records: RdbRecord[] = [];
  const collector = new SummaryCollector();
  const { rdbVersion } = await readRdbFile(
    path,
    {
      onRecord: (r) => {
        records.push(r);
        collector.onRecord(r);
      },
    },
    64 * 1024,
  );
  const header = records.find((r) => r.kind === 'header');
  return {
    records,
    entries: records.flatMap((r) => (r.kind === 'entry' ? [r.entry] : [])),
    summary: collector.result(),
    rdbVersion,
    magic: header?.kind === 'header' ? header.magic : '',
  };
}

const keyBytes = (k: { key: unknown }): Buffer => bytesFromJson(k.key as JsonBytes);
const byDbThenKey = (a: { db: number; key: unknown }, b: { db: number; key: unknown }): number => a.db - b.db || Buffer.compare(keyBytes(a), keyBytes(b));

/** "7.0.15" -> 7.0 as a comparable number (major * 1000 + minor). */
function majorMinor(version: string): number {
  const [major, minor] = version.split('.').map(Number);
  return major * 1000 + minor;
}

/**
 * The truth tool read hash field names as UTF-8 text, so an invalid byte sequence in a
 * field name reached the truth as U+FFFD (e.g. field 00 FF became 00 EF BF BD). The
 * export keeps the exact bytes; this maps a name to what the truth tool recorded.
 */
function asTruthToolReadIt(name: JsonBytes): JsonBytes {
  const bytes = bytesFromJson(name);
  return jsonBytes(Buffer.from(bytes.toString('utf8'), 'utf8'));
}

function isValidUtf8(bytes: Buffer): boolean {
  return Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}

/** Applies `asTruthToolReadIt` to the field names of an exported hash (only names that are not valid UTF-8 change). */
function hashFieldsAsTruthToolReadThem(key: ExportedKey): ExportedKey {
  if (key.type !== 'hash') return key;
  const pairs = key.value as Array<[JsonBytes, JsonBytes]>;
  if (pairs.every(([f]) => isValidUtf8(bytesFromJson(f)))) return key;
  const mapped = pairs.map(([f, v]): [JsonBytes, JsonBytes] => [isValidUtf8(bytesFromJson(f)) ? f : asTruthToolReadIt(f), v]);
  mapped.sort((a, b) => Buffer.compare(bytesFromJson(a[0]), bytesFromJson(b[0])));
  return { ...key, value: mapped };
}

/** JSON round trip: the exported shape exactly as it would be written out. */
const asJson = <T>(v: T): unknown => JSON.parse(JSON.stringify(v)) as unknown;

const withTruth = rdbFixturesWithTruth().map((f) => ({ ...f, name: fixtureName(f.path) }));

describe('fixtures with a ground truth', () => {
  it('are present', () => {
    expect(withTruth.length).toBeGreaterThan(0);
    // Every "<server>-<x.y>-types.rdb" beside the README has its truth.
    const typeFiles = allRdbFixtures().filter((p) => /-types\.rdb$/.test(p));
    for (const p of typeFiles) expect(withTruth.map((f) => f.path)).toContain(p);
  });

  describe.each(withTruth)('$name', ({ path, truth }: { path: string; truth: Truth }) => {
    let read: ReadFixture;
    beforeAll(async () => {
      read = await readFixture(path);
    });

    it('names the server that wrote it and has the truth\'s function libraries', () => {
      const { summary } = read;
      // 'valkey' when the file has a valkey-ver aux field, 'redis' otherwise (Redis before 3.2
      // wrote no AUX fields at all; every Valkey writes valkey-ver).
      expect(summary.server).toBe(truth.server);
      if (summary.serverVersion === null) expect(read.magic).toBe('REDIS');
      const ours = summary.functions.map((f) => f.name).sort();
      expect(ours).toEqual([...(truth.functions ?? [])].sort());
      for (const f of read.records) if (f.kind === 'function') expect(f.engine).toBe('lua');
    });

    it('exports every key exactly as the truth records it', () => {
      const { summary, rdbVersion } = read;
      // Scores are printed the way the server that read the truth prints them. When the
      // file's aux fields name that same server, the format must follow from them; the
      // redis-test-assets truths were read after loading an older file into a newer server.
      const fileFormat = scoreFormatFor(summary.server, summary.serverVersion, rdbVersion);
      const readerFormat = scoreFormatFor(truth.server === 'valkey' ? 'valkey' : 'redis', truth.version, rdbVersion);
      const writerIsReader =
        summary.serverVersion !== null && summary.server === truth.server && (summary.server === 'valkey' || summary.serverVersion === truth.version);
      if (writerIsReader) expect(fileFormat).toBe(readerFormat);
      const scoreFormat = writerIsReader ? fileFormat : readerFormat;

      const ours = read.entries.map((e) => exportEntry(e, scoreFormat)).sort(byDbThenKey);
      const expected = [...truth.keys].sort(byDbThenKey);

      // Same keys in the same databases.
      const ident = (k: { db: number; key: unknown }): string => `${k.db}:${keyBytes(k).toString('hex')}`;
      expect(ours.map(ident)).toEqual(expected.map(ident));

      const captureTimes: number[] = [];
      for (let i = 0; i < ours.length; i++) {
        let truthKey: TruthKey = expected[i];
        let mine = ours[i];
        if (typeof truthKey.expireAtMs === 'string') {
          // "relative:<pttl>": the absolute value set was one of the README's, read back as a TTL.
          const m = /^relative:(\d+)$/.exec(truthKey.expireAtMs);
          expect(m).not.toBeNull();
          expect(ABSOLUTE_EXPIRIES).toContain(mine.expireAtMs);
          captureTimes.push((mine.expireAtMs as number) - Number(m![1]));
          // The rest of the key must match exactly.
          mine = { ...mine, expireAtMs: null };
          truthKey = { ...truthKey, expireAtMs: null };
        }
        expect(asJson(hashFieldsAsTruthToolReadThem(mine))).toStrictEqual(asJson(truthKey));
      }
      if (captureTimes.length > 0) {
        expect(majorMinor(truth.version)).toBeLessThan(majorMinor('7.0'));
        // All TTLs were read at one moment: the implied capture times agree within 10 s.
        expect(Math.max(...captureTimes) - Math.min(...captureTimes)).toBeLessThanOrEqual(10_000);
      }
    });

    it('keeps non-UTF-8 hash field names exact in the export', () => {
      for (const e of read.entries) {
        if (e.type !== 'hash') continue;
        const exported = exportEntry(e, 'shortest').value as Array<[JsonBytes, JsonBytes]>;
        const value = e.value();
        if (value.type !== 'hash') throw new Error('hash entry decoded to something else');
        const names = exported.map(([f]) => bytesFromJson(f));
        expect(names.map((b) => b.toString('hex')).sort()).toEqual(value.fields.map((f) => f.field.toString('hex')).sort());
      }
    });

    it('gives every entry a DUMP payload that parses back to its type and value', () => {
      for (const e of read.entries) {
        const parsed = parseDumpPayload(e.dumpPayload());
        expect(parsed.checksumOk).toBe(true);
        expect(parsed.rdbVersion).toBe(read.rdbVersion);
        expect(parsed.body[0]).toBe(e.typeId);
        expect(parsed.body.subarray(1).equals(e.valueBytes)).toBe(true);
        expect(firstDifference(decodeValue(parsed.body[0], parsed.body, 1), e.value())).toBeNull();
      }
    });
  });
});

// ---------------------------------------------------------------- librdb dumps

const LIBRDB = `${sep}librdb-dumps${sep}`;
const librdbDumps = allRdbFixtures()
  .filter((p) => p.includes(LIBRDB))
  .map((path) => ({ path, name: basename(path) }));

/** librdb's deliberately unreadable dumps, by name, and the refusal each must get. */
const EXPECTED_REFUSALS: Array<{ pattern: RegExp; code: string; mention: RegExp }> = [
  { pattern: /^future_/, code: 'RDB_UNSUPPORTED_VERSION', mention: /newer than this tool supports/ },
  { pattern: /^invalid_chksum/, code: 'RDB_CHECKSUM_MISMATCH', mention: /checksum mismatch/ },
  { pattern: /^redis_ent_/, code: 'RDB_UNKNOWN_OPCODE', mention: /Redis Enterprise/ },
];
const refusalFor = (name: string): (typeof EXPECTED_REFUSALS)[number] | undefined => EXPECTED_REFUSALS.find((r) => r.pattern.test(name));

/** librdb writes its expected outputs without the outer braces. */
function readLibrdbJson(path: string): unknown {
  const text = readFileSync(path, 'utf8').trim();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return JSON.parse(`{${text}}`) as unknown;
  }
}

type JsonObject = Record<string, unknown>;
const META_KEYS = new Set(['__aux__', '__dbsize__', '__slotinfo__', '__func__']);

/** Our decoded value in librdb's data-level shape (strings, arrays, objects; zset scores compared as numbers). */
function librdbShape(value: RedisValue): unknown {
  const s = (b: Buffer): string => b.toString('utf8');
  switch (value.type) {
    case 'string':
      return s(value.value);
    case 'list':
      return value.items.map(s);
    case 'set':
      return value.members.map(s).sort();
    case 'hash':
      return Object.fromEntries(value.fields.map((f) => [s(f.field), s(f.value)]));
    case 'zset':
      // librdb prints a -0 score as "0"; compare scores as numbers with -0 == 0.
      return Object.fromEntries(value.entries.map((e) => [s(e.member), e.score === 0 ? 0 : e.score]));
    case 'stream':
      return value.stream.entries.map((e) => ({ id: e.id, items: Object.fromEntries(pairs(e.fields.map(s))) }));
    case 'module':
      return value.module.name;
  }
}

function pairs<T>(flat: T[]): Array<[T, T]> {
  const out: Array<[T, T]> = [];
  for (let i = 0; i < flat.length; i += 2) out.push([flat[i], flat[i + 1]]);
  return out;
}

/** librdb's data-level value normalised to compare with `librdbShape`. */
function normaliseLibrdb(ours: RedisValue, theirs: unknown): unknown {
  switch (ours.type) {
    case 'set':
      return [...(theirs as string[])].sort();
    case 'zset':
      return Object.fromEntries(Object.entries(theirs as Record<string, string>).map(([m, score]) => [m, parseScoreText(score)]));
    case 'stream':
      return (theirs as { entries: unknown }).entries;
    case 'module': {
      // "<Content of Module 'test__rdb'. Occupies ...>": keep the module name.
      const m = /Module '([^']+)'/.exec(theirs as string);
      return m ? m[1] : theirs;
    }
    default:
      return theirs;
  }
}

describe('librdb dumps', () => {
  it('are present', () => {
    expect(librdbDumps.length).toBeGreaterThan(0);
  });

  describe.each(librdbDumps)('$name', ({ path, name }) => {
    const refusal = refusalFor(name);

    if (refusal !== undefined) {
      it(`is refused with ${refusal.code}`, async () => {
        let error: unknown;
        try {
          await readFixture(path);
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(RdbError);
        const e = error as RdbError;
        expect(e.code).toBe(refusal.code);
        expect(e.message).toMatch(refusal.mention);
        expect(e.offset).toBeGreaterThanOrEqual(0);
      });
      return;
    }

    let read: ReadFixture;
    beforeAll(async () => {
      read = await readFixture(path);
    });

    it('parses, with a valid or disabled checksum, and every value decodes', () => {
      const eof = read.records[read.records.length - 1];
      expect(eof.kind).toBe('eof');
      if (eof.kind === 'eof') expect(read.rdbVersion >= 5 ? ['ok', 'none'] : ['absent']).toContain(eof.checksum);
      for (const e of read.entries) expect(() => e.value()).not.toThrow();
    });

    const base = name.replace(/\.rdb$/, '');
    const dataPath = join(dirname(path), `${base}_data.json`);
    if (existsSync(dataPath)) {
      it(`agrees with ${base}_data.json (keys, values, aux fields)`, () => {
        const data = readLibrdbJson(dataPath);
        const dbs = (Array.isArray(data) ? data : [data]) as JsonObject[];
        const ourDbs = [...new Set(read.entries.map((e) => e.db))].sort((a, b) => a - b);
        if (Array.isArray(data)) expect(ourDbs).toHaveLength(dbs.length);
        dbs.forEach((obj, i) => {
          const entries = Array.isArray(data) ? read.entries.filter((e) => e.db === ourDbs[i]) : read.entries;
          const theirKeys = Object.keys(obj).filter((k) => !META_KEYS.has(k));
          expect(entries.map((e) => e.key.toString('utf8')).sort()).toEqual(theirKeys.sort());
          for (const e of entries) {
            const value = e.value();
            const key = e.key.toString('utf8');
            expect({ key, value: librdbShape(value) }).toEqual({ key, value: normaliseLibrdb(value, obj[key]) });
          }
          const aux = obj.__aux__ as Record<string, string> | undefined;
          if (aux !== undefined) for (const [k, v] of Object.entries(aux)) expect(read.summary.aux[k]).toBe(v);
        });
      });
    }

    const rawPath = join(dirname(path), `${base}_raw.json`);
    if (existsSync(rawPath)) {
      it(`has the serialized values of ${base}_raw.json`, () => {
        const raw = readLibrdbJson(rawPath) as JsonObject;
        let compared = 0;
        for (const e of read.entries) {
          const theirs = raw[e.key.toString('utf8')];
          // librdb's raw level is the type byte and the value bytes, as one latin1 string
          // (for some types it splits the value into blobs instead; those are skipped).
          if (typeof theirs !== 'string') continue;
          expect(Buffer.from(theirs, 'latin1').toString('hex')).toBe(Buffer.concat([Buffer.from([e.typeId]), e.valueBytes]).toString('hex'));
          compared++;
        }
        expect(compared + Object.values(raw).filter((v) => typeof v !== 'string').length).toBeGreaterThan(0);
      });
    }

    const plainPath = join(dirname(path), `${base}.json`);
    if (existsSync(plainPath)) {
      it(`matches the metadata of ${base}.json (slot info, functions, aux)`, () => {
        const json = readLibrdbJson(plainPath);
        if (json === null) {
          // librdb printed nothing: it drops keys that have already expired.
          expect(read.entries.length).toBeGreaterThan(0);
          for (const e of read.entries) expect(e.expireAtMs).toBeLessThan(Date.now());
          return;
        }
        const obj = (Array.isArray(json) ? Object.assign({}, ...(json as JsonObject[])) : json) as JsonObject;
        const slot = obj.__slotinfo__ as { slotId: number; slotSize: number; slotSExpiresSize: number } | undefined;
        if (slot !== undefined) {
          const ours = read.records.flatMap((r) => (r.kind === 'slot-info' ? [r] : []));
          expect(ours.map((r) => [r.slot, r.slotSize, r.expiresSlotSize])).toEqual([[slot.slotId, slot.slotSize, slot.slotSExpiresSize]]);
        }
        const funcs = obj.__func__ as Record<string, string> | undefined;
        if (funcs !== undefined) {
          const ours = read.records.flatMap((r) => (r.kind === 'function' ? [r.code.toString('utf8')] : []));
          expect(ours.sort()).toEqual(Object.values(funcs).sort());
        }
        const aux = obj.__aux__ as Record<string, string> | undefined;
        if (aux !== undefined) for (const [k, v] of Object.entries(aux)) expect(read.summary.aux[k]).toBe(v);
        // Every key librdb printed is in the file (librdb may have filtered some out, e.g. expired ones).
        const ourKeys = new Set(read.entries.map((e) => e.key.toString('utf8')));
        for (const k of Object.keys(obj).filter((k) => !META_KEYS.has(k))) expect(ourKeys).toContain(k);
      });
    }
  });

  it('string_int_encoded.rdb: integer-encoded strings decode to their decimal text', async () => {
    const path = librdbDumps.find((d) => d.name === 'string_int_encoded.rdb')?.path;
    if (path === undefined) return;
    const read = await readFixture(path);
    const expected = readLibrdbJson(join(dirname(path), 'string_int_encoded.json')) as Record<string, string>;
    expect(read.entries).toHaveLength(Object.keys(expected).length);
    for (const e of read.entries) {
      const v = e.value();
      expect(v.type).toBe('string');
      if (v.type === 'string') expect(v.value.toString()).toBe(expected[e.key.toString()]);
    }
  });

  it('stream_v11.rdb: entries, groups and pending entries as librdb reports them', async () => {
    const path = librdbDumps.find((d) => d.name === 'stream_v11.rdb')?.path;
    const metaPath = path === undefined ? '' : join(dirname(path), 'stream_data_with_meta.json');
    if (path === undefined || !existsSync(metaPath)) return;
    const read = await readFixture(path);
    const meta = (readLibrdbJson(metaPath) as JsonObject).mystream as {
      entries: Array<{ id: string; items: Record<string, string> }>;
      length: number;
      entriesAdded: number;
      firstID: string;
      lastID: string;
      maxDelEntryID: string;
      groups: Array<{ name: string; lastid: string; entriesRead: number; pending: Array<{ sent: number; id: string; count: number }>; consumers: Array<{ name: string; pending?: Array<{ id: string }> }> }>;
    };
    const entry = read.entries.find((e) => e.key.toString() === 'mystream');
    expect(entry).toBeDefined();
    const v = entry!.value();
    if (v.type !== 'stream') throw new Error(`mystream is a ${v.type}`);
    const s = v.stream;
    expect(s.entries.map((e) => ({ id: e.id, items: Object.fromEntries(pairs(e.fields.map((b) => b.toString()))) }))).toEqual(meta.entries);
    expect([s.length, s.entriesAdded, s.firstId, s.lastId, s.maxDeletedId]).toEqual([meta.length, meta.entriesAdded, meta.firstID, meta.lastID, meta.maxDelEntryID]);
    expect(
      s.groups.map((g) => ({
        name: g.name.toString(),
        lastid: g.lastId,
        entriesRead: g.entriesRead,
        pending: g.pending.map((p) => ({ sent: p.deliveryTimeMs, id: p.id, count: p.deliveryCount })),
        consumers: g.consumers.map((c) => c.name.toString()),
        consumerPending: g.consumers.map((c) => c.pending),
      })),
    ).toEqual(
      meta.groups.map((g) => ({
        name: g.name,
        lastid: g.lastid,
        entriesRead: g.entriesRead,
        pending: g.pending,
        consumers: g.consumers.map((c) => c.name),
        consumerPending: g.consumers.map((c) => (c.pending ?? []).map((p) => p.id)),
      })),
    );
  });

  it('mem_policy_lfu/lru.rdb: carry FREQ and IDLE prefixes', async () => {
    for (const [name, field] of [
      ['mem_policy_lfu.rdb', 'freq'],
      ['mem_policy_lru.rdb', 'idle'],
    ] as const) {
      const path = librdbDumps.find((d) => d.name === name)?.path;
      if (path === undefined) continue;
      const read = await readFixture(path);
      expect(read.entries.length).toBeGreaterThan(0);
      for (const e of read.entries) {
        expect(e[field]).not.toBeNull();
        expect(e[field === 'freq' ? 'idle' : 'freq']).toBeNull();
      }
    }
  });

  it('module_aux*.rdb: module aux records are found and walked past', async () => {
    const paths = librdbDumps.filter((d) => /^module_aux/.test(d.name));
    expect(paths.length).toBeGreaterThan(0);
    for (const { path } of paths) {
      const read = await readFixture(path);
      const aux = read.records.flatMap((r) => (r.kind === 'module-aux' ? [r] : []));
      expect(aux.length).toBeGreaterThan(0);
      for (const r of aux) {
        expect([1, 2]).toContain(r.when);
        expect(r.raw[0]).toBe(247);
        expect(r.moduleName).toMatch(/^[A-Za-z0-9_-]{9}$/);
      }
    }
  });
});
