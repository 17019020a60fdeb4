/**
 * The restore state machine's task function (lib/constructs/restore-workflow.ts):
 * each invocation gets `{ step, state }` (RestoreStepEvent) and returns the next
 * RestoreState. Steps: validate -> verify-snapshot -> restore (again while it
 * answers `more`) -> verify-target -> repoint (when asked). Errors are thrown
 * with their stable code as their name, which the state machine's Retry and
 * Catch match: a transient one (RESTORE_TRANSIENT_ERRORS) is retried; any other
 * error, and a transient one or a dead run once retries are spent, goes to the
 * Catch, whose record-failure step marks the restore's record failed with the
 * error and counts it (RestoreFailed) before the execution fails.
 */
import middy, { MiddlewareObj } from '@middy/core';
import validator from '@middy/validator';
import type { Context } from 'aws-lambda';
import { RESTORE_TRANSIENT_ERRORS, RestoreState, RestoreStepEvent, RestoreStepName } from '../../lib/config/runtime-config';
import { createObservability, describeError, Observability, powertools } from './observability';
import { recordFailureStep } from './restore/record-failure';
import { repointStep } from './restore/repoint';
import { restoreStep } from './restore/run';
import { StepContext } from './restore/step-context';
import { validateStep } from './restore/validate';
import { verifyStep } from './restore/verify';
import { verifyTargetStep } from './restore/verify-target';
import { RESTORE_STEP_SCHEMA } from './restore-schemas';
import { findTarget } from './runtime';
import { secretOf, secretsManagerSecrets, SecretsMiddleware } from './secrets';
import { serviceFromEnv, ServiceProvider } from './service';
import { compileSchema } from './validation';

export type { RestoreStepEvent, RestoreState };

export interface RestoreStepDeps {
  service: ServiceProvider;
  secrets: SecretsMiddleware;
  observability: Observability;
  /** The restore step pauses when less than this (plus twice its slowest chunk) is left of the run. Default 90 s. */
  reserveMs?: number;
}

type Step = (state: RestoreState, ctx: StepContext) => Promise<RestoreState>;

const STEPS: Record<RestoreStepName, Step> = {
  validate: validateStep,
  'verify-snapshot': verifyStep,
  restore: restoreStep,
  'verify-target': verifyTargetStep,
  repoint: repointStep,
  'record-failure': recordFailureStep,
};

/** Steps that talk to the target, and so need its secret. */
const NEEDS_TARGET: ReadonlySet<RestoreStepName> = new Set<RestoreStepName>(['validate', 'restore', 'verify-target', 'repoint']);

const eventSchema = compileSchema<RestoreStepEvent>(RESTORE_STEP_SCHEMA);

/**
 * A failed step: its error named by its code (the `Error` the state machine's Retry and Catch
 * see), and logged. The record and the RestoreFailed metric are the record-failure step's job,
 * which the Catch invokes once retries are spent.
 */
function failedStep(deps: RestoreStepDeps): MiddlewareObj<RestoreStepEvent> {
  return {
    onError: (request) => {
      const { logger } = deps.observability;
      const error = request.error;
      if (error === null) return;
      const described = describeError(error);
      if (described.code !== 'ERROR') error.name = described.code;
      if (RESTORE_TRANSIENT_ERRORS.includes(described.code)) logger.warn('Restore step failed; the state machine retries it', { step: request.event?.step, error: described });
      else logger.error('Restore step failed', { step: request.event?.step, error: described, cause: error });
    },
  };
}

export function createRestoreStepHandler(deps: RestoreStepDeps): middy.MiddyfiedHandler<RestoreStepEvent, RestoreState, Error, Context> {
  const obs = deps.observability;
  const run = async (event: RestoreStepEvent, context: Context): Promise<RestoreState> => {
    const { step, state } = event;
    obs.logger.appendKeys({ step, source: state.source, target: state.target, snapshotId: state.snapshotId, invocation: (state.invocations ?? 0) + (step === 'restore' ? 1 : 0) });
    const ctx: StepContext = { service: deps.service(), lambda: context, logger: obs.logger, metrics: obs.metrics, reserveMs: deps.reserveMs ?? 90_000 };
    return STEPS[step](state, ctx);
  };
  // No early timeout from middy: a run that overstays ends in Lambda's own timeout (Sandbox.Timedout), which the
  // state machine retries and the restore resumes from its checkpoint. The restore step pauses well before that.
  return middy<RestoreStepEvent, RestoreState, Error, Context>(run, { timeoutEarlyInMillis: 0 })
    .use(powertools(obs, 'state.restoreId'))
    .use(failedStep(deps))
    .use(validator({ eventSchema }))
    .use(deps.secrets((event: RestoreStepEvent) => (NEEDS_TARGET.has(event.step) ? secretOf(findTarget(deps.service().config, event.state.target)?.endpoint) : [])));
}

export const handler = createRestoreStepHandler({ service: serviceFromEnv, secrets: secretsManagerSecrets(), observability: createObservability() });
