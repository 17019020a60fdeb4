/**
 * Benchmarks: `npm run bench -- [--quick] [--rebuild] [--only verify,capture] [--profile]`.
 * Builds (or reuses) a large dataset saved by a real redis-server, then runs
 * each section against it. Add a restore benchmark as another section.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { ensureDataset } from './dataset';
import { log } from './format';
import { hasGnuTime } from './measure';
import { parseOptions, UsageError } from './options';
import { formatGoals } from './report';
import { aofSection } from './aof-bench';
import { captureSection } from './capture-bench';
import { restoreSection } from './restore-bench';
import { BenchEnvironment, BenchSection, GoalResult } from './section';
import { verifySection } from './verify-bench';

/** Sections in the order they run. */
const SECTIONS: BenchSection[] = [verifySection, captureSection, restoreSection, aofSection];

function environment(noTime: boolean): BenchEnvironment {
  const redis = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return {
    node: process.version,
    redisServer: (redis.stdout ?? '').trim() || 'unknown',
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    platform: `${process.platform} ${process.arch}`,
    loadAverageAtStart: loadavg().map((x) => Number(x.toFixed(2))),
    rssMethod: !noTime && hasGnuTime() ? '/usr/bin/time -v (rusage maxrss)' : '/proc/<pid>/status VmHWM polling',
  };
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const unknown = options.only.filter((n) => !SECTIONS.some((s) => s.name === n));
  if (unknown.length > 0) throw new UsageError(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.map((s) => s.name).join(', ')}`);
  const sections = options.only.length === 0 ? SECTIONS : SECTIONS.filter((s) => options.only.includes(s.name));
  if (!options.noTime && !hasGnuTime()) log('/usr/bin/time not found (apt-get install -y time); measuring peak RSS by polling /proc/<pid>/status VmHWM');

  const dataset = await ensureDataset(options.dir, { keys: options.keys, randomMb: options.randomMb, streams: options.streams }, options.rebuild);
  const ctx = { options, dataset, environment: environment(options.noTime) };
  if (ctx.environment.loadAverageAtStart[0] > 0.5) {
    log(`load average is ${ctx.environment.loadAverageAtStart.join(' ')}: other processes are using the CPU, timings will be noisy`);
  }
  const allGoals: GoalResult[] = [];
  for (const section of sections) {
    log(`section ${section.name}: ${section.title}`);
    const outcome = await section.run(ctx);
    allGoals.push(...outcome.goals);
    process.stdout.write(`\n=== ${section.name}: ${section.title} ===\n\n${outcome.text}\n\nresults: ${outcome.jsonPath}\n`);
  }
  if (sections.length > 1) process.stdout.write(`\n=== all goals ===\n\n${formatGoals(allGoals)}\n`);
}

main().catch((e: unknown) => {
  const text = e instanceof UsageError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  process.stderr.write(`[bench] failed: ${text}\n`);
  process.exit(1);
});
