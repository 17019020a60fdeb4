import { Crc64 } from './crc64';
import { Cursor, DEFAULT_LIMITS, NEED_MORE, ReaderLimits } from './cursor';
import { RdbEntry } from './entry';
import { checksumMismatch, corrupt, RdbError, truncated } from './errors';
import { ChecksumStatus, EofRecord, FunctionRecord, RdbRecord } from './records';
import { ENTERPRISE_OPCODES, MAX_RDB_VERSION, OPCODE, RDB_TYPES, decodeModuleId, MODULE_OPCODE } from './types';
import { skipModuleBody, walkValue } from './value-reader';

export interface RdbReaderOptions {
  /** Receives every record in file order. It may throw to abort the read. */
  onRecord: (record: RdbRecord) => void;
  /** Walk every element of compact encodings (default true). */
  deep?: boolean;
  /**
   * The input was already proved intact (a chunk whose SHA-256 matched a manifest written
   * after a deep check): values are only skipped to find where records end, without
   * walking compact encodings or proving LZF strings. Implies `deep: false`.
   */
  trusted?: boolean;
  /** Empty collections: Redis skips them on load; a verifier reports them (default 'error'). */
  emptyKeys?: 'error' | 'skip';
  /** Check the CRC-64 trailer (default true). */
  checksum?: boolean;
  /**
   * Computes the CRC elsewhere (e.g. Crc64Worker on another core): the reader feeds it
   * every checksummed byte instead of hashing inline, and reports the trailer with
   * checksum 'deferred' for the caller to compare with the sink's digest.
   */
  crcSink?: CrcSink;
  limits?: Partial<ReaderLimits>;
  /** Receives bytes that follow the RDB trailer (for example the command part of an AOF with an RDB preamble). */
  onTrailing?: (chunk: Buffer) => void;
  /**
   * The caller reuses each chunk's memory once `write` returns (a ring of read buffers).
   * The reader then copies what it must keep, and record buffers (keys, values, aux)
   * are valid only during `onRecord`: copy anything kept longer.
   */
  transientInput?: boolean;
  /**
   * Starts in the middle of an RDB, at a record boundary (a snapshot chunk): the header
   * is not expected, the RDB version and selected database are given, and offsets
   * count from `offset`. The CRC can only be checked through a `crcSink` that already
   * holds the bytes before `offset`; otherwise it is not checked.
   */
  resumeAt?: { rdbVersion: number; db: number; offset: number };
}

export interface CrcSink {
  update(buf: Uint8Array, start: number, end: number): void;
}

