import Redis from 'ioredis';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { RestoreError } from './errors';

/** An ioredis client for a restore target's control commands (INFO, FLUSHALL, checks). */
export async function connectControl(endpoint: RedisEndpoint, connectTimeoutMs = 10_000): Promise<Redis> {
  const target = describeEndpoint(endpoint);
  const client = new Redis({
    host: endpoint.host,
    port: endpoint.port,
    username: endpoint.username,
    password: endpoint.password,
    tls: endpoint.tls ? { ...endpoint.tls } : undefined,
    lazyConnect: true,
    connectTimeout: connectTimeoutMs,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  // ioredis reports why a connection failed (WRONGPASS, NOAUTH, ECONNREFUSED) only through 'error' events.
  let lastError: Error | null = null;
  client.on('error', (e: Error) => {
    lastError = e;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (e) {
    if (client.status !== 'end') client.disconnect();
    const cause: Error = lastError ?? (e as Error);
    const message = cause.message;
    if (/WRONGPASS|NOAUTH|invalid password|invalid username/i.test(message)) {
      throw new RestoreError('RESTORE_TARGET_AUTH', `The restore target ${target} refused the credentials (${message}). Check the target's password or ACL user`, { target }, { cause });
    }
    throw new RestoreError('RESTORE_TARGET_UNREACHABLE', `Cannot reach the restore target ${target}: ${message}`, { target }, { cause });
  }
  return client;
}

/** Keys per database from INFO keyspace. */
export async function keyspace(client: Redis): Promise<Map<number, number>> {
  const text = await client.info('keyspace');
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^db(\d+):keys=(\d+)/gm)) out.set(Number(m[1]), Number(m[2]));
  return out;
}
