/** Plain JS values decoded from RDB entries (the "logical" level). */

export interface ZsetEntry {
  member: Buffer;
  score: number;
}

export interface HashField {
  field: Buffer;
  value: Buffer;
  /** Absolute unix ms at which the field expires (Redis 7.4 hash field expiry), or null. */
  expireAtMs: number | null;
}

/** Stream ids are kept as "ms-seq" text: exact for the full 64-bit range. */
export type StreamId = string;

export interface StreamEntry {
  id: StreamId;
  /** field, value, field, value, ... */
  fields: Buffer[];
}

export interface StreamPendingEntry {
  id: StreamId;
  deliveryTimeMs: number;
  deliveryCount: number;
  /** Owning consumer (from the consumers' own PELs). */
  consumer: Buffer | null;
}

export interface StreamConsumer {
  name: Buffer;
  seenTimeMs: number;
  /** Redis 7.2+ (type 21); null when the file predates it. */
  activeTimeMs: number | null;
  pending: StreamId[];
}

export interface StreamGroup {
  name: Buffer;
  lastId: StreamId;
  /** Redis 7.0+ (types 19, 21); null when unknown (-1) or not stored. */
  entriesRead: number | null;
  pending: StreamPendingEntry[];
  consumers: StreamConsumer[];
}

export interface StreamValue {
  entries: StreamEntry[];
  length: number;
  lastId: StreamId;
  /** Redis 7.0+ metadata; null when the file predates it. */
  firstId: StreamId | null;
  maxDeletedId: StreamId | null;
  entriesAdded: number | null;
  groups: StreamGroup[];
}

export interface ModuleValue {
  typeId: bigint;
  name: string;
  encver: number;
}

export type RedisValue =
  | { type: 'string'; value: Buffer }
  | { type: 'list'; items: Buffer[] }
  | { type: 'set'; members: Buffer[] }
  | { type: 'zset'; entries: ZsetEntry[] }
  | { type: 'hash'; fields: HashField[] }
  | { type: 'stream'; stream: StreamValue }
  | { type: 'module'; module: ModuleValue };
