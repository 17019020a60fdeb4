/**
 * Child process for the restore benchmark: one `restoreIntoServer` (load mode, the
 * defaults `redis-backup restore --target redis://...` uses) of a snapshot in a local
 * store into a running server, then one JSON line (RestoreChildReport) on stdout. Usage:
 *   node dist/test/bench/restore-child.js '<RestoreChildRequest as JSON>'
 * Running in its own process lets the parent measure its wall time and peak RSS alone.
 */
import { restoreIntoServer } from '../../lambdas/restore/restore';
import { LocalStore } from '../../lambdas/store/local-store';

export interface RestoreChildRequest {
  storeDir: string;
  source: string;
  snapshotId: string;
  host: string;
  port: number;
  /** Keys compared value by value at the end (the CLI's --sample). */
  sampleKeys: number;
}

export interface RestoreChildReport {
  ok: boolean;
  /** Time inside restoreIntoServer (Node start-up and module loading excluded). */
  restoreMs: number;
  /** From the start of restoreIntoServer to the last chunk's progress call (every key written and acknowledged). */
  keysDoneMs: number;
  chunks: number;
  rawBytes: number;
  read: number;
  written: number;
  skippedExpired: number;
  restored: number;
  rewritten: number;
  failed: number;
  verificationOk: boolean;
  sampleChecked: number;
  sampleMismatched: number;
  /** Per db: keys expected and found on the target. */
  counts: Array<{ db: number; expected: number; actual: number }> | 'not comparable';
  /** Highest process.memoryUsage() figures seen (sampled every 20 ms), MB: where the RSS goes. */
  memory: { rssMb: number; heapTotalMb: number; heapUsedMb: number; externalMb: number; arrayBuffersMb: number };
  /** process.resourceUsage() at exit: maxRSS in KiB, CPU in seconds. */
  maxRssKb: number;
  userSeconds: number;
  systemSeconds: number;
  error?: string;
}

function usage(): never {
  process.stderr.write("usage: restore-child '<RestoreChildRequest as JSON>'\n");
  process.exit(2);
}

const EMPTY = {
  keysDoneMs: 0,
  chunks: 0,
  rawBytes: 0,
  read: 0,
  written: 0,
  skippedExpired: 0,
  restored: 0,
  rewritten: 0,
  failed: 0,
  verificationOk: false,
  sampleChecked: 0,
  sampleMismatched: 0,
  counts: 'not comparable' as const,
  memory: { rssMb: 0, heapTotalMb: 0, heapUsedMb: 0, externalMb: 0, arrayBuffersMb: 0 },
  maxRssKb: 0,
  userSeconds: 0,
  systemSeconds: 0,
};

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === undefined) usage();
  let request: RestoreChildRequest;
  try {
    request = JSON.parse(arg) as RestoreChildRequest;
  } catch {
    usage();
  }
  const store = new LocalStore(request.storeDir);
  const memory = { ...EMPTY.memory };
  const sampleMemory = (): void => {
    const m = process.memoryUsage();
    memory.rssMb = Math.max(memory.rssMb, m.rss / 1e6);
    memory.heapTotalMb = Math.max(memory.heapTotalMb, m.heapTotal / 1e6);
    memory.heapUsedMb = Math.max(memory.heapUsedMb, m.heapUsed / 1e6);
    memory.externalMb = Math.max(memory.externalMb, m.external / 1e6);
    memory.arrayBuffersMb = Math.max(memory.arrayBuffersMb, m.arrayBuffers / 1e6);
  };
  const sampler = setInterval(sampleMemory, 20);
  let keysDoneAt = 0;
  let rawBytes = 0;
  const t0 = performance.now();
  let report: RestoreChildReport;
  try {
    const r = await restoreIntoServer({
      store,
      source: request.source,
      selector: request.snapshotId,
      target: { host: request.host, port: request.port },
      sampleKeys: request.sampleKeys,
      onProgress: (p) => {
        keysDoneAt = performance.now();
        rawBytes = p.rawBytes;
      },
    });
    const v = r.verification;
    report = {
      ...EMPTY,
      ok: v.ok && r.writes.failed === 0,
      restoreMs: performance.now() - t0,
      keysDoneMs: keysDoneAt - t0,
      chunks: r.chunks,
      rawBytes,
      read: r.counters.read,
      written: r.counters.written,
      skippedExpired: r.counters.skippedExpired,
      restored: r.writes.restored,
      rewritten: r.writes.rewritten,
      failed: r.writes.failed,
      verificationOk: v.ok,
      sampleChecked: v.sample?.checked ?? 0,
      sampleMismatched: v.sample?.mismatched.length ?? 0,
      counts: v.counts,
    };
    if (!report.ok) report.error = `verification failed: ${JSON.stringify({ counts: v.counts, sample: v.sample?.mismatched.slice(0, 5), errors: r.writes.errors.slice(0, 5) })}`;
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? `${String(e.code)}: ` : '';
    report = { ...EMPTY, ok: false, restoreMs: performance.now() - t0, error: `${code}${e instanceof Error ? e.message : String(e)}` };
  }
  clearInterval(sampler);
  sampleMemory();
  report.memory = memory;
  const u = process.resourceUsage();
  report.maxRssKb = u.maxRSS;
  report.userSeconds = u.userCPUTime / 1e6;
  report.systemSeconds = u.systemCPUTime / 1e6;
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

void main();
