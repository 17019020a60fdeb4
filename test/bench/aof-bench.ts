import { mkdirSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { AofChildMode, AofChildReport } from './aof-child';
import { AofDataset, ensureAofDataset } from './aof-dataset';
import { int, log, mb, table } from './format';
import { Measured, runMeasured, warmPageCache } from './measure';
import { newestProfile, ProfileSummary, summarizeProfile } from './profile';
import { formatGoals, writeJson } from './report';
import { BenchContext, BenchSection, GoalResult, SectionOutcome } from './section';
import { kbToMb, lowerMedian as median } from './stats';

export const REDIS_CHECK_AOF_BIN = process.env.REDIS_CHECK_AOF_BIN ?? 'redis-check-aof';

/** Commands in the benchmark AOF: BENCH_AOF_COMMANDS, else 2M (about 280 MB), 200k with --quick. */
function aofCommands(quick: boolean): number {
  const raw = process.env.BENCH_AOF_COMMANDS;
  if (raw !== undefined && raw !== '') {
    const v = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(v) || v < 1000) throw new Error(`BENCH_AOF_COMMANDS must be an integer >= 1000, got ${JSON.stringify(raw)}`);
    return v;
  }
  return quick ? 200_000 : 2_000_000;
}

/** The issue's goals for the AOF reader. */
export const AOF_GOALS = { minVerifySpeedup: 1, maxImportOverFloor: 1.2, maxRssMb: 150 } as const;

export interface AofToolRun {
  tool: string;
  /** Wall time of the process (start-up included), median of the runs. */
  wallSeconds: number;
  allWallSeconds: number[];
  mbPerSecond: number;
  commandsPerSecond: number;
  /** Peak RSS in MB (10^6 bytes), the highest of the runs. */
  peakRssMb: number | null;
  cpuSeconds: number | null;
  /** Ours: median time inside the call (no process start-up). */
  inProcessSeconds?: number;
}

export interface AofResults {
  section: 'aof';
  createdAt: string;
  dataset: Omit<AofDataset, 'cached'> & { cached: boolean; commands: number };
  environment: BenchContext['environment'] & { loadAverageAfter: number[] };
  pageCacheReadMbPerSecond: number;
  redisCheckAof: AofToolRun;
  verify: AofToolRun;
  importLocal: AofToolRun;
  /** SHA-256 + zstd + store of the same bytes without the AOF reader. */
  floor: AofToolRun;
  /** redis-check-aof wall / verifyAof wall (higher is better for us). */
  verifySpeedup: number;
  /** import wall / floor wall (1.0: parsing costs nothing). */
  importOverFloor: number;
  storedBytes: number;
  goals: GoalResult[];
  profiles?: Array<ProfileSummary & { mode: AofChildMode; file: string }>;
}

function toolRun(tool: string, runs: Measured[], bytes: number, commands: number, inProcess?: number[]): AofToolRun {
  const walls = runs.map((r) => r.wallMs / 1000);
  const wallSeconds = median(walls);
  const rss = runs.map((r) => r.maxRssKb).filter((v): v is number => v !== null);
  const mid = runs[walls.indexOf(wallSeconds)];
  return {
    tool,
    wallSeconds,
    allWallSeconds: walls,
    mbPerSecond: bytes / 1e6 / wallSeconds,
    commandsPerSecond: commands / wallSeconds,
    peakRssMb: rss.length === 0 ? null : kbToMb(Math.max(...rss)),
    cpuSeconds: mid.userSeconds === null || mid.systemSeconds === null ? null : mid.userSeconds + mid.systemSeconds,
    ...(inProcess === undefined ? {} : { inProcessSeconds: median(inProcess) }),
  };
}

async function runCheckAof(manifest: string, useTime: boolean): Promise<Measured> {
  const run = await runMeasured(REDIS_CHECK_AOF_BIN, [manifest], { useTime });
  const out = run.stdout + run.stderr;
  if (run.exitCode !== 0 || !out.includes('All AOF files and manifest are valid')) throw new Error(`redis-check-aof failed (exit ${run.exitCode}):\n${out.slice(-2000)}`);
  return run;
}

