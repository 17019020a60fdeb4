import type { CaptureDatasetResult, CaptureProfile, CaptureResults, CaptureToolSummary } from './capture-bench';
import { int, mb, table } from './format';
import { ProfileRow } from './profile';
import { formatGoals } from './report';

const f = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? '-' : v.toFixed(digits));

function toolRow(t: CaptureToolSummary): string[] {
  return [
    t.label,
    f(t.wallSeconds),
    `${t.ratioVsCli.toFixed(2)}x`,
    f(t.firstByteSeconds),
    f(t.mbPerSecond, 1),
    mb(t.rawBytes),
    t.storedBytes === null ? '-' : mb(t.storedBytes),
    t.compressionRatio === null ? '-' : `${t.compressionRatio.toFixed(2)}x`,
    f(t.peakRssMb, 1),
    f(t.cpuSeconds),
    t.cpuSeconds === null || t.rawBytes === 0 ? '-' : f(t.cpuSeconds / (t.rawBytes / 1e9)),
    f(t.forkChildCpuSeconds, 1),
    f(t.machineBusyCores, 2),
  ];
}

function datasetBlock(d: CaptureDatasetResult): string[] {
  const cli = d.tools.find((t) => t.tool === 'redis-cli');
  const ours = d.tools.filter((t) => t.tool !== 'redis-cli');
  const b = d.bgsave;
  const lines = [
    `Dataset ${d.label}: ${d.id}${d.cached ? ' (cached)' : ''}, ${mb(d.rdbBytes)} MB RDB, ${int(d.keys)} keys; server loaded it in ${d.serverLoadSeconds.toFixed(1)} s (used memory ${d.serverMemory})`,
    `  server alone: BGSAVE to its disk ${b.seconds.toFixed(2)} s (${(b.rdbBytes / 1e6 / b.seconds).toFixed(1)} MB/s, ${mb(b.rdbBytes)} MB), fork child CPU ${f(b.childCpuSeconds, 1)} s, ` +
      `rdb_last_bgsave_time_sec ${b.stats.lastBgsaveTimeSec ?? '?'}, latest_fork_usec ${b.stats.latestForkUsec ?? '?'}`,
    '',
    table(['tool', 'wall s', 'vs cli', '1st byte s', 'MB/s', 'raw MB', 'stored MB', 'raw/stored', 'peak RSS MB', 'CPU s', 'CPU s/GB', 'fork CPU s', 'busy cores'], d.tools.map(toolRow)),
    '',
  ];
  for (const t of ours) {
    const s3 =
      t.s3CompleteSeconds === undefined
        ? ''
        : `; s3rver's CompleteMultipartUpload ${t.s3CompleteSeconds.toFixed(2)} s (it copies and MD5s every part); s3rver used ${f(t.s3rverCpuSeconds)} s of CPU in the bench process`;
    lines.push(
      `  ${t.label}: runBackup ${f(t.runBackupSeconds)} s in the child (process ${f(t.wallSeconds)} s); last payload byte processed at ${f(t.payloadDoneSeconds)} s, ` +
        `store tail after it ${f(t.tailSeconds)} s${s3}`,
    );
  }
  if (cli !== undefined) lines.push(`  walls: ${d.tools.map((t) => `${t.tool} ${t.allWallSeconds.map((w) => w.toFixed(2)).join('/')}`).join(', ')}`);
  return lines;
}

function profileRows(rows: ProfileRow[], n: number): string[][] {
  return rows.slice(0, n).map((x) => [x.percent.toFixed(1), x.ms.toFixed(0), x.function, x.location]);
}

