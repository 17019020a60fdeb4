import { openSocket } from '../capture/connection';
import { describeEndpoint, RedisEndpoint } from '../capture/endpoint';
import { encodeCommand } from '../capture/resp';
import { RestoreError } from './errors';
import { RespPipeline } from './resp-pipeline';

export interface OpenPipelineOptions {
  maxInFlightBytes: number;
  connectTimeoutMs?: number;
  /** How messages name the server: 'the restore target' (default) or 'the cluster node'. */
  role?: string;
}

/**
 * A pipelined connection (TCP or TLS) to a restore target or cluster node,
 * authenticated with the endpoint's password or ACL user before it is handed out.
 */
export async function openPipeline(endpoint: RedisEndpoint, options: OpenPipelineOptions): Promise<RespPipeline> {
  const target = describeEndpoint(endpoint);
  const role = options.role ?? 'the restore target';
  let socket;
  try {
    socket = await openSocket(endpoint, options.connectTimeoutMs ?? 10_000);
  } catch (e) {
    throw new RestoreError('RESTORE_TARGET_UNREACHABLE', `Cannot connect to ${role} ${target}: ${(e as Error).message}`, { target }, { cause: e });
  }
  const pipe = new RespPipeline(socket, options.maxInFlightBytes);
  if (endpoint.password !== undefined) {
    let authError: string | null = null;
    const cmd = encodeCommand(endpoint.username ? ['AUTH', endpoint.username, endpoint.password] : ['AUTH', endpoint.password]);
    await pipe.send(cmd, { size: cmd.length, onError: (m) => (authError = m) });
    await pipe.drain().catch((e: Error) => (authError = e.message));
    if (authError !== null) {
      pipe.close();
      const what = role.charAt(0).toUpperCase() + role.slice(1);
      throw new RestoreError('RESTORE_TARGET_AUTH', `${what} ${target} refused the credentials: ${authError}. Check the target's password or ACL user in the configuration`, { target });
    }
  }
  return pipe;
}
