import { spawn } from 'node:child_process';
import { RespWriter } from './resp';

export const REDIS_CLI_BIN = process.env.REDIS_CLI_BIN ?? 'redis-cli';

export interface PipeResult<T> {
  /** What the producer returned. */
  value: T;
  replies: number;
  errors: number;
}

/**
 * Streams RESP commands into `redis-cli --pipe` (mass insertion) while `produce`
 * writes them, and waits for redis-cli's final "errors: E, replies: R" line.
 */
export async function pipeToRedis<T>(host: string, port: number, produce: (w: RespWriter) => Promise<T>): Promise<PipeResult<T>> {
  const proc = spawn(REDIS_CLI_BIN, ['-h', host, '-p', String(port), '--pipe', '--pipe-timeout', '600'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  const keep = (d: Buffer): void => {
    out += d.toString();
    if (out.length > 64 * 1024) out = out.slice(-32 * 1024);
  };
  proc.stdout.on('data', keep);
  proc.stderr.on('data', keep);
  const exited = new Promise<number>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('close', (code, signal) => resolve(code ?? (signal !== null ? 128 : 1)));
  });
  // A failed redis-cli closes its stdin; surface that as an error instead of an unhandled EPIPE.
  let writeError: Error | null = null;
  proc.stdin.on('error', (e) => {
    writeError = e;
  });
  const w = new RespWriter(proc.stdin);
  let value: T;
  try {
    value = await produce(w);
    await w.end();
  } catch (e) {
    proc.kill('SIGKILL');
    await exited.catch(() => 1);
    throw new Error(`generating the dataset failed: ${String(e)}\nredis-cli output: ${out.slice(-2000)}`);
  }
  const code = await exited;
  const m = /errors:\s*(\d+),\s*replies:\s*(\d+)/.exec(out);
  if (m === null || code !== 0 || writeError !== null) {
    throw new Error(`redis-cli --pipe failed (exit ${code}${writeError !== null ? `, ${String(writeError)}` : ''}):\n${out.slice(-2000)}`);
  }
  const errors = Number(m[1]);
  const replies = Number(m[2]);
  if (errors !== 0) throw new Error(`redis-cli --pipe reported ${errors} errors:\n${out.slice(-2000)}`);
  if (replies !== w.commands) throw new Error(`redis-cli --pipe got ${replies} replies for ${w.commands} commands`);
  return { value, replies, errors };
}
