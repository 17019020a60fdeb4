import { RedisEndpoint } from '../../capture/endpoint';
import { openPipeline } from '../open-pipeline';
import { RespPipeline } from '../resp-pipeline';

/** Opens a pipelined, authenticated connection (TCP or TLS) to one node. */
export function openNodePipeline(endpoint: RedisEndpoint, maxInFlightBytes: number, connectTimeoutMs: number): Promise<RespPipeline> {
  return openPipeline(endpoint, { maxInFlightBytes, connectTimeoutMs, role: 'the cluster node' });
}
