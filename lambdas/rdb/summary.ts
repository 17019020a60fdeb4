import { RdbEntry } from './entry';
import { ChecksumStatus, RdbRecord } from './records';

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

/** Builds an RdbSummary from reader records; keeps only counters and the N biggest keys. */
export class SummaryCollector {
  private readonly dbs = new Map<number, DbSummary>();
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
  private bigPending: Array<{ entry: RdbEntry; size: number }> = [];

  constructor(private readonly topN = 10) {}

  readonly onRecord = (r: RdbRecord): void => {
    switch (r.kind) {
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
      case 'entry':
        this.addEntry(r.entry);
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

  private addEntry(e: RdbEntry): void {
    let db = this.dbs.get(e.db);
    if (db === undefined) {
      db = { db: e.db, keys: 0, expiring: 0, byEncoding: {}, byType: {} };
      this.dbs.set(e.db, db);
    }
    db.keys++;
    this.summary.keys++;
    if (e.expireAtMs !== null) {
      db.expiring++;
      this.summary.expiring++;
    }
    const type = e.type;
    const enc = `${type}/${e.encoding}`;
    db.byEncoding[enc] = (db.byEncoding[enc] ?? 0) + 1;
    db.byType[type] = (db.byType[type] ?? 0) + 1;
    if (this.topN > 0) {
      const size = e.valueSize;
      if (size > this.bigFloor || this.bigPending.length < this.topN) {
        this.bigPending.push({ entry: e, size });
        if (this.bigPending.length >= this.topN * 4) this.trimBig();
      }
    }
  }

  private trimBig(): void {
    this.bigPending.sort((a, b) => b.size - a.size);
    this.bigPending.length = Math.min(this.bigPending.length, this.topN);
    if (this.topN > 0 && this.bigPending.length === this.topN) this.bigFloor = this.bigPending[this.topN - 1].size;
  }

  result(): RdbSummary {
    this.trimBig();
    this.summary.dbs = [...this.dbs.values()].sort((a, b) => a.db - b.db);
    this.summary.biggestKeys = this.bigPending.map(({ entry, size }) => ({
      db: entry.db,
      key: entry.key.toString('utf8'),
      type: entry.type,
      encoding: entry.encoding,
      size,
    }));
    return this.summary;
  }
}
