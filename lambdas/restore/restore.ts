import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { resolveSnapshot, SnapshotSelector } from '../catalog/catalog';
import { requireRdbManifest } from '../catalog/snapshot-kind';
import { Crc64 } from '../rdb/crc64';
import { RdbRecord } from '../rdb/records';
import { SnapshotStore } from '../store/store';
import { AofSnapshotLoadReport, findAofSnapshot, restoreAofSnapshot } from './aof';
import { readChunk } from './chunk-entries';
import { RestoreError } from './errors';
import { KeyFilter, KeyFilterOptions } from './key-filter';
import { KeyWriter, LoadTarget, openClusterTarget, openServerTarget } from './load-target';
import { clusterDbsError, targetNotEmptyError, throwIfRefused } from './pre-checks';
import { loadRestore, newRestoreId, RestoreCheckpoint, RestoreCounters, RestoreRecord, saveCheckpoint, saveRecord, saveReport } from './restore-record';
import { KeySampler, SampleReport } from './sampler';
import { TargetCapabilities, WriteStats } from './types';
import { verifiedChunks } from './verified-chunks';

export interface LoadRestoreOptions extends KeyFilterOptions {
  /** Empty the target first (FLUSHALL, and FUNCTION FLUSH for libraries). */
  flush?: boolean;
  /** Overwrite keys that exist on the target. Without flush or replace a non-empty target is refused. */
  replace?: boolean;
  /** Rewrite what the target cannot represent, dropping it, and list what was dropped. */
  allowLossy?: boolean;
  /** Keys compared value by value with the snapshot at the end (default 100). */
  sampleKeys?: number;
}

export interface LoadRestoreRequest extends LoadRestoreOptions {
  store: SnapshotStore;
  source: string;
  selector: SnapshotSelector;
  /** The server to load into (for a cluster: a seed node, also named in `cluster`). */
  target: RedisEndpoint;
  /** A Redis Cluster target: its nodes (keys are routed by slot; only db 0 exists there). */
  cluster?: RedisEndpoint[];
  /** Verify the snapshot and report what would be written, writing nothing. */
  dryRun?: boolean;
  /** Continue an interrupted restore from its last completed chunk. */
  resume?: string;
  /**
   * Start the restore under this id (one the caller handed out with newRestoreId, e.g. the
   * service's API) instead of a new one. A record the caller already filed under it is taken over (its start time and
   * extra options are kept); a restore that has a checkpoint must be continued with `resume`
   * (which names the id itself: `restoreId` is then not used).
   */
  restoreId?: string;
  /**
   * Pause: once aborted, the restore stops after the chunk it is writing, at its checkpoint,
   * and throws RESTORE_PAUSED; its record stays 'running' and `resume` continues it (a Lambda
   * run that must end before its timeout). Not checked by a dry run.
   */
  signal?: AbortSignal;
  onProgress?: (p: RestoreProgress) => void;
}

export interface RestoreProgress {
  chunk: number;
  chunks: number;
  keys: number;
  rawBytes: number;
}

export interface RestoreReport {
  restoreId: string;
  source: string;
  snapshotId: string;
  target: string;
  mode: 'load' | 'cluster';
  status: 'completed' | 'dry-run';
  startedAt: string;
  finishedAt: string;
  resumedFromChunk: number;
  chunks: number;
  counters: RestoreCounters;
  writes: WriteStats;
  functions: string[];
  verification: {
    /** Per target db: keys expected from the snapshot (after filters) and keys found. */
    counts: Array<{ db: number; expected: number; actual: number }> | 'not comparable';
    sample: SampleReport | null;
    ok: boolean;
  };
}

const emptyCounters = (): RestoreCounters => ({ read: 0, written: 0, skippedExpired: 0, filtered: 0, perDb: {} });

/**
 * Restores a snapshot into a running server: every chunk is downloaded and checked
 * against the manifest before any key from it is written; keys go out as RESTORE
 * pipelines (or ordinary commands where the target cannot read the snapshot's
 * encoding); progress is checkpointed after each chunk; the end checks key counts
 * and a sample of keys value by value.
 */
