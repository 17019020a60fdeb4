/**
 * record-failure: where every Catch of the restore state machine goes before its Fail state.
 * Whatever ended the restore (a step's own error, a Lambda run that timed out or crashed more
 * often than the Retry allows, a task timeout), the restore's record says `failed` with the error's
 * code and message, and RestoreFailed counts it; GET /restores/{id} shows it. A restore whose record
 * was never filed (the execution was not started by the API and validate failed before filing it)
 * gets one.
 */
import { RestoreState, StepFailure } from '../../../lib/config/runtime-config';
import { readSnapshotManifest } from '../../catalog/catalog';
import { isAofManifest } from '../../catalog/snapshot-kind';
import { RestoreRecord } from '../../restore/restore-record';
import { AOF_INCOMPLETE_ADVICE } from '../errors';
import { findSource, findTarget } from '../runtime';
import { restoreOutcome } from './outcome';
import { findRecord, markFailed } from './records';
import { StepContext } from './step-context';
import { describeTarget } from './targets';

/** Step Functions and Lambda errors that carry no message of ours: what they mean for a restore. */
const PLATFORM_ERRORS: Record<string, string> = {
  'States.Timeout': 'A restore step ran longer than its task timeout',
  'Sandbox.Timedout': 'The restore-step Lambda run timed out, and so did its retries',
  'Lambda.Unknown': 'The restore-step Lambda run ended without an answer (out of memory, or a crash), and so did its retries',
  'States.TaskFailed': 'A restore step failed',
  'States.Runtime': 'The state machine could not run a step',
};

/** The code and message of a Catch's error: the Lambda error's type and message from its Cause, or Step Functions' own. */
export function failureOf(failure: StepFailure | undefined): { code: string; message: string } {
  if (failure === undefined) return { code: 'ERROR', message: 'The restore failed (the state machine passed no error)' };
  const code = failure.Error || 'ERROR';
  let message = failure.Cause ?? '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof cause?.errorMessage === 'string') message = cause.errorMessage;
  } catch {
    // Not JSON: Step Functions' own cause, a sentence.
  }
  const meaning = PLATFORM_ERRORS[code];
  if (meaning !== undefined) message = message === '' ? `${meaning} (${code})` : `${meaning} (${code}): ${message}`;
  return { code, message: message === '' ? `The restore failed with ${code}` : message };
}

function unfiledRecord(state: RestoreState, ctx: StepContext): RestoreRecord {
  const target = findTarget(ctx.service.config, state.target);
  return {
    restoreId: state.restoreId,
    source: state.source,
    snapshotId: state.snapshotId ?? '',
    target: target === undefined ? state.target : describeTarget(target),
    mode: state.mode,
    options: { targetName: state.target },
    startedAt: state.requestedAt ?? new Date().toISOString(),
    status: 'failed',
  };
}

/** Errors of a run that died: for an AOF replay, which cannot resume, they mean the run ended before the data did. */
const DEAD_RUN = new Set(['Sandbox.Timedout', 'States.Timeout', 'Lambda.Unknown']);

/** The failure, said for an AOF snapshot when a replay's run died (the generic meaning speaks of retries and resuming). */
async function explained(state: RestoreState, ctx: StepContext, error: { code: string; message: string }): Promise<{ code: string; message: string }> {
  if (!DEAD_RUN.has(error.code) || state.snapshotId === undefined) return error;
  const manifest = await readSnapshotManifest(ctx.service.store, state.source, state.snapshotId).catch(() => null);
  if (manifest === null || !isAofManifest(manifest)) return error;
  return { code: 'AOF_RESTORE_INCOMPLETE', message: `The replay of AOF snapshot ${manifest.snapshotId} ended before the data did (${error.message}). ${AOF_INCOMPLETE_ADVICE}` };
}

export async function recordFailureStep(state: RestoreState, ctx: StepContext): Promise<RestoreState> {
  const error = await explained(state, ctx, failureOf(state.error));
  ctx.logger.error('Restore failed', { error });
  if (findSource(ctx.service.config, state.source) === undefined) {
    // Restores are kept under their source: without one, there is nowhere to file it.
    ctx.logger.warn('No configured source: the failure is only in the execution history', { source: state.source });
    return state;
  }
  const { store } = ctx.service;
  await markFailed(store, (await findRecord(store, state.source, state.restoreId)) ?? unfiledRecord(state, ctx), error);
  restoreOutcome(ctx.metrics, state, false);
  return state;
}
