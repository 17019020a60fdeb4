import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { DEFAULT_CHUNK_BYTES, DEFAULT_COMPRESSION_LEVEL } from '../../lambdas/backup/pipeline';
import { S3Store } from '../../lambdas/store';
import { S3RVER_CREDENTIALS, S3Server } from '../helpers/s3-server';
import type { CaptureChildReport, CaptureChildRequest, ChildStore } from './capture-child';
import { formatCaptureReport } from './capture-report';
import { BgsaveTiming, machineCpu, processCpu, ServerSaveStats, serverSaveStats, SourceServer, startSourceServer, timeBgsave, waitIdle } from './capture-server';
import { Dataset, ensureDataset } from './dataset';
import { DatasetSpec } from './dataset-gen';
import { log, mb } from './format';
import { Measured, runMeasured, settleDisk } from './measure';
import { BenchOptions, REPO_ROOT } from './options';
import { REDIS_CLI_BIN } from './pipe';
import { ProfileSummary, summarizeProfile } from './profile';
import { writeJson } from './report';
import { BenchContext, BenchSection, GoalResult, SectionOutcome } from './section';
import { kbToMb, median, medianOrNull } from './stats';

/** The issue's goals for `capture`. */
export const CAPTURE_GOALS = { maxWallRatio: 1.1, maxRssMb: 150, maxRssGrowth: 0.1 } as const;

/** redis-cli --rdb; ours into the local store or s3rver; and ours importing the dataset's file (the pipeline with no server). */
export type CaptureTool = 'redis-cli' | 'local' | 's3' | 'import';
type OurTool = Exclude<CaptureTool, 'redis-cli'>;
export type DatasetKind = 'random' | 'compressible';

/** One timed capture. */
export interface CaptureRun {
  tool: CaptureTool;
  round: number;
  /** Process wall time (start-up included). */
  wallSeconds: number;
  /** First payload byte: redis-cli's output file growing (polled every 5 ms), or our manifest's timings.firstByteMs. */
  firstByteSeconds: number | null;
  rawBytes: number;
  /** Ours: the compressed object. */
  storedBytes: number | null;
  peakRssMb: number | null;
  cpuSeconds: number | null;
  /** CPU of the server's main process and of its fork child (generating the RDB) during this capture. */
  serverCpuSeconds: number | null;
  forkChildCpuSeconds: number | null;
  /** Average busy cores of the whole machine during the capture (other processes included). */
  machineBusyCores: number | null;
  /** 1-minute load average when the capture ended. */
  loadAverage: number;
  server: ServerSaveStats;
  /** Ours: CPU of the bench process meanwhile, which is mostly s3rver receiving the upload. */
  benchProcessCpuSeconds?: number;
  child?: CaptureChildReport;
}

/** Medians of one tool's runs on one dataset. */
export interface CaptureToolSummary {
  tool: CaptureTool;
  label: string;
  runs: number;
  wallSeconds: number;
  allWallSeconds: number[];
  /** Our wall / redis-cli's (both medians); 1 for redis-cli. */
  ratioVsCli: number;
  firstByteSeconds: number | null;
  rawBytes: number;
  storedBytes: number | null;
  /** raw / stored. */
  compressionRatio: number | null;
  /** Highest of the runs. */
  peakRssMb: number | null;
  cpuSeconds: number | null;
  forkChildCpuSeconds: number | null;
  machineBusyCores: number | null;
  mbPerSecond: number;
  /** Ours: inside runBackup, to the last payload byte processed, and the store's tail after it. */
  runBackupSeconds?: number;
  payloadDoneSeconds?: number;
  tailSeconds?: number;
  /** S3: the CompleteMultipartUpload request (s3rver concatenates and MD5s every part then). */
  s3CompleteSeconds?: number;
  s3Requests?: Record<string, number>;
  /** S3: CPU of the bench process (s3rver) during the upload. */
  s3rverCpuSeconds?: number;
}

/** Which compiled engine the children ran: dist/lambdas is rebuilt by anyone running the build. */
export interface EngineBuild {
  gitHead: string;
  /** Uncommitted changes under lambdas/ when the section started. */
  lambdasDirty: boolean;
  /** SHA-256 over dist/lambdas/**\/*.js (paths and contents) and the newest file's time. */
  distSha256: string;
  distNewest: string;
  /** False when dist/lambdas changed while the section ran (someone rebuilt): the runs mixed two engines. */
  unchangedDuringRun?: boolean;
}

