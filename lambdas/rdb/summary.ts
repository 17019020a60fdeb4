import { RdbEntry } from './entry';
import { ChecksumStatus, RdbRecord } from './records';
import { RDB_TYPES } from './types';

export interface BigKey {
  db: number;
  key: string;
  type: string;
  encoding: string;
  /** Serialized bytes of the value in the file. */
  size: number;
}

export interface DbSummary {
  db: number;
  keys: number;
  expiring: number;
  /** "type/encoding" -> count */
  byEncoding: Record<string, number>;
  /** logical type -> count */
  byType: Record<string, number>;
}

export interface RdbSummary {
  rdbVersion: number;
  /** Aux fields as text (redis-ver, ctime, used-mem, repl-id, repl-offset, ...). */
  aux: Record<string, string>;
  /** 'valkey' when the file has a valkey-ver aux field; every other writer identifies as Redis. */
  server: 'redis' | 'valkey';
  serverVersion: string | null;
  keys: number;
  expiring: number;
  dbs: DbSummary[];
  functions: Array<{ name: string; engine: string; bytes: number }>;
  moduleAux: Array<{ module: string; when: number; bytes: number }>;
  slotInfo: number;
  biggestKeys: BigKey[];
  checksum: ChecksumStatus;
  storedCrc: string | null;
  bytes: number;
}

interface DbCounters {
  keys: number;
  expiring: number;
  /** Keys per RDB type id. */
  byTypeId: Float64Array;
}

interface BigCandidate {
  db: number;
  key: Buffer;
  typeId: number;
  size: number;
}

/**
 * Builds an RdbSummary from reader records. Per key it only bumps counters
 * indexed by type id; the N biggest keys are kept as copies so that no input
 * buffer stays referenced.
 */
export class SummaryCollector {
  private readonly dbs = new Map<number, DbCounters>();
  private readonly summary: RdbSummary = {
    rdbVersion: 0,
    aux: {},
    server: 'redis',
    serverVersion: null,
    keys: 0,
    expiring: 0,
    dbs: [],
    functions: [],
    moduleAux: [],
    slotInfo: 0,
    biggestKeys: [],
    checksum: 'absent',
    storedCrc: null,
    bytes: 0,
  };
  /** Smallest size that can still enter the top-N list. */
  private bigFloor = 0;
  private big: BigCandidate[] = [];
  private lastDb = -1;
  private lastCounters: DbCounters | undefined;

  constructor(private readonly topN = 10) {}

  readonly onRecord = (r: RdbRecord): void => {
    switch (r.kind) {
      case 'entry':
        this.addEntry(r.entry);
        break;
      case 'header':
        this.summary.rdbVersion = r.version;
        break;
      case 'aux': {
        const key = r.key.toString('latin1');
        const value = r.value.toString('utf8');
        this.summary.aux[key] = value;
        if (key === 'valkey-ver') {
          this.summary.server = 'valkey';
          this.summary.serverVersion = value;
        } else if (key === 'redis-ver' && this.summary.server !== 'valkey') {
          this.summary.serverVersion = value;
        }
        break;
      }
      case 'function':
        this.summary.functions.push({ name: r.name, engine: r.engine, bytes: r.code.length });
        break;
      case 'module-aux':
        this.summary.moduleAux.push({ module: r.moduleName, when: r.when, bytes: r.raw.length });
        break;
      case 'slot-info':
        this.summary.slotInfo++;
        break;
      case 'eof':
        this.summary.checksum = r.checksum;
        this.summary.storedCrc = r.storedCrc;
        this.summary.bytes = r.size;
        break;
      default:
        break;
    }
  };

  private counters(db: number): DbCounters {
    if (db === this.lastDb && this.lastCounters !== undefined) return this.lastCounters;
    let c = this.dbs.get(db);
    if (c === undefined) {
      c = { keys: 0, expiring: 0, byTypeId: new Float64Array(256) };
      this.dbs.set(db, c);
    }
    this.lastDb = db;
    this.lastCounters = c;
    return c;
  }

  private addEntry(e: RdbEntry): void {
    const c = this.counters(e.db);
    c.keys++;
    c.byTypeId[e.typeId]++;
    if (e.expireAtMs !== null) c.expiring++;
    if (this.topN > 0) {
      const size = e.valueSize;
      if (size > this.bigFloor || this.big.length < this.topN) {
        this.big.push({ db: e.db, key: Buffer.from(e.key), typeId: e.typeId, size });
        if (this.big.length >= this.topN * 4) this.trimBig();
      }
    }
  }

  private trimBig(): void {
    this.big.sort((a, b) => b.size - a.size);
    if (this.big.length > this.topN) this.big.length = this.topN;
    if (this.topN > 0 && this.big.length === this.topN) this.bigFloor = this.big[this.topN - 1].size;
  }

  result(): RdbSummary {
    this.trimBig();
    let keys = 0;
    let expiring = 0;
    this.summary.dbs = [...this.dbs.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([db, c]) => {
        keys += c.keys;
        expiring += c.expiring;
        const byEncoding: Record<string, number> = {};
        const byType: Record<string, number> = {};
        c.byTypeId.forEach((n, typeId) => {
          const info = RDB_TYPES[typeId];
          if (n === 0 || info === undefined) return;
          byEncoding[`${info.type}/${info.encoding}`] = (byEncoding[`${info.type}/${info.encoding}`] ?? 0) + n;
          byType[info.type] = (byType[info.type] ?? 0) + n;
        });
        return { db, keys: c.keys, expiring: c.expiring, byEncoding, byType };
      });
    this.summary.keys = keys;
    this.summary.expiring = expiring;
    this.summary.biggestKeys = this.big.map((b) => {
      const info = RDB_TYPES[b.typeId];
      return { db: b.db, key: b.key.toString('utf8'), type: info?.type ?? 'unknown', encoding: info?.encoding ?? 'unknown', size: b.size };
    });
    return this.summary;
  }
}
