import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { RedisServer } from '../helpers/redis-server';

/** One field of an INFO reply, or undefined. */
export function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(info)?.[1];
}

export function infoNumber(info: string, name: string): number | null {
  const v = infoField(info, name);
  return v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);
}

/** Kernel clock ticks per second for /proc/<pid>/stat (USER_HZ: 100 on every mainstream Linux). */
const CLK_TCK = 100;

/** CPU seconds of a process: its own, and that of its children it has waited for (a Redis fork child once reaped). */
export interface ProcessCpu {
  self: number;
  children: number;
}

export function processCpu(pid: number): ProcessCpu | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "pid (comm) ": state is field 3, utime 14, stime 15, cutime 16, cstime 17.
    const n = (i: number): number => Number(f[i - 3]);
    return { self: (n(14) + n(15)) / CLK_TCK, children: (n(16) + n(17)) / CLK_TCK };
  } catch {
    return null;
  }
}

/** Busy and total CPU ticks of the whole machine (all cores), from /proc/stat. */
export interface MachineCpu {
  busy: number;
  total: number;
}

export function machineCpu(): MachineCpu | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

/** A source server loaded from a copy of a cached dump.rdb. */
export interface SourceServer {
  server: RedisServer;
  client: Redis;
  pid: number;
  dir: string;
  loadSeconds: number;
  keys: number;
  usedMemoryHuman: string;
  stop(): Promise<void>;
}

/**
 * Starts a fresh redis-server whose --dir holds a copy of `rdbPath` as its --dbfilename, so it
 * loads that dataset at start-up (the cached file itself is never touched: a disk-based sync
 * rewrites dump.rdb). Both tools then capture from it with the same replication settings.
 */
export async function startSourceServer(rdbPath: string, workRoot: string, label: string, diskless: boolean): Promise<SourceServer> {
  const dir = mkdtempSync(join(workRoot, `capture-${label}-`));
  try {
    copyFileSync(rdbPath, join(dir, 'dump.rdb'));
    const t0 = performance.now();
    const server = await RedisServer.start({
      dir,
      // Loading a multi-GB RDB takes a while; the server answers -LOADING meanwhile.
      startTimeoutMs: 30 * 60_000,
      config: {
        dbfilename: 'dump.rdb',
        rdbcompression: 'yes',
        rdbchecksum: 'yes',
        'repl-diskless-sync': diskless ? 'yes' : 'no',
        'repl-diskless-sync-delay': 0,
      },
    });
    const loadSeconds = (performance.now() - t0) / 1000;
    const client = server.client();
    const info = await client.info();
    const pid = infoNumber(info, 'process_id') ?? 0;
    let keys = 0;
    for (const m of info.matchAll(/^db\d+:keys=(\d+)/gm)) keys += Number(m[1]);
    return {
      server,
      client,
      pid,
      dir,
      loadSeconds,
      keys,
      usedMemoryHuman: infoField(info, 'used_memory_human') ?? '?',
      async stop(): Promise<void> {
        await server.stop();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/** Waits until no fork child runs and no replica is attached (the previous capture is fully over). */
export async function waitIdle(client: Redis, timeoutMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const persistence = await client.info('persistence');
    const replication = await client.info('replication');
    if (infoNumber(persistence, 'rdb_bgsave_in_progress') === 0 && infoNumber(replication, 'connected_slaves') === 0) return;
    if (Date.now() > deadline) throw new Error(`the source server is still busy after ${timeoutMs} ms:\n${persistence}\n${replication}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** What the server reported about its last RDB child. */
export interface ServerSaveStats {
  /** INFO persistence rdb_last_bgsave_time_sec (whole seconds, diskless transfers included). */
  lastBgsaveTimeSec: number | null;
  lastBgsaveStatus: string | null;
  /** INFO stats latest_fork_usec. */
  latestForkUsec: number | null;
  /** INFO persistence rdb_last_cow_size. */
  lastCowBytes: number | null;
}

export async function serverSaveStats(client: Redis): Promise<ServerSaveStats> {
  const persistence = await client.info('persistence');
  const stats = await client.info('stats');
  return {
    lastBgsaveTimeSec: infoNumber(persistence, 'rdb_last_bgsave_time_sec'),
    lastBgsaveStatus: infoField(persistence, 'rdb_last_bgsave_status') ?? null,
    latestForkUsec: infoNumber(stats, 'latest_fork_usec'),
    lastCowBytes: infoNumber(persistence, 'rdb_last_cow_size'),
  };
}

/** The server's RDB generation on its own: a BGSAVE to its --dir, no consumer involved. */
export interface BgsaveTiming {
  /** BGSAVE sent to rdb_bgsave_in_progress:0, polled every 10 ms. */
  seconds: number;
  /** CPU of the fork child (the server's waited-for children, measured once it was reaped). */
  childCpuSeconds: number | null;
  rdbBytes: number;
  stats: ServerSaveStats;
}

export async function timeBgsave(source: SourceServer): Promise<BgsaveTiming> {
  const { client } = source;
  await waitIdle(client);
  const cpu0 = processCpu(source.pid);
  const t0 = performance.now();
  const reply = await client.call('BGSAVE');
  if (typeof reply !== 'string' || !/started/i.test(reply)) throw new Error(`BGSAVE answered ${JSON.stringify(reply)}`);
  let seconds = 0;
  for (;;) {
    const p = await client.info('persistence');
    if (infoNumber(p, 'rdb_bgsave_in_progress') === 0) {
      seconds = (performance.now() - t0) / 1000;
      break;
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  await waitIdle(client);
  const cpu1 = processCpu(source.pid);
  const stats = await serverSaveStats(client);
  if (stats.lastBgsaveStatus !== 'ok') throw new Error(`BGSAVE failed: rdb_last_bgsave_status:${stats.lastBgsaveStatus}`);
  return {
    seconds,
    childCpuSeconds: cpu0 === null || cpu1 === null ? null : cpu1.children - cpu0.children,
    rdbBytes: statSync(join(source.dir, 'dump.rdb')).size,
    stats,
  };
}
