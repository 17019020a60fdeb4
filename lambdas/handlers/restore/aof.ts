/**
 * Restores of AOF snapshots (kind aof, docs/aof.md) through the service: which requests
 * apply to one, and the engine's options for its replay. An AOF snapshot is replayed into a
 * server target (mode load) in one Lambda run: it has no checkpoint to resume from.
 */
import { RestoreRequestOptions, RuntimeTarget } from '../../../lib/config/runtime-config';
import { AofSnapshotManifest } from '../../catalog/aof-manifest';
import { AnySnapshotManifest, isAofManifest } from '../../catalog/snapshot-kind';
import { RequestError } from '../errors';

/** Options of an RDB restore that an AOF replay cannot honour (its keys are in commands, not records). */
const NOT_FOR_AOF: ReadonlyArray<{ option: keyof RestoreRequestOptions; why: string }> = [
  { option: 'match', why: 'key patterns select records of an RDB snapshot; an AOF is replayed command by command' },
  { option: 'types', why: 'types select records of an RDB snapshot; an AOF is replayed command by command' },
  { option: 'sampleKeys', why: 'an AOF replay is not compared key by key with the snapshot (its keys are not listed in the manifest)' },
];

const notForAof = (message: string, field: string): RequestError => new RequestError(400, 'NOT_FOR_AOF', message, field);

/**
 * Throws RequestError (400) when a request cannot be done with this snapshot: for an AOF
 * snapshot a target other than a server, options it cannot honour, or `until` with no #TS:
 * annotations to stop at; for an RDB snapshot, `until` (NOT_FOR_RDB).
 */
export function checkKindOptions(manifest: AnySnapshotManifest, target: RuntimeTarget, options: RestoreRequestOptions): void {
  if (!isAofManifest(manifest)) {
    if (options.until !== undefined) {
      throw new RequestError(400, 'NOT_FOR_RDB', `options.until applies to AOF snapshots; ${manifest.snapshotId} is an RDB snapshot, which holds one point in time: choose the snapshot with {"before": TIME} instead`, 'options.until');
    }
    return;
  }
  const id = `${manifest.snapshotId} is an AOF snapshot`;
  if (target.kind !== 'server') {
    const what = target.kind === 'cluster' ? 'a Redis Cluster (its commands would have to be routed by slot)' : 'a data directory';
    throw notForAof(`${id}: it is replayed into a server target, not into ${what} like ${target.name}. Restore it into a server target, or restore an RDB snapshot`, 'target');
  }
  for (const { option, why } of NOT_FOR_AOF) {
    if (options[option] !== undefined) throw notForAof(`${id}: options.${option} does not apply (${why}). Leave it out, filter by database with options.dbs / options.dbMap, or restore an RDB snapshot`, `options.${option}`);
  }
  if (options.until !== undefined && manifest.aof.timestamps === null) {
    throw notForAof(`${id} without #TS: annotations (aof-timestamp-enabled was off): there is no time to stop at. Leave out options.until to replay all of it`, 'options.until');
  }
}

/** The engine's options for replaying an AOF snapshot (restoreSnapshot with an AOF manifest). */
export function aofReplayOptions(options: RestoreRequestOptions): { flush?: boolean; replace?: boolean; allowLossy?: boolean; dbs?: number[]; dbMap?: Record<number, number>; until?: Date } {
  const dbMap = options.dbMap === undefined ? undefined : Object.fromEntries(Object.entries(options.dbMap).map(([from, to]) => [Number(from), to]));
  return {
    flush: options.flush,
    replace: options.replace,
    allowLossy: options.allowLossy,
    dbs: options.dbs,
    dbMap,
    ...(options.until !== undefined ? { until: new Date(options.until) } : {}),
  };
}

/** The data files of an AOF snapshot (what its restore's progress counts, as an RDB restore counts chunks). */
export function aofDataFiles(manifest: AofSnapshotManifest): number {
  return manifest.files.filter((f) => f.type !== 'manifest').length;
}
