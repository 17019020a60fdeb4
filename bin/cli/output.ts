import { RdbError } from '../../lambdas/rdb';

/** Writes text to stdout, waiting for the stream to drain when its buffer is full. */
export function writeOut(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once('drain', resolve).once('error', reject);
  });
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v), 2)}\n`);
}

/** The JSON form of an error for --json output. */
export function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof RdbError) {
    return { code: err.code, offset: err.offset, reason: err.reason, key: err.key, message: err.message };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as NodeJS.ErrnoException).code;
  return { code: code ?? 'ERROR', message: e.message };
}

export { formatBytes } from '../../lambdas/format-bytes';
