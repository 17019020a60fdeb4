import { Crc64 } from './crc64';
import { Cursor, DEFAULT_LIMITS, NEED_MORE, ReaderLimits } from './cursor';
import { RdbEntry } from './entry';
import { corrupt, RdbError, truncated } from './errors';
import { ChecksumStatus, EofRecord, FunctionRecord, RdbRecord } from './records';
import { ENTERPRISE_OPCODES, MAX_RDB_VERSION, OPCODE, RDB_TYPES, decodeModuleId, MODULE_OPCODE } from './types';
import { skipModuleBody, walkValue } from './value-reader';

export interface RdbReaderOptions {
  /** Receives every record in file order. It may throw to abort the read. */
  onRecord: (record: RdbRecord) => void;
  /** Walk every element of compact encodings (default true). */
  deep?: boolean;
  /** Empty collections: Redis skips them on load; a verifier reports them (default 'error'). */
  emptyKeys?: 'error' | 'skip';
  /** Check the CRC-64 trailer (default true). */
  checksum?: boolean;
  limits?: Partial<ReaderLimits>;
  /** Receives bytes that follow the RDB trailer (for example the command part of an AOF with an RDB preamble). */
  onTrailing?: (chunk: Buffer) => void;
}

/** Records at least this big grow the buffer geometrically while waiting, so a retry never rescans too often. */
const GEOMETRIC_THRESHOLD = 1 << 20;

type State = 'header' | 'records' | 'trailer' | 'done';

/**
 * A push-based streaming RDB reader. Feed it chunks of any size with `write`,
 * then call `end`. It keeps only the record in progress: a record that
 * straddles chunks is retried once enough bytes have arrived.
 */
export class RdbReader {
  private readonly onRecord: (record: RdbRecord) => void;
  private readonly deep: boolean;
  private readonly skipEmpty: boolean;
  private readonly checkCrc: boolean;
  private readonly onTrailing?: (chunk: Buffer) => void;
  private readonly cur: Cursor;

  private buf: Buffer = Buffer.alloc(0);
  /** Absolute offset of buf[0]. */
  private base = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Absolute offset the buffered data must reach before parsing is retried. */
  private need = 0;
  private state: State = 'header';
  private readonly crc = new Crc64();
  /** Absolute offset up to which the CRC has been computed. */
  private crcPos = 0;

  private version = 0;
  private magic = '';
  private db = 0;
  private expireAtMs: number | null = null;
  private idle: number | null = null;
  private freq: number | null = null;
  /** Absolute offset of the first prefix opcode of the key record in progress, or -1. */
  private entryStart = -1;
  private trailingBytes = 0;
  private eof: EofRecord | null = null;
  private ended = false;

  constructor(options: RdbReaderOptions) {
    this.onRecord = options.onRecord;
    this.deep = options.deep ?? true;
    this.skipEmpty = options.emptyKeys === 'skip';
    this.checkCrc = options.checksum ?? true;
    this.onTrailing = options.onTrailing;
    this.cur = new Cursor(this.buf, 0, 0, false, 0, { ...DEFAULT_LIMITS, ...options.limits });
  }

  /** RDB version from the header (0 until it has been read). */
  get rdbVersion(): number {
    return this.version;
  }

  /** True once the EOF opcode and trailer have been read. */
  get done(): boolean {
    return this.state === 'done';
  }

  /** Absolute offset of the first byte not yet consumed as part of a complete record. */
  get consumed(): number {
    return this.base + this.cur.pos;
  }

  /** Bytes received after the RDB trailer. */
  get trailing(): number {
    return this.trailingBytes;
  }

