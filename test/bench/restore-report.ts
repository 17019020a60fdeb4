import { int, mb, table } from './format';
import { ProfileRow } from './profile';
import { formatGoals } from './report';
import type { RestoreDatasetResult, RestoreProfile, RestoreResults, RestoreToolSummary } from './restore-bench';

const f = (v: number | null | undefined, digits = 2): string => (v === null || v === undefined ? '-' : v.toFixed(digits));

function toolRow(t: RestoreToolSummary): string[] {
  return [
    t.label,
    f(t.wallSeconds),
    int(t.keysPerSecond),
    f(t.mbPerSecond, 1),
    t.rateVsCli === null ? '-' : `${t.rateVsCli.toFixed(2)}x`,
    f(t.peakRssMb, 1),
    f(t.cpuSeconds),
    f(t.serverCpuSeconds),
    f(t.serverUsedMemoryMb, 0),
    f(t.machineBusyCores),
    f(t.loadAverage),
  ];
}

function datasetBlock(d: RestoreDatasetResult): string[] {
  const kinds = Object.entries(d.byKind)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} ${int(n)}`)
    .join(', ');
  const c = d.commandsFile;
  const s = d.snapshot;
  const lines = [
    `Dataset ${d.label}: ${d.id}${d.cached ? ' (cached)' : ''}, ${mb(d.rdbBytes)} MB RDB, ${int(d.keys)} keys (${int(d.expiring)} expiring)${d.elements === undefined ? '' : `, ${int(d.elements)} elements`}`,
    `  ${kinds}`,
    `  snapshot ${s.snapshotId}: ${s.chunks} chunk(s) of ${s.chunkBytes >> 20} MiB, ${mb(s.storedBytes)} MB stored (zstd); runImport took ${s.importSeconds.toFixed(1)} s (not timed)`,
    ...s.attempts
      .filter((a) => a.badBoundaries.length > 0)
      .map(
        (a) =>
          `  ENGINE BUG: the import with ${a.chunkBytes >> 20} MiB chunks cut a chunk inside bytes already compressed (overlap at ${a.badBoundaries
            .map((b) => `chunk ${b.chunk} end ${b.rawEnd} > chunk ${b.chunk + 1} start ${b.nextOffset}`)
            .join(', ')}): not restorable (RESTORE_CHUNK_CORRUPT); imported again with smaller chunks`,
      ),
    `  RESTORE file: ${int(c.keys)} RESTORE + ${int(c.selects)} SELECT, ${mb(c.fileBytes)} MB, ${mb(c.payloadBytes)} MB of DUMP payloads (average ${d.benchmarkValueBytes} B); ` +
      `generated in ${c.seconds.toFixed(1)} s (not timed)`,
    '',
    table(['tool', 'wall s', 'keys/s', 'MB/s', 'vs cli', 'peak RSS MB', 'CPU s', 'server CPU s', 'server MB', 'busy cores', 'load 1m'], d.tools.map(toolRow)),
    '',
  ];
  const ours = d.tools.find((t) => t.tool === 'ours');
  if (ours !== undefined) {
    lines.push(
      `  ours: restoreIntoServer ${f(ours.inProcessSeconds)} s in the child (process ${f(ours.wallSeconds)} s); last key acknowledged at ${f(ours.keysDoneSeconds)} s, ` +
        `then the count and ${d.runs.find((r) => r.child !== undefined)?.child?.sampleChecked ?? 0}-key sample check`,
    );
    // CPU per key barely depends on other load on the machine, unlike wall time.
    const cli = d.tools.find((t) => t.tool === 'redis-cli');
    const perKey = (cpu: number | null): string => (cpu === null ? '?' : ((cpu / d.keys) * 1e6).toFixed(2));
    if (ours.cpuSeconds !== null) {
      lines.push(
        `  CPU per key: ours ${perKey(ours.cpuSeconds)} us (process, all threads), the target server meanwhile ${perKey(ours.serverCpuSeconds)} us; ` +
          `redis-cli ${perKey(cli?.cpuSeconds ?? null)} us, its server ${perKey(cli?.serverCpuSeconds ?? null)} us` +
          (ours.serverCpuSeconds !== null ? `; ours / server = ${(ours.cpuSeconds / ours.serverCpuSeconds).toFixed(2)} (below 1: the server is the bottleneck on an idle machine)` : ''),
      );
    }
    const m = ours.childMemory;
    if (m !== undefined) {
      lines.push(
        `  ours, memory peaks seen in the child (process.memoryUsage every 20 ms): rss ${m.rssMb.toFixed(1)} MB, V8 heap total ${m.heapTotalMb.toFixed(1)} MB ` +
          `(used ${m.heapUsedMb.toFixed(1)}), external ${m.externalMb.toFixed(1)} MB (ArrayBuffers/Buffers ${m.arrayBuffersMb.toFixed(1)})`,
      );
    }
  }
  const load = d.tools.find((t) => t.tool === 'startup-load');
  if (load !== undefined) lines.push(`  start-up load: the server logged "DB loaded from disk: ${f(load.loggedSeconds, 3)} seconds"`);
  lines.push(`  walls: ${d.tools.map((t) => `${t.tool} ${t.allWallSeconds.map((w) => w.toFixed(2)).join('/')}`).join(', ')}`);
  return lines;
}

function profileRows(rows: ProfileRow[], n: number): string[][] {
  return rows.slice(0, n).map((x) => [x.percent.toFixed(1), x.ms.toFixed(0), x.function, x.location]);
}

function profileBlock(p: RestoreProfile): string[] {
  return [
    '',
    `CPU profile of restore ${p.dataset} (profiled run ${p.wallSeconds.toFixed(2)} s): ${p.main.file}`,
    `main thread: ${(p.main.totalMs / 1000).toFixed(2)} s, ${int(p.main.samples)} samples`,
    table(['self %', 'self ms', 'function', 'location'], profileRows(p.main.topSelf, 25)),
    '',
    table(['total %', 'total ms', 'function', 'location'], profileRows(p.main.topTotal, 25)),
    '',
    table(
      ['self %', 'file'],
      p.main.byFile.map((x) => [x.percent.toFixed(1), x.file]),
    ),
  ];
}

export function formatRestoreReport(r: RestoreResults): string {
  const s = r.settings;
  const lines: string[] = [
    `Settings  ${s.runs} round(s), ${s.order}; servers: ${s.serverConfig}`,
    `          ours: restoreIntoServer (load mode, sample ${s.sampleKeys}) from a local store, in a child node process; redis-cli --pipe reads a pre-generated file`,
    `          ${s.benchmark}`,
    `Machine   ${r.environment.cpu}, ${r.environment.cores} cores, ${r.environment.memoryGb} GB; node ${r.environment.node}; ${r.environment.redisServer}; peak RSS via ${r.environment.rssMethod}`,
    `Load      load average ${r.environment.loadAverageAtStart.join(' ')} at start, ${r.environment.loadAverageAfter.join(' ')} after (1/5/15 min)`,
  ];
  for (const d of r.datasets) lines.push('', ...datasetBlock(d));
  lines.push(
    '',
    'wall s = process wall time, start-up included (median); keys/s = dataset keys / wall (redis-benchmark: its own requests/s);',
    'MB/s = raw RDB bytes / wall (redis-benchmark: value bytes/s); vs cli = keys/s over redis-cli --pipe keys/s;',
    'server CPU / MB = the target server\'s CPU during the run and used_memory after it; busy cores = whole machine, average; load 1m = at the end of the run;',
    'start-up load: server spawn to its first +PONG while it loads the same RDB from --dir.',
    '',
    formatGoals(r.goals),
  );
  for (const p of r.profiles) lines.push(...profileBlock(p));
  return lines.join('\n');
}
