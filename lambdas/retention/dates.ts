import { invalidInput } from './errors';

/** Throws RETENTION_INVALID_INPUT unless `value` is a Date holding a real time. */
export function assertValidDate(value: unknown, what: string): asserts value is Date {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw invalidInput(`${what} must be a valid Date, got ${value instanceof Date ? 'an invalid Date' : String(value)}`, what);
  }
}