  write(chunk: Buffer): void {
    if (this.ended) throw new Error('RdbReader.write called after end');
    if (chunk.length === 0) return;
    if (this.state === 'done') {
      this.trailingBytes += chunk.length;
      this.onTrailing?.(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    if (this.base + this.buf.length + this.pendingBytes < this.need) return;
    this.merge();
    this.parse(false);
  }

  /** Signals the end of input. Throws RDB_TRUNCATED if the RDB is incomplete; returns the EOF record. */
  end(): EofRecord {
    if (this.ended) {
      if (this.eof === null) throw new Error('RdbReader.end called twice on an incomplete RDB');
      return this.eof;
    }
    if (this.state !== 'done') {
      this.merge();
      this.parse(true);
    }
    this.ended = true;
    if (this.eof === null) throw truncated(this.base + this.buf.length);
    return this.eof;
  }

  private merge(): void {
    const leftover = this.buf.subarray(this.cur.pos);
    if (this.pending.length === 0) {
      this.buf = leftover;
    } else if (leftover.length === 0 && this.pending.length === 1) {
      this.buf = this.pending[0];
    } else {
      this.buf = Buffer.concat([leftover, ...this.pending], leftover.length + this.pendingBytes);
    }
    this.base += this.cur.pos;
    this.pending = [];
    this.pendingBytes = 0;
    const cur = this.cur;
    cur.buf = this.buf;
    cur.pos = 0;
    cur.end = this.buf.length;
    cur.base = this.base;
  }

  private parse(final: boolean): void {
    const cur = this.cur;
    cur.final = final;
    let recStart = cur.pos;
    try {
      while (this.state !== 'done') {
        recStart = cur.pos;
        if (this.state === 'header') this.readHeader();
        else if (this.state === 'records') this.readRecord(recStart);
        else this.readTrailer();
      }
    } catch (e) {
      if (e !== NEED_MORE) throw e;
      cur.pos = recStart;
      const have = cur.end - recStart;
      const growth = have >= GEOMETRIC_THRESHOLD ? recStart + 2 * have : 0;
      this.need = this.base + Math.max(cur.needEnd, growth);
    }
    this.updateCrc(this.base + cur.pos);
    if (this.state === 'done' && cur.pos < cur.end) {
      const rest = this.buf.subarray(cur.pos, cur.end);
      cur.pos = cur.end;
      this.trailingBytes += rest.length;
      this.onTrailing?.(rest);
    }
  }

  private updateCrc(upTo: number): void {
    if (this.state === 'done' || upTo <= this.crcPos) return;
    this.crc.update(this.buf, this.crcPos - this.base, upTo - this.base);
    this.crcPos = upTo;
  }

  private readHeader(): void {
    const cur = this.cur;
    cur.need(9);
    const head = this.buf.toString('latin1', cur.pos, cur.pos + 9);
    if (head.startsWith('VALKEY')) {
      const v = Number(head.slice(6));
      throw new RdbError(
        'RDB_UNSUPPORTED_VERSION',
        `Valkey 9+ RDB format (magic VALKEY, version ${Number.isNaN(v) ? head.slice(6) : v}) is not supported yet`,
        { offset: this.base + cur.pos },
        'Save the data with Valkey 8 or earlier, or wait for a redis-backup release that reads it',
      );
    }
    if (!head.startsWith('REDIS') || !/^\d{4}$/.test(head.slice(5))) {
      throw new RdbError('RDB_BAD_MAGIC', `Not an RDB file (it starts with ${JSON.stringify(head)})`, { offset: this.base + cur.pos }, 'Check that the path or source points at a dump.rdb');
    }
    const version = Number(head.slice(5));
    if (version < 1 || version > MAX_RDB_VERSION) {
      throw new RdbError(
        'RDB_UNSUPPORTED_VERSION',
        `RDB version ${version} is ${version < 1 ? 'invalid' : 'newer than this tool supports'} (it reads versions 1 to ${MAX_RDB_VERSION}: Redis up to 7.4, Valkey up to 8)`,
        { offset: this.base + cur.pos + 5 },
        version > MAX_RDB_VERSION ? 'Upgrade redis-backup, or save the data with an older server' : undefined,
      );
    }
    cur.pos += 9;
    this.version = version;
    this.magic = head.slice(0, 5);
    this.state = 'records';
    this.onRecord({ kind: 'header', offset: this.base, magic: this.magic, version });
  }

  private readTrailer(): void {
    const cur = this.cur;
    let checksum: ChecksumStatus = 'absent';
    let storedCrc: string | null = null;
    if (this.version >= 5) {
      cur.need(8);
      const at = cur.pos;
      storedCrc = Buffer.from(this.buf.subarray(at, at + 8)).reverse().toString('hex');
      const zero = storedCrc === '0000000000000000';
      if (zero) checksum = 'none';
      else if (!this.checkCrc || this.crc.matchesLE(this.buf, at)) checksum = 'ok';
      else {
        throw new RdbError(
          'RDB_CHECKSUM_MISMATCH',
          `RDB checksum mismatch: the file says ${storedCrc}, the data hashes to ${this.crc.digest().toString(16).padStart(16, '0')}`,
          { offset: this.base + at },
          'The data was altered after it was written; use another snapshot',
        );
      }
      cur.pos += 8;
    }
    this.state = 'done';
    this.eof = { kind: 'eof', offset: this.crcPos - 1, checksum, storedCrc, size: this.base + cur.pos };
    this.onRecord(this.eof);
  }

  private readRecord(recStart: number): void {
    const cur = this.cur;
    const op = cur.u8();
    const offset = this.base + recStart;
    switch (op) {
      case OPCODE.EXPIRETIME_MS:
        this.markEntryStart(offset);
        this.expireAtMs = cur.i64le();
        return;
      case OPCODE.EXPIRETIME:
        this.markEntryStart(offset);
        this.expireAtMs = cur.i32le() * 1000;
        return;
      case OPCODE.IDLE:
        this.markEntryStart(offset);
        this.idle = cur.len();
        return;
      case OPCODE.FREQ:
        this.markEntryStart(offset);
        this.freq = cur.u8();
        return;
      case OPCODE.SELECTDB: {
        const db = cur.len();
        if (db > 0x7fffffff) throw corrupt(`Database index ${db} is out of range`, offset);
        this.db = db;
        this.onRecord({ kind: 'selectdb', offset, db });
        return;
      }
      case OPCODE.RESIZEDB: {
        const dbSize = cur.len();
        const expiresSize = cur.len();
        this.onRecord({ kind: 'resizedb', offset, dbSize, expiresSize });
        return;
      }
      case OPCODE.AUX: {
        const key = cur.str();
        const value = cur.str();
        this.onRecord({ kind: 'aux', offset, key, value });
        return;
      }
      case OPCODE.SLOT_INFO: {
        const slot = cur.len();
        const slotSize = cur.len();
        const expiresSlotSize = cur.len();
        this.onRecord({ kind: 'slot-info', offset, slot, slotSize, expiresSlotSize });
        return;
      }
      case OPCODE.MODULE_AUX:
        this.readModuleAux(recStart, offset);
        return;
      case OPCODE.FUNCTION2:
        this.onRecord(functionFromCode(cur.str(), offset));
        return;
      case OPCODE.FUNCTION_PRE_GA: {
        const name = cur.str().toString();
        const engine = cur.str().toString();
        const hasDesc = cur.len();
        if (hasDesc) cur.skipStr();
        const code = cur.str();
        this.onRecord({ kind: 'function', offset, code, name, engine, preGa: true });
        return;
      }
      case OPCODE.EOF:
        if (this.entryStart !== -1) throw corrupt('RDB ends between a key\'s expire/idle/freq prefix and the key', offset);
        this.updateCrc(this.base + cur.pos);
        this.state = 'trailer';
        return;
      default:
        this.readEntry(op, offset);
    }
  }

  private markEntryStart(offset: number): void {
    if (this.entryStart === -1) this.entryStart = offset;
  }

  private readModuleAux(recStart: number, offset: number): void {
    const cur = this.cur;
    const moduleId = cur.lenBig();
    const whenOpAt = this.base + cur.pos;
    const whenOp = cur.len();
    if (whenOp !== MODULE_OPCODE.UINT) throw corrupt(`Module aux data has an invalid 'when' opcode ${whenOp}`, whenOpAt);
    const when = cur.len();
    skipModuleBody(cur);
    const { name, encver } = decodeModuleId(moduleId);
    this.onRecord({ kind: 'module-aux', offset, moduleId, moduleName: name, encver, when, raw: this.buf.subarray(recStart, cur.pos) });
  }

  private readEntry(typeId: number, offset: number): void {
    const info = RDB_TYPES[typeId];
    if (info === undefined) throw unknownByte(typeId, offset, this.version);
    const cur = this.cur;
    const keyPos = cur.pos;
    cur.skipStr();
    const valuePos = cur.pos;
    let count: number;
    try {
      count = walkValue(cur, typeId, { deep: this.deep });
    } catch (e) {
      if (e instanceof RdbError) throw withKey(e, this.buf, keyPos, valuePos, this.base);
      throw e;
    }
    const entryOffset = this.entryStart === -1 ? offset : this.entryStart;
    const entry = new RdbEntry(this.db, typeId, this.expireAtMs, this.idle, this.freq, entryOffset, this.version, this.buf, keyPos, valuePos, cur.pos, this.base);
    this.expireAtMs = null;
    this.idle = null;
    this.freq = null;
    this.entryStart = -1;
    if (count === 0 && info.type !== 'string' && info.type !== 'stream' && info.type !== 'module') {
      if (this.skipEmpty) return;
      throw new RdbError(
        'RDB_CORRUPT',
        `Empty ${info.type} value (${info.name})`,
        { offset: entryOffset, key: entry.key.toString('latin1'), byte: typeId },
        'Redis skips such keys when it loads the file; pass the option that skips empty keys to accept it',
      );
    }
    this.onRecord({ kind: 'entry', entry });
  }
}

function functionFromCode(code: Buffer, offset: number): FunctionRecord {
  const firstLine = code.toString('utf8', 0, Math.min(code.length, 1024)).split('\n', 1)[0];
  const shebang = /^#!(\S+)/.exec(firstLine);
  const name = /\bname=(\S+)/.exec(firstLine);
  return { kind: 'function', offset, code, engine: shebang ? shebang[1] : '', name: name ? name[1] : '', preGa: false };
}

function withKey(e: RdbError, buf: Buffer, keyPos: number, valuePos: number, base: number): RdbError {
  if (e.key !== undefined) return e;
  try {
    return e.withKey(new Cursor(buf, keyPos, valuePos, true, base).str().toString('latin1'));
  } catch {
    return e;
  }
}

function unknownByte(byte: number, offset: number, version: number): RdbError {
  const enterprise = ENTERPRISE_OPCODES[byte];
  if (enterprise !== undefined) {
    return new RdbError(
      'RDB_UNKNOWN_OPCODE',
      `Opcode ${byte} (0x${byte.toString(16)}, ${enterprise}) is written only by Redis Enterprise`,
      { offset, byte },
      'Export the data from Redis Enterprise as a standard RDB (open-source compatible) and import that',
    );
  }
  if (byte === 6) {
    return new RdbError('RDB_UNSUPPORTED_TYPE', 'Module value of the 4.0 release-candidate format (type 6) cannot be parsed', { offset, byte }, 'Re-save the data with a released Redis 4.0 or later');
  }
  if (byte >= 240) {
    return new RdbError('RDB_UNKNOWN_OPCODE', `Unknown RDB opcode ${byte} (0x${byte.toString(16)}) in an RDB version ${version} file`, { offset, byte }, 'The file is corrupt or was written by a newer server');
  }
  return new RdbError('RDB_UNKNOWN_TYPE', `Unknown RDB value type ${byte} (0x${byte.toString(16)}) in an RDB version ${version} file`, { offset, byte }, 'The file is corrupt or was written by a newer server');
}
