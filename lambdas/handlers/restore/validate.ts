/** validate: the request still holds (source, target, snapshot), the target is reachable and may be written; the restore's record is filed. */
import { stat } from 'node:fs/promises';
import { RestoreState } from '../../../lib/config/runtime-config';
import { RestoreError } from '../../restore/errors';
import { clusterDbsError, targetNotEmptyError, throwIfRefused } from '../../restore/pre-checks';
import { resolveSelector } from '../catalog-view';
import { StepContext } from './step-context';
import { createRecord, findRecord } from './records';
import { API_OPTION_NAMES, describeTarget, loadOptions, openTarget, resolveRestore } from './targets';

export async function validateStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const { config, store } = ctx.service;
  const { target, mode } = resolveRestore(config, state);
  const manifest = await resolveSelector(store, state.source, state.snapshotId ?? state.snapshot);
  const options = loadOptions(state.options);
  if (mode === 'file') {
    const info = target.dataDir === null ? null : await stat(target.dataDir).catch(() => null);
    if (info === null || !info.isDirectory()) {
      throw new RestoreError('RESTORE_BAD_REQUEST', `The target directory ${target.dataDir ?? '(none)'} does not exist (is the file system mounted?)`, { target: describeTarget(target) });
    }
  } else if (state.options.dryRun !== true) {
    const running = await openTarget(target, ctx.lambda);
    try {
      if (running.isCluster) throwIfRefused(clusterDbsError(manifest, options, API_OPTION_NAMES));
      if (options.flush !== true && options.replace !== true) throwIfRefused(targetNotEmptyError(running.description, await running.keyCounts(), manifest, options, API_OPTION_NAMES));
    } finally {
      await running.close();
    }
  }
  // The API filed the record; an execution started some other way gets one here.
  const existing = await findRecord(store, state.source, state.restoreId);
  if (existing !== null && (existing.status !== 'running' || existing.snapshotId !== manifest.snapshotId)) {
    throw new RestoreError('RESTORE_BAD_REQUEST', `The record of restore ${state.restoreId} (${existing.status}, snapshot ${existing.snapshotId}) does not match this execution`, { restoreId: state.restoreId });
  }
  if (existing === null) await createRecord(store, state, target, manifest.snapshotId);
  ctx.logger.info('Restore validated', { target: describeTarget(target), snapshotId: manifest.snapshotId, keys: manifest.keys.total, chunks: manifest.chunks.length });
  return { ...state, mode, snapshotId: manifest.snapshotId, engineRestoreId: state.restoreId, progress: { chunk: 0, chunks: manifest.chunks.length, keys: 0, rawBytes: 0 } };
}
