import { RdbEntry } from './entry';

/** Records emitted by the RDB reader, in file order. Offsets are absolute stream offsets. */

export interface HeaderRecord {
  kind: 'header';
  offset: number;
  magic: string;
  version: number;
}

export interface AuxRecord {
  kind: 'aux';
  offset: number;
  key: Buffer;
  value: Buffer;
}

export interface SelectDbRecord {
  kind: 'selectdb';
  offset: number;
  db: number;
}

export interface ResizeDbRecord {
  kind: 'resizedb';
  offset: number;
  dbSize: number;
  expiresSize: number;
}

export interface SlotInfoRecord {
  kind: 'slot-info';
  offset: number;
  slot: number;
  slotSize: number;
  expiresSlotSize: number;
}

export interface ModuleAuxRecord {
  kind: 'module-aux';
  offset: number;
  moduleId: bigint;
  moduleName: string;
  encver: number;
  /** 1 = written before the keyspace, 2 = after. */
  when: number;
  /** The whole record, opcode included. */
  raw: Buffer;
}

export interface FunctionRecord {
  kind: 'function';
  offset: number;
  /** Library source code (for FUNCTION2: the whole library including its shebang). */
  code: Buffer;
  /** Library name from the `#!engine name=lib` shebang (or the pre-GA record). */
  name: string;
  engine: string;
  /** True for the 7.0 release-candidate format (opcode 246) that GA servers refuse. */
  preGa: boolean;
}

export interface EntryRecord {
  kind: 'entry';
  entry: RdbEntry;
}

export type ChecksumStatus = 'ok' | 'none' | 'absent' | 'unchecked' | 'deferred';

export interface EofRecord {
  kind: 'eof';
  offset: number;
  /** 'ok': trailer matched; 'none': zero trailer (rdbchecksum no); 'absent': RDB version < 5; 'unchecked': checking was turned off; 'deferred': computed by a CrcSink, for the caller to compare. */
  checksum: ChecksumStatus;
  /** The stored trailer (hex), when present. */
  storedCrc: string | null;
  /** Total bytes of the RDB, trailer included. */
  size: number;
}

export type RdbRecord =
  | HeaderRecord
  | AuxRecord
  | SelectDbRecord
  | ResizeDbRecord
  | SlotInfoRecord
  | ModuleAuxRecord
  | FunctionRecord
  | EntryRecord
  | EofRecord;
