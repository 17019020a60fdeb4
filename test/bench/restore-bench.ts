import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_CHUNK_BYTES } from '../../lambdas/backup/pipeline';
import { runImport } from '../../lambdas/backup/run-backup';
import type { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { LocalStore } from '../../lambdas/store';
import { ensureDataset } from './dataset';
import { log, mb } from './format';
import { Measured, runMeasured, settleDisk } from './measure';
import { BenchOptions } from './options';
import { REDIS_CLI_BIN } from './pipe';
import { ProfileSummary, summarizeProfile } from './profile';
import { writeJson } from './report';
import { RestoreCommandsFile, writeRestoreCommands } from './restore-commands';
import type { RestoreChildReport, RestoreChildRequest } from './restore-child';
import { BIG_DEFAULT, BIG_QUICK, ensureBigCollections, parseBigSpec } from './restore-dataset';
import { formatRestoreReport } from './restore-report';
import { StartupLoad, startTarget, TargetServer, TargetStats, targetStats, timeStartupLoad } from './restore-server';
import { BenchContext, BenchSection, GoalResult, SectionOutcome } from './section';
import { kbToMb, median, medianOrNull } from './stats';

export const REDIS_BENCHMARK_BIN = process.env.REDIS_BENCHMARK_BIN ?? 'redis-benchmark';

/** The issue's goals for `restore`. */
export const RESTORE_GOALS = { minRateVsCli: 0.9, maxRssMb: 200 } as const;

/** Keys compared value by value at the end of each restore (the CLI's --sample). */
export const SAMPLE_KEYS = 100;

/** redis-benchmark's pipeline depth (-P). */
const BENCHMARK_PIPELINE = 64;

export type RestoreTool = 'ours' | 'redis-cli' | 'redis-benchmark' | 'startup-load';
export type RestoreDatasetKind = 'small-keys' | 'big-collections';

/** One timed run of one tool on a fresh server. */
export interface RestoreRun {
  tool: RestoreTool;
  round: number;
  /** Process wall time, start-up included (startup-load: server spawn to first +PONG). */
  wallSeconds: number;
  /** Keys the run put on the server (redis-benchmark: its requests). */
  keys: number;
  peakRssMb: number | null;
  cpuSeconds: number | null;
  /** CPU the target server spent during the run. */
  serverCpuSeconds: number | null;
  serverUsedMemoryMb: number | null;
  /** Average busy cores of the whole machine during the run (other processes included). */
  machineBusyCores: number | null;
  /** 1-minute load average when the run ended. */
  loadAverage: number;
  child?: RestoreChildReport;
  /** redis-benchmark: its requests per second. */
  benchmarkRps?: number;
  /** startup-load: the server's own "DB loaded from disk" figure. */
  loggedSeconds?: number | null;
}

/** Medians of one tool's runs on one dataset. */
export interface RestoreToolSummary {
  tool: RestoreTool;
  label: string;
  runs: number;
  wallSeconds: number;
  allWallSeconds: number[];
  keysPerSecond: number;
  /** Raw RDB bytes / wall (redis-benchmark: value bytes written / its own time). */
  mbPerSecond: number;
  /** keys/s over redis-cli --pipe's keys/s. */
  rateVsCli: number | null;
  peakRssMb: number | null;
  cpuSeconds: number | null;
  serverCpuSeconds: number | null;
  serverUsedMemoryMb: number | null;
  machineBusyCores: number | null;
  /** Median 1-minute load average at the end of the runs. */
  loadAverage: number;
  /** Ours: inside restoreIntoServer, and to the last key acknowledged. */
  inProcessSeconds?: number;
  keysDoneSeconds?: number;
  /** Ours: the child's own process.memoryUsage() peaks (in the run with the highest RSS). */
  childMemory?: RestoreChildReport['memory'];
  /** startup-load: the server's logged load time. */
  loggedSeconds?: number | null;
}

export interface RestoreProfile {
  dataset: string;
  wallSeconds: number;
  main: ProfileSummary & { file: string };
}

export interface RestoreDatasetResult {
  label: string;
  kind: RestoreDatasetKind;
  id: string;
  path: string;
  rdbBytes: number;
  keys: number;
  expiring: number;
  elements?: number;
  byKind: Record<string, number>;
  cached: boolean;
  snapshot: { snapshotId: string; chunks: number; chunkBytes: number; storedBytes: number; importSeconds: number; attempts: ImportAttempt[] };
  commandsFile: Omit<RestoreCommandsFile, 'path'>;
  /** The -d given to redis-benchmark: the average DUMP payload size. */
  benchmarkValueBytes: number;
  runs: RestoreRun[];
  tools: RestoreToolSummary[];
}

export interface RestoreResults {
  section: 'restore';
  createdAt: string;
  settings: { runs: number; order: string; sampleKeys: number; serverConfig: string; workDir: string; benchmark: string };
  environment: BenchContext['environment'] & { loadAverageAfter: number[] };
  datasets: RestoreDatasetResult[];
  goals: GoalResult[];
  profiles: RestoreProfile[];
}

function cpuOf(run: Measured): number | null {
  return run.userSeconds === null || run.systemSeconds === null ? null : run.userSeconds + run.systemSeconds;
}

/** Busy and total CPU ticks of the whole machine, from /proc/stat. */
function machineTicks(): { busy: number; total: number } | null {
  try {
    const v = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    return { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
  } catch {
    return null;
  }
}

/** Runs `body` and returns the machine's average busy cores meanwhile. */
async function busyCores<T>(body: () => Promise<T>): Promise<{ value: T; cores: number | null }> {
  const m0 = machineTicks();
  const value = await body();
  const m1 = machineTicks();
  const cores = m0 !== null && m1 !== null && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * availableParallelism() : null;
  return { value, cores };
}

interface DatasetInput {
  label: string;
  kind: RestoreDatasetKind;
  id: string;
  path: string;
  rdbBytes: number;
  keys: number;
  expiring: number;
  elements?: number;
  byKind: Record<string, number>;
  cached: boolean;
}

async function datasets(options: BenchOptions): Promise<DatasetInput[]> {
  const small = await ensureDataset(options.dir, { keys: options.keys, randomMb: 0, streams: options.streams }, options.rebuild);
  const bigSpec = parseBigSpec(process.env.BENCH_RESTORE_BIG, options.quick ? BIG_QUICK : BIG_DEFAULT);
  const big = await ensureBigCollections(options.dir, bigSpec, options.rebuild);
  return [
    {
      label: `small-keys-${small.meta.counts.keys}`,
      kind: 'small-keys',
      id: small.meta.id,
      path: small.path,
      rdbBytes: small.meta.rdbBytes,
      keys: small.meta.counts.keys,
      expiring: small.meta.counts.expiring,
      byKind: small.meta.counts.byKind,
      cached: small.cached,
    },
    {
      label: `big-collections-${big.meta.counts.keys}`,
      kind: 'big-collections',
      id: big.meta.id,
      path: big.path,
      rdbBytes: big.meta.rdbBytes,
      keys: big.meta.counts.keys,
      expiring: big.meta.counts.expiring,
      elements: big.meta.counts.elements,
      byKind: big.meta.counts.byKind,
      cached: big.cached,
    },
  ];
}

/** What a run did to its fresh target server. */
async function afterRun(target: TargetServer, expectedKeys: number | null, what: string): Promise<{ stats: TargetStats; serverCpuSeconds: number | null; serverUsedMemoryMb: number | null }> {
  const stats = await targetStats(target.client);
  if (expectedKeys !== null && stats.keys !== expectedKeys) throw new Error(`${what}: the target holds ${stats.keys} keys, expected ${expectedKeys}`);
  return {
    stats,
    serverCpuSeconds: stats.cpuSeconds === null ? null : stats.cpuSeconds - target.cpuAtStart,
    serverUsedMemoryMb: stats.usedMemoryBytes === null ? null : stats.usedMemoryBytes / 1e6,
  };
}

function parseChild(run: Measured, what: string): RestoreChildReport {
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let report: RestoreChildReport;
  try {
    report = JSON.parse(line) as RestoreChildReport;
  } catch {
    throw new Error(`restore child (${what}) printed no report (exit ${run.exitCode}):\n${(run.stdout + run.stderr).slice(-2000)}`);
  }
  if (!report.ok || run.exitCode !== 0) throw new Error(`restore (${what}) failed: ${report.error ?? `exit ${run.exitCode}`}\n${run.stderr.slice(-2000)}`);
  return report;
}

interface Imported {
  storeDir: string;
  source: string;
  snapshotId: string;
}

async function runOurs(d: DatasetInput, imported: Imported, workRoot: string, round: number, useTime: boolean, nodeFlags: string[] = []): Promise<RestoreRun> {
  const target = await startTarget(workRoot, 'ours');
  try {
    const request: RestoreChildRequest = { ...imported, host: target.server.host, port: target.server.port, sampleKeys: SAMPLE_KEYS };
    const { value: run, cores } = await busyCores(() => runMeasured(process.execPath, [...nodeFlags, join(__dirname, 'restore-child.js'), JSON.stringify(request)], { useTime }));
    const child = parseChild(run, d.label);
    if (child.written !== d.keys) throw new Error(`restore (${d.label}) wrote ${child.written} keys, the dataset has ${d.keys}`);
    const after = await afterRun(target, d.keys, `restore (${d.label})`);
    return {
      tool: 'ours',
      round,
      wallSeconds: run.wallMs / 1000,
      keys: child.written,
      peakRssMb: kbToMb(run.maxRssKb ?? child.maxRssKb),
      cpuSeconds: cpuOf(run) ?? child.userSeconds + child.systemSeconds,
      serverCpuSeconds: after.serverCpuSeconds,
      serverUsedMemoryMb: after.serverUsedMemoryMb,
      machineBusyCores: cores,
      loadAverage: Number(loadavg()[0].toFixed(2)),
      child,
    };
  } finally {
    await target.stop();
  }
}

async function runCliPipe(d: DatasetInput, file: RestoreCommandsFile, workRoot: string, round: number, useTime: boolean): Promise<RestoreRun> {
  const target = await startTarget(workRoot, 'cli');
  try {
    // `exec` makes the measured process redis-cli itself, reading the pre-generated file on stdin.
    const script = 'exec "$0" -h "$1" -p "$2" --pipe --pipe-timeout 600 < "$3"';
    const { value: run, cores } = await busyCores(() => runMeasured('sh', ['-c', script, REDIS_CLI_BIN, target.server.host, String(target.server.port), file.path], { useTime }));
    const out = run.stdout + run.stderr;
    const m = /errors:\s*(\d+),\s*replies:\s*(\d+)/.exec(out);
    if (run.exitCode !== 0 || m === null) throw new Error(`redis-cli --pipe failed (exit ${run.exitCode}):\n${out.slice(-2000)}`);
    if (Number(m[1]) !== 0 || Number(m[2]) !== file.commands) throw new Error(`redis-cli --pipe: ${m[1]} errors, ${m[2]} replies for ${file.commands} commands:\n${out.slice(-2000)}`);
    const after = await afterRun(target, file.keys, `redis-cli --pipe (${d.label})`);
    return {
      tool: 'redis-cli',
      round,
      wallSeconds: run.wallMs / 1000,
      keys: file.keys,
      peakRssMb: kbToMb(run.maxRssKb),
      cpuSeconds: cpuOf(run),
      serverCpuSeconds: after.serverCpuSeconds,
      serverUsedMemoryMb: after.serverUsedMemoryMb,
      machineBusyCores: cores,
      loadAverage: Number(loadavg()[0].toFixed(2)),
    };
  } finally {
    await target.stop();
  }
}

async function runBenchmark(d: DatasetInput, valueBytes: number, workRoot: string, round: number, useTime: boolean): Promise<RestoreRun> {
  const target = await startTarget(workRoot, 'benchmark');
  try {
    const n = String(d.keys);
    const args = ['-h', target.server.host, '-p', String(target.server.port), '-P', String(BENCHMARK_PIPELINE), '-t', 'set', '-n', n, '-r', n, '-d', String(valueBytes), '--csv'];
    const { value: run, cores } = await busyCores(() => runMeasured(REDIS_BENCHMARK_BIN, args, { useTime }));
    const m = /^"SET","([\d.]+)"/m.exec(run.stdout);
    if (run.exitCode !== 0 || m === null) throw new Error(`redis-benchmark failed (exit ${run.exitCode}):\n${(run.stdout + run.stderr).slice(-2000)}`);
    const after = await afterRun(target, null, `redis-benchmark (${d.label})`);
    return {
      tool: 'redis-benchmark',
      round,
      wallSeconds: run.wallMs / 1000,
      keys: d.keys,
      peakRssMb: kbToMb(run.maxRssKb),
      cpuSeconds: cpuOf(run),
      serverCpuSeconds: after.serverCpuSeconds,
      serverUsedMemoryMb: after.serverUsedMemoryMb,
      machineBusyCores: cores,
      loadAverage: Number(loadavg()[0].toFixed(2)),
      benchmarkRps: Number(m[1]),
    };
  } finally {
    await target.stop();
  }
}

async function runStartupLoad(d: DatasetInput, workRoot: string, round: number): Promise<RestoreRun> {
  const { value: load, cores } = await busyCores<StartupLoad>(() => timeStartupLoad(d.path, workRoot, 'load'));
  if (load.stats.keys !== d.keys) throw new Error(`redis-server start-up load (${d.label}): ${load.stats.keys} keys, expected ${d.keys}`);
  return {
    tool: 'startup-load',
    round,
    wallSeconds: load.wallSeconds,
    keys: load.keysLoaded ?? load.stats.keys,
    peakRssMb: null,
    cpuSeconds: null,
    serverCpuSeconds: load.stats.cpuSeconds,
    serverUsedMemoryMb: load.stats.usedMemoryBytes === null ? null : load.stats.usedMemoryBytes / 1e6,
    machineBusyCores: cores,
    loadAverage: Number(loadavg()[0].toFixed(2)),
    loggedSeconds: load.loggedSeconds,
  };
}

const LABELS: Record<RestoreTool, (valueBytes: number) => string> = {
  ours: () => 'redis-backup restore (load)',
  'redis-cli': () => 'redis-cli --pipe (RESTORE file)',
  'redis-benchmark': (v) => `redis-benchmark -P ${BENCHMARK_PIPELINE} SET -d ${v}`,
  'startup-load': () => 'redis-server start-up load',
};

function summarize(tool: RestoreTool, runs: RestoreRun[], d: DatasetInput, valueBytes: number): RestoreToolSummary | null {
  const mine = runs.filter((r) => r.tool === tool);
  if (mine.length === 0) return null;
  const walls = mine.map((r) => r.wallSeconds);
  const wallSeconds = median(walls);
  const rps = medianOrNull(mine.map((r) => r.benchmarkRps));
  const keysPerSecond = tool === 'redis-benchmark' && rps !== null ? rps : d.keys / wallSeconds;
  const rss = mine.map((r) => r.peakRssMb).filter((v): v is number => v !== null);
  const summary: RestoreToolSummary = {
    tool,
    label: LABELS[tool](valueBytes),
    runs: mine.length,
    wallSeconds,
    allWallSeconds: walls,
    keysPerSecond,
    mbPerSecond: tool === 'redis-benchmark' ? (keysPerSecond * valueBytes) / 1e6 : d.rdbBytes / 1e6 / wallSeconds,
    rateVsCli: null,
    peakRssMb: rss.length === 0 ? null : Math.max(...rss),
    cpuSeconds: medianOrNull(mine.map((r) => r.cpuSeconds)),
    serverCpuSeconds: medianOrNull(mine.map((r) => r.serverCpuSeconds)),
    serverUsedMemoryMb: medianOrNull(mine.map((r) => r.serverUsedMemoryMb)),
    machineBusyCores: medianOrNull(mine.map((r) => r.machineBusyCores)),
    loadAverage: median(mine.map((r) => r.loadAverage)),
  };
  const children = mine.map((r) => r.child).filter((c): c is RestoreChildReport => c !== undefined);
  if (children.length > 0) {
    summary.inProcessSeconds = median(children.map((c) => c.restoreMs / 1000));
    summary.keysDoneSeconds = median(children.map((c) => c.keysDoneMs / 1000));
    summary.childMemory = children.reduce((a, b) => (b.memory.rssMb > a.memory.rssMb ? b : a)).memory;
  }
  if (tool === 'startup-load') summary.loggedSeconds = medianOrNull(mine.map((r) => r.loggedSeconds));
  return summary;
}

async function profileRun(d: DatasetInput, imported: Imported, workRoot: string, options: BenchOptions): Promise<RestoreProfile | null> {
  const dir = join(options.dir, 'profiles', `restore-${d.label}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  log(`restore ${d.label} under node --cpu-prof ...`);
  const run = await runOurs(d, imported, workRoot, 0, !options.noTime, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)) ?? files[0];
  if (main === undefined) return null;
  const file = join(dir, main);
  return { dataset: d.label, wallSeconds: run.wallSeconds, main: { file, ...summarizeProfile(file, 40) } };
}

/** One runImport of a dataset, and whether its chunks tile the RDB exactly. */
export interface ImportAttempt {
  chunkBytes: number;
  seconds: number;
  /** Chunk boundaries that do not tile the file: [i].raw end !== [i+1].raw.offset (a cut inside bytes already compressed). */
  badBoundaries: Array<{ chunk: number; rawEnd: number; nextOffset: number }>;
}

/** Where consecutive chunks of `manifest` fail to tile the RDB (they must: chunk i+1 starts where chunk i ends). */
export function badChunkBoundaries(manifest: SnapshotManifest): ImportAttempt['badBoundaries'] {
  const bad: ImportAttempt['badBoundaries'] = [];
  const c = manifest.chunks;
  for (let i = 0; i + 1 < c.length; i++) {
    const rawEnd = c[i].raw.offset + c[i].raw.length;
    if (rawEnd !== c[i + 1].raw.offset) bad.push({ chunk: i, rawEnd, nextOffset: c[i + 1].raw.offset });
  }
  return bad;
}

/**
 * Imports the dataset into the local store (runImport, not timed). A snapshot whose chunks do not
 * tile the file cannot be restored (RESTORE_CHUNK_CORRUPT: a chunk's frame is shorter than its
 * manifest range). That comes from the backup pipeline cutting a chunk at a key whose prefix opcode
 * (EXPIRETIME_MS, IDLE, FREQ) it had already fed to the previous chunk; it is reported and the
 * import retried with a slightly smaller chunk size, so the restore can still be measured.
 */
async function importSnapshot(d: DatasetInput, storeDir: string, source: string): Promise<{ manifest: SnapshotManifest; importSeconds: number; attempts: ImportAttempt[] }> {
  const attempts: ImportAttempt[] = [];
  for (let i = 0; i < 6; i++) {
    const chunkBytes = DEFAULT_CHUNK_BYTES - i * (1 << 20);
    rmSync(storeDir, { recursive: true, force: true });
    log(`restore ${d.label}: importing ${d.path} (${mb(d.rdbBytes)} MB) into a local store, ${chunkBytes >> 20} MiB chunks (not timed) ...`);
    const t0 = performance.now();
    const manifest = await runImport({ store: new LocalStore(storeDir), source, path: d.path, chunkBytes });
    const seconds = (performance.now() - t0) / 1000;
    if (manifest.keys.total !== d.keys) throw new Error(`the imported snapshot counts ${manifest.keys.total} keys, the dataset has ${d.keys}`);
    const badBoundaries = badChunkBoundaries(manifest);
    attempts.push({ chunkBytes, seconds, badBoundaries });
    log(`  snapshot ${manifest.snapshotId}: ${manifest.chunks.length} chunks, ${mb(manifest.stored.bytes)} MB stored, in ${seconds.toFixed(1)} s`);
    if (badBoundaries.length === 0) return { manifest, importSeconds: seconds, attempts };
    log(
      `  ENGINE BUG: chunks overlap at ${badBoundaries.map((b) => `${b.chunk}/${b.chunk + 1} (chunk ${b.chunk} ends at ${b.rawEnd}, chunk ${b.chunk + 1} starts at ${b.nextOffset})`).join(', ')}; ` +
        'this snapshot cannot be restored (RESTORE_CHUNK_CORRUPT); importing again with smaller chunks',
    );
  }
  throw new Error(`every import of ${d.path} produced overlapping chunks: ${JSON.stringify(attempts)}`);
}

async function runDataset(d: DatasetInput, workRoot: string, options: BenchOptions, profiles: RestoreProfile[]): Promise<RestoreDatasetResult> {
  const useTime = !options.noTime;
  const storeDir = join(workRoot, 'store');
  const source = `bench-${d.label}`;
  const commandsPath = join(workRoot, `${d.label}.restore.resp`);
  try {
    const { manifest, importSeconds, attempts } = await importSnapshot(d, storeDir, source);
    const imported: Imported = { storeDir, source, snapshotId: manifest.snapshotId };

    log(`restore ${d.label}: writing the equivalent RESTORE commands to ${commandsPath} (not timed) ...`);
    const file = await writeRestoreCommands(d.path, commandsPath);
    if (file.keys !== d.keys) throw new Error(`the RESTORE file holds ${file.keys} keys, the dataset has ${d.keys}`);
    const valueBytes = Math.max(1, Math.round(file.payloadBytes / file.keys));
    log(`  ${file.commands.toLocaleString('en-US')} commands, ${mb(file.fileBytes)} MB, average payload ${valueBytes} bytes, in ${file.seconds.toFixed(1)} s`);

    const runs: RestoreRun[] = [];
    const note = (r: RestoreRun): void => {
      const rss = r.peakRssMb === null ? '' : `, peak RSS ${r.peakRssMb.toFixed(1)} MB`;
      const rps = r.benchmarkRps === undefined ? '' : `, ${Math.round(r.benchmarkRps).toLocaleString('en-US')} SET/s`;
      log(`  round ${r.round}: ${r.tool.padEnd(15)} ${r.wallSeconds.toFixed(2)} s${rps}${rss}; server CPU ${r.serverCpuSeconds?.toFixed(1) ?? '?'} s, busy cores ${r.machineBusyCores?.toFixed(2) ?? '?'}, load ${r.loadAverage}`);
      runs.push(r);
    };
    for (let round = 1; round <= options.runs; round++) {
      // Each timed run starts with nothing left to write back (the command file and the import were just written).
      settleDisk();
      note(await runOurs(d, imported, workRoot, round, useTime));
      settleDisk();
      note(await runCliPipe(d, file, workRoot, round, useTime));
      settleDisk();
      note(await runBenchmark(d, valueBytes, workRoot, round, useTime));
      settleDisk();
      note(await runStartupLoad(d, workRoot, round));
    }
    if (options.profile) {
      const p = await profileRun(d, imported, workRoot, options);
      if (p !== null) profiles.push(p);
    }

    const tools = (['ours', 'redis-cli', 'redis-benchmark', 'startup-load'] as const).map((t) => summarize(t, runs, d, valueBytes)).filter((s): s is RestoreToolSummary => s !== null);
    const cli = tools.find((t) => t.tool === 'redis-cli');
    for (const t of tools) t.rateVsCli = cli === undefined ? null : t.keysPerSecond / cli.keysPerSecond;
    const { path: _path, ...fileInfo } = file;
    return {
      ...d,
      snapshot: { snapshotId: manifest.snapshotId, chunks: manifest.chunks.length, chunkBytes: attempts[attempts.length - 1].chunkBytes, storedBytes: manifest.stored.bytes, importSeconds, attempts },
      commandsFile: fileInfo,
      benchmarkValueBytes: valueBytes,
      runs,
      tools,
    };
  } finally {
    rmSync(commandsPath, { force: true });
    rmSync(storeDir, { recursive: true, force: true });
  }
}

function goalsOf(results: RestoreDatasetResult[]): GoalResult[] {
  const goals: GoalResult[] = [];
  for (const d of results) {
    const first = d.snapshot.attempts[0];
    goals.push({
      goal: `snapshot restorable: chunks tile the RDB (import, ${first.chunkBytes >> 20} MiB chunks), ${d.label}`,
      target: 'no overlap',
      actual: first.badBoundaries.length === 0 ? 'none' : `${first.badBoundaries.length} overlapping boundar${first.badBoundaries.length === 1 ? 'y' : 'ies'} (${first.badBoundaries.map((b) => b.rawEnd - b.nextOffset).join(', ')} B)`,
      met: first.badBoundaries.length === 0,
    });
    const ours = d.tools.find((t) => t.tool === 'ours');
    const cli = d.tools.find((t) => t.tool === 'redis-cli');
    if (ours === undefined || cli === undefined) continue;
    const ratio = ours.keysPerSecond / cli.keysPerSecond;
    goals.push({
      goal: `restore rate vs redis-cli --pipe, ${d.label}`,
      target: `>= ${RESTORE_GOALS.minRateVsCli}x keys/s`,
      actual: `${ratio.toFixed(2)}x (${Math.round(ours.keysPerSecond).toLocaleString('en-US')} vs ${Math.round(cli.keysPerSecond).toLocaleString('en-US')})`,
      met: ratio >= RESTORE_GOALS.minRateVsCli,
    });
    goals.push({
      goal: `restore peak RSS, ${d.label}`,
      target: `< ${RESTORE_GOALS.maxRssMb} MB`,
      actual: ours.peakRssMb === null ? 'unknown' : `${ours.peakRssMb.toFixed(1)} MB`,
      met: ours.peakRssMb !== null && ours.peakRssMb < RESTORE_GOALS.maxRssMb,
    });
  }
  return goals;
}

export const restoreSection: BenchSection = {
  name: 'restore',
  title: 'restore (load) rate and memory vs redis-cli --pipe of RESTORE commands',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const { options } = ctx;
    const inputs = await datasets(options);
    // The snapshot store, the RESTORE file and every server's --dir live here, on the .bench disk.
    const workRoot = join(options.dir, `restore-work-${process.pid}`);
    rmSync(workRoot, { recursive: true, force: true });
    mkdirSync(workRoot, { recursive: true });
    const results: RestoreDatasetResult[] = [];
    const profiles: RestoreProfile[] = [];
    try {
      for (const d of inputs) results.push(await runDataset(d, workRoot, options, profiles));
    } finally {
      if (existsSync(workRoot)) rmSync(workRoot, { recursive: true, force: true });
    }
    const goals = goalsOf(results);
    const out: RestoreResults = {
      section: 'restore',
      createdAt: new Date().toISOString(),
      settings: {
        runs: options.runs,
        order: 'per round, each on a fresh server: ours, redis-cli --pipe, redis-benchmark, start-up load; sync before each (no writeback of earlier steps during a timed run)',
        sampleKeys: SAMPLE_KEYS,
        serverConfig: 'save "", appendonly no (every server, same binary)',
        workDir: workRoot,
        benchmark: `redis-benchmark -P ${BENCHMARK_PIPELINE} -t set -n <keys> -r <keys> -d <average DUMP payload bytes> (50 connections, its default)`,
      },
      environment: { ...ctx.environment, loadAverageAfter: loadavg().map((x) => Number(x.toFixed(2))) },
      datasets: results,
      goals,
      profiles,
    };
    const jsonPath = join(options.dir, 'results-restore.json');
    writeJson(jsonPath, out);
    return { text: formatRestoreReport(out), jsonPath, goals };
  },
};

