/** verify-snapshot: the stored snapshot read end to end against its manifest before anything is written. */
import { RestoreState } from '../../../lib/config/runtime-config';
import { readSnapshotManifest } from '../../catalog/catalog';
import { CatalogError } from '../../catalog/errors';
import { isAofManifest } from '../../catalog/snapshot-kind';
import { verifyAofSnapshot } from '../../catalog/verify-aof-snapshot';
import { verifySnapshot } from '../../catalog/verify-snapshot';
import { StepContext } from './step-context';
import { snapshotIdOf } from './state';

const failed = (state: RestoreState, snapshotId: string, problems: string[]): CatalogError =>
  new CatalogError('CATALOG_VERIFY_FAILED', `Snapshot ${snapshotId} of ${state.source} failed verification: ${problems.join('; ')}`, { source: state.source, snapshotId });

export async function verifyStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const snapshotId = snapshotIdOf(state);
  const { store } = ctx.service;
  const manifest = await readSnapshotManifest(store, state.source, snapshotId);
  if (isAofManifest(manifest)) {
    // Every file's SHA-256 (stored and raw), every command, the base's RDB with its CRC, the AOF manifest's file list.
    const report = await verifyAofSnapshot(store, manifest);
    if (!report.ok) throw failed(state, snapshotId, report.problems);
    ctx.logger.info('Snapshot verified', { kind: 'aof', files: report.files.length, commands: report.commands, rawBytes: report.raw.bytes, warnings: report.warnings, seconds: report.seconds });
    return state;
  }
  const report = await verifySnapshot(store, state.source, snapshotId);
  if (!report.ok) throw failed(state, snapshotId, report.problems);
  ctx.logger.info('Snapshot verified', { keys: report.rdb.keys, rawBytes: report.raw.bytes, seconds: report.seconds });
  return state;
}
