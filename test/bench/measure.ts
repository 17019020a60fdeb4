import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

/** Reads the files once so every tool sees a warm page cache; returns the read speed in MB/s. */
export async function warmPageCache(paths: string[]): Promise<number> {
  const t0 = performance.now();
  let bytes = 0;
  for (const path of paths) {
    for await (const chunk of createReadStream(path, { highWaterMark: 4 << 20 })) bytes += (chunk as Buffer).length;
  }
  return bytes / 1e6 / ((performance.now() - t0) / 1000);
}

/**
 * Writes every dirty page out (sync) before a timed run, so that the kernel's writeback of what
 * an earlier step wrote (a generated command file, an imported snapshot, the previous tool's
 * output) does not run during, and bill its CPU and disk to, whichever tool happens to come next.
 */
export function settleDisk(): void {
  spawnSync('sync', [], { stdio: 'ignore' });
}

/** How the peak RSS of a measured process was obtained. */
export type RssSource = '/usr/bin/time -v' | '/proc VmHWM poll';

export interface Measured {
  command: string;
  exitCode: number;
  /** Wall time seen by the parent, spawn to exit (process start-up included). */
  wallMs: number;
  /** Peak resident set size in KiB (kernel's maxrss / VmHWM). */
  maxRssKb: number | null;
  rssSource: RssSource;
  userSeconds: number | null;
  systemSeconds: number | null;
  stdout: string;
  stderr: string;
}

let gnuTimeWorks: boolean | undefined;

/** True when GNU time is installed and understands -v -o (Debian: `apt-get install -y time`). */
export function hasGnuTime(): boolean {
  if (gnuTimeWorks === undefined) {
    gnuTimeWorks = existsSync(GNU_TIME) && spawnSync(GNU_TIME, ['-v', '-o', '/dev/null', 'true'], { stdio: 'ignore' }).status === 0;
  }
  return gnuTimeWorks;
}

function field(report: string, label: string): number | null {
  const m = new RegExp(`^\\s*${label.replace(/[()]/g, '\\$&')}:\\s*([\\d.]+)\\s*$`, 'm').exec(report);
  return m === null ? null : Number(m[1]);
}

/** Peak RSS (VmHWM, KiB) of a live process, or null once it is gone. */
function readVmHwm(pid: number): number | null {
  try {
    const m = /^VmHWM:\s*(\d+)\s*kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? null : Number(m[1]);
  } catch {
    return null;
  }
}

/**
 * Runs `cmd args`, capturing its output, wall time and peak RSS. With GNU time
 * the kernel's rusage maxrss is read from `time -v`; otherwise /proc/<pid>/status
 * VmHWM (the kernel's own high-water mark, so only growth in the last poll
 * interval before exit can be missed) is polled every `pollMs`.
 */
export async function runMeasured(cmd: string, args: string[], options: { useTime: boolean; pollMs?: number } = { useTime: true }): Promise<Measured> {
  const useTime = options.useTime && hasGnuTime();
  const tmp = mkdtempSync(join(tmpdir(), 'bench-time-'));
  const report = join(tmp, 'time.txt');
  const [file, argv] = useTime ? [GNU_TIME, ['-v', '-o', report, cmd, ...args]] : [cmd, args];
  const start = performance.now();
  const proc = spawn(file, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    if (stdout.length > 1 << 20) stdout = stdout.slice(-(1 << 19));
  });
  proc.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (stderr.length > 1 << 20) stderr = stderr.slice(-(1 << 19));
  });
  let hwm: number | null = null;
  let timer: NodeJS.Timeout | undefined;
  if (!useTime && proc.pid !== undefined) {
    const pid = proc.pid;
    const poll = (): void => {
      const v = readVmHwm(pid);
      if (v !== null && (hwm === null || v > hwm)) hwm = v;
    };
    poll();
    timer = setInterval(poll, options.pollMs ?? 10);
  }
  const exitCode = await new Promise<number>((resolve, reject) => {
    proc.once('error', reject);
    proc.once('exit', (code, signal) => {
      resolve(code ?? (signal !== null ? 128 : 1));
    });
  });
  const wallMs = performance.now() - start;
  if (timer !== undefined) clearInterval(timer);
  await new Promise<void>((resolve) => (proc.stdout.readableEnded ? resolve() : proc.stdout.once('close', () => resolve())));
  const base = { command: [cmd, ...args].join(' '), exitCode, wallMs, stdout, stderr };
  try {
    if (!useTime) return { ...base, maxRssKb: hwm, rssSource: '/proc VmHWM poll', userSeconds: null, systemSeconds: null };
    const text = existsSync(report) ? readFileSync(report, 'utf8') : '';
    const status = field(text, 'Exit status');
    return {
      ...base,
      exitCode: status ?? exitCode,
      maxRssKb: field(text, 'Maximum resident set size (kbytes)'),
      rssSource: '/usr/bin/time -v',
      userSeconds: field(text, 'User time (seconds)'),
      systemSeconds: field(text, 'System time (seconds)'),
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