/** Largest leftover carried into a bridge buffer, and the chunk head copied after it. */
const BRIDGE_MAX = 64 << 10;

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
  private readonly trusted: boolean;
  private readonly skipEmpty: boolean;
  private checkCrc: boolean;
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
  private readonly crcSink?: CrcSink;
  private readonly transientInput: boolean;
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
    this.trusted = options.trusted ?? false;
    this.deep = this.trusted ? false : (options.deep ?? true);
    this.skipEmpty = options.emptyKeys === 'skip';
    this.checkCrc = options.checksum ?? true;
    this.onTrailing = options.onTrailing;
    this.crcSink = options.crcSink;
    this.transientInput = options.transientInput ?? false;
    this.cur = new Cursor(this.buf, 0, 0, false, 0, { ...DEFAULT_LIMITS, ...options.limits });
    this.cur.checkLzf = !this.trusted;
    if (options.resumeAt !== undefined) {
      const { rdbVersion, db, offset } = options.resumeAt;
      this.version = rdbVersion;
      this.magic = 'REDIS';
      this.db = db;
      this.state = 'records';
      this.base = offset;
      this.crcPos = offset;
      this.cur.base = offset;
      if (this.crcSink === undefined) this.checkCrc = false;
    }
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

  /**
   * Absolute offset of the first byte of the record in progress: like `consumed`, but a
   * key's expire/idle/freq prefix, already read, still belongs to the key that follows it.
   * Bytes before this offset are whole records; a chunk may be cut here.
   */
  get recordBoundary(): number {
    return this.entryStart !== -1 ? this.entryStart : this.base + this.cur.pos;
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
    if (this.base + this.buf.length + this.pendingBytes + chunk.length < this.need) {
      // Not enough for the record in progress yet: keep the chunk (a copy, if the caller reuses it).
      this.pending.push(this.transientInput ? Buffer.from(chunk) : chunk);
      this.pendingBytes += chunk.length;
      return;
    }
    if (this.pending.length === 0 && this.tryBridge(chunk)) {
      this.releaseInput(chunk);
      return;
    }
    this.pending.push(chunk);
    this.pendingBytes += chunk.length;
    this.merge();
    this.parse(false);
    this.releaseInput(chunk);
  }

  /** With transient input, stops referring to the caller's chunk: the unparsed rest is copied. */
  private releaseInput(chunk: Buffer): void {
    if (!this.transientInput || this.buf.buffer !== chunk.buffer) return;
    const cur = this.cur;
    this.setBuffer(Buffer.from(this.buf.subarray(cur.pos, cur.end)), this.base + cur.pos, 0);
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

  /**
   * Parses a new chunk without copying it: the small leftover of the previous buffer
   * plus the head of the chunk go into a bridge buffer that completes the record
   * straddling the boundary; parsing then continues in the chunk itself.
   * Returns false (having changed nothing) when the straddling record is too big for that.
   */
  private tryBridge(chunk: Buffer): boolean {
    const cur = this.cur;
    const leftoverLen = cur.end - cur.pos;
    const chunkStart = this.base + cur.end;
    if (leftoverLen === 0) {
      this.setBuffer(chunk, chunkStart, 0);
      this.parse(false);
      return true;
    }
    if (leftoverLen > BRIDGE_MAX) return false;
    const headLen = Math.min(chunk.length, BRIDGE_MAX);
    const bridge = Buffer.allocUnsafe(leftoverLen + headLen);
    this.buf.copy(bridge, 0, cur.pos, cur.end);
    chunk.copy(bridge, leftoverLen, 0, headLen);
    const saved = { buf: this.buf, base: this.base, pos: cur.pos, end: cur.end, need: this.need };
    this.setBuffer(bridge, this.base + cur.pos, 0);
    this.parse(false);
    const consumed = this.base + cur.pos;
    if (this.state === 'done') {
      // The RDB ended inside the bridge: what follows in the chunk is trailing data.
      if (headLen < chunk.length) {
        const rest = chunk.subarray(headLen);
        this.trailingBytes += rest.length;
        this.onTrailing?.(rest);
      }
      return true;
    }
    if (consumed < chunkStart) {
      if (headLen < chunk.length) {
        // The straddling record needs more than the bridge holds: fall back to a full merge.
        this.setBuffer(saved.buf, saved.base, saved.pos, saved.end);
        this.need = saved.need;
        return false;
      }
      return true;
    }
    this.setBuffer(chunk, chunkStart, consumed - chunkStart);
    this.parse(false);
    return true;
  }

  private setBuffer(buf: Buffer, base: number, pos: number, end = buf.length): void {
    this.buf = buf;
    this.base = base;
    const cur = this.cur;
    cur.buf = buf;
    cur.pos = pos;
    cur.end = end;
    cur.base = base;
  }

  private merge(): void {
    const leftover = this.buf.subarray(this.cur.pos, this.cur.end);
    let merged: Buffer;
    if (this.pending.length === 0) merged = leftover;
    else if (leftover.length === 0 && this.pending.length === 1) merged = this.pending[0];
    else merged = Buffer.concat([leftover, ...this.pending], leftover.length + this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    this.setBuffer(merged, this.base + this.cur.pos, 0);
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
    if (this.checkCrc) {
      if (this.crcSink !== undefined) this.crcSink.update(this.buf, this.crcPos - this.base, upTo - this.base);
      else this.crc.update(this.buf, this.crcPos - this.base, upTo - this.base);
    }
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
      else if (!this.checkCrc) checksum = 'unchecked';
      else if (this.crcSink !== undefined) checksum = 'deferred';
      else if (this.crc.matchesLE(this.buf, at)) checksum = 'ok';
      else {
        throw checksumMismatch(storedCrc, this.crc.digest(), this.base + at);
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
      count = walkValue(cur, typeId, { deep: this.deep, trusted: this.trusted });
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