export async function restoreIntoServer(request: LoadRestoreRequest): Promise<RestoreReport> {
  const { store, source } = request;
  const startedAt = new Date();
  let record: RestoreRecord;
  let checkpoint: RestoreCheckpoint | null = null;
  let options: LoadRestoreOptions = request;
  if (request.resume !== undefined) {
    const loaded = await loadRestore(store, source, request.resume);
    record = loaded.record;
    checkpoint = loaded.checkpoint;
    options = record.options as LoadRestoreOptions;
  } else {
    const filed = request.restoreId === undefined ? null : await filedRecord(store, source, request.restoreId);
    record = {
      restoreId: request.restoreId ?? newRestoreId(startedAt),
      source,
      snapshotId: '',
      target: request.cluster ? `cluster://${request.cluster.map((n) => `${n.host}:${n.port}`).join(',')}` : describeEndpoint(request.target),
      mode: request.cluster ? 'cluster' : 'load',
      options: { ...filed?.options, ...pickOptions(request) },
      startedAt: filed?.startedAt ?? startedAt.toISOString(),
      status: 'running',
    };
  }
  const manifest = requireRdbManifest(await resolveSnapshot(store, source, request.resume !== undefined ? record.snapshotId : request.selector), 'a load restore');
  record.snapshotId = manifest.snapshotId;
  const filter = new KeyFilter(options);
  const fromChunk = checkpoint?.nextChunk ?? 0;
  const counters = checkpoint?.counters ?? emptyCounters();
  const crc = checkpoint ? Crc64.fromState(checkpoint.crc[0], checkpoint.crc[1]) : new Crc64();
  const targetName = request.cluster ? `cluster://${request.cluster.map((n) => `${n.host}:${n.port}`).join(',')}` : describeEndpoint(request.target);
  // Without filters the keys to come are known (those of the chunks left): each sampled value is decoded once.
  const keysLeft = manifest.chunks.slice(fromChunk).reduce((n, c) => n + c.keys, 0);
  const sampler = new KeySampler(options.sampleKeys ?? 100, filter.isPassThrough ? keysLeft : undefined);
  const functions: string[] = [];
  const now = Date.now();
  /** Expiry times of written keys that expire within the hour, per db: they may be gone when counts are checked. */
  const expiringSoon = new Map<number, number[]>();

  let target: LoadTarget | null = null;
  let writer: KeyWriter | null = null;
  let checkpoints: Promise<void> = Promise.resolve();
  let caps: TargetCapabilities | null = null;
  const dryRun = request.dryRun === true;
  try {
    if (request.cluster) throwIfRefused(clusterDbsError(manifest, options));
    if (!dryRun) {
      target = request.cluster ? await openClusterTarget(request.cluster) : await openServerTarget(request.target);
      caps = await target.capabilities();
      writer = await target.openWriter(caps, {
        // A resumed restore may find keys of the chunk it was writing when it stopped.
        replace: options.replace === true || request.resume !== undefined,
        allowLossy: options.allowLossy === true,
        sourceEngine: manifest.server?.engine ?? 'redis',
      });
      if (request.resume === undefined) {
        if (options.flush) await target.flush(caps.functions);
        else if (!options.replace) throwIfRefused(targetNotEmptyError(target.description, await target.keyCounts(), manifest, options));
      }
      await saveRecord(store, record);
      // Nothing written yet: a run that dies in the first chunk is resumed, not refused as a target that is not empty.
      if (request.resume === undefined) await saveCheckpoint(store, source, { restoreId: record.restoreId, snapshotId: manifest.snapshotId, nextChunk: 0, crc: crc.state, counters, updatedAt: new Date().toISOString() });
    }

    const w = writer;
    const onBatch = async (records: RdbRecord[]): Promise<void> => {
      for (const r of records) {
        if (r.kind === 'function') {
          functions.push(r.name);
          if (w !== null) {
            const args = ['FUNCTION', 'LOAD', ...(options.flush || options.replace ? ['REPLACE'] : []), r.code];
            await w.command(args, (m) => w.stats().errors.push({ db: -1, key: `(function ${r.name})`, error: m }));
          }
          continue;
        }
        if (r.kind !== 'entry') continue;
        const { entry } = r;
        counters.read++;
        if (!filter.accepts(entry)) {
          counters.filtered++;
          continue;
        }
        if (entry.expireAtMs !== null && entry.expireAtMs <= now) {
          counters.skippedExpired++;
          continue;
        }
        const db = filter.targetDb(entry.db);
        // Counted once queued: a key the writer refuses (RESTORE_UNREPRESENTABLE) was not written.
        if (w !== null) {
          // Awaited only when the writer asks to wait (back-pressure): an await per key costs a microtask turn per key.
          const pending = w.add({ db, entry });
          if (pending !== undefined) await pending;
        }
        counters.written++;
        counters.perDb[db] = (counters.perDb[db] ?? 0) + 1;
        sampler.offer(db, entry);
        if (entry.expireAtMs !== null && entry.expireAtMs < now + 3_600_000) {
          const list = expiringSoon.get(db) ?? [];
          list.push(entry.expireAtMs);
          expiringSoon.set(db, list);
        }
      }
    };

    // No pause at chunk ends: a chunk is checkpointed once the target has acknowledged
    // every key up to its end, while the next chunks are already being written.
    let rawBytes = 0;
    for await (const verified of verifiedChunks(store, manifest, fromChunk)) {
      await readChunk(manifest, verified, crc, onBatch);
      rawBytes += verified.chunk.raw.length;
      const progress: RestoreProgress = { chunk: verified.chunk.index + 1, chunks: manifest.chunks.length, keys: counters.written, rawBytes };
      if (w === null) {
        request.onProgress?.(progress);
        continue;
      }
      const checkpoint: RestoreCheckpoint = {
        restoreId: record.restoreId,
        snapshotId: manifest.snapshotId,
        nextChunk: verified.chunk.index + 1,
        crc: crc.state,
        counters: { ...counters, perDb: { ...counters.perDb } },
        updatedAt: '',
      };
      // A writer that cannot tell when earlier keys are settled (the cluster writer) is drained here.
      if (!w.settled) await w.drain();
      const acknowledged = w.settled ? w.settled() : Promise.resolve();
      // Awaited below unless an earlier checkpoint failed first: never an unhandled rejection.
      acknowledged.catch(() => undefined);
      const previous = checkpoints;
      checkpoints = (async () => {
        await previous;
        await acknowledged;
        checkpoint.updatedAt = new Date().toISOString();
        await saveCheckpoint(store, source, checkpoint);
        request.onProgress?.(progress);
      })();
      // Reported below (or by the next chunk's add, when the connection failed).
      checkpoints.catch(() => undefined);
      if (request.signal !== undefined) {
        // A caller that may pause (a Lambda run near its end) gets each chunk settled and checkpointed before the
        // next one starts, so a pause stops exactly at the chunk boundary it was asked at.
        await checkpoints;
        if (request.signal.aborted && verified.chunk.index + 1 < manifest.chunks.length) throw paused(record.restoreId, verified.chunk.index + 1, manifest.chunks.length);
      }
    }
    if (w !== null) await w.drain();
    await checkpoints;

    const report: RestoreReport = {
      restoreId: record.restoreId,
      source,
      snapshotId: manifest.snapshotId,
      target: targetName,
      mode: request.cluster ? 'cluster' : 'load',
      status: dryRun ? 'dry-run' : 'completed',
      startedAt: record.startedAt,
      finishedAt: new Date().toISOString(),
      resumedFromChunk: fromChunk,
      chunks: manifest.chunks.length,
      counters,
      writes: w?.stats() ?? { restored: 0, rewritten: 0, failed: 0, lossy: [], errors: [] },
      functions,
      verification: { counts: 'not comparable', sample: null, ok: true },
    };
    if (target !== null && w !== null) {
      report.verification = await verifyTarget(target, counters, w.stats(), sampler, expiringSoon, options.replace === true && !options.flush, caps?.hashFieldExpiry !== true);
      record.status = 'completed';
      record.finishedAt = report.finishedAt;
      await saveReport(store, source, record.restoreId, report);
      await saveRecord(store, record);
    }
    return report;
  } catch (e) {
    // Keys queued before the error go out before the connection closes, so that keysWritten is what the target holds.
    await writer?.drain().catch(() => undefined);
    // Checkpoints of chunks whose keys were all acknowledged are saved before the restore is marked failed.
    await checkpoints.catch(() => undefined);
    const isPause = e instanceof RestoreError && e.code === 'RESTORE_PAUSED';
    if (!dryRun && record.snapshotId !== '' && !isPause) {
      record.status = 'failed';
      record.finishedAt = new Date().toISOString();
      record.error = { code: (e as { code?: string }).code ?? 'ERROR', message: (e as Error).message };
      await saveRecord(store, record).catch(() => undefined);
    }
    if (e instanceof RestoreError) {
      e.context.restoreId = record.restoreId;
      e.context.keysWritten ??= counters.written;
    }
    throw e;
  } finally {
    await writer?.close();
    await target?.close();
  }
}

