import { RedisEndpoint } from '../../capture/endpoint';
import { openPipeline } from '../open-pipeline';
import { RespPipeline } from '../resp-pipeline';

/**
 * The connection the AOF's commands go through: TCP or TLS like the RDB restore's
 * writer, authenticated the same way, pipelined with a bound on bytes in flight.
 * A connection of its own, so that commands go out as the exact bytes the AOF holds.
 */
export function openCommandPipe(endpoint: RedisEndpoint, maxInFlightBytes: number, connectTimeoutMs = 10_000): Promise<RespPipeline> {
  return openPipeline(endpoint, { maxInFlightBytes, connectTimeoutMs });
}
