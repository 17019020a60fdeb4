/** verify-target: the restore's own checks passed, and the target still holds what was written. */
import { open } from 'node:fs/promises';
import { RestoreState } from '../../../lib/config/runtime-config';
import { RestoreError } from '../../restore/errors';
import { FileRestoreReport } from '../../restore/file-restore';
import { RestoreReport } from '../../restore/restore';
import { AofSnapshotLoadReport } from '../../restore/aof';
import { readReport, saveReport } from '../../restore/restore-record';
import { restoreOutcome } from './outcome';
import { StepContext } from './step-context';
import { openTarget, resolveRestore } from './targets';

function fail(state: RestoreState, message: string): never {
  throw new RestoreError('RESTORE_VERIFY_FAILED', message, { restoreId: state.restoreId });
}

async function report<T>(state: RestoreState, ctx: StepContext): Promise<T> {
  const found = await readReport<T>(ctx.service.store, state.source, state.restoreId);
  if (found === null) throw new RestoreError('RESTORE_NOT_FOUND', `Restore ${state.restoreId} has no report`, { restoreId: state.restoreId });
  return found;
}

async function checkFile(state: RestoreState, ctx: StepContext): Promise<void> {
  const { path, bytes } = await report<FileRestoreReport>(state, ctx);
  const file = await open(path, 'r').catch(() => null);
  if (file === null) fail(state, `The RDB file ${path} is gone`);
  try {
    const { size } = await file.stat();
    const head = Buffer.alloc(5);
    await file.read(head, 0, 5, 0);
    if (size !== bytes || head.toString('latin1') !== 'REDIS') fail(state, `The RDB file ${path} has ${size} bytes (expected ${bytes}) or no RDB header`);
  } finally {
    await file.close();
  }
}

async function checkLoad(state: RestoreState, ctx: StepContext): Promise<void> {
  const { verification, writes, status } = await report<RestoreReport>(state, ctx);
  if (status === 'dry-run') return;
  if (!verification.ok) {
    const problems = [
      ...(Array.isArray(verification.counts) ? verification.counts.filter((c) => c.actual !== c.expected).map((c) => `db ${c.db}: ${c.actual} keys, expected ${c.expected}`) : []),
      ...(verification.sample?.mismatched ?? []).slice(0, 5).map((m) => `key ${m.key} (db ${m.db}): ${m.problem}`),
      ...(writes.failed > 0 ? [`${writes.failed} keys failed to write`] : []),
    ];
    fail(state, `The restored target does not match the snapshot: ${problems.join('; ') || 'see the report'}`);
  }
  if (!Array.isArray(verification.counts)) return;
  const { target } = resolveRestore(ctx.service.config, state);
  const running = await openTarget(target, ctx.lambda);
  let now: Map<number, number>;
  try {
    now = await running.keyCounts();
  } finally {
    await running.close();
  }
  const emptied = verification.counts.filter((c) => c.actual > 0 && (now.get(c.db) ?? 0) === 0);
  if (emptied.length > 0) fail(state, `The target lost the restored keys since the restore: ${emptied.map((c) => `db ${c.db} is empty`).join(', ')}`);
}

/**
 * An AOF replay: the engine's own checks (no error reply, no failed key), and the target's
 * key count recorded in the report. Key counts are not compared: an AOF's key count is not
 * in its manifest (only its base's), and its commands add, change and delete keys. The report
 * says so.
 */
async function checkAof(state: RestoreState, ctx: StepContext, aof: AofSnapshotLoadReport): Promise<void> {
  if (aof.status === 'dry-run') return;
  if (!aof.ok) {
    const problems = [
      ...(aof.serverErrors.count > 0 ? [`${aof.serverErrors.count} commands answered with an error (${aof.serverErrors.first.slice(0, 3).map((e) => `${e.command} in ${e.file}: ${e.error}`).join('; ')})`] : []),
      ...(aof.keys.failed > 0 ? [`${aof.keys.failed} keys of the base failed to write`] : []),
    ];
    fail(state, `The AOF replay did not apply cleanly: ${problems.join('; ') || 'see the report'}`);
  }
  const { target } = resolveRestore(ctx.service.config, state);
  const running = await openTarget(target, ctx.lambda);
  let keys = 0;
  try {
    for (const n of (await running.keyCounts()).values()) keys += n;
  } finally {
    await running.close();
  }
  const note = 'Key counts are not compared for an AOF snapshot: its manifest holds only the base\'s key count, and the replayed commands add, change and delete keys';
  await saveReport(ctx.service.store, state.source, state.restoreId, { ...aof, verification: { counts: 'not comparable', note, targetKeys: keys, ok: true } });
  // Not a failure: the AOF's own commands (FLUSHALL, DEL) may have emptied it.
  if (keys === 0 && (aof.keys.written > 0 || aof.commands.sent > 0)) ctx.logger.warn('The target holds no keys after the AOF replay', { baseKeysWritten: aof.keys.written, commandsSent: aof.commands.sent });
  ctx.logger.info('AOF restore verified', { targetKeys: keys, note });
}

export async function verifyTargetStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const found = state.mode === 'file' ? null : await report<AofSnapshotLoadReport | RestoreReport>(state, ctx);
  if (state.mode === 'file') await checkFile(state, ctx);
  else if (found !== null && 'kind' in found && found.kind === 'aof') await checkAof(state, ctx, found);
  else await checkLoad(state, ctx);
  ctx.logger.info('Target verified');
  // Without a repoint step this is the last one.
  if (state.options.repoint !== true) restoreOutcome(ctx.metrics, state, true);
  return state;
}
