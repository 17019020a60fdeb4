import { CaptureError, quote } from './errors';
import { CaptureTarget, contextOf } from './target';

/** Errors for a sync command the server refused or aborted. */

export interface SyncAttempt {
  command: string;
  reply: string;
}

/** What to do when replication capture is impossible on a server. */
export const SYNC_ALTERNATIVES =
  'Alternatives: (1) `--method bgsave --data-dir DIR` with the server\'s data directory mounted at DIR; ' +
  '(2) export an RDB through the service (e.g. an ElastiCache/MemoryDB backup exported to S3) and run `redis-backup import PATH`; ' +
  '(3) if the command was renamed (rename-command), set `syncCommand` to its new name';

/** The server does not know or refuses SYNC/PSYNC (managed services block or rename them). */
export function syncRefusedError(target: CaptureTarget, attempts: SyncAttempt[]): CaptureError {
  const tried = attempts.map((a) => `${a.command}: ${quote(a.reply)}`).join('; ');
  return new CaptureError(
    'CAPTURE_SYNC_REFUSED',
    `${target.endpoint} refused replication (${tried}). Managed services such as Amazon ElastiCache and MemoryDB block or rename SYNC/PSYNC, ` +
      `so replication capture is not possible there. ${SYNC_ALTERNATIVES}`,
    contextOf(target, { phase: 'start', command: attempts[attempts.length - 1]?.command, reply: attempts.map((a) => a.reply).join(' | ') }),
  );
}

/** Refusals that pass: the server is loading, its own master link is down, it is failing over. */
export function transientRefusal(reply: string): string | null {
  if (/^LOADING\b/i.test(reply)) return 'the server is loading its dataset into memory: retry once it has finished';
  if (/^NOMASTERLINK\b/i.test(reply)) return 'the server is a replica whose link to its master is down (or it is failing over): retry later, or capture from the master';
  if (/^BUSY\b/i.test(reply)) return 'the server is busy running a script or function: retry later';
  return null;
}

export function transientSyncError(target: CaptureTarget, command: string, reply: string, advice: string): CaptureError {
  return new CaptureError(
    'CAPTURE_SYNC_REFUSED',
    `${target.endpoint} refused ${command} for now (${quote(reply)}): ${advice}`,
    contextOf(target, { phase: 'start', command, reply: quote(reply), transient: true }),
  );
}

/** The server accepted the sync but its snapshot (fork/BGSAVE) failed. */
export function syncSaveFailedError(target: CaptureTarget, command: string, reply: string): CaptureError {
  return new CaptureError(
    'CAPTURE_BGSAVE_FAILED',
    `${target.endpoint} could not produce the snapshot for ${command} (${quote(reply)}): the fork or the save failed on the server. ` +
      'Check its log, free memory (vm.overcommit_memory) and the free space of its data directory, then retry',
    contextOf(target, { phase: 'start', command, reply: quote(reply) }),
  );
}

/** Any other error line where the payload should have started. */
export function syncErrorReply(target: CaptureTarget, command: string, reply: string): CaptureError {
  return new CaptureError(
    'CAPTURE_SYNC_REFUSED',
    `${target.endpoint} ended the sync with an error instead of the snapshot (${quote(reply)}). Check the server log and retry. ${SYNC_ALTERNATIVES}`,
    contextOf(target, { phase: 'start', command, reply: quote(reply) }),
  );
}
