import { RespConnection } from './connection';
import { CaptureError, quote } from './errors';
import { isNoAuth, isNoPerm, noAuthError, permissionError } from './reply-errors';
import { replyText } from './resp';
import { parseInfo } from './server-info';
import { contextOf } from './target';

/** The INFO persistence fields that tell when a BGSAVE has finished (formats doc, section 9). */
export interface Persistence {
  /** An RDB child runs (a BGSAVE, or a diskless replication transfer). */
  inProgress: boolean;
  /** Unix seconds of the last successful save (LASTSAVE). */
  lastSaveTime: number;
  /** rdb_last_bgsave_status: 'ok' or 'err'. */
  status: string;
  /** Saves started so far (Redis >= 7.0); undefined on older servers. */
  saves?: number;
  loading: boolean;
}

/** The ACL rules the bgsave method needs. */
export const BGSAVE_ACL = '+bgsave +info +time +config|get';

export function parsePersistence(text: string): Persistence | null {
  const f = parseInfo(text);
  const inProgress = f.get('rdb_bgsave_in_progress');
  const lastSave = f.get('rdb_last_save_time');
  if (inProgress === undefined || lastSave === undefined) return null;
  const saves = f.get('rdb_saves');
  const p: Persistence = {
    inProgress: inProgress !== '0',
    lastSaveTime: Number(lastSave),
    status: f.get('rdb_last_bgsave_status') ?? 'ok',
    loading: f.get('loading') === '1',
  };
  if (saves !== undefined) p.saves = Number(saves);
  return p;
}

export async function readPersistence(conn: RespConnection): Promise<Persistence> {
  const reply = await conn.command(['INFO', 'persistence'], 'INFO persistence');
  if (reply.type === 'error') {
    if (isNoPerm(reply.value)) throw permissionError(conn.target, 'INFO', reply.value, BGSAVE_ACL);
    if (isNoAuth(reply.value)) throw noAuthError(conn.target, 'INFO', replyText(reply));
  }
  const p = reply.type === 'bulk' && reply.value !== null ? parsePersistence(reply.value.toString('utf8')) : null;
  if (p === null) {
    throw new CaptureError(
      'CAPTURE_PROTOCOL',
      `${conn.target.endpoint} did not answer INFO persistence with rdb_bgsave_in_progress and rdb_last_save_time (${quote(replyText(reply))}): ` +
        'the bgsave method cannot tell when a save has finished on this server; use the replication method or import an RDB',
      contextOf(conn.target, { phase: 'reply', command: 'INFO persistence', reply: quote(replyText(reply)) }),
    );
  }
  return p;
}

/** The server's clock (TIME), in whole seconds: the reference for "a save after we asked". */
export async function readServerTime(conn: RespConnection): Promise<number> {
  const reply = await conn.command(['TIME']);
  if (reply.type === 'array' && reply.value !== null && reply.value[0]?.type === 'bulk' && reply.value[0].value !== null) {
    const seconds = Number(reply.value[0].value.toString('latin1'));
    if (Number.isSafeInteger(seconds)) return seconds;
  }
  if (reply.type === 'error') {
    if (isNoPerm(reply.value)) throw permissionError(conn.target, 'TIME', reply.value, BGSAVE_ACL);
    if (isNoAuth(reply.value)) throw noAuthError(conn.target, 'TIME', replyText(reply));
  }
  throw new CaptureError(
    'CAPTURE_PROTOCOL',
    `Unexpected reply to TIME from ${conn.target.endpoint}: ${quote(replyText(reply))}`,
    contextOf(conn.target, { phase: 'reply', command: 'TIME', reply: quote(replyText(reply)) }),
  );
}

/** CONFIG GET <name>, or undefined when the server denies or lacks CONFIG (managed services). */
export async function configGet(conn: RespConnection, name: string): Promise<string | undefined> {
  const reply = await conn.command(['CONFIG', 'GET', name], 'CONFIG GET');
  if (reply.type !== 'array' || reply.value === null) return undefined;
  const value = reply.value[1];
  return value?.type === 'bulk' && value.value !== null ? value.value.toString('utf8') : undefined;
}
