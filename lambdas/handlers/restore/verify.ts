/** verify-snapshot: the stored snapshot read end to end against its manifest before anything is written. */
import { RestoreState } from '../../../lib/config/runtime-config';
import { CatalogError } from '../../catalog/errors';
import { verifySnapshot } from '../../catalog/verify-snapshot';
import { StepContext } from './step-context';
import { snapshotIdOf } from './state';

export async function verifyStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const snapshotId = snapshotIdOf(state);
  const report = await verifySnapshot(ctx.service.store, state.source, snapshotId);
  if (!report.ok) {
    throw new CatalogError('CATALOG_VERIFY_FAILED', `Snapshot ${snapshotId} of ${state.source} failed verification: ${report.problems.join('; ')}`, { source: state.source, snapshotId });
  }
  ctx.logger.info('Snapshot verified', { keys: report.rdb.keys, rawBytes: report.raw.bytes, seconds: report.seconds });
  return state;
}