export interface CaptureProfile {
  dataset: string;
  tool: CaptureTool;
  wallSeconds: number;
  main: ProfileSummary & { file: string };
  workers: Array<ProfileSummary & { file: string }>;
}

export interface CaptureDatasetResult {
  label: string;
  kind: DatasetKind;
  size: 'large' | 'small';
  id: string;
  path: string;
  keys: number;
  rdbBytes: number;
  cached: boolean;
  serverLoadSeconds: number;
  serverMemory: string;
  /** The server writing the same RDB to its own disk, nobody reading: its RDB generation speed. */
  bgsave: BgsaveTiming;
  runs: CaptureRun[];
  tools: CaptureToolSummary[];
}

export interface CaptureResults {
  section: 'capture';
  createdAt: string;
  settings: { replDisklessSync: boolean; replDisklessSyncDelay: 0; runs: number; order: string; compressionLevel: number; chunkBytes: number; workDir: string; s3rverDir: string };
  engine: EngineBuild;
  environment: BenchContext['environment'] & { loadAverageAfter: number[] };
  datasets: CaptureDatasetResult[];
  goals: GoalResult[];
  profiles: CaptureProfile[];
}

interface DatasetPlan {
  label: string;
  kind: DatasetKind;
  size: 'large' | 'small';
  spec: DatasetSpec;
}

function plans(options: BenchOptions): DatasetPlan[] {
  const { keys, randomMb, streams, smallKeys } = options;
  const list: DatasetPlan[] = [
    { label: `random-${keys}`, kind: 'random', size: 'large', spec: { keys, randomMb, streams } },
    { label: `compressible-${keys}`, kind: 'compressible', size: 'large', spec: { keys, randomMb: 0, streams } },
  ];
  if (smallKeys > 0) {
    const f = smallKeys / keys;
    const smallStreams = streams === 0 ? 0 : Math.max(1, Math.round(streams * f));
    list.push(
      { label: `random-${smallKeys}`, kind: 'random', size: 'small', spec: { keys: smallKeys, randomMb: Math.round(randomMb * f), streams: smallStreams } },
      { label: `compressible-${smallKeys}`, kind: 'compressible', size: 'small', spec: { keys: smallKeys, randomMb: 0, streams: smallStreams } },
    );
  }
  return list;
}

/** Polls a file's size until it is non-empty; resolves to the elapsed ms (or null when stopped first). */
function watchFirstByte(path: string, t0: number): { stop: () => number | null } {
  let at: number | null = null;
  const timer = setInterval(() => {
    try {
      if (statSync(path).size > 0) {
        at = performance.now() - t0;
        clearInterval(timer);
      }
    } catch {
      // not created yet
    }
  }, 5);
  return {
    stop: () => {
      clearInterval(timer);
      return at;
    },
  };
}

interface Around {
  serverCpuSeconds: number | null;
  forkChildCpuSeconds: number | null;
  machineBusyCores: number | null;
  loadAverage: number;
  server: ServerSaveStats;
}

/** Runs `body` and measures what the server and the machine spent meanwhile (after the server reaped its fork child). */
async function around<T>(source: SourceServer, body: () => Promise<T>): Promise<{ value: T; around: Around }> {
  await waitIdle(source.client);
  settleDisk();
  const p0 = processCpu(source.pid);
  const m0 = machineCpu();
  const value = await body();
  const m1 = machineCpu();
  await waitIdle(source.client);
  const p1 = processCpu(source.pid);
  const cores = m0 !== null && m1 !== null && m1.total > m0.total ? ((m1.busy - m0.busy) / (m1.total - m0.total)) * availableParallelism() : null;
  return {
    value,
    around: {
      serverCpuSeconds: p0 === null || p1 === null ? null : p1.self - p0.self,
      forkChildCpuSeconds: p0 === null || p1 === null ? null : p1.children - p0.children,
      machineBusyCores: cores,
      loadAverage: Number(loadavg()[0].toFixed(2)),
      server: await serverSaveStats(source.client),
    },
  };
}

