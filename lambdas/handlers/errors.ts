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
