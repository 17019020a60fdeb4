import { SnapshotManifest } from '../catalog/manifest';
import { ReplicationInfo } from './replication-info';

/** Whether a server seeded with a snapshot can continue from a master with PSYNC instead of a full sync. */
export interface PartialResyncVerdict {
  possible: boolean;
  /** The PSYNC a server loading the snapshot as a replica sends: `PSYNC <replId> <offset>`, offset = repl-offset + 1. */
  replId: string | null;
  offset: number | null;
  /** Why not (or, when possible, which history matched). */
  reason: string;
  /** Bytes of the master's stream written since the snapshot (what the partial sync sends). */
  behindBytes: number | null;
  /** The master's state the verdict was taken from. */
  master: Pick<ReplicationInfo, 'role' | 'replId' | 'replId2' | 'replOffset' | 'secondReplOffset' | 'backlogActive' | 'backlogFirstByteOffset' | 'backlogHistlen'>;
}

/**
 * Decides, from the master's INFO replication now, whether it would answer
 * `PSYNC <repl-id> <repl-offset + 1>` with +CONTINUE (redis-formats.md §7):
 * the ID is its current one, or its previous one with the offset within
 * second_repl_offset; and the offset lies in its backlog. It is a verdict for
 * this moment: the backlog keeps moving while the master takes writes.
 */
export function partialResyncVerdict(rdb: Pick<SnapshotManifest['rdb'], 'replId' | 'replOffset' | 'aux'>, master: ReplicationInfo): PartialResyncVerdict {
  const { replId, replOffset } = rdb;
  const state = {
    role: master.role,
    replId: master.replId,
    replId2: master.replId2,
    replOffset: master.replOffset,
    secondReplOffset: master.secondReplOffset,
    backlogActive: master.backlogActive,
    backlogFirstByteOffset: master.backlogFirstByteOffset,
    backlogHistlen: master.backlogHistlen,
  };
  const no = (reason: string, offset: number | null = null): PartialResyncVerdict => ({ possible: false, replId, offset, reason, behindBytes: null, master: state });
  if (replId === null || replOffset === null) {
    return no('the snapshot carries no replication ID/offset (repl-id, repl-offset AUX fields): it was not taken over replication or from a server with a backlog');
  }
  const offset = replOffset + 1;
  // A server loading the RDB builds a cached master only when repl-stream-db is there too (loadDataFromDisk).
  if (rdb.aux['repl-stream-db'] === undefined) return no('the snapshot has no repl-stream-db AUX field, so a server loading it cannot resume replication from it', offset);
  let history: string;
  if (replId === master.replId) {
    history = `the master's current replication ID ${replId}`;
  } else if (replId === master.replId2 && offset <= master.secondReplOffset) {
    history = `the master's previous replication ID ${replId} (valid up to offset ${master.secondReplOffset})`;
  } else if (replId === master.replId2) {
    return no(`the snapshot's offset ${offset} is past the end (${master.secondReplOffset}) of the master's previous replication ID ${replId}`, offset);
  } else {
    return no(
      `the master's replication history changed: the snapshot has replication ID ${replId}, the master ${master.replId} (previous: ${master.replId2}) — ` +
        'it restarted without persistence, was promoted, or freed its backlog after repl-backlog-ttl without replicas',
      offset,
    );
  }
  if (!master.backlogActive) return no(`the master has no replication backlog (${history} matches, but nothing to continue from)`, offset);
  const first = master.backlogFirstByteOffset;
  const last = first + master.backlogHistlen;
  if (offset < first) {
    return no(
      `the master's backlog starts at offset ${first}, after the snapshot's offset ${offset}: ${first - offset} bytes of writes since the snapshot are no longer in it (raise repl-backlog-size, or take a newer snapshot)`,
      offset,
    );
  }
  if (offset > last) return no(`the snapshot's offset ${offset} is ahead of the master's (${last}): the snapshot is not from this master's history`, offset);
  return { possible: true, replId, offset, reason: `${history} matches and its backlog holds offsets ${first}..${last}`, behindBytes: master.replOffset - replOffset, master: state };
}
