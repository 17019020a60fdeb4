/**
 * Child process for the capture benchmark: one `runBackup` (replication method, the
 * defaults `redis-backup backup` uses) from a live server into a local directory or an
 * S3 endpoint, then one JSON line (CaptureChildReport) on stdout. With `importPath` it
 * runs `runImport` of that RDB file instead: the same pipeline with no server involved,
 * to show what the pipeline alone costs. Usage:
 *   node dist/test/bench/capture-child.js '<CaptureChildRequest as JSON>'
 * Running in its own process lets the parent measure its wall time and peak RSS alone
 * (the s3rver it uploads to runs in the parent).
 */
import { runBackup, runImport } from '../../lambdas/backup/run-backup';
import { LocalStore } from '../../lambdas/store/local-store';
import { SnapshotStore } from '../../lambdas/store/store';

export type ChildStore = { kind: 'local'; dir: string } | { kind: 's3'; endpoint: string; bucket: string; prefix: string; accessKeyId: string; secretAccessKey: string };

export interface CaptureChildRequest {
  host: string;
  port: number;
  source: string;
  store: ChildStore;
  /** Import this RDB file (runImport) instead of capturing from host:port. */
  importPath?: string;
  /** zstd level (default: the pipeline's, as the CLI uses); for manual comparisons of levels. */
  compressionLevel?: number;
}

/** Time spent in one kind of S3 request (the SDK's command name). */
export interface S3CommandTiming {
  count: number;
  totalMs: number;
  maxMs: number;
}

export interface CaptureChildReport {
  ok: boolean;
  /** Time inside runBackup (Node start-up and module loading excluded). */
  runBackupMs: number;
  /** From the start of runBackup to the first payload byte (the manifest's timings.firstByteMs). */
  firstByteMs: number;
  /** From the start of runBackup to the pipeline's last progress call: every payload byte read, verified, hashed and compressed. */
  payloadDoneMs: number;
  /** What the store still did after that: the last upload parts and the S3 commit, or the local fsync + rename; then the manifest. */
  tailMs: number;
  rawBytes: number;
  storedBytes: number;
  keys: number;
  chunks: number;
  checksum: string;
  snapshotId: string;
  /** S3 only: requests by command. */
  s3?: Record<string, S3CommandTiming>;
  /** process.resourceUsage() at exit: maxRSS in KiB, CPU in seconds. */
  maxRssKb: number;
  userSeconds: number;
  systemSeconds: number;
  error?: string;
}

/** The store, and for S3 a way to close its client. */
async function openStore(spec: ChildStore, timings: Record<string, S3CommandTiming>): Promise<{ store: SnapshotStore; close: () => void }> {
  if (spec.kind === 'local') return { store: new LocalStore(spec.dir), close: () => undefined };
  // Loaded only for S3 runs, as the CLI does: a local run's peak RSS does not include the AWS SDK.
  const { createS3Client } = await import('../../lambdas/store/s3-client');
  const { S3Store } = await import('../../lambdas/store/s3-store');
  const client = createS3Client({
    endpoint: spec.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: spec.accessKeyId, secretAccessKey: spec.secretAccessKey },
  });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const t0 = performance.now();
      try {
        return await next(args);
      } finally {
        const ms = performance.now() - t0;
        const name = (context.commandName ?? 'unknown').replace(/Command$/, '');
        const t = (timings[name] ??= { count: 0, totalMs: 0, maxMs: 0 });
        t.count++;
        t.totalMs += ms;
        t.maxMs = Math.max(t.maxMs, ms);
      }
    },
    { step: 'initialize', name: 'benchRequestTiming' },
  );
  return { store: new S3Store({ bucket: spec.bucket, prefix: spec.prefix, client }), close: () => client.destroy() };
}

function usage(): never {
  process.stderr.write("usage: capture-child '<CaptureChildRequest as JSON>'\n");
  process.exit(2);
}

async function main(): Promise<void> {
  const arg = process.argv[2];
  if (arg === undefined) usage();
  let request: CaptureChildRequest;
  try {
    request = JSON.parse(arg) as CaptureChildRequest;
  } catch {
    usage();
  }
  const timings: Record<string, S3CommandTiming> = {};
  const { store, close } = await openStore(request.store, timings);
  let payloadDoneAt = 0;
  const t0 = performance.now();
  const base = { s3: request.store.kind === 's3' ? timings : undefined, maxRssKb: 0, userSeconds: 0, systemSeconds: 0 };
  let report: CaptureChildReport;
  try {
    const onProgress = (): void => {
      payloadDoneAt = performance.now();
    };
    const manifest =
      request.importPath !== undefined
        ? await runImport({ store, source: request.source, path: request.importPath, onProgress, compressionLevel: request.compressionLevel })
        : await runBackup({
            store,
            source: request.source,
            endpoint: { host: request.host, port: request.port },
            method: 'replication',
            onProgress,
            compressionLevel: request.compressionLevel,
          });
    const end = performance.now();
    report = {
      ok: true,
      runBackupMs: end - t0,
      firstByteMs: manifest.timings.firstByteMs,
      payloadDoneMs: payloadDoneAt - t0,
      tailMs: end - payloadDoneAt,
      rawBytes: manifest.raw.bytes,
      storedBytes: manifest.stored.bytes,
      keys: manifest.keys.total,
      chunks: manifest.chunks.length,
      checksum: manifest.rdb.checksum,
      snapshotId: manifest.snapshotId,
      ...base,
    };
  } catch (e) {
    const code = e instanceof Error && 'code' in e ? `${String(e.code)}: ` : '';
    report = {
      ok: false,
      runBackupMs: performance.now() - t0,
      firstByteMs: 0,
      payloadDoneMs: 0,
      tailMs: 0,
      rawBytes: 0,
      storedBytes: 0,
      keys: 0,
      chunks: 0,
      checksum: 'unknown',
      snapshotId: '',
      ...base,
      error: `${code}${e instanceof Error ? e.message : String(e)}`,
    };
  }
  close();
  const usage_ = process.resourceUsage();
  report.maxRssKb = usage_.maxRSS;
  report.userSeconds = usage_.userCPUTime / 1e6;
  report.systemSeconds = usage_.systemCPUTime / 1e6;
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

void main();
