import Redis from 'ioredis';
import { parseInfo } from '../capture/server-info';

/** The INFO replication fields the PSYNC check and the link checks need. */
export interface ReplicationInfo {
  role: string;
  /** The server's replication ID and the one it inherited (all zeros when none). */
  replId: string;
  replId2: string;
  replOffset: number;
  /** Highest offset accepted for replId2 (-1 when none). */
  secondReplOffset: number;
  backlogActive: boolean;
  backlogFirstByteOffset: number;
  backlogHistlen: number;
  /** Replicas only: the master they follow and the state of the link. */
  masterHost: string | null;
  masterPort: number | null;
  masterLinkStatus: 'up' | 'down' | null;
  masterSyncInProgress: boolean;
}

/** INFO stats counters of syncs a master has served. */
export interface SyncCounters {
  syncFull: number;
  syncPartialOk: number;
  syncPartialErr: number;
}

const num = (fields: Map<string, string>, name: string, fallback = 0): number => {
  const value = Number(fields.get(name));
  return Number.isFinite(value) ? value : fallback;
};

export function replicationFromInfo(text: string): ReplicationInfo {
  const f = parseInfo(text);
  const link = f.get('master_link_status');
  return {
    role: f.get('role') ?? 'unknown',
    replId: f.get('master_replid') ?? '',
    replId2: f.get('master_replid2') ?? '',
    replOffset: num(f, 'master_repl_offset'),
    secondReplOffset: num(f, 'second_repl_offset', -1),
    backlogActive: f.get('repl_backlog_active') === '1',
    backlogFirstByteOffset: num(f, 'repl_backlog_first_byte_offset'),
    backlogHistlen: num(f, 'repl_backlog_histlen'),
    masterHost: f.get('master_host') ?? null,
    masterPort: f.has('master_port') ? num(f, 'master_port') : null,
    masterLinkStatus: link === 'up' || link === 'down' ? link : null,
    masterSyncInProgress: f.get('master_sync_in_progress') === '1',
  };
}

export function syncCountersFromInfo(text: string): SyncCounters {
  const f = parseInfo(text);
  return { syncFull: num(f, 'sync_full'), syncPartialOk: num(f, 'sync_partial_ok'), syncPartialErr: num(f, 'sync_partial_err') };
}

export async function readReplication(client: Redis): Promise<ReplicationInfo> {
  return replicationFromInfo(await client.info('replication'));
}

export async function readSyncCounters(client: Redis): Promise<SyncCounters> {
  return syncCountersFromInfo(await client.info('stats'));
}

/**
 * How a replica synced, judged from its master's counters before and after:
 * 'partial' when sync_partial_ok grew and sync_full did not (the master answered
 * +CONTINUE), 'full' when sync_full grew. Other replicas syncing with the same
 * master in between can blur this; then 'unknown'.
 */
export function syncKind(before: SyncCounters, after: SyncCounters): 'partial' | 'full' | 'unknown' {
  const full = after.syncFull - before.syncFull;
  const partial = after.syncPartialOk - before.syncPartialOk;
  if (partial > 0 && full === 0) return 'partial';
  if (full > 0 && partial === 0) return 'full';
  return 'unknown';
}
