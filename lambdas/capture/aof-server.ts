import { setTimeout as sleep } from 'node:timers/promises';
import { RespConnection } from './connection';
import { abortedError, CaptureError, quote } from './errors';
import { timeoutError } from './failures';
import { configGet } from './persistence';
import { isNoAuth, isNoPerm, noAuthError, permissionError } from './reply-errors';
import { replyText } from './resp';
import { parseInfo } from './server-info';
import { contextOf } from './target';

/** The ACL rules the AOF capture needs. */
export const AOF_CAPTURE_ACL = '+info +config|get +bgrewriteaof';

/** The server's AOF settings (CONFIG GET). */
export interface AofSettings {
  appendonly: boolean;
  /** appenddirname (Redis 7+: multi-part AOF); undefined on older servers, which write one file. */
  appenddirname: string | undefined;
  appendfilename: string;
}

export async function readAofSettings(conn: RespConnection): Promise<AofSettings> {
  const appendonly = await configGet(conn, 'appendonly');
  if (appendonly === undefined) {
    throw new CaptureError(
      'CAPTURE_AOF_DISABLED',
      `${conn.target.endpoint} did not answer CONFIG GET appendonly: the AOF capture reads the server's AOF settings. ` +
        `Allow it (ACL SETUSER ${conn.target.username ?? 'default'} ${AOF_CAPTURE_ACL}), or back up an RDB snapshot instead`,
      contextOf(conn.target, { phase: 'reply', command: 'CONFIG GET', aclRule: AOF_CAPTURE_ACL }),
    );
  }
  return {
    appendonly: appendonly === 'yes',
    appenddirname: await configGet(conn, 'appenddirname'),
    appendfilename: (await configGet(conn, 'appendfilename')) ?? 'appendonly.aof',
  };
}

export function aofDisabledError(conn: RespConnection): CaptureError {
  return new CaptureError(
    'CAPTURE_AOF_DISABLED',
    `${conn.target.endpoint} has appendonly no: it writes no AOF to back up. Back up an RDB snapshot instead (without --aof), ` +
      'or enable the AOF first (CONFIG SET appendonly yes, and appendonly yes in its configuration file)',
    contextOf(conn.target, { phase: 'reply', command: 'CONFIG GET' }),
  );
}

/** The INFO persistence fields about AOF rewrites. */
export interface RewriteState {
  inProgress: boolean;
  scheduled: boolean;
  /** Rewrites done so far (Redis >= 7.0); undefined on older servers. */
  rewrites: number | undefined;
  lastStatus: string;
  /** Bytes of the AOF right now (aof_current_size). */
  currentSize: number | undefined;
}

export async function readRewriteState(conn: RespConnection): Promise<RewriteState> {
  const reply = await conn.command(['INFO', 'persistence'], 'INFO persistence');
  if (reply.type === 'error' && isNoPerm(reply.value)) throw permissionError(conn.target, 'INFO', reply.value, AOF_CAPTURE_ACL);
  if (reply.type === 'error' && isNoAuth(reply.value)) throw noAuthError(conn.target, 'INFO', replyText(reply));
  const f = reply.type === 'bulk' && reply.value !== null ? parseInfo(reply.value.toString('utf8')) : new Map<string, string>();
  const inProgress = f.get('aof_rewrite_in_progress');
  if (inProgress === undefined) {
    throw new CaptureError(
      'CAPTURE_PROTOCOL',
      `${conn.target.endpoint} did not answer INFO persistence with aof_rewrite_in_progress (${quote(replyText(reply))}): the AOF capture cannot tell when a rewrite runs`,
      contextOf(conn.target, { phase: 'reply', command: 'INFO persistence', reply: quote(replyText(reply)) }),
    );
  }
  const num = (name: string): number | undefined => (f.has(name) ? Number(f.get(name)) : undefined);
  return {
    inProgress: inProgress !== '0',
    scheduled: f.get('aof_rewrite_scheduled') === '1',
    rewrites: num('aof_rewrites'),
    lastStatus: f.get('aof_last_bgrewrite_status') ?? 'ok',
    currentSize: num('aof_current_size'),
  };
}

export interface WaitOptions {
  timeoutMs: number;
  pollMs: number;
  signal?: AbortSignal;
}

async function tick(conn: RespConnection, deadline: number, options: WaitOptions, command: string): Promise<void> {
  if (Date.now() >= deadline) throw timeoutError(conn.target, { phase: 'rewrite', command }, options.timeoutMs);
  try {
    await sleep(options.pollMs, undefined, { signal: options.signal });
  } catch (e) {
    throw abortedError(conn.target.endpoint, e);
  }
}

/** Waits until no AOF rewrite runs or is scheduled. */
export async function waitRewriteIdle(conn: RespConnection, options: WaitOptions): Promise<RewriteState> {
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const state = await readRewriteState(conn);
    if (!state.inProgress && !state.scheduled) return state;
    await tick(conn, deadline, options, 'INFO persistence');
  }
}

function rewriteFailed(conn: RespConnection, reason: string, reply?: string): CaptureError {
  return new CaptureError(
    'CAPTURE_AOF_FAILED',
    `BGREWRITEAOF on ${conn.target.endpoint} failed${reply !== undefined ? ` (${quote(reply)})` : ''}: ${reason}`,
    contextOf(conn.target, { phase: 'rewrite', command: 'BGREWRITEAOF', reply: reply !== undefined ? quote(reply) : undefined }),
  );
}

/** Runs a BGREWRITEAOF (after the rewrite in progress, if one runs) and waits for it to finish successfully. */
export async function rewriteAof(conn: RespConnection, options: WaitOptions): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const before = await waitRewriteIdle(conn, options);
  const reply = await conn.command(['BGREWRITEAOF']);
  const text = replyText(reply);
  if (reply.type === 'error') {
    if (isNoPerm(reply.value)) throw permissionError(conn.target, 'BGREWRITEAOF', reply.value, AOF_CAPTURE_ACL);
    if (isNoAuth(reply.value)) throw noAuthError(conn.target, 'BGREWRITEAOF', text);
    throw rewriteFailed(conn, 'the server refused to start it; check its log', text);
  }
  let sawRunning = /started/i.test(text);
  for (;;) {
    await tick(conn, deadline, options, 'BGREWRITEAOF');
    const s = await readRewriteState(conn);
    if (s.inProgress || s.scheduled) {
      sawRunning = true;
      continue;
    }
    const done = before.rewrites !== undefined && s.rewrites !== undefined ? s.rewrites > before.rewrites : sawRunning;
    if (!done) continue;
    if (s.lastStatus !== 'ok') throw rewriteFailed(conn, 'aof_last_bgrewrite_status is "err": check the server log, the free space of its data directory and free memory for the fork');
    return;
  }
}
