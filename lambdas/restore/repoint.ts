import Redis from 'ioredis';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { RestoreError } from './errors';
import { attachToMaster } from './replica-link';
import { connectControl } from './target-client';

export interface RepointOptions {
  /** Per replica: connecting, REPLICAOF and the link coming up (default 60 s). */
  timeoutMs?: number;
}

export interface RepointResult {
  /** The replica, without secrets. */
  replica: string;
  /** REPLICAOF was accepted and the link to the primary is up. */
  ok: boolean;
  linkUp: boolean;
  /** RESTORE_REPOINT_FAILED, with the underlying error as its cause. */
  error?: RestoreError;
}

/**
 * Points replicas at a (new) primary, e.g. one a snapshot was just loaded into
 * after its master failed: `REPLICAOF <primary host> <primary port>` on each, in
 * parallel, then waits until each reports master_link_status:up for that
 * primary. One result per replica, in the order given; a replica that fails
 * does not stop the others.
 */
export async function repointReplicas(primary: RedisEndpoint, replicas: RedisEndpoint[], options: RepointOptions = {}): Promise<RepointResult[]> {
  const timeoutMs = options.timeoutMs ?? 60_000;
  return Promise.all(replicas.map((replica) => repointOne(primary, replica, timeoutMs)));
}

async function repointOne(primary: RedisEndpoint, replica: RedisEndpoint, timeoutMs: number): Promise<RepointResult> {
  const name = describeEndpoint(replica);
  const started = Date.now();
  let client: Redis | null = null;
  try {
    client = await connectControl(replica, Math.min(timeoutMs, 10_000));
    await attachToMaster(client, replica, primary, { timeoutMs, startedAt: started });
    return { replica: name, ok: true, linkUp: true };
  } catch (e) {
    const error =
      e instanceof RestoreError && e.code === 'RESTORE_REPOINT_FAILED'
        ? e
        : new RestoreError('RESTORE_REPOINT_FAILED', `Cannot point ${name} at ${describeEndpoint(primary)}: ${(e as Error).message}`, { target: name }, { cause: e });
    return { replica: name, ok: false, linkUp: false, error };
  } finally {
    client?.disconnect();
  }
}