/** The record a caller filed under the id it handed out, or null; refused when that restore already began writing. */
async function filedRecord(store: SnapshotStore, source: string, restoreId: string): Promise<RestoreRecord | null> {
  const filed = await loadRestore(store, source, restoreId).catch((e: unknown) => {
    if (e instanceof RestoreError && e.code === 'RESTORE_NOT_FOUND') return null;
    throw e;
  });
  if (filed?.checkpoint) throw new RestoreError('RESTORE_BAD_REQUEST', `Restore ${restoreId} has already begun (checkpoint at chunk ${filed.checkpoint.nextChunk}): resume it instead of starting it again`, { restoreId });
  return filed?.record ?? null;
}

function paused(restoreId: string, nextChunk: number, chunks: number): RestoreError {
  return new RestoreError('RESTORE_PAUSED', `Restore ${restoreId} paused as asked with ${nextChunk} of ${chunks} chunks written; resume it (same id) to continue from its checkpoint`, { restoreId, chunk: nextChunk });
}

function pickOptions(o: LoadRestoreOptions): LoadRestoreOptions {
  return { dbs: o.dbs, dbMap: o.dbMap, match: o.match, types: o.types, flush: o.flush, replace: o.replace, allowLossy: o.allowLossy, sampleKeys: o.sampleKeys };
}

