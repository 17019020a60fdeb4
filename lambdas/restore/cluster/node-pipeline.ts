import { describeEndpoint, RedisEndpoint } from '../../capture/endpoint';
import { openSocket } from '../../capture/connection';
import { encodeCommand } from '../../capture/resp';
import { RestoreError } from '../errors';
import { RespPipeline } from '../resp-pipeline';

/** Opens a pipelined, authenticated connection (TCP or TLS) to one node. */
export async function openNodePipeline(endpoint: RedisEndpoint, maxInFlightBytes: number, connectTimeoutMs: number): Promise<RespPipeline> {
  const target = describeEndpoint(endpoint);
  let socket;
  try {
    socket = await openSocket(endpoint, connectTimeoutMs);
  } catch (e) {
    throw new RestoreError('RESTORE_TARGET_UNREACHABLE', `Cannot connect to the cluster node ${target}: ${(e as Error).message}`, { target }, { cause: e });
  }
  const pipe = new RespPipeline(socket, maxInFlightBytes);
  if (endpoint.password !== undefined) {
    let authError: string | null = null;
    const cmd = encodeCommand(endpoint.username ? ['AUTH', endpoint.username, endpoint.password] : ['AUTH', endpoint.password]);
    await pipe.send(cmd, { size: cmd.length, onError: (m) => (authError = m) });
    await pipe.drain().catch((e: Error) => (authError = e.message));
    if (authError !== null) {
      pipe.close();
      throw new RestoreError('RESTORE_TARGET_AUTH', `The cluster node ${target} refused the credentials: ${authError}. Check the target's password or ACL user in the configuration`, { target });
    }
  }
  return pipe;
}