async function runCli(source: SourceServer, tmp: string, round: number, useTime: boolean): Promise<CaptureRun> {
  const out = join(tmp, `redis-cli-${round}.rdb`);
  rmSync(out, { force: true });
  try {
    const { value, around: a } = await around(source, async () => {
      const t0 = performance.now();
      const watch = watchFirstByte(out, t0);
      const run = await runMeasured(REDIS_CLI_BIN, ['-h', source.server.host, '-p', String(source.server.port), '--rdb', out], { useTime });
      return { run, firstByteMs: watch.stop() };
    });
    const { run, firstByteMs } = value;
    const text = run.stdout + run.stderr;
    if (run.exitCode !== 0 || !/Transfer finished with success/.test(text)) throw new Error(`redis-cli --rdb failed (exit ${run.exitCode}):\n${text.slice(-2000)}`);
    const rawBytes = statSync(out).size;
    return {
      tool: 'redis-cli',
      round,
      wallSeconds: run.wallMs / 1000,
      firstByteSeconds: firstByteMs === null ? null : firstByteMs / 1000,
      rawBytes,
      storedBytes: null,
      peakRssMb: kbToMb(run.maxRssKb),
      cpuSeconds: cpuOf(run),
      ...a,
    };
  } finally {
    rmSync(out, { force: true });
  }
}

function cpuOf(run: Measured): number | null {
  return run.userSeconds === null || run.systemSeconds === null ? null : run.userSeconds + run.systemSeconds;
}

function parseChild(run: Measured, what: string): CaptureChildReport {
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let report: CaptureChildReport;
  try {
    report = JSON.parse(line) as CaptureChildReport;
  } catch {
    throw new Error(`capture child (${what}) printed no report (exit ${run.exitCode}):\n${(run.stdout + run.stderr).slice(-2000)}`);
  }
  if (!report.ok || run.exitCode !== 0) throw new Error(`capture (${what}) failed: ${report.error ?? `exit ${run.exitCode}`}\n${run.stderr.slice(-2000)}`);
  return report;
}

interface Stores {
  s3: S3Server;
  localDir: string;
}

function childStore(tool: OurTool, stores: Stores): ChildStore {
  if (tool !== 's3') return { kind: 'local', dir: stores.localDir };
  const s = stores.s3;
  return { kind: 's3', endpoint: s.endpoint, bucket: s.bucket, prefix: s.prefix, ...S3RVER_CREDENTIALS };
}

/** Removes what a capture stored, so the disk holds one snapshot at a time. */
async function clearStore(tool: OurTool, stores: Stores, source: string): Promise<void> {
  if (tool !== 's3') {
    rmSync(join(stores.localDir, source), { recursive: true, force: true });
    return;
  }
  const s = stores.s3;
  const store = new S3Store({ bucket: s.bucket, prefix: s.prefix, client: s.client });
  const keys: string[] = [];
  for await (const o of store.list(`${source}/`)) keys.push(o.key);
  if (keys.length > 0) await store.delete(keys);
  const left = await s.incompleteUploadsOnDisk();
  if (left.length > 0) throw new Error(`s3rver still holds ${left.length} incomplete upload(s) after a capture`);
}

async function runOurs(
  source: SourceServer,
  tool: OurTool,
  stores: Stores,
  label: string,
  round: number,
  expected: { keys: number; path: string },
  useTime: boolean,
  nodeFlags: string[] = [],
): Promise<CaptureRun> {
  const request: CaptureChildRequest = { host: source.server.host, port: source.server.port, source: `bench-${label}`, store: childStore(tool, stores) };
  if (tool === 'import') request.importPath = expected.path;
  const expectedKeys = expected.keys;
  try {
    const cpu0 = process.cpuUsage();
    const { value: run, around: a } = await around(source, () => runMeasured(process.execPath, [...nodeFlags, join(__dirname, 'capture-child.js'), JSON.stringify(request)], { useTime }));
    const cpu = process.cpuUsage(cpu0);
    const child = parseChild(run, `${label} -> ${tool}`);
    if (child.keys !== expectedKeys) throw new Error(`capture (${label} -> ${tool}) counted ${child.keys} keys, the server holds ${expectedKeys}`);
    if (child.checksum !== 'ok') throw new Error(`capture (${label} -> ${tool}) checksum is ${child.checksum}`);
    return {
      tool,
      round,
      wallSeconds: run.wallMs / 1000,
      firstByteSeconds: child.firstByteMs / 1000,
      rawBytes: child.rawBytes,
      storedBytes: child.storedBytes,
      peakRssMb: kbToMb(run.maxRssKb ?? child.maxRssKb),
      cpuSeconds: cpuOf(run) ?? child.userSeconds + child.systemSeconds,
      ...a,
      benchProcessCpuSeconds: (cpu.user + cpu.system) / 1e6,
      child,
    };
  } finally {
    await clearStore(tool, stores, request.source);
  }
}

