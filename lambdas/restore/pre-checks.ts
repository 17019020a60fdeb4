/**
 * The checks a restore into a running target makes before it writes anything,
 * as pure functions: the engine runs them, and so can a caller that wants to
 * fail early (the service's validate step). Each returns the typed error to
 * throw, or null; its message names the options that would fix it in the
 * caller's own words (RestoreOptionNames).
 */
import { SnapshotManifest } from '../catalog/manifest';
import { RestoreError } from './errors';
import { KeyFilter, KeyFilterOptions } from './key-filter';

/** How the caller asks for the options a pre-check's message suggests. */
export interface RestoreOptionNames {
  /** Empty the target first. */
  flush: string;
  /** Overwrite keys that exist. */
  replace: string;
  /** Choose source databases. */
  dbs: string;
  /** Write source db `from` into target db `to`. */
  dbMap: (from: number, to: number) => string;
}

/** The CLI's flags (docs/cli.md). */
export const CLI_OPTION_NAMES: RestoreOptionNames = {
  flush: '--flush',
  replace: '--replace',
  dbs: '--db',
  dbMap: (from, to) => `--db-map ${from}:${to}`,
};

/** What the pre-checks read of a snapshot: its keys per source database. */
export type ManifestKeys = Pick<SnapshotManifest, 'keys'>;

/**
 * A target holding keys where the restore would write, for a restore without
 * flush or replace: keys in the databases the snapshot's keys go to, or keys
 * anywhere when a filter is set (the counts could not be checked afterwards).
 */
export function targetNotEmptyError(
  target: string,
  keyCounts: ReadonlyMap<number, number>,
  manifest: ManifestKeys,
  options: KeyFilterOptions,
  names: RestoreOptionNames = CLI_OPTION_NAMES,
): RestoreError | null {
  const filter = new KeyFilter(options);
  const targets = new Set(Object.keys(manifest.keys.byDb).map((db) => filter.targetDb(Number(db))));
  const busy = [...keyCounts].filter(([db, n]) => n > 0 && (targets.has(db) || !filter.isPassThrough));
  if (busy.length === 0) return null;
  return new RestoreError(
    'RESTORE_TARGET_NOT_EMPTY',
    `The restore target ${target} is not empty (${busy.map(([db, n]) => `db ${db}: ${n} keys`).join(', ')}). Nothing was written. Use ${names.flush} to empty it first, or ${names.replace} to overwrite keys that exist`,
    { target },
  );
}

/** A cluster has only db 0: every database the restore would write must map there. */
export function clusterDbsError(manifest: ManifestKeys, options: KeyFilterOptions, names: RestoreOptionNames = CLI_OPTION_NAMES): RestoreError | null {
  const filter = new KeyFilter(options);
  const wanted = Object.keys(manifest.keys.byDb)
    .map(Number)
    .filter((db) => !options.dbs || options.dbs.length === 0 || options.dbs.includes(db));
  const bad = wanted.filter((db) => filter.targetDb(db) !== 0);
  if (bad.length === 0) return null;
  return new RestoreError(
    'RESTORE_BAD_REQUEST',
    `A Redis Cluster has only database 0, but the snapshot has keys in db ${bad.join(', ')}. Choose databases with ${names.dbs}, or map them with ${names.dbMap(bad[0], 0)}. Nothing was written`,
  );
}

/** Throws a pre-check's error, if it found one. */
export function throwIfRefused(error: RestoreError | null): void {
  if (error !== null) throw error;
}
