import { RestoreState } from '../../../lib/config/runtime-config';
import { RestoreError } from '../../restore/errors';
import { restorePrefix } from '../../store/layout';

/** The snapshot validate resolved. */
export function snapshotIdOf(state: RestoreState): string {
  if (state.snapshotId === undefined) throw new RestoreError('RESTORE_BAD_REQUEST', `Restore ${state.restoreId}: the state has no snapshotId (validate sets it)`, { restoreId: state.restoreId });
  return state.snapshotId;
}

/** Where the report of a restore is, as a store key. */
export const reportKey = (state: RestoreState): string => `${restorePrefix(state.source, state.restoreId)}report.json`;
