/** Errors the handlers raise about a request, with stable codes (the API's error codes) and the HTTP status they map to. */

export type RequestErrorCode =
  /** The body, a parameter or the query is malformed; `field` names what. */
  | 'BAD_REQUEST'
  | 'UNKNOWN_SOURCE'
  | 'UNKNOWN_TARGET'
  /** No committed snapshot matches the request's snapshot selector. */
  | 'UNKNOWN_SNAPSHOT'
  /** The target does not take restores of this source, or not in this mode. */
  | 'TARGET_NOT_ALLOWED'
  /** The snapshot is an AOF snapshot, and the target or an option (`field`) does not apply to its replay. */
  | 'NOT_FOR_AOF'
  /** The snapshot is an RDB snapshot, and an AOF-only option (`field`, e.g. options.until) was given. */
  | 'NOT_FOR_RDB'
  | 'NOT_FOUND'
  | 'BACKUP_IN_PROGRESS'
  | 'SERVICE_UNAVAILABLE'
  | 'INTERNAL';

export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: RequestErrorCode,
    message: string,
    /** The request field at fault (dotted path in the body, or a parameter's name). */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RequestError';
  }
}

export const badRequest = (message: string, field?: string): RequestError => new RequestError(400, 'BAD_REQUEST', message, field);

export const unknownSource = (source: string, status = 400): RequestError =>
  new RequestError(status, 'UNKNOWN_SOURCE', `No source named ${JSON.stringify(source)} is configured`, status === 400 ? 'source' : undefined);

export const unknownTarget = (target: string): RequestError =>
  new RequestError(400, 'UNKNOWN_TARGET', `No restore target named ${JSON.stringify(target)} is configured (a restore can only name a configured target)`, 'target');

export const notFound = (message: string): RequestError => new RequestError(404, 'NOT_FOUND', message);

/** Failures of the service's own restore steps (not the engine's), with stable codes the state machine sees. */
export type ServiceStepErrorCode =
  /** An AOF replay's Lambda run ended before the data did (timeout or crash): an AOF restore cannot resume. */
  'AOF_RESTORE_INCOMPLETE';

export class ServiceStepError extends Error {
  constructor(
    readonly code: ServiceStepErrorCode,
    message: string,
    readonly context: { restoreId?: string; snapshotId?: string } = {},
  ) {
    super(message);
    this.name = 'ServiceStepError';
  }
}

/** What an AOF restore that stopped part-way means, and what to do (the restore step and record-failure say it alike). */
export const AOF_INCOMPLETE_ADVICE =
  'An AOF snapshot is replayed in one run of the restore function: it cannot pause and resume like an RDB restore. The target may hold part of the data. ' +
  'Raise functions.restore.timeoutMinutes (at most 15) and restore again with options.flush, restore it with the CLI (redis-backup restore, no time limit), or restore an RDB snapshot';
