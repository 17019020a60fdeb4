import { closeSync, openSync, readSync } from 'node:fs';
import { relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import Redis from 'ioredis';
import { ExportedKey, exportEntry, formatScore, FunctionRecord, RdbEntry, readRdbFile, ScoreFormat } from '../../lambdas/rdb';
import { bytesFromJson, JsonBytes, jsonBytes } from '../../lambdas/rdb/export/json-bytes';
import { Command } from '../../lambdas/restore/types';
import { Dataset, DatasetKey } from './dataset';
import { FIXTURES_DIR, normalizeTruthExpiry, rdbFixturesWithTruth, Truth, TruthKey } from './fixtures';

/**
 * Fixture plumbing shared by the DUMP, rewrite, restore and AOF tests, and the
 * comparison rules against a fixture's ground truth: zset scores re-printed in the target's format, pre-7.0 "relative:" expiries
 * resolved against the absolute ones that were set, and the truth files' lossy
 * view of binary hash field names.
 */

export function rdbVersionOf(path: string): number {
  const fd = openSync(path, 'r');
  try {
    const head = Buffer.alloc(9);
    readSync(fd, head, 0, 9, 0);
    return Number(head.toString('latin1', 5, 9));
  } finally {
    closeSync(fd);
  }
}

export interface Fixture {
  name: string;
  path: string;
  truth: Truth;
  rdbVersion: number;
}

export const FIXTURES: Fixture[] = rdbFixturesWithTruth().map(({ path, truth }) => ({ name: relative(FIXTURES_DIR, path), path, truth, rdbVersion: rdbVersionOf(path) }));

export interface Parsed {
  entries: RdbEntry[];
  functions: FunctionRecord[];
}

export async function parse(path: string): Promise<Parsed> {
  const entries: RdbEntry[] = [];
  const functions: FunctionRecord[] = [];
  // Redis skips empty collections when it loads a file; so does a restore.
  await readRdbFile(path, {
    emptyKeys: 'skip',
    onRecord: (r) => {
      if (r.kind === 'entry') entries.push(r.entry);
      else if (r.kind === 'function') functions.push(r);
    },
  });
  return { entries, functions };
}

/** Runs commands in order on one connection (ioredis pipelines them); resolves to the replies. */
export function send(client: Redis, commands: Command[]): Promise<unknown[]> {
  return Promise.all(commands.map(([name, ...args]) => client.callBuffer(String(name), ...args)));
}

export const idOf = (k: { db: number; key: unknown }): string => `${k.db}:${bytesFromJson(k.key as JsonBytes).toString('base64')}`;
export const entryId = (e: RdbEntry): string => `${e.db}:${e.key.toString('base64')}`;

function parseScore(text: string): number {
  if (text === 'inf' || text === '+inf') return Infinity;
  if (text === '-inf') return -Infinity;
  return Number(text);
}

export interface CompareOptions {
  /** Compare only these keys (idOf); the rest of the truth must be absent. */
  only?: Set<string>;
  /** The target cannot hold hash field expiry: the truth's fieldExpireAtMs is not expected. */
  withoutFieldExpiry?: boolean;
}

function expectedKeys(truth: Truth, truthFormat: ScoreFormat, ourFormat: ScoreFormat, actual: Map<string, DatasetKey>, options: CompareOptions): TruthKey[] {
  return truth.keys.map((k) => {
    const ours = actual.get(idOf(k));
    const oursExpiry = ours !== undefined && typeof ours.expireAtMs === 'number' ? ours.expireAtMs : null;
    const out: TruthKey = { ...k, expireAtMs: normalizeTruthExpiry(k.expireAtMs, oursExpiry) };
    if (k.type === 'zset' && truthFormat !== ourFormat) {
      out.value = (k.value as Array<[JsonBytes, string]>).map(([m, s]) => [m, formatScore(parseScore(s), ourFormat)]);
    }
    if (options.withoutFieldExpiry) delete out.fieldExpireAtMs;
    return out;
  });
}

/** Pre-7.0 truth files hold PTTLs; absolute expiry minus PTTL is one capture instant for the whole file. */
function captureTimes(truth: Truth, actual: Map<string, DatasetKey>): number[] {
  const out: number[] = [];
  for (const k of truth.keys) {
    if (typeof k.expireAtMs !== 'string' || !k.expireAtMs.startsWith('relative:')) continue;
    const ours = actual.get(idOf(k));
    if (ours !== undefined && typeof ours.expireAtMs === 'number') out.push(ours.expireAtMs - Number(k.expireAtMs.slice('relative:'.length)));
  }
  return out;
}

const isUtf8 = (b: Buffer): boolean => Buffer.from(b.toString('utf8'), 'utf8').equals(b);

/**
 * The fixture generator read hash field names as text, so a field that is not UTF-8
 * reached the truth with U+FFFD in place of the bad bytes (d*:hash:binary: 00 FF is
 * recorded as 00 EF BF BD). The files hold 00 FF (DEBUG DIGEST proves it). This is
 * that lossy view of a hash.
 */
function lossyHashView(k: DatasetKey): DatasetKey {
  if (k.type !== 'hash') return k;
  const lossy = (j: JsonBytes): JsonBytes => jsonBytes(Buffer.from(bytesFromJson(j).toString('utf8'), 'utf8'));
  const value = k.value.map(([f, v]): [JsonBytes, JsonBytes] => [lossy(f), v]).sort((a, b) => Buffer.compare(bytesFromJson(a[0]), bytesFromJson(b[0])));
  return { ...k, value };
}

/** Compares a server's dataset with the truth; returns the keys that only match through the truth's lossy hash field names. */
export function compareWithTruth(dataset: Dataset, truth: Truth, truthFormat: ScoreFormat, ourFormat: ScoreFormat, options: CompareOptions = {}): string[] {
  const actual = new Map(dataset.keys.map((k) => [idOf(k), k]));
  const expected = expectedKeys(truth, truthFormat, ourFormat, actual, options).filter((k) => options.only === undefined || options.only.has(idOf(k)));
  expect(dataset.keys.map(idOf)).toEqual(expected.map(idOf));
  const lossy: string[] = [];
  for (const want of expected) {
    const got = actual.get(idOf(want))!;
    if (isDeepStrictEqual(got, want)) continue;
    if (got.type === 'hash' && got.fieldExpireAtMs === undefined && isDeepStrictEqual(lossyHashView(got), want)) {
      expect(got.value.some(([f]) => !isUtf8(bytesFromJson(f)))).toBe(true);
      lossy.push(`${got.db}:${JSON.stringify(got.key)}`);
      continue;
    }
    // Key by key, so that a failure names the key.
    expect({ id: idOf(want), ...got }).toStrictEqual({ id: idOf(want), ...want });
  }
  const times = captureTimes(truth, actual);
  if (times.length > 0) expect(Math.max(...times) - Math.min(...times)).toBeLessThan(2000);
  return lossy;
}

/** The engine's own export of `entries`, in the dataset's order (db, then key bytes). */
export function exportSorted(entries: RdbEntry[], format: ScoreFormat, withoutFieldExpiry = false): ExportedKey[] {
  return entries
    .map((e) => {
      const k = exportEntry(e, format);
      if (withoutFieldExpiry) delete k.fieldExpireAtMs;
      return k;
    })
    .sort((a, b) => a.db - b.db || Buffer.compare(bytesFromJson(a.key), bytesFromJson(b.key)));
}
