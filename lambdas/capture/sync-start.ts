import { RespConnection } from './connection';
import { EOF_MARK_LENGTH } from './eof-mark';
import { closedError, protocolError } from './failures';
import { isNoAuth, isNoPerm, isWrongArity, noAuthError, permissionError, REPLICATION_ACL } from './reply-errors';
import { readLine } from './resp';
import { SyncAttempt, syncErrorReply, syncRefusedError, syncSaveFailedError, transientRefusal, transientSyncError } from './sync-errors';

/** How the payload that follows is framed, and what the server said before it. */
export interface SyncStart {
  syncCommand: string;
  replId?: string;
  replOffset?: number;
  framing: 'length' | 'eof-marker';
  /** 'length' framing: the payload size. */
  declaredBytes?: number;
  /** 'eof-marker' framing: the 40-byte end mark. */
  mark?: Buffer;
}

type Preamble = { kind: 'header'; start: SyncStart } | { kind: 'error'; reply: string; afterFullResync: boolean };

/**
 * Reads what follows a sync command up to the payload header: newline keep-alives
 * (before and after +FULLRESYNC), the +FULLRESYNC line, then `$<len>` or `$EOF:<mark>`;
 * or an error line. The whole wait is bounded by timeouts.startMs.
 */
async function readPreamble(conn: RespConnection, command: string): Promise<Preamble> {
  const deadline = Date.now() + conn.timeouts.startMs;
  const start: Partial<SyncStart> = { syncCommand: command };
  let afterFullResync = false;
  for (;;) {
    const wait = { phase: 'start' as const, command, timeoutMs: deadline - Date.now() };
    const line = await readLine(conn.reader, wait, 1024);
    if (line === null) throw closedError(conn.target, wait, conn.reader.closeReason, conn.reader.closeCause ?? undefined);
    if (line === '') continue;
    if (line.startsWith('-')) return { kind: 'error', reply: line.slice(1), afterFullResync };
    if (line.startsWith('+FULLRESYNC')) {
      const m = /^\+FULLRESYNC ([0-9A-Za-z]+) (\d+)$/.exec(line);
      if (m === null) throw protocolError(conn.target, wait, '+FULLRESYNC <replid> <offset>', line);
      start.replId = m[1];
      start.replOffset = Number(m[2]);
      afterFullResync = true;
      continue;
    }
    if (line.startsWith('$EOF:')) {
      const mark = line.slice(5);
      if (mark.length !== EOF_MARK_LENGTH) throw protocolError(conn.target, wait, `$EOF: and a ${EOF_MARK_LENGTH}-byte mark`, line);
      return { kind: 'header', start: { ...start, syncCommand: command, framing: 'eof-marker', mark: Buffer.from(mark, 'latin1') } };
    }
    const len = /^\$(\d+)$/.exec(line);
    if (len !== null) {
      const declaredBytes = Number(len[1]);
      if (!Number.isSafeInteger(declaredBytes)) throw protocolError(conn.target, wait, 'a payload length', line);
      return { kind: 'header', start: { ...start, syncCommand: command, framing: 'length', declaredBytes } };
    }
    const expected = afterFullResync ? '$<length> or $EOF:<mark>' : '+FULLRESYNC, $<length> or $EOF:<mark>';
    throw protocolError(conn.target, wait, expected, line);
  }
}

/**
 * Sends the sync command and returns once the payload header has been read.
 * Default: `PSYNC ? -1` (full resync), then `SYNC` for servers that refuse PSYNC.
 * A configured (renamed) command is sent as `<cmd> ? -1`, then bare when the
 * server counts its arguments as wrong (a renamed SYNC takes none).
 */
export async function startSync(conn: RespConnection, configured?: string): Promise<SyncStart> {
  const attempts = configured !== undefined ? [[configured, '?', '-1'], [configured]] : [['PSYNC', '?', '-1'], ['SYNC']];
  const refusals: SyncAttempt[] = [];
  for (const args of attempts) {
    const command = configured ?? args[0]!;
    conn.send(args);
    const result = await readPreamble(conn, command);
    if (result.kind === 'header') return result.start;
    const reply = result.reply;
    if (/BGSAVE failed/i.test(reply)) throw syncSaveFailedError(conn.target, command, reply);
    if (result.afterFullResync) throw syncErrorReply(conn.target, command, reply);
    if (isNoAuth(reply)) throw noAuthError(conn.target, command, reply);
    const transient = transientRefusal(reply);
    if (transient !== null) throw transientSyncError(conn.target, command, reply, transient);
    refusals.push({ command: args.join(' '), reply });
    // A configured command is retried bare only when it was the argument count that was wrong.
    if (configured !== undefined && !isWrongArity(reply)) break;
  }
  const denied = refusals.find((r) => isNoPerm(r.reply));
  if (denied !== undefined) {
    const name = configured ?? 'PSYNC';
    throw permissionError(conn.target, name, denied.reply, configured !== undefined ? `+${configured.toLowerCase()}` : REPLICATION_ACL);
  }
  throw syncRefusedError(conn.target, refusals);
}
