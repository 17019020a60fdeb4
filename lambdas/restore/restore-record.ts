import { randomBytes } from 'node:crypto';
import { restorePrefix } from '../store/layout';
import { SnapshotStore } from '../store/store';
import { RestoreError } from './errors';

/** What a restore has done so far, saved after every chunk so an interrupted restore can resume. */
export interface RestoreCheckpoint {
  restoreId: string;
  snapshotId: string;
  /** The first chunk not yet completely written. */
  nextChunk: number;
  /** CRC-64 state over the raw bytes of chunks [0, nextChunk). */
  crc: [number, number];
  counters: RestoreCounters;
  updatedAt: string;
}

export interface RestoreCounters {
  /** Keys read from the snapshot. */
  read: number;
  /** Keys sent to the target (restored or rewritten). */
  written: number;
  skippedExpired: number;
  filtered: number;
  /** Keys sent per target database (for the count check). */
  perDb: Record<string, number>;
}

export interface RestoreRecord {
  restoreId: string;
  source: string;
  snapshotId: string;
  /** The target, without secrets. */
  target: string;
  mode: 'load' | 'cluster' | 'file';
  /** The options the restore was started with (resume reuses them). */
  options: Record<string, unknown>;
  startedAt: string;
  status: 'running' | 'completed' | 'failed';
  finishedAt?: string;
  error?: { code: string; message: string };
}

export function newRestoreId(now = new Date()): string {
  return `r${now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '')}-${randomBytes(3).toString('hex')}`;
}

const key = (source: string, restoreId: string, name: string): string => `${restorePrefix(source, restoreId)}${name}`;

const json = (value: unknown): Buffer => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);

export async function saveRecord(store: SnapshotStore, record: RestoreRecord): Promise<void> {
  await store.put(key(record.source, record.restoreId, 'record.json'), json(record), 'application/json');
}

export async function saveCheckpoint(store: SnapshotStore, source: string, checkpoint: RestoreCheckpoint): Promise<void> {
  await store.put(key(source, checkpoint.restoreId, 'checkpoint.json'), json(checkpoint), 'application/json');
}

export async function saveReport(store: SnapshotStore, source: string, restoreId: string, report: unknown): Promise<void> {
  await store.put(key(source, restoreId, 'report.json'), json(report), 'application/json');
}

async function readJson<T>(store: SnapshotStore, source: string, restoreId: string, name: string): Promise<T | null> {
  const bytes = await store.get(key(source, restoreId, name));
  return bytes === null ? null : (JSON.parse(bytes.toString('utf8')) as T);
}

/** The record and checkpoint of an earlier restore, for --resume. */
export async function loadRestore(store: SnapshotStore, source: string, restoreId: string): Promise<{ record: RestoreRecord; checkpoint: RestoreCheckpoint | null }> {
  if (!/^r\d{8}T\d{6}Z-[0-9a-f]{6}$/.test(restoreId)) throw new RestoreError('RESTORE_BAD_REQUEST', `${JSON.stringify(restoreId)} is not a restore id (they look like r20261125T080102Z-3f9a1c)`);
  const record = await readJson<RestoreRecord>(store, source, restoreId, 'record.json');
  if (record === null) throw new RestoreError('RESTORE_NOT_FOUND', `No restore ${restoreId} of source ${source} in ${store.url}`, { restoreId });
  return { record, checkpoint: await readJson<RestoreCheckpoint>(store, source, restoreId, 'checkpoint.json') };
}

export async function readReport<T>(store: SnapshotStore, source: string, restoreId: string): Promise<T | null> {
  return readJson<T>(store, source, restoreId, 'report.json');
}
