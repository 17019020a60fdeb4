import { authenticate } from './auth';
import { RespConnection } from './connection';
import { PayloadCapture } from './payload-capture';
import { lengthPayload, markPayload } from './payload';
import { isNoAuth, isNoPerm, noAuthError, permissionError, REPLICATION_ACL } from './reply-errors';
import { replyText } from './resp';
import { readServerInfo } from './server-info';
import { startSync, SyncStart } from './sync-start';
import { Capture, CaptureInfo, DEFAULT_CAPTURE_TIMEOUTS, ReplicationCaptureOptions } from './types';

/**
 * Announces what this client can read: `capa eof` (diskless '$EOF:' framing) and
 * `capa psync2`; then asks for the snapshot only (`rdb-only`, Redis >= 6.2), so the
 * server sends no command stream and drops the link after the RDB. Older servers
 * answer an error to rdb-only: the capture then simply closes after the payload.
 */
async function announceCapabilities(conn: RespConnection): Promise<void> {
  const capa = await conn.command(['REPLCONF', 'capa', 'eof', 'capa', 'psync2'], 'REPLCONF capa');
  if (capa.type === 'error') {
    if (isNoPerm(capa.value)) throw permissionError(conn.target, 'REPLCONF', capa.value, REPLICATION_ACL);
    if (isNoAuth(capa.value)) throw noAuthError(conn.target, 'REPLCONF', replyText(capa));
    // Unknown or renamed REPLCONF (very old servers): the sync falls back to disk-based '$<len>' framing.
    return;
  }
  await conn.command(['REPLCONF', 'rdb-only', '1'], 'REPLCONF rdb-only');
}

function infoOf(server: CaptureInfo['server'], start: SyncStart): CaptureInfo {
  const info: CaptureInfo = { method: 'replication', framing: start.framing, syncCommand: start.syncCommand };
  if (server !== undefined) info.server = server;
  if (start.replId !== undefined) info.replId = start.replId;
  if (start.replOffset !== undefined) info.replOffset = start.replOffset;
  if (start.declaredBytes !== undefined) info.declaredBytes = start.declaredBytes;
  return info;
}

/**
 * Captures an RDB over the replication protocol, like `redis-cli --rdb` but
 * streaming: AUTH, INFO, REPLCONF capa/rdb-only, PSYNC ? -1 (or SYNC, or the
 * configured command), then the payload in either framing. Resolves once the
 * payload header has arrived; the payload is read (back-pressured) through the
 * returned Capture, and the connection is closed when it ends.
 */
export async function captureReplication(options: ReplicationCaptureOptions): Promise<Capture> {
  const timeouts = { ...DEFAULT_CAPTURE_TIMEOUTS, ...options.timeouts };
  const conn = await RespConnection.open(options.endpoint, timeouts, options.signal);
  try {
    await authenticate(conn, options.endpoint);
    const server = await readServerInfo(conn);
    await announceCapabilities(conn);
    const start = await startSync(conn, options.syncCommand);
    const produce =
      start.framing === 'length'
        ? () => lengthPayload(conn.reader, start.declaredBytes ?? 0, timeouts.idleMs)
        : () => markPayload(conn.reader, start.mark ?? Buffer.alloc(0), timeouts.idleMs);
    return new PayloadCapture(infoOf(server, start), produce, () => conn.close(), conn.target.endpoint);
  } catch (e) {
    conn.close();
    throw e;
  }
}
