/** validate: the request still holds (source, target, snapshot), the target is reachable and may be written; the restore's record is filed. */
import { stat } from 'node:fs/promises';
import { RestoreState, RuntimeTarget } from '../../../lib/config/runtime-config';
import { AofSnapshotManifest } from '../../catalog/aof-manifest';
import { isAofManifest } from '../../catalog/snapshot-kind';
import { RestoreError } from '../../restore/errors';
import { clusterDbsError, targetNotEmptyError, throwIfRefused } from '../../restore/pre-checks';
import { resolveSelector } from '../catalog-view';
import { aofDataFiles, checkKindOptions } from './aof';
import { StepContext } from './step-context';
import { createRecord, findRecord } from './records';
import { API_OPTION_NAMES, describeTarget, loadOptions, openTarget, resolveRestore } from './targets';

export async function validateStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const { config, store } = ctx.service;
  const { target, mode } = resolveRestore(config, state);
  const manifest = await resolveSelector(store, state.source, state.snapshotId ?? state.snapshot);
  const options = loadOptions(state.options);
  checkKindOptions(manifest, target, state.options);
  if (isAofManifest(manifest)) return validateAof(state, ctx, target, manifest);
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
  await fileRecord(state, ctx, target, manifest.snapshotId);
  ctx.logger.info('Restore validated', { target: describeTarget(target), snapshotId: manifest.snapshotId, keys: manifest.keys.total, chunks: manifest.chunks.length });
  return { ...state, mode, snapshotId: manifest.snapshotId, engineRestoreId: state.restoreId, progress: { chunk: 0, chunks: manifest.chunks.length, keys: 0, rawBytes: 0 } };
}

/** The API filed the record; an execution started some other way gets one here. */
async function fileRecord(state: RestoreState, ctx: StepContext, target: RuntimeTarget, snapshotId: string): Promise<void> {
  const { store } = ctx.service;
  const existing = await findRecord(store, state.source, state.restoreId);
  if (existing !== null && (existing.status !== 'running' || existing.snapshotId !== snapshotId)) {
    throw new RestoreError('RESTORE_BAD_REQUEST', `The record of restore ${state.restoreId} (${existing.status}, snapshot ${existing.snapshotId}) does not match this execution`, { restoreId: state.restoreId });
  }
  if (existing === null) await createRecord(store, state, target, snapshotId);
}

/**
 * An AOF snapshot: replayed into a server target (checkKindOptions refused anything else). The
 * target must be empty unless flush or replace is asked for, as the replay itself will check:
 * with a db list only the databases written count; otherwise any key is in the way.
 */
async function validateAof(state: RestoreState, ctx: StepContext, target: RuntimeTarget, manifest: AofSnapshotManifest): Promise<RestoreState> {
  const { options } = state;
  if (options.dryRun !== true && options.flush !== true && options.replace !== true) {
    const running = await openTarget(target, ctx.lambda);
    try {
      const counts = await running.keyCounts();
      const written = options.dbs && options.dbs.length > 0 ? new Set(options.dbs.map((db) => options.dbMap?.[String(db)] ?? db)) : null;
      const busy = [...counts].filter(([db, n]) => n > 0 && (written === null || written.has(db)));
      if (busy.length > 0) {
        throw new RestoreError(
          'RESTORE_TARGET_NOT_EMPTY',
          `The restore target ${running.description} is not empty (${busy.map(([db, n]) => `db ${db}: ${n} keys`).join(', ')}). Nothing was written. Use ${API_OPTION_NAMES.flush} to empty it first, or ${API_OPTION_NAMES.replace} to replay on top of what it holds`,
          { target: running.description },
        );
      }
    } finally {
      await running.close();
    }
  }
  await fileRecord(state, ctx, target, manifest.snapshotId);
  const files = aofDataFiles(manifest);
  ctx.logger.info('Restore validated', { kind: 'aof', target: describeTarget(target), snapshotId: manifest.snapshotId, baseKeys: manifest.baseKeys, files, until: options.until });
  return { ...state, mode: 'load', snapshotId: manifest.snapshotId, engineRestoreId: state.restoreId, progress: { chunk: 0, chunks: files, keys: 0, rawBytes: 0 } };
}
