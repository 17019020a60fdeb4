import { mkdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { log } from './format';
import { Measured, runMeasured, warmPageCache } from './measure';
import { newestProfile, ProfileSummary, summarizeProfile } from './profile';
import { formatVerifyReport, writeJson } from './report';
import { BenchContext, BenchSection, GoalResult, SectionOutcome } from './section';
import type { ChildReport } from './verify-child';
import { kbToMb, lowerMedian as median } from './stats';

export const REDIS_CHECK_RDB_BIN = process.env.REDIS_CHECK_RDB_BIN ?? 'redis-check-rdb';

/** The issue's goals for `verify`. */
export const VERIFY_GOALS = { minSpeedup: 2, maxRssMb: 100 } as const;

export interface ToolRun {
  tool: string;
  /** Wall time of the process (start-up included), median of the runs. */
  wallSeconds: number;
  allWallSeconds: number[];
  mbPerSecond: number;
  keysPerSecond: number;
  keys: number;
  /** Peak RSS in MB (10^6 bytes), the highest of the runs. */
  peakRssMb: number | null;
  rssSource: string;
  cpuSeconds: number | null;
  /** Our verify only: time inside verifyRdbFile, and the RSS the child itself reported. */
  inProcessSeconds?: number;
  childMaxRssMb?: number;
}

export interface VerifyResults {
  section: 'verify';
  createdAt: string;
  dataset: { id: string; path: string; bytes: number; keys: number; expiring: number; byKind: Record<string, number>; redisVersion: string; cached: boolean };
  environment: BenchContext['environment'] & { loadAverageAfter: number[] };
  pageCacheReadMbPerSecond: number;
  redisCheckRdb: ToolRun;
  verifyDeep: ToolRun;
  verifyShallow: ToolRun;
  /** redis-check-rdb wall time / our wall time (higher is better for us). */
  speedupDeep: number;
  speedupShallow: number;
  goals: GoalResult[];
  profile?: ProfileSummary & { file: string };
}

function toolRun(tool: string, runs: Measured[], bytes: number, keys: number, extra: Partial<ToolRun> = {}): ToolRun {
  const walls = runs.map((r) => r.wallMs / 1000);
  const wallSeconds = median(walls);
  const rss = runs.map((r) => r.maxRssKb).filter((v): v is number => v !== null);
  const mid = runs[walls.indexOf(wallSeconds)];
  return {
    tool,
    wallSeconds,
    allWallSeconds: walls,
    mbPerSecond: bytes / 1e6 / wallSeconds,
    keysPerSecond: keys / wallSeconds,
    keys,
    peakRssMb: rss.length === 0 ? null : kbToMb(Math.max(...rss)),
    rssSource: runs[0].rssSource,
    cpuSeconds: mid.userSeconds === null || mid.systemSeconds === null ? null : mid.userSeconds + mid.systemSeconds,
    ...extra,
  };
}

async function runRedisCheckRdb(path: string, expectedKeys: number, useTime: boolean): Promise<{ run: Measured; keys: number }> {
  const run = await runMeasured(REDIS_CHECK_RDB_BIN, [path], { useTime });
  const out = run.stdout + run.stderr;
  if (run.exitCode !== 0 || !out.includes('RDB looks OK')) throw new Error(`redis-check-rdb failed (exit ${run.exitCode}):\n${out.slice(-2000)}`);
  const keys = Number(/\[info\] (\d+) keys read/.exec(out)?.[1] ?? NaN);
  if (keys !== expectedKeys) throw new Error(`redis-check-rdb read ${keys} keys, the dataset has ${expectedKeys}`);
  return { run, keys };
}

async function runVerifyChild(path: string, mode: 'deep' | 'shallow', expectedKeys: number, useTime: boolean, nodeFlags: string[] = []): Promise<{ run: Measured; report: ChildReport }> {
  const child = join(__dirname, 'verify-child.js');
  const run = await runMeasured(process.execPath, [...nodeFlags, child, path, mode], { useTime });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  let report: ChildReport;
  try {
    report = JSON.parse(line) as ChildReport;
  } catch {
    throw new Error(`verify child (${mode}) printed no report (exit ${run.exitCode}):\n${(run.stdout + run.stderr).slice(-2000)}`);
  }
  if (!report.ok || run.exitCode !== 0) throw new Error(`verify (${mode}) failed: ${report.error ?? `exit ${run.exitCode}`}`);
  if (report.keys !== expectedKeys) throw new Error(`verify (${mode}) counted ${report.keys} keys, the dataset has ${expectedKeys}`);
  return { run, report };
}

export const verifySection: BenchSection = {
  name: 'verify',
  title: 'verify throughput and memory vs redis-check-rdb',
  async run(ctx: BenchContext): Promise<SectionOutcome> {
    const { dataset, options } = ctx;
    const useTime = !options.noTime;
    const bytes = statSync(dataset.path).size;
    const keys = dataset.meta.counts.keys;
    log(`verify: warming the page cache with ${dataset.path} ...`);
    const readMbps = await warmPageCache([dataset.path]);

    // Rounds interleave the tools so a change in machine load hits all of them alike.
    const checkRuns: Measured[] = [];
    const verifyRuns = { deep: [] as Measured[], shallow: [] as Measured[] };
    const reports = { deep: [] as ChildReport[], shallow: [] as ChildReport[] };
    const rss = (r: Measured): string => (r.maxRssKb === null ? '?' : `${(kbToMb(r.maxRssKb) ?? 0).toFixed(1)} MB`);
    for (let i = 0; i < options.runs; i++) {
      const round = `${i + 1}/${options.runs}`;
      const { run } = await runRedisCheckRdb(dataset.path, keys, useTime);
      log(`round ${round}: redis-check-rdb  ${(run.wallMs / 1000).toFixed(2)} s, peak RSS ${rss(run)}`);
      checkRuns.push(run);
      for (const mode of ['deep', 'shallow'] as const) {
        const { run: v, report } = await runVerifyChild(dataset.path, mode, keys, useTime);
        log(`round ${round}: verify (${mode}) ${(v.wallMs / 1000).toFixed(2)} s, peak RSS ${rss(v)}`);
        verifyRuns[mode].push(v);
        reports[mode].push(report);
      }
    }
    const check = toolRun(`redis-check-rdb ${dataset.meta.redisVersion}`, checkRuns, bytes, keys);
    const ours = (mode: 'deep' | 'shallow'): ToolRun =>
      toolRun(`redis-backup verify (${mode})`, verifyRuns[mode], bytes, keys, {
        inProcessSeconds: median(reports[mode].map((r) => r.verifyMs / 1000)),
        childMaxRssMb: kbToMb(Math.max(...reports[mode].map((r) => r.maxRssKb))) ?? undefined,
      });
    const deep = ours('deep');
    const shallow = ours('shallow');

    const speedupDeep = check.wallSeconds / deep.wallSeconds;
    const speedupShallow = check.wallSeconds / shallow.wallSeconds;
    const ourRss = Math.max(deep.peakRssMb ?? Infinity, shallow.peakRssMb ?? Infinity);
    const goals: GoalResult[] = [
      { goal: 'verify (deep) vs redis-check-rdb, wall time', target: `>= ${VERIFY_GOALS.minSpeedup}x faster`, actual: `${speedupDeep.toFixed(2)}x`, met: speedupDeep >= VERIFY_GOALS.minSpeedup },
      { goal: 'verify peak RSS (deep and shallow)', target: `< ${VERIFY_GOALS.maxRssMb} MB`, actual: `${ourRss.toFixed(1)} MB`, met: ourRss < VERIFY_GOALS.maxRssMb },
    ];

    const results: VerifyResults = {
      section: 'verify',
      createdAt: new Date().toISOString(),
      dataset: {
        id: dataset.meta.id,
        path: dataset.path,
        bytes,
        keys,
        expiring: dataset.meta.counts.expiring,
        byKind: dataset.meta.counts.byKind,
        redisVersion: dataset.meta.redisVersion,
        cached: dataset.cached,
      },
      environment: { ...ctx.environment, loadAverageAfter: loadavg().map((x) => Number(x.toFixed(2))) },
      pageCacheReadMbPerSecond: readMbps,
      redisCheckRdb: check,
      verifyDeep: deep,
      verifyShallow: shallow,
      speedupDeep,
      speedupShallow,
      goals,
    };

    if (options.profile) {
      const dir = join(options.dir, 'profiles');
      mkdirSync(dir, { recursive: true });
      log('verify (deep) under node --cpu-prof ...');
      const since = Date.now();
      await runVerifyChild(dataset.path, 'deep', keys, useTime, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const file = newestProfile(dir, since);
      if (file !== null) results.profile = { file, ...summarizeProfile(file) };
    }

    const jsonPath = join(options.dir, 'results-verify.json');
    writeJson(jsonPath, results);
    return { text: formatVerifyReport(results), jsonPath, goals };
  },
};