async function runChild(mode: AofChildMode, dataset: AofDataset, scratch: string, useTime: boolean, nodeFlags: string[] = []): Promise<{ run: Measured; report: AofChildReport }> {
  const run = await runMeasured(process.execPath, [...nodeFlags, join(__dirname, 'aof-child.js'), mode, dataset.dir, scratch], { useTime });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let report: AofChildReport;
  try {
    report = JSON.parse(line) as AofChildReport;
  } catch {
    throw new Error(`aof child (${mode}) printed no report (exit ${run.exitCode}):\n${(run.stdout + run.stderr).slice(-2000)}`);
  }
  if (!report.ok || run.exitCode !== 0) throw new Error(`aof ${mode} failed: ${report.error ?? `exit ${run.exitCode}`}`);
  if (report.bytes !== dataset.bytes) throw new Error(`aof ${mode} read ${report.bytes} bytes, the AOF has ${dataset.bytes}`);
  return { run, report };
}

function row(r: AofToolRun, ratio: string): string[] {
  return [
    r.tool,
    r.wallSeconds.toFixed(2),
    r.inProcessSeconds === undefined ? '-' : r.inProcessSeconds.toFixed(2),
    r.mbPerSecond.toFixed(1),
    r.commandsPerSecond === 0 ? '-' : int(r.commandsPerSecond),
    r.peakRssMb === null ? '-' : r.peakRssMb.toFixed(1),
    r.cpuSeconds === null ? '-' : r.cpuSeconds.toFixed(2),
    ratio,
  ];
}

function formatAofReport(r: AofResults): string {
  const d = r.dataset;
  const lines = [
    `Dataset   ${d.id}${d.cached ? ' (cached)' : ''}: ${d.dir}`,
    `          ${mb(d.bytes)} MB of commands written by redis ${d.redisVersion} (appendonly yes, aof-use-rdb-preamble no); ${int(d.commands)} commands`,
    `Machine   ${r.environment.cpu}, ${r.environment.cores} cores, ${r.environment.memoryGb} GB; node ${r.environment.node}; peak RSS via ${r.environment.rssMethod}`,
    `Load      load average ${r.environment.loadAverageAtStart.join(' ')} at start, ${r.environment.loadAverageAfter.join(' ')} after (1/5/15 min)`,
    `Cache     files read from page cache at ${r.pageCacheReadMbPerSecond.toFixed(0)} MB/s before timing`,
    '',
    table(
      ['tool', 'wall s', 'in-proc s', 'MB/s', 'commands/s', 'peak RSS MB', 'CPU s', 'ratio'],
      [
        row(r.redisCheckAof, '1.00x'),
        row(r.verify, `${r.verifySpeedup.toFixed(2)}x`),
        row(r.importLocal, `${r.importOverFloor.toFixed(2)}x floor`),
        row(r.floor, '1.00x floor'),
      ],
    ),
    '',
    `wall s = process wall time, start-up included (median of ${r.redisCheckAof.allWallSeconds.length} run(s)); in-proc s = inside the call; MB = 10^6 bytes.`,
    'ratio: redis-check-aof wall / verifyAof wall; import wall / floor wall, where floor = the same SHA-256, zstd 3 and',
    `LocalStore write of the same bytes without the AOF reader. Stored: ${mb(r.storedBytes)} MB.`,
    '',
    formatGoals(r.goals),
  ];
  for (const p of r.profiles ?? []) {
    lines.push(
      '',
      `CPU profile of ${p.mode}: ${p.file} (${(p.totalMs / 1000).toFixed(2)} s, ${int(p.samples)} samples)`,
      table(
        ['self %', 'self ms', 'function', 'location'],
        p.topSelf.slice(0, 15).map((x) => [x.percent.toFixed(1), x.ms.toFixed(0), x.function, x.location]),
      ),
    );
  }
  return lines.join('\n');
}

