import { RdbEntry } from '../entry';
import { RedisValue, StreamValue } from '../value';
import { JsonBytes, jsonBytes } from './json-bytes';
import { formatScore, ScoreFormat } from './score-format';

export interface ExportedStreamMeta {
  length: number;
  lastGeneratedId: string;
  groups: Array<{ name: JsonBytes; lastDeliveredId: string; pending: Array<[string, JsonBytes | null, number]> }>;
}

/** One key in the export format (the fixtures' ground-truth shape). */
export interface ExportedKey {
  db: number;
  key: JsonBytes;
  type: string;
  expireAtMs: number | null;
  value: unknown;
  fieldExpireAtMs?: Record<string, number>;
  stream?: ExportedStreamMeta;
}

const byBytes = (a: Buffer, b: Buffer): number => Buffer.compare(a, b);

function fieldName(buf: Buffer): string {
  const j = jsonBytes(buf);
  return typeof j === 'string' ? j : j.base64;
}

function exportStreamMeta(s: StreamValue): ExportedStreamMeta {
  const groups = [...s.groups].sort((a, b) => byBytes(a.name, b.name));
  return {
    length: s.length,
    lastGeneratedId: s.lastId,
    groups: groups.map((g) => ({
      name: jsonBytes(g.name),
      lastDeliveredId: g.lastId,
      pending: g.pending.map((p): [string, JsonBytes | null, number] => [p.id, p.consumer === null ? null : jsonBytes(p.consumer), p.deliveryCount]),
    })),
  };
}

/** Converts a decoded value into the export shape: sets and hashes sorted, zsets in rank order. */
export function exportValue(value: RedisValue, scoreFormat: ScoreFormat): Pick<ExportedKey, 'value' | 'fieldExpireAtMs' | 'stream'> {
  switch (value.type) {
    case 'string':
      return { value: jsonBytes(value.value) };
    case 'list':
      return { value: value.items.map(jsonBytes) };
    case 'set':
      return { value: [...value.members].sort(byBytes).map(jsonBytes) };
    case 'zset': {
      const sorted = [...value.entries].sort((a, b) => a.score - b.score || byBytes(a.member, b.member));
      return { value: sorted.map((e) => [jsonBytes(e.member), formatScore(e.score, scoreFormat)]) };
    }
    case 'hash': {
      const sorted = [...value.fields].sort((a, b) => byBytes(a.field, b.field));
      const out: Pick<ExportedKey, 'value' | 'fieldExpireAtMs'> = { value: sorted.map((f) => [jsonBytes(f.field), jsonBytes(f.value)]) };
      const ttl = sorted.filter((f) => f.expireAtMs !== null);
      if (ttl.length > 0) out.fieldExpireAtMs = Object.fromEntries(ttl.map((f) => [fieldName(f.field), f.expireAtMs as number]));
      return out;
    }
    case 'stream':
      return {
        value: value.stream.entries.map((e) => [e.id, e.fields.map(jsonBytes)]),
        stream: exportStreamMeta(value.stream),
      };
    case 'module':
      return { value: { module: value.module.name, encver: value.module.encver, typeId: value.module.typeId.toString(16) } };
  }
}

export function exportEntry(entry: RdbEntry, scoreFormat: ScoreFormat): ExportedKey {
  const value = entry.value();
  return { db: entry.db, key: jsonBytes(entry.key), type: value.type, expireAtMs: entry.expireAtMs, ...exportValue(value, scoreFormat) };
}
