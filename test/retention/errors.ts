import { RetentionError } from '../../lambdas/retention';

/** Runs `fn`, which must throw a RetentionError, and returns that error. */
export function retentionError(fn: () => unknown): RetentionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RetentionError) return err;
    throw err;
  }
  throw new Error('expected a RetentionError, nothing was thrown');
}
