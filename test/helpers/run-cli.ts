import { run } from '../../bin/cli/program';

/** The CLI driven in-process through run(argv), with standard output and error captured. */

export interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

type Write = typeof process.stdout.write;

/** Runs `redis-backup ...args` in this process. */
export async function cli(...args: string[]): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const capture =
    (append: (text: string) => void): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
      append(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const done = rest.find((r): r is () => void => typeof r === 'function');
      done?.();
      return true;
    }) as Write;
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(capture((t) => (stdout += t)));
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(capture((t) => (stderr += t)));
  process.exitCode = undefined;
  try {
    const code = await run(['node', 'redis-backup', ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    // run() reports a failure through process.exitCode (verify): it must not leak into the next run, or into jest.
    process.exitCode = undefined;
  }
}

export function lines(text: string): string[] {
  return text.split('\n').filter((l) => l !== '');
}
