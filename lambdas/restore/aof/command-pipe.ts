import { openSocket } from '../../capture/connection';
import { describeEndpoint, RedisEndpoint } from '../../capture/endpoint';
import { encodeCommand } from '../../aof/transactions';
import { RestoreError } from '../errors';
import { RespPipeline } from '../resp-pipeline';

/**
 * The connection the AOF's commands go through: TCP or TLS like the RDB restore's
 * writer, authenticated the same way, pipelined with a bound on bytes in flight.
 * A connection of its own, so that commands go out as the exact bytes the AOF holds.
 */
export async function openCommandPipe(endpoint: RedisEndpoint, maxInFlightBytes: number, connectTimeoutMs = 10_000): Promise<RespPipeline> {
  const target = describeEndpoint(endpoint);
  let socket;
  try {
    socket = await openSocket(endpoint, connectTimeoutMs);
  } catch (e) {
    throw new RestoreError('RESTORE_TARGET_UNREACHABLE', `Cannot connect to the restore target ${target}: ${(e as Error).message}`, { target }, { cause: e });
  }
  const pipe = new RespPipeline(socket, maxInFlightBytes);
  if (endpoint.password !== undefined) {
    let authError: string | null = null;
    const cmd = encodeCommand(endpoint.username ? ['AUTH', endpoint.username, endpoint.password] : ['AUTH', endpoint.password]);
    await pipe.send(cmd, { size: cmd.length, onError: (m) => (authError = m) });
    await pipe.drain().catch((e: Error) => (authError = e.message));
    if (authError !== null) {
      pipe.close();
      throw new RestoreError('RESTORE_TARGET_AUTH', `The restore target ${target} refused the credentials: ${authError}. Check the target's password or ACL user`, { target });
    }
  }
  return pipe;
}