const TOOL_LABELS: Record<CaptureTool, string> = {
  'redis-cli': 'redis-cli --rdb (file)',
  local: 'redis-backup -> local dir',
  s3: 'redis-backup -> s3rver',
  import: 'import file -> local (no server)',
};

function summarize(tool: CaptureTool, runs: CaptureRun[], cliWall: number): CaptureToolSummary {
  const mine = runs.filter((r) => r.tool === tool);
  const walls = mine.map((r) => r.wallSeconds);
  const wallSeconds = median(walls);
  const rawBytes = median(mine.map((r) => r.rawBytes));
  const storedBytes = medianOrNull(mine.map((r) => r.storedBytes));
  const rss = mine.map((r) => r.peakRssMb).filter((v): v is number => v !== null);
  const summary: CaptureToolSummary = {
    tool,
    label: TOOL_LABELS[tool],
    runs: mine.length,
    wallSeconds,
    allWallSeconds: walls,
    ratioVsCli: wallSeconds / cliWall,
    firstByteSeconds: medianOrNull(mine.map((r) => r.firstByteSeconds)),
    rawBytes,
    storedBytes,
    compressionRatio: storedBytes === null || storedBytes === 0 ? null : rawBytes / storedBytes,
    peakRssMb: rss.length === 0 ? null : Math.max(...rss),
    cpuSeconds: medianOrNull(mine.map((r) => r.cpuSeconds)),
    forkChildCpuSeconds: medianOrNull(mine.map((r) => r.forkChildCpuSeconds)),
    machineBusyCores: medianOrNull(mine.map((r) => r.machineBusyCores)),
    mbPerSecond: rawBytes / 1e6 / wallSeconds,
  };
  const children = mine.map((r) => r.child).filter((c): c is CaptureChildReport => c !== undefined);
  if (children.length > 0) {
    summary.runBackupSeconds = median(children.map((c) => c.runBackupMs / 1000));
    summary.payloadDoneSeconds = median(children.map((c) => c.payloadDoneMs / 1000));
    summary.tailSeconds = median(children.map((c) => c.tailMs / 1000));
    if (tool === 's3') {
      summary.s3CompleteSeconds = median(children.map((c) => (c.s3?.CompleteMultipartUpload?.totalMs ?? 0) / 1000));
      const counts: Record<string, number> = {};
      for (const [name, t] of Object.entries(children[0].s3 ?? {})) counts[name] = t.count;
      summary.s3Requests = counts;
      summary.s3rverCpuSeconds = medianOrNull(mine.map((r) => r.benchProcessCpuSeconds ?? null)) ?? undefined;
    }
  }
  return summary;
}

/** The main-thread profile (thread id 0 in the file name) and any worker-thread ones, from a fresh directory. */
function collectProfiles(dir: string): { main: string | null; workers: string[] } {
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const main = files.find((f) => /\.\d+\.0\.\d+\.cpuprofile$/.test(f)) ?? null;
  return { main: main === null ? null : join(dir, main), workers: files.filter((f) => f !== main).map((f) => join(dir, f)) };
}