function profileBlock(p: CaptureProfile): string[] {
  const lines = [
    '',
    `CPU profile of capture ${p.dataset} -> ${p.tool} (profiled run ${p.wallSeconds.toFixed(2)} s): ${p.main.file}`,
    `main thread: ${(p.main.totalMs / 1000).toFixed(2)} s, ${int(p.main.samples)} samples`,
    table(['self %', 'self ms', 'function', 'location'], profileRows(p.main.topSelf, 20)),
    '',
    table(['total %', 'total ms', 'function', 'location'], profileRows(p.main.topTotal, 20)),
    '',
    table(
      ['self %', 'file'],
      p.main.byFile.map((x) => [x.percent.toFixed(1), x.file]),
    ),
  ];
  for (const w of p.workers) {
    lines.push('', `worker thread ${w.file}: ${(w.totalMs / 1000).toFixed(2)} s`, table(['self %', 'self ms', 'function', 'location'], profileRows(w.topSelf, 6)));
  }
  return lines;
}

export function formatCaptureReport(r: CaptureResults): string {
  const s = r.settings;
  const lines: string[] = [
    `Settings  repl-diskless-sync ${s.replDisklessSync ? 'yes' : 'no'}, repl-diskless-sync-delay 0 (both tools); ${s.runs} round(s), ${s.order}`,
    `          ours: runBackup (replication), zstd level ${s.compressionLevel}, ${s.chunkBytes >> 20} MiB chunks, CRC inline; child node process per capture`,
    `          redis-cli, the local store and s3rver (in the bench process) all write under ${s.workDir.replace(/[^/]+$/, '')}`,
    `Engine    dist/lambdas sha256 ${r.engine.distSha256.slice(0, 16)} (newest file ${r.engine.distNewest}), git ${r.engine.gitHead.slice(0, 10)}${r.engine.lambdasDirty ? ' + uncommitted lambdas/ changes' : ''}` +
      `${r.engine.unchangedDuringRun === false ? '; WARNING: rebuilt during the run' : ''}`,
    `Machine   ${r.environment.cpu}, ${r.environment.cores} cores, ${r.environment.memoryGb} GB; node ${r.environment.node}; ${r.environment.redisServer}; peak RSS via ${r.environment.rssMethod}`,
    `Load      load average ${r.environment.loadAverageAtStart.join(' ')} at start, ${r.environment.loadAverageAfter.join(' ')} after (1/5/15 min)`,
  ];
  for (const d of r.datasets) lines.push('', ...datasetBlock(d));

  lines.push('', 'Side by side (medians):', '');
  lines.push(
    table(
      ['dataset', 'raw MB', 'redis-cli s', 'local s', 'local/cli', 's3rver s', 's3/cli', 'import s', 'stored MB', 'raw/stored', 'RSS local MB', 'RSS s3 MB'],
      r.datasets.map((d) => {
        const cli = d.tools.find((t) => t.tool === 'redis-cli');
        const local = d.tools.find((t) => t.tool === 'local');
        const s3 = d.tools.find((t) => t.tool === 's3');
        const imported = d.tools.find((t) => t.tool === 'import');
        return [
          d.label,
          mb(d.rdbBytes),
          f(cli?.wallSeconds),
          f(local?.wallSeconds),
          local === undefined ? '-' : `${local.ratioVsCli.toFixed(2)}x`,
          f(s3?.wallSeconds),
          s3 === undefined ? '-' : `${s3.ratioVsCli.toFixed(2)}x`,
          f(imported?.wallSeconds),
          local?.storedBytes === null || local === undefined ? '-' : mb(local.storedBytes),
          local?.compressionRatio === null || local === undefined ? '-' : `${local.compressionRatio.toFixed(2)}x`,
          f(local?.peakRssMb, 1),
          f(s3?.peakRssMb, 1),
        ];
      }),
    ),
  );
  lines.push(
    '',
    'wall s = process wall time, start-up included; vs cli = wall / redis-cli --rdb wall (median over the redis-cli runs of the same dataset);',
    '1st byte = redis-cli: its output file growing (5 ms polls); ours: manifest timings.firstByteMs (from runBackup start);',
    'raw/stored = RDB bytes / zstd bytes; fork CPU = CPU of the server\'s RDB child (reaped) during the capture; busy cores = whole machine, average;',
    'import = runImport of the same RDB file into the local store: the pipeline alone, no server (its wall is not a goal).',
    '',
    formatGoals(r.goals),
  );
  for (const p of r.profiles) lines.push(...profileBlock(p));
  return lines.join('\n');
}
