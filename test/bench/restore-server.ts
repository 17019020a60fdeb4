import { copyFileSync, linkSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import { RedisServer } from '../helpers/redis-server';

/** Settings of every server in the restore benchmark: no persistence at all, so nothing but loading keys costs time. */
export const TARGET_CONFIG = { save: '', appendonly: 'no' } as const;

function infoField(info: string, name: string): string | undefined {
  return new RegExp(`^${name}:(.*?)\\r?$`, 'm').exec(info)?.[1];
}

function infoNumber(info: string, name: string): number | null {
  const v = infoField(info, name);
  return v === undefined || v === '' || Number.isNaN(Number(v)) ? null : Number(v);
}

/** What a target server reports after a load. */
export interface TargetStats {
  keys: number;
  expires: number;
  perDb: Record<number, number>;
  usedMemoryBytes: number | null;
  /** used_cpu_user + used_cpu_sys of the server process (all its threads) since it started. */
  cpuSeconds: number | null;
}

export async function targetStats(client: Redis): Promise<TargetStats> {
  const keyspace = await client.info('keyspace');
  const perDb: Record<number, number> = {};
  let keys = 0;
  let expires = 0;
  for (const m of keyspace.matchAll(/^db(\d+):keys=(\d+),expires=(\d+)/gm)) {
    perDb[Number(m[1])] = Number(m[2]);
    keys += Number(m[2]);
    expires += Number(m[3]);
  }
  const memory = await client.info('memory');
  const cpu = await client.info('cpu');
  const user = infoNumber(cpu, 'used_cpu_user');
  const sys = infoNumber(cpu, 'used_cpu_sys');
  return { keys, expires, perDb, usedMemoryBytes: infoNumber(memory, 'used_memory'), cpuSeconds: user === null || sys === null ? null : user + sys };
}

/** A fresh, empty redis-server on a free port with its own data directory under `workRoot`. */
export interface TargetServer {
  server: RedisServer;
  client: Redis;
  /** CPU the server had used once it answered (start-up), to subtract. */
  cpuAtStart: number;
  stop(): Promise<void>;
}

export async function startTarget(workRoot: string, label: string): Promise<TargetServer> {
  const dir = mkdtempSync(join(workRoot, `target-${label}-`));
  try {
    const server = await RedisServer.start({ dir, config: { ...TARGET_CONFIG } });
    const client = server.client();
    const stats = await targetStats(client);
    if (stats.keys !== 0) throw new Error(`a fresh server holds ${stats.keys} keys`);
    return {
      server,
      client,
      cpuAtStart: stats.cpuSeconds ?? 0,
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

/** The server loading the RDB itself at start-up. */
export interface StartupLoad {
  /** Spawn to the first +PONG (the server answers -LOADING meanwhile; polled every 50 ms). */
  wallSeconds: number;
  /** The server's own log line "DB loaded from disk: X seconds". */
  loggedSeconds: number | null;
  /** INFO persistence rdb_last_load_keys_loaded / _expired. */
  keysLoaded: number | null;
  keysExpired: number | null;
  stats: TargetStats;
}

/**
 * Starts a server whose --dir holds a hard link to (or, across file systems, a copy of) `rdbPath`
 * as its --dbfilename and times its start-up load. The cached file is never written: with
 * `save ""` the server does not save, and a save would replace the link, not write through it.
 */
export async function timeStartupLoad(rdbPath: string, workRoot: string, label: string): Promise<StartupLoad> {
  const dir = mkdtempSync(join(workRoot, `startup-${label}-`));
  try {
    const dump = join(dir, 'dump.rdb');
    try {
      linkSync(rdbPath, dump);
    } catch {
      copyFileSync(rdbPath, dump);
    }
    const t0 = performance.now();
    const server = await RedisServer.start({ dir, startTimeoutMs: 30 * 60_000, config: { ...TARGET_CONFIG, dbfilename: 'dump.rdb' } });
    const wallSeconds = (performance.now() - t0) / 1000;
    try {
      const client = server.client();
      const persistence = await client.info('persistence');
      const stats = await targetStats(client);
      const logged = /DB loaded from disk: ([\d.]+) seconds/.exec(server.output);
      return {
        wallSeconds,
        loggedSeconds: logged === null ? null : Number(logged[1]),
        keysLoaded: infoNumber(persistence, 'rdb_last_load_keys_loaded'),
        keysExpired: infoNumber(persistence, 'rdb_last_load_keys_expired'),
        stats,
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
