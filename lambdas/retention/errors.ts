/** Errors of retention planning. Each carries a stable `code` and, when one is at fault, the `field` it is about. */

export type RetentionErrorCode =
  /** The retention policy (object or CLI form) is malformed. */
  | 'RETENTION_INVALID_POLICY'
  /** The snapshots, objects or clock given to a planner are malformed (bad date, duplicate id, mixed sources). */
  | 'RETENTION_INVALID_INPUT';

export class RetentionError extends Error {
  constructor(
    readonly code: RetentionErrorCode,
    message: string,
    /** The policy field (or CLI rule name, or input property) at fault, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'RetentionError';
  }
}

export function invalidPolicy(message: string, field?: string): RetentionError {
  return new RetentionError('RETENTION_INVALID_POLICY', `Invalid retention policy: ${message}`, field);
}

export function invalidInput(message: string, field?: string): RetentionError {
  return new RetentionError('RETENTION_INVALID_INPUT', message, field);
}
