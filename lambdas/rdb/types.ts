/** RDB object type ids and opcodes, with what each means to a reader. */

export const OPCODE = {
  MODULE_AUX: 247,
  IDLE: 248,
  FREQ: 249,
  AUX: 250,
  RESIZEDB: 251,
  EXPIRETIME_MS: 252,
  EXPIRETIME: 253,
  SELECTDB: 254,
  EOF: 255,
  SLOT_INFO: 244,
  FUNCTION2: 245,
  FUNCTION_PRE_GA: 246,
} as const;

/** The newest RDB version this reader understands. */
export const MAX_RDB_VERSION = 12;

export type LogicalType = 'string' | 'list' | 'set' | 'zset' | 'hash' | 'stream' | 'module';

export interface RdbTypeInfo {
  id: number;
  name: string;
  type: LogicalType;
  /** Human name of the on-disk encoding. */
  encoding: string;
  /** First RDB version that can contain this type (the lowest DUMP footer a server accepts for it). */
  minVersion: number;
}

const TYPE_LIST: RdbTypeInfo[] = [
  { id: 0, name: 'STRING', type: 'string', encoding: 'string', minVersion: 1 },
  { id: 1, name: 'LIST', type: 'list', encoding: 'linkedlist', minVersion: 1 },
  { id: 2, name: 'SET', type: 'set', encoding: 'hashtable', minVersion: 1 },
  { id: 3, name: 'ZSET', type: 'zset', encoding: 'skiplist', minVersion: 1 },
  { id: 4, name: 'HASH', type: 'hash', encoding: 'hashtable', minVersion: 1 },
  { id: 5, name: 'ZSET_2', type: 'zset', encoding: 'skiplist', minVersion: 8 },
  { id: 7, name: 'MODULE_2', type: 'module', encoding: 'module', minVersion: 8 },
  { id: 9, name: 'HASH_ZIPMAP', type: 'hash', encoding: 'zipmap', minVersion: 2 },
  { id: 10, name: 'LIST_ZIPLIST', type: 'list', encoding: 'ziplist', minVersion: 2 },
  { id: 11, name: 'SET_INTSET', type: 'set', encoding: 'intset', minVersion: 2 },
  { id: 12, name: 'ZSET_ZIPLIST', type: 'zset', encoding: 'ziplist', minVersion: 2 },
  { id: 13, name: 'HASH_ZIPLIST', type: 'hash', encoding: 'ziplist', minVersion: 4 },
  { id: 14, name: 'LIST_QUICKLIST', type: 'list', encoding: 'quicklist', minVersion: 7 },
  { id: 15, name: 'STREAM_LISTPACKS', type: 'stream', encoding: 'stream', minVersion: 9 },
  { id: 16, name: 'HASH_LISTPACK', type: 'hash', encoding: 'listpack', minVersion: 10 },
  { id: 17, name: 'ZSET_LISTPACK', type: 'zset', encoding: 'listpack', minVersion: 10 },
  { id: 18, name: 'LIST_QUICKLIST_2', type: 'list', encoding: 'quicklist2', minVersion: 10 },
  { id: 19, name: 'STREAM_LISTPACKS_2', type: 'stream', encoding: 'stream', minVersion: 10 },
  { id: 20, name: 'SET_LISTPACK', type: 'set', encoding: 'listpack', minVersion: 11 },
  { id: 21, name: 'STREAM_LISTPACKS_3', type: 'stream', encoding: 'stream', minVersion: 11 },
  { id: 22, name: 'HASH_METADATA_PRE_GA', type: 'hash', encoding: 'hashtable-ttl', minVersion: 12 },
  { id: 23, name: 'HASH_LISTPACK_EX_PRE_GA', type: 'hash', encoding: 'listpack-ttl', minVersion: 12 },
  { id: 24, name: 'HASH_METADATA', type: 'hash', encoding: 'hashtable-ttl', minVersion: 12 },
  { id: 25, name: 'HASH_LISTPACK_EX', type: 'hash', encoding: 'listpack-ttl', minVersion: 12 },
];

/** Indexed by type id; undefined for ids that are not object types. */
export const RDB_TYPES: ReadonlyArray<RdbTypeInfo | undefined> = (() => {
  const table: Array<RdbTypeInfo | undefined> = new Array(256).fill(undefined);
  for (const t of TYPE_LIST) table[t.id] = t;
  return table;
})();

/** Opcodes written only by Redis Enterprise (named so the error can say so). */
export const ENTERPRISE_OPCODES: Readonly<Record<number, string>> = {
  101: 'GCAS',
  102: 'GFLAGS',
  107: 'RAM_LRU',
  121: 'SLOT_NUM',
};

export const MODULE_OPCODE = { EOF: 0, SINT: 1, UINT: 2, FLOAT: 3, DOUBLE: 4, STRING: 5 } as const;

const MODULE_CHARSET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Decodes a 64-bit module type id into its 9-character name and encoding version. */
export function decodeModuleId(id: bigint): { name: string; encver: number } {
  const encver = Number(id & 1023n);
  let rest = id >> 10n;
  let name = '';
  for (let i = 0; i < 9; i++) {
    name = MODULE_CHARSET[Number(rest & 63n)] + name;
    rest >>= 6n;
  }
  return { name, encver };
}
