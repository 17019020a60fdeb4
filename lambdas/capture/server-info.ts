import { RespConnection } from './connection';
import { isNoAuth, noAuthError } from './reply-errors';
import { replyText } from './resp';
import { CaptureInfo } from './types';

/** INFO text as a field map ("# Section" headers and blank lines skipped). */
export function parseInfo(text: string): Map<string, string> {
  const fields = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** The engine, version and role from INFO fields (Valkey reports server_name/valkey_version beside redis_version). */
export function serverFromInfo(fields: Map<string, string>): CaptureInfo['server'] {
  const valkeyVersion = fields.get('valkey_version');
  const isValkey = valkeyVersion !== undefined || fields.get('server_name') === 'valkey';
  const version = (isValkey ? valkeyVersion : undefined) ?? fields.get('redis_version');
  if (version === undefined) return undefined;
  const server: NonNullable<CaptureInfo['server']> = { engine: isValkey ? 'valkey' : 'redis', version };
  const role = fields.get('role');
  if (role !== undefined) server.role = role;
  return server;
}

/**
 * Asks INFO (all default sections: server for the engine and version, replication
 * for the role). Optional: an ACL that denies INFO, or a renamed INFO, gives undefined.
 */
export async function readServerInfo(conn: RespConnection): Promise<CaptureInfo['server']> {
  const reply = await conn.command(['INFO']);
  if (reply.type === 'bulk' && reply.value !== null) return serverFromInfo(parseInfo(reply.value.toString('utf8')));
  if (reply.type === 'error' && isNoAuth(reply.value)) throw noAuthError(conn.target, 'INFO', replyText(reply));
  return undefined;
}
