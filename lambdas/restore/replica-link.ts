import Redis from 'ioredis';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { RestoreError } from './errors';
import { readReplication, ReplicationInfo } from './replication-info';

/** Points a server at a master and waits for its replication link. */

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const isLoading = (e: unknown): boolean => /^LOADING/.test((e as Error).message);

/** True when the replica follows `master` and has finished syncing with it. */
export function linkIsUp(info: ReplicationInfo, master: RedisEndpoint): boolean {
  return info.role === 'slave' && info.masterHost === master.host && info.masterPort === master.port && info.masterLinkStatus === 'up' && !info.masterSyncInProgress;
}

function describeLink(info: ReplicationInfo | null): string {
  if (info === null) return 'no INFO replication read';
  if (info.role !== 'slave') return `role:${info.role}`;
  return `master ${info.masterHost}:${info.masterPort}, master_link_status:${info.masterLinkStatus}, master_sync_in_progress:${info.masterSyncInProgress ? 1 : 0}`;
}

/**
 * `REPLICAOF <master host> <master port>` (retried while the server is still
 * loading its data), then polls INFO replication until the link is up. Throws
 * RESTORE_REPOINT_FAILED when the command is refused or the link does not come
 * up within `timeoutMs`; resolves to the replica's INFO replication.
 */
export async function attachToMaster(
  client: Redis,
  replica: RedisEndpoint,
  master: RedisEndpoint,
  /** `startedAt`: when the timeout began (default now), e.g. before connecting. */
  options: { timeoutMs: number; startedAt?: number; pollMs?: number },
): Promise<ReplicationInfo> {
  const deadline = (options.startedAt ?? Date.now()) + options.timeoutMs;
  const pollMs = options.pollMs ?? 100;
  const target = describeEndpoint(replica);
  const to = describeEndpoint(master);
  const failed = (message: string, cause?: unknown): RestoreError => new RestoreError('RESTORE_REPOINT_FAILED', message, { target }, { cause });
  if (replica.host === master.host && replica.port === master.port) throw failed(`${target} cannot replicate from itself`);
  while (true) {
    try {
      await client.call('REPLICAOF', master.host, String(master.port));
      break;
    } catch (e) {
      if (!isLoading(e) || Date.now() >= deadline) throw failed(`${target} refused REPLICAOF ${master.host} ${master.port}: ${(e as Error).message}`, e);
      await sleep(pollMs);
    }
  }
  let last: ReplicationInfo | null = null;
  while (true) {
    try {
      last = await readReplication(client);
      if (linkIsUp(last, master)) return last;
    } catch (e) {
      if (!isLoading(e)) throw failed(`${target} stopped answering while it connected to ${to}: ${(e as Error).message}`, e);
    }
    if (Date.now() >= deadline) {
      throw failed(
        `${target} did not complete its replication link to ${to} within ${options.timeoutMs} ms (${describeLink(last)}). ` +
          `Check that it can reach ${to}, and its masterauth/masteruser if the master needs a password`,
      );
    }
    await sleep(pollMs);
  }
}
