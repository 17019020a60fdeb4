import Redis from 'ioredis';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { parseInfo } from '../capture/server-info';
import { RestoreError } from './errors';
import { attachToMaster } from './replica-link';
import { readReplication, readSyncCounters, SyncCounters, syncKind } from './replication-info';
import { connectControl } from './target-client';

/** How a server started on a restored RDB joined its master. */
export interface SeededReplicaReport {
  endpoint: string;
  master: string;
  linkUp: true;
  /** From the master's INFO stats: 'partial' = it answered +CONTINUE (sync_partial_ok grew, sync_full did not). */
  sync: 'partial' | 'full' | 'unknown';
  masterSyncs: { before: SyncCounters; after: SyncCounters };
  /** The server was already running before the RDB was written, so it has not loaded it. */
  startedBeforeWrite: boolean;
  /** Why the sync was not partial, when it was not. */
  note?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Connects to a server the user is starting; keeps trying until `deadline`. */
async function waitForServer(endpoint: RedisEndpoint, deadline: number, timeoutMs: number): Promise<Redis> {
  while (true) {
    try {
      return await connectControl(endpoint, Math.max(500, Math.min(2_000, deadline - Date.now())));
    } catch (e) {
      if (e instanceof RestoreError && e.code === 'RESTORE_TARGET_AUTH') throw e;
      if (Date.now() >= deadline) {
        const target = describeEndpoint(endpoint);
        throw new RestoreError('RESTORE_TARGET_UNREACHABLE', `No server answered at ${target} within ${timeoutMs} ms after the RDB was written: start redis-server on the restore directory`, { target }, { cause: e });
      }
      await sleep(200);
    }
  }
}

/**
 * Joins the server at `replica` (started on the restored RDB) to `master`:
 * REPLICAOF, then waits for master_link_status:up, then tells from the
 * master's sync counters whether the sync was partial. `baseline` is the
 * master's counters taken before the server could have connected.
 */
export async function joinSeededReplica(options: {
  replica: RedisEndpoint;
  master: RedisEndpoint;
  masterClient: Redis;
  baseline: SyncCounters;
  writtenAt: number;
  timeoutMs: number;
  /** Why the PSYNC check said a partial sync is impossible, if it did. */
  notPartialBecause?: string;
}): Promise<SeededReplicaReport> {
  const { replica, master, masterClient, baseline, writtenAt, timeoutMs } = options;
  const startedAt = Date.now();
  const deadline = startedAt + timeoutMs;
  const client = await waitForServer(replica, deadline, timeoutMs);
  try {
    const fields = parseInfo(await client.info('server'));
    const uptimeMs = Number(fields.get('uptime_in_seconds') ?? '0') * 1000;
    // uptime_in_seconds is whole seconds: allow one second of rounding.
    const startedBeforeWrite = Date.now() - uptimeMs < writtenAt - 1000;
    const startedAsMaster = (await readReplication(client)).role === 'master';
    await attachToMaster(client, replica, master, { timeoutMs, startedAt });
    const after = await readSyncCounters(masterClient);
    const sync = syncKind(baseline, after);
    const report: SeededReplicaReport = { endpoint: describeEndpoint(replica), master: describeEndpoint(master), linkUp: true, sync, masterSyncs: { before: baseline, after }, startedBeforeWrite };
    if (startedBeforeWrite) report.note = 'the server was running before the RDB was written and has not loaded it';
    else if (sync === 'full' && options.notPartialBecause !== undefined) report.note = options.notPartialBecause;
    else if (sync === 'full' && startedAsMaster) {
      report.note =
        'the master answered with a full sync: a server that loads the RDB as a master (started without replicaof) takes a new replication ID, ' +
        'so its later REPLICAOF cannot continue the snapshot. Start it with `replicaof <host> <port>` in its configuration instead';
    } else if (sync === 'full') report.note = 'the master refused to continue from the snapshot (its backlog may have moved past the snapshot since the check)';
    else if (sync === 'unknown') report.note = 'other replicas synced with the master meanwhile; its counters do not tell this sync apart';
    return report;
  } finally {
    client.disconnect();
  }
}
