import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { int, mb, table } from './format';
import { GoalResult } from './section';
import type { ToolRun, VerifyResults } from './verify-bench';

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}

export function formatGoals(goals: GoalResult[]): string {
  return table(
    ['goal', 'target', 'measured', 'status'],
    goals.map((g) => [g.goal, g.target, g.actual, g.met ? 'MET' : 'NOT MET']),
  );
}

function toolRow(r: ToolRun, speedup: string): string[] {
  return [
    r.tool,
    r.wallSeconds.toFixed(2),
    r.mbPerSecond.toFixed(1),
    int(r.keysPerSecond),
    r.peakRssMb === null ? '-' : r.peakRssMb.toFixed(1),
    r.cpuSeconds === null ? '-' : r.cpuSeconds.toFixed(2),
    speedup,
  ];
}

export function formatVerifyReport(r: VerifyResults): string {
  const d = r.dataset;
  const kinds = Object.entries(d.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${int(n)}`)
    .join(', ');
  const lines = [
    `Dataset   ${d.id}${d.cached ? ' (cached)' : ''}`,
    `          ${mb(d.bytes)} MB RDB from redis ${d.redisVersion}; ${int(d.keys)} keys, ${int(d.expiring)} with expiry`,
    `          ${kinds}`,
    `Machine   ${r.environment.cpu}, ${r.environment.cores} cores, ${r.environment.memoryGb} GB; node ${r.environment.node}; peak RSS via ${r.environment.rssMethod}`,
    `Load      load average ${r.environment.loadAverageAtStart.join(' ')} at start, ${r.environment.loadAverageAfter.join(' ')} after (1/5/15 min)`,
    `Cache     file read from page cache at ${r.pageCacheReadMbPerSecond.toFixed(0)} MB/s before timing (both tools read a warm cache)`,
    '',
    table(
      ['tool', 'wall s', 'MB/s', 'keys/s', 'peak RSS MB', 'CPU s', 'vs check-rdb'],
      [
        toolRow(r.redisCheckRdb, '1.00x'),
        toolRow(r.verifyDeep, `${r.speedupDeep.toFixed(2)}x`),
        toolRow(r.verifyShallow, `${r.speedupShallow.toFixed(2)}x`),
      ],
    ),
    '',
    `wall s = process wall time, start-up included (median of ${r.redisCheckRdb.allWallSeconds.length} run(s)); MB = 10^6 bytes; ` +
      'vs check-rdb = redis-check-rdb wall time / tool wall time.',
    'Our verify runs in a child node process with the options `redis-backup verify` uses (topKeys 0, empty keys are errors).',
    `Inside the child, verifyRdbFile took ${r.verifyDeep.inProcessSeconds?.toFixed(2)} s (deep) and ${r.verifyShallow.inProcessSeconds?.toFixed(2)} s (shallow); ` +
      `the child reported maxRSS ${r.verifyDeep.childMaxRssMb?.toFixed(1)} MB / ${r.verifyShallow.childMaxRssMb?.toFixed(1)} MB.`,
    '',
    formatGoals(r.goals),
  ];
  if (r.profile !== undefined) {
    const p = r.profile;
    lines.push(
      '',
      `CPU profile of verify (deep): ${p.file} (${(p.totalMs / 1000).toFixed(2)} s, ${int(p.samples)} samples)`,
      table(
        ['self %', 'self ms', 'function', 'location'],
        p.topSelf.slice(0, 20).map((x) => [x.percent.toFixed(1), x.ms.toFixed(0), x.function, x.location]),
      ),
      '',
      table(
        ['total %', 'total ms', 'function', 'location'],
        p.topTotal.slice(0, 20).map((x) => [x.percent.toFixed(1), x.ms.toFixed(0), x.function, x.location]),
      ),
      '',
      table(
        ['self %', 'file'],
        p.byFile.map((f) => [f.percent.toFixed(1), f.file]),
      ),
    );
  }
  return lines.join('\n');
}
