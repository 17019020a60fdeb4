import { Cursor } from './cursor';
import { buildDumpPayload, writeDumpPayload } from './dump';
import type { DumpCrcBatch } from './dump-crc-batch';
import { LogicalType, RDB_TYPES } from './types';
import { decodeValue } from './value-reader';
import { RedisValue } from './value';

/**
 * One key of an RDB file. The key name and value bytes are views into the
 * reader's input; they stay valid after the handler returns (the reader never
 * reuses a buffer it has handed out), so an entry may be kept.
 */
export class RdbEntry {
  constructor(
    /** The database the key belongs to. */
    readonly db: number,
    /** RDB object type id (0-25). */
    readonly typeId: number,
    /** Absolute expiry in unix ms, or null. */
    readonly expireAtMs: number | null,
    /** LRU idle seconds (IDLE opcode, written under LRU policies), or null. */
    readonly idle: number | null,
    /** LFU log counter (FREQ opcode, written under LFU policies), or null. */
    readonly freq: number | null,
    /** Absolute offset of the record (its first prefix opcode or its type byte). */
    readonly offset: number,
    /** RDB version of the file the entry comes from. */
    readonly rdbVersion: number,
    private readonly buf: Buffer,
    private readonly keyPos: number,
    private readonly valuePos: number,
    private readonly valueEnd: number,
    private readonly base: number,
  ) {}

  private cachedKey: Buffer | undefined;

  /** The key name (integer- and LZF-encoded names decoded). */
  get key(): Buffer {
    if (this.cachedKey === undefined) {
      // The common case, a plain name of under 64 bytes (6-bit length), needs no cursor.
      const b = this.buf[this.keyPos];
      if (b < 0x40 && this.keyPos + 1 + b === this.valuePos) this.cachedKey = this.buf.subarray(this.keyPos + 1, this.valuePos);
      else this.cachedKey = new Cursor(this.buf, this.keyPos, this.valuePos, true, this.base).str();
    }
    return this.cachedKey;
  }

  /** True when the key is a plain name of under 64 bytes, stored right before the value (most keys). */
  private get plainKey(): boolean {
    const b = this.buf[this.keyPos];
    return b < 0x40 && this.keyPos + 1 + b === this.valuePos;
  }

  /** Length of the key name in bytes, without making a Buffer of it for a plain name. */
  get keyLength(): number {
    return this.plainKey ? this.buf[this.keyPos] : this.key.length;
  }

  /** Copies the key name into `out` at `pos` (keyLength bytes); returns where it ends. No Buffer is made for a plain name. */
  copyKey(out: Uint8Array, pos: number): number {
    if (!this.plainKey) {
      const key = this.key;
      out.set(key, pos);
      return pos + key.length;
    }
    const src = this.buf;
    const start = this.keyPos + 1;
    const n = src[this.keyPos];
    for (let i = 0; i < n; i++) out[pos + i] = src[start + i];
    return pos + n;
  }

  get type(): LogicalType {
    return RDB_TYPES[this.typeId]!.type;
  }

  get encoding(): string {
    return RDB_TYPES[this.typeId]!.encoding;
  }

  get rdbTypeName(): string {
    return RDB_TYPES[this.typeId]!.name;
  }

  /** Lowest RDB version (DUMP footer) a server must support to RESTORE this value. */
  get minRdbVersion(): number {
    return RDB_TYPES[this.typeId]!.minVersion;
  }

  /** The serialized value exactly as in the file (without the type byte). */
  get valueBytes(): Buffer {
    return this.buf.subarray(this.valuePos, this.valueEnd);
  }

  /** Serialized size of the whole record in the file (prefix opcodes, key and value). */
  get recordSize(): number {
    return this.valueEnd - (this.offset - this.base);
  }

  /** Size of the serialized value (type byte included), as DUMP would count it. */
  get valueSize(): number {
    return this.valueEnd - this.valuePos + 1;
  }

  /** Decodes the value to plain JS data. */
  value(): RedisValue {
    return decodeValue(this.typeId, this.buf, this.valuePos, this.valueEnd, this.base);
  }

  /**
   * The exact bytes RESTORE accepts: value bytes, a 2-byte RDB version and CRC-64.
   * `footerVersion` defaults to the file's own RDB version.
   */
  dumpPayload(footerVersion = this.rdbVersion): Buffer {
    return buildDumpPayload(this.typeId, this.valueBytes, footerVersion);
  }

  /**
   * Writes `dumpPayload(footerVersion)` into `out` at `pos` (valueSize + 10 bytes) without a buffer of its own; returns where it ends.
   * With `crcs`, the CRC footer of a short payload may be left to `crcs.finish(out)`.
   */
  writeDumpPayload(out: Buffer, pos: number, footerVersion = this.rdbVersion, crcs?: DumpCrcBatch): number {
    return writeDumpPayload(this.typeId, this.buf, this.valuePos, this.valueEnd, footerVersion, out, pos, crcs);
  }
}