export const aofSection: BenchSection = {
  name: 'aof',
  title: 'AOF verify and import vs redis-check-aof',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const { options } = ctx;
    const useTime = !options.noTime;
    const dataset = await ensureAofDataset(options.dir, aofCommands(options.quick), options.rebuild);
    const scratch = join(options.dir, 'aof-scratch');
    mkdirSync(scratch, { recursive: true });
    log(`aof: warming the page cache with ${dataset.dir} ...`);
    const readMbps = await warmPageCache(readdirSync(dataset.dir).map((name) => join(dataset.dir, name)));

    const runs = { check: [] as Measured[], verify: [] as Measured[], import: [] as Measured[], floor: [] as Measured[] };
    const inProcess = { verify: [] as number[], import: [] as number[], floor: [] as number[] };
    let commands = 0;
    let storedBytes = 0;
    // Rounds interleave the tools so a change in machine load hits all of them alike.
    for (let i = 0; i < options.runs; i++) {
      const round = `${i + 1}/${options.runs}`;
      const check = await runCheckAof(dataset.manifest, useTime);
      runs.check.push(check);
      log(`round ${round}: redis-check-aof ${(check.wallMs / 1000).toFixed(2)} s`);
      for (const mode of ['verify', 'import', 'floor'] as const) {
        const { run, report } = await runChild(mode, dataset, scratch, useTime);
        runs[mode].push(run);
        inProcess[mode].push(report.ms / 1000);
        if (mode === 'verify') commands = report.commands;
        if (mode === 'import') {
          if (report.commands !== commands) throw new Error(`import counted ${report.commands} commands, verify ${commands}`);
          storedBytes = report.storedBytes;
        }
        log(`round ${round}: ${mode} ${(run.wallMs / 1000).toFixed(2)} s (${(report.ms / 1000).toFixed(2)} s inside), peak RSS ${((report.maxRssKb * 1024) / 1e6).toFixed(1)} MB`);
      }
    }
    if (commands < dataset.sent) throw new Error(`verifyAof counted ${commands} commands, ${dataset.sent} were sent`);

    const bytes = dataset.bytes;
    const check = toolRun(`redis-check-aof ${dataset.redisVersion}`, runs.check, bytes, commands);
    const verify = toolRun('redis-backup verifyAof', runs.verify, bytes, commands, inProcess.verify);
    const importLocal = toolRun('import to local store', runs.import, bytes, commands, inProcess.import);
    const floor = toolRun('floor: sha256+zstd+store', runs.floor, bytes, 0, inProcess.floor);
    const verifySpeedup = check.wallSeconds / verify.wallSeconds;
    const importOverFloor = importLocal.wallSeconds / floor.wallSeconds;
    const ourRss = Math.max(verify.peakRssMb ?? Infinity, importLocal.peakRssMb ?? Infinity);
    const goals: GoalResult[] = [
      { goal: 'verifyAof vs redis-check-aof, wall time', target: `>= ${AOF_GOALS.minVerifySpeedup}x`, actual: `${verifySpeedup.toFixed(2)}x`, met: verifySpeedup >= AOF_GOALS.minVerifySpeedup },
      {
        goal: 'AOF import vs its floor (sha256+zstd+store), wall',
        target: `<= ${AOF_GOALS.maxImportOverFloor}x`,
        actual: `${importOverFloor.toFixed(2)}x`,
        met: importOverFloor <= AOF_GOALS.maxImportOverFloor,
      },
      { goal: 'verifyAof and import peak RSS', target: `< ${AOF_GOALS.maxRssMb} MB`, actual: `${ourRss.toFixed(1)} MB`, met: ourRss < AOF_GOALS.maxRssMb },
    ];

    const results: AofResults = {
      section: 'aof',
      createdAt: new Date().toISOString(),
      dataset: { ...dataset, commands },
      environment: { ...ctx.environment, loadAverageAfter: loadavg().map((x) => Number(x.toFixed(2))) },
      pageCacheReadMbPerSecond: readMbps,
      redisCheckAof: check,
      verify,
      importLocal,
      floor,
      verifySpeedup,
      importOverFloor,
      storedBytes,
      goals,
    };

    if (options.profile) {
      const dir = join(options.dir, 'profiles');
      mkdirSync(dir, { recursive: true });
      results.profiles = [];
      for (const mode of ['verify', 'import'] as const) {
        log(`aof ${mode} under node --cpu-prof ...`);
        const since = Date.now();
        await runChild(mode, dataset, scratch, useTime, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
        const file = newestProfile(dir, since);
        if (file !== null) results.profiles.push({ mode, file, ...summarizeProfile(file) });
      }
    }

    const jsonPath = join(options.dir, 'results-aof.json');
    writeJson(jsonPath, results);
    return { text: formatAofReport(results), jsonPath, goals };
  },
};
