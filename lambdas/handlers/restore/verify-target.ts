/** verify-target: the restore's own checks passed, and the target still holds what was written. */
import { open } from 'node:fs/promises';
import { RestoreState } from '../../../lib/config/runtime-config';
import { RestoreError } from '../../restore/errors';
import { FileRestoreReport } from '../../restore/file-restore';
import { RestoreReport } from '../../restore/restore';
import { readReport } from '../../restore/restore-record';
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

export async function verifyTargetStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  if (state.mode === 'file') await checkFile(state, ctx);
  else await checkLoad(state, ctx);
  ctx.logger.info('Target verified');
  // Without a repoint step this is the last one.
  if (state.options.repoint !== true) restoreOutcome(ctx.metrics, state, true);
  return state;
}
