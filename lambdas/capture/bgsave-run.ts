import { setTimeout as sleep } from 'node:timers/promises';
import { RespConnection } from './connection';
import { abortedError, CaptureError, quote } from './errors';
import { timeoutError } from './failures';
import { BGSAVE_ACL, Persistence, readPersistence, readServerTime } from './persistence';
import { isNoAuth, isNoPerm, isUnknownCommand, noAuthError, permissionError } from './reply-errors';
import { replyText } from './resp';
import { contextOf } from './target';

/**
 * Runs a BGSAVE and waits for a save that started after we asked (formats doc,
 * section 9): TIME and INFO persistence first (baseline), then BGSAVE, then
 * INFO persistence polled until a newer save has finished.
 */

export interface BgsaveRunOptions {
  /** Overall limit for the save (timeouts.startMs). */
  timeoutMs: number;
  pollMs: number;
  signal?: AbortSignal;
}

/** What the finished save is known to satisfy. */
export interface SaveDone {
  /** Server clock (unix s) read before BGSAVE: the save started at or after it. */
  requestedAt: number;
}

interface Baseline {
  at: number;
  before: Persistence;
}

class Poller {
  private readonly deadline: number;
  constructor(
    readonly conn: RespConnection,
    private readonly options: BgsaveRunOptions,
  ) {
    this.deadline = Date.now() + options.timeoutMs;
  }

  /** Sleeps one poll interval; CAPTURE_TIMEOUT once the save has taken too long. */
  async tick(): Promise<void> {
    if (Date.now() >= this.deadline) throw timeoutError(this.conn.target, { phase: 'save', command: 'BGSAVE' }, this.options.timeoutMs);
    try {
      await sleep(this.options.pollMs, undefined, { signal: this.options.signal });
    } catch (e) {
      throw abortedError(this.conn.target.endpoint, e);
    }
  }
}

function saveFailed(conn: RespConnection, reason: string, reply?: string): CaptureError {
  return new CaptureError(
    'CAPTURE_BGSAVE_FAILED',
    `The BGSAVE on ${conn.target.endpoint} failed${reply !== undefined ? ` (${quote(reply)})` : ''}: ${reason}`,
    contextOf(conn.target, { phase: 'save', command: 'BGSAVE', reply: reply !== undefined ? quote(reply) : undefined }),
  );
}

/**
 * The server clock and persistence state before our BGSAVE. Without rdb_saves
 * (Redis < 7.0) completion is judged by rdb_last_save_time, whose resolution is one
 * second: when a save already finished in the current second, wait for the next one.
 */
async function baseline(poller: Poller): Promise<Baseline> {
  const conn = poller.conn;
  let at = await readServerTime(conn);
  let before = await readPersistence(conn);
  while (before.saves === undefined && before.lastSaveTime >= at) {
    await poller.tick();
    at = await readServerTime(conn);
    before = await readPersistence(conn);
  }
  return { at, before };
}

/** Waits until no RDB child runs (a save or a replication transfer we cannot use). */
async function waitIdle(poller: Poller): Promise<void> {
  for (;;) {
    const p = await readPersistence(poller.conn);
    if (!p.inProgress) return;
    await poller.tick();
  }
}

type Request = 'started' | 'scheduled' | 'busy';

/** Sends BGSAVE (BGSAVE SCHEDULE when another child such as an AOF rewrite runs). */
async function requestSave(conn: RespConnection): Promise<Request> {
  let reply = await conn.command(['BGSAVE']);
  if (reply.type === 'error' && /SCHEDULE|Another child|AOF/i.test(reply.value) && !/already in progress/i.test(reply.value)) {
    reply = await conn.command(['BGSAVE', 'SCHEDULE'], 'BGSAVE SCHEDULE');
  }
  if (reply.type === 'simple') return /scheduled/i.test(reply.value) ? 'scheduled' : 'started';
  const text = replyText(reply);
  if (reply.type !== 'error') throw saveFailed(conn, 'unexpected reply', text);
  if (/already in progress/i.test(reply.value)) return 'busy';
  if (isNoPerm(reply.value)) throw permissionError(conn.target, 'BGSAVE', reply.value, BGSAVE_ACL);
  if (isNoAuth(reply.value)) throw noAuthError(conn.target, 'BGSAVE', text);
  if (isUnknownCommand(reply.value)) {
    throw saveFailed(
      conn,
      'the server does not offer BGSAVE (managed services such as ElastiCache and MemoryDB block it). ' +
        'Use the replication method, or export an RDB through the service and run `redis-backup import PATH`',
      text,
    );
  }
  throw saveFailed(conn, 'the server refused to start it; check its log', text);
}

/** Polls until a save that started after the baseline has finished; fails if it failed. */
async function waitForSave(poller: Poller, base: Baseline, request: Request): Promise<void> {
  let sawRunning = request === 'started';
  for (;;) {
    const p = await readPersistence(poller.conn);
    if (p.inProgress) {
      sawRunning = true;
    } else {
      // With rdb_saves (>= 7.0): a save started after the baseline, and none runs now.
      // Without: ours was seen running (BGSAVE forks before it replies), or a newer save finished.
      const finished = base.before.saves !== undefined && p.saves !== undefined ? p.saves > base.before.saves : sawRunning || p.lastSaveTime > base.before.lastSaveTime;
      if (finished) {
        if (p.status !== 'ok') {
          throw saveFailed(
            poller.conn,
            'rdb_last_bgsave_status is "err": the server could not write the RDB. Check its log, the free space and permissions of its data directory (CONFIG GET dir), and free memory for the fork',
          );
        }
        if (p.lastSaveTime > base.before.lastSaveTime || (base.before.saves !== undefined && p.lastSaveTime >= base.at)) return;
      }
    }
    await poller.tick();
  }
}

export async function runBgsave(conn: RespConnection, options: BgsaveRunOptions): Promise<SaveDone> {
  const poller = new Poller(conn, options);
  for (;;) {
    const base = await baseline(poller);
    const request = await requestSave(conn);
    if (request === 'busy') {
      // A save (or replication transfer) that started before our request: wait for it, then ask again.
      await waitIdle(poller);
      continue;
    }
    await waitForSave(poller, base, request);
    return { requestedAt: base.at };
  }
}