async function profileRun(source: SourceServer, tool: OurTool, stores: Stores, plan: DatasetPlan, dataset: Dataset, options: BenchOptions): Promise<CaptureProfile | null> {
  const dir = join(options.dir, 'profiles', `capture-${plan.label}-${tool}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  log(`capture ${plan.label} -> ${tool} under node --cpu-prof ...`);
  const run = await runOurs(source, tool, stores, plan.label, 0, { keys: source.keys, path: dataset.path }, !options.noTime, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const found = collectProfiles(dir);
  if (found.main === null) return null;
  return {
    dataset: plan.label,
    tool,
    wallSeconds: run.wallSeconds,
    main: { file: found.main, ...summarizeProfile(found.main) },
    workers: found.workers.map((file) => ({ file, ...summarizeProfile(file) })),
  };
}

function describeRun(r: CaptureRun): string {
  const rss = r.peakRssMb === null ? '?' : `${r.peakRssMb.toFixed(1)} MB`;
  const ttfb = r.firstByteSeconds === null ? '?' : `${r.firstByteSeconds.toFixed(2)} s`;
  const stored = r.storedBytes === null ? '' : ` -> ${mb(r.storedBytes)} MB stored`;
  const fork = r.forkChildCpuSeconds === null ? '' : `, server fork child CPU ${r.forkChildCpuSeconds.toFixed(1)} s`;
  return `${r.wallSeconds.toFixed(2)} s (first byte ${ttfb}), ${mb(r.rawBytes)} MB${stored}, peak RSS ${rss}${fork}, load ${r.loadAverage}`;
}

async function runDataset(plan: DatasetPlan, dataset: Dataset, stores: Stores, workRoot: string, options: BenchOptions, profiles: CaptureProfile[]): Promise<CaptureDatasetResult> {
  const useTime = !options.noTime;
  log(`capture ${plan.label}: loading ${dataset.path} (${mb(dataset.meta.rdbBytes)} MB) into a fresh redis-server (repl-diskless-sync ${options.diskless ? 'yes' : 'no'}, delay 0) ...`);
  const source = await startSourceServer(dataset.path, workRoot, plan.label, options.diskless);
  try {
    log(`  loaded in ${source.loadSeconds.toFixed(1)} s on port ${source.server.port}: ${source.keys.toLocaleString('en-US')} keys, ${source.usedMemoryHuman}`);
    if (source.keys !== dataset.meta.counts.keys) throw new Error(`the server loaded ${source.keys} keys, the dataset has ${dataset.meta.counts.keys}`);
    const bgsave = await timeBgsave(source);
    log(`  server BGSAVE alone: ${bgsave.seconds.toFixed(2)} s for ${mb(bgsave.rdbBytes)} MB (fork child CPU ${bgsave.childCpuSeconds?.toFixed(1) ?? '?'} s)`);
    const tmp = mkdtempSync(join(workRoot, `capture-out-${plan.label}-`));
    const expected = { keys: source.keys, path: dataset.path };
    const runs: CaptureRun[] = [];
    try {
      // cli, ours -> local, cli, ours -> s3 per round: each of ours follows a redis-cli run, so
      // page cache, fork and machine-load effects are shared alike.
      for (let i = 1; i <= options.runs; i++) {
        for (const tool of ['local', 's3'] as const) {
          const cli = await runCli(source, tmp, i, useTime);
          log(`  round ${i}/${options.runs}: redis-cli --rdb   ${describeRun(cli)}`);
          runs.push(cli);
          const ours = await runOurs(source, tool, stores, plan.label, i, expected, useTime);
          log(`  round ${i}/${options.runs}: ours -> ${tool.padEnd(7)} ${describeRun(ours)}`);
          runs.push(ours);
        }
      }
      // The pipeline on its own: the same file imported, no server to wait for (its page cache is warm).
      const imported = await runOurs(source, 'import', stores, plan.label, 1, expected, useTime);
      log(`  import of the file -> local (no server): ${describeRun(imported)}`);
      runs.push(imported);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
    if (options.profile && plan.size === 'large') {
      for (const tool of ['local', 's3'] as const) {
        const p = await profileRun(source, tool, stores, plan, dataset, options);
        if (p !== null) profiles.push(p);
      }
    }
    const cliWall = median(runs.filter((r) => r.tool === 'redis-cli').map((r) => r.wallSeconds));
    return {
      label: plan.label,
      kind: plan.kind,
      size: plan.size,
      id: dataset.meta.id,
      path: dataset.path,
      keys: dataset.meta.counts.keys,
      rdbBytes: dataset.meta.rdbBytes,
      cached: dataset.cached,
      serverLoadSeconds: source.loadSeconds,
      serverMemory: source.usedMemoryHuman,
      bgsave,
      runs,
      tools: (['redis-cli', 'local', 's3', 'import'] as const).map((t) => summarize(t, runs, cliWall)),
    };
  } finally {
    await source.stop();
  }
}

function goalsOf(datasets: CaptureDatasetResult[]): GoalResult[] {
  const goals: GoalResult[] = [];
  for (const d of datasets.filter((x) => x.size === 'large')) {
    for (const t of d.tools.filter((x) => x.tool === 'local' || x.tool === 's3')) {
      goals.push({
        goal: `capture ${d.label} -> ${t.tool}: wall vs redis-cli --rdb`,
        target: `<= ${CAPTURE_GOALS.maxWallRatio}x`,
        actual: `${t.ratioVsCli.toFixed(2)}x`,
        met: t.ratioVsCli <= CAPTURE_GOALS.maxWallRatio,
      });
    }
  }
  const ours = datasets.flatMap((d) => d.tools.filter((t) => t.tool === 'local' || t.tool === 's3'));
  const rss = Math.max(...ours.map((t) => t.peakRssMb ?? Infinity));
  goals.push({ goal: 'capture peak RSS (every dataset and store)', target: `< ${CAPTURE_GOALS.maxRssMb} MB`, actual: `${rss.toFixed(1)} MB`, met: rss < CAPTURE_GOALS.maxRssMb });
  for (const kind of ['random', 'compressible'] as const) {
    const large = datasets.find((d) => d.kind === kind && d.size === 'large');
    const small = datasets.find((d) => d.kind === kind && d.size === 'small');
    if (large === undefined || small === undefined) continue;
    for (const tool of ['local', 's3'] as const) {
      const l = large.tools.find((t) => t.tool === tool)?.peakRssMb ?? null;
      const s = small.tools.find((t) => t.tool === tool)?.peakRssMb ?? null;
      if (l === null || s === null) continue;
      const growth = (l - s) / s;
      goals.push({
        goal: `peak RSS flat, ${kind} -> ${tool}: ${small.keys.toLocaleString('en-US')} vs ${large.keys.toLocaleString('en-US')} keys`,
        target: `<= +${(CAPTURE_GOALS.maxRssGrowth * 100).toFixed(0)}%`,
        actual: `${s.toFixed(1)} -> ${l.toFixed(1)} MB (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(1)}%)`,
        met: growth <= CAPTURE_GOALS.maxRssGrowth,
      });
    }
  }
  return goals;
}

function engineBuild(): EngineBuild {
  const root = join(REPO_ROOT, 'dist', 'lambdas');
  const hash = createHash('sha256');
  let newest = 0;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) {
        hash.update(relative(root, p)).update('\0').update(readFileSync(p));
        newest = Math.max(newest, statSync(p).mtimeMs);
      }
    }
  };
  if (existsSync(root)) walk(root);
  const git = (args: string[]): string => spawnSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  return {
    gitHead: git(['rev-parse', 'HEAD']) || 'unknown',
    lambdasDirty: git(['status', '--porcelain', '--', 'lambdas']) !== '',
    distSha256: hash.digest('hex'),
    distNewest: new Date(newest).toISOString(),
  };
}

export const captureSection: BenchSection = {
  name: 'capture',
  title: 'capture (replication) wall time and memory vs redis-cli --rdb',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const { options } = ctx;
    const engine = engineBuild();
    log(`capture: engine dist/lambdas sha256 ${engine.distSha256.slice(0, 12)} (newest file ${engine.distNewest}), git ${engine.gitHead.slice(0, 10)}${engine.lambdasDirty ? ' + uncommitted lambdas/ changes' : ''}`);
    // Everything written (server copies, redis-cli output, the local store, s3rver's files) goes
    // under the temporary directory, so all of it lands on the same disk.
    const workRoot = mkdtempSync(join(tmpdir(), 'bench-capture-'));
    const localDir = join(workRoot, 'local-store');
    mkdirSync(localDir);
    const s3 = await S3Server.start({ bucket: 'bench', prefix: 'backups/' });
    const stores: Stores = { s3, localDir };
    const datasets: CaptureDatasetResult[] = [];
    const profiles: CaptureProfile[] = [];
    try {
      for (const plan of plans(options)) {
        const isMain = plan.kind === 'random' && plan.size === 'large';
        const dataset = isMain ? ctx.dataset : await ensureDataset(options.dir, plan.spec, options.rebuild);
        datasets.push(await runDataset(plan, dataset, stores, workRoot, options, profiles));
      }
    } finally {
      await s3.stop();
      if (existsSync(workRoot)) rmSync(workRoot, { recursive: true, force: true });
    }
    engine.unchangedDuringRun = engineBuild().distSha256 === engine.distSha256;
    if (!engine.unchangedDuringRun) log('capture: WARNING dist/lambdas was rebuilt while the section ran; the runs may mix two engine builds');
    const goals = goalsOf(datasets);
    const results: CaptureResults = {
      section: 'capture',
      createdAt: new Date().toISOString(),
      settings: {
        replDisklessSync: options.diskless,
        replDisklessSyncDelay: 0,
        runs: options.runs,
        order: 'per round: redis-cli, ours -> local, redis-cli, ours -> s3rver; then one import of the file -> local; sync before each run',
        compressionLevel: DEFAULT_COMPRESSION_LEVEL,
        chunkBytes: DEFAULT_CHUNK_BYTES,
        workDir: workRoot,
        s3rverDir: s3.dir,
      },
      engine,
      environment: { ...ctx.environment, loadAverageAfter: loadavg().map((x) => Number(x.toFixed(2))) },
      datasets,
      goals,
      profiles,
    };
    const jsonPath = join(options.dir, 'results-capture.json');
    writeJson(jsonPath, results);
    return { text: formatCaptureReport(results), jsonPath, goals };
  },
};