async function verifyTarget(
  target: LoadTarget,
  counters: RestoreCounters,
  writes: WriteStats,
  sampler: KeySampler,
  expiringSoon: Map<number, number[]>,
  targetHadKeys: boolean,
  withoutFieldExpiry: boolean,
): Promise<RestoreReport['verification']> {
  const sample = await sampler.check(target.sampleClient(), Date.now(), { withoutFieldExpiry });
  let counts: RestoreReport['verification']['counts'] = 'not comparable';
  let countsOk = true;
  if (!targetHadKeys) {
    const actual = await target.keyCounts();
    const checkedAt = Date.now();
    const dbs = new Set([...Object.keys(counters.perDb).map(Number), ...actual.keys()]);
    counts = [...dbs].sort((a, b) => a - b).map((db) => {
      const expired = (expiringSoon.get(db) ?? []).filter((t) => t <= checkedAt).length;
      return { db, expected: (counters.perDb[db] ?? 0) - expired, actual: actual.get(db) ?? 0 };
    });
    // Failed writes are reported on their own; they may make a db short by that many keys.
    countsOk = counts.every((c) => c.actual <= c.expected && c.actual >= c.expected - writes.failed);
  }
  return { counts, sample, ok: countsOk && sample.mismatched.length === 0 && writes.failed === 0 };
}

/** AOF options of a restore (ignored for an RDB snapshot). */
export interface AofRestoreExtras {
  /** Stop the replay at the first #TS: annotation later than this time. */
  until?: Date;
  /** With `until`: replay everything when the AOF has no #TS: annotations. */
  untilWithoutTimestamps?: boolean;
}

/**
 * Restores a snapshot of either kind into a running server: an AOF snapshot (kind
 * "aof") is replayed by the AOF engine (lambdas/restore/aof), an RDB snapshot goes
 * through restoreIntoServer.
 */
export async function restoreSnapshot(request: LoadRestoreRequest & AofRestoreExtras): Promise<RestoreReport | AofSnapshotLoadReport> {
  const aof = request.resume === undefined ? await findAofSnapshot(request.store, request.source, request.selector) : null;
  if (aof === null) {
    if (request.until !== undefined) throw new RestoreError('RESTORE_BAD_REQUEST', '--until applies to AOF snapshots (an RDB snapshot holds one point in time): choose the RDB snapshot with --before instead. Nothing was written');
    return restoreIntoServer(request);
  }
  const progress = request.onProgress;
  // Progress in the RDB restore's terms: files as chunks, commands and base keys as keys.
  const onProgress = progress && ((p: { fileIndex: number; files: number; commands: number; keys: number; bytes: number }): void => progress({ chunk: p.fileIndex + 1, chunks: p.files, keys: p.keys + p.commands, rawBytes: p.bytes }));
  return restoreAofSnapshot({ ...request, manifest: aof, onProgress });
}
