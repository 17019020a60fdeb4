/** repoint: the target's configured replicas made to replicate from it; the results go into the report. */
import { RestoreState } from '../../../lib/config/runtime-config';
import { RestoreError } from '../../restore/errors';
import { repointReplicas } from '../../restore/repoint';
import { readReport, saveReport } from '../../restore/restore-record';
import { restoreOutcome } from './outcome';
import { StepContext } from './step-context';
import { replicaEndpoints, resolveRestore, targetEndpoint } from './targets';

export async function repointStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const { config, store } = ctx.service;
  const { target } = resolveRestore(config, state);
  const results = await repointReplicas(targetEndpoint(target, ctx.lambda), replicaEndpoints(target, ctx.lambda));
  const replicas = results.map((r) => ({ replica: r.replica, ok: r.ok, linkUp: r.linkUp, ...(r.error ? { error: r.error.message } : {}) }));
  const report = await readReport<Record<string, unknown>>(store, state.source, state.restoreId);
  if (report !== null) await saveReport(store, state.source, state.restoreId, { ...report, repoint: replicas });
  const failed = replicas.filter((r) => !r.ok);
  if (failed.length > 0) {
    throw new RestoreError('RESTORE_REPOINT_FAILED', `Could not point ${failed.map((r) => `${r.replica} (${r.error ?? 'unknown error'})`).join(', ')} at the restored target`, { restoreId: state.restoreId });
  }
  ctx.logger.info('Replicas repointed', { replicas: replicas.map((r) => r.replica) });
  restoreOutcome(ctx.metrics, state, true);
  return state;
}
