import { AofCommand } from '../../aof/records';
import { AofRestoreError } from './errors';

/** Which source databases are replayed, and into which target database. */
export interface DbRouting {
  /** Only commands of these source databases (all when empty/undefined). */
  dbs?: number[];
  /** Source db -> target db (others keep their number). */
  dbMap?: Record<number, number>;
}

const isSelect = (c: AofCommand): boolean => c.args[0].length === 6 && c.args[0].toString('latin1').toLowerCase() === 'select';

/**
 * Follows the AOF's SELECTs (the database each command applies to in the source)
 * and the target connection's database, and decides what to send: commands of
 * filtered-out databases are skipped, SELECTs are mapped and sent only when the
 * target must change database.
 */
export class CommandRouter {
  /** The database the AOF's commands apply to (each file starts on 0). */
  private sourceDb = 0;
  /** The target connection's database; -1 when unknown (the next command selects). */
  private targetDb = -1;
  private readonly dbs: Set<number> | null;
  /** The target's number of databases, when it says (CONFIG GET databases). */
  private databases: number | null = null;

  constructor(private readonly routing: DbRouting) {
    this.dbs = routing.dbs && routing.dbs.length > 0 ? new Set(routing.dbs) : null;
  }

  mapDb(db: number): number {
    return this.routing.dbMap?.[db] ?? db;
  }

  wants(db: number): boolean {
    return this.dbs === null || this.dbs.has(db);
  }

  /**
   * The target has `n` databases: the --db/--db-map choices are checked now (before
   * anything is written), and every database the AOF selects as it is replayed.
   */
  setDatabases(n: number | null): void {
    this.databases = n;
    if (n === null) return;
    const mapped = [...(this.routing.dbs ?? []).map((d) => [d, this.mapDb(d)]), ...Object.entries(this.routing.dbMap ?? {}).map(([s, t]) => [Number(s), t])];
    const bad = mapped.find(([, t]) => t >= n || t < 0);
    if (bad !== undefined) {
      throw new AofRestoreError('AOF_RESTORE_BAD_REQUEST', `Source database ${bad[0]} would go to database ${bad[1]}, but the target has only databases 0-${n - 1} (databases ${n}). Nothing was written. Map it to an existing database with --db-map ${bad[0]}:N, or leave it out with --db`);
    }
  }

  /** Throws when the target has no database `db` (source database `sourceDb` goes there). */
  checkTargetDb(sourceDb: number, db: number): void {
    if (this.databases !== null && (db >= this.databases || db < 0)) throw outOfRange(sourceDb, db, this.databases);
  }

  get isPassThrough(): boolean {
    return this.dbs === null && Object.keys(this.routing.dbMap ?? {}).length === 0;
  }

  /** A new file: the loader's client starts on database 0. */
  startFile(): void {
    this.sourceDb = 0;
  }

  /** The MULTI of the transaction being read, until its first wanted command sends it; null outside one. */
  private txMulti: AofCommand | null = null;
  /** Whether the transaction being read was opened on the target (its MULTI sent). */
  private txOpen = false;
  /** Commands of the transaction being read sent so far (MULTI included). */
  private txSent = 0;
  /** Commands of the transaction being read so far (MULTI included). */
  private txRead = 0;
  /** Whether a SELECT was queued in the transaction being read. */
  private txSelects = false;

  /**
   * One command as it is read, for streaming a transaction instead of holding it: a
   * MULTI is held until the transaction's first wanted command (so a transaction with
   * nothing wanted sends nothing), its commands then go out as read, the EXEC closes
   * it. `sent` and `skipped` count as in `route`.
   */
  routeCommand<C extends AofCommand>(c: C): { send: Array<C | string[]>; sent: number; skipped: number; execOfSelecting?: boolean } {
    if (!c.multi) return this.route([c]);
    const name = c.args[0].toString('latin1').toLowerCase();
    if (this.txMulti === null && !this.txOpen && name === 'multi') {
      this.txMulti = c;
      this.txRead = 1;
      return { send: [], sent: 0, skipped: 0 };
    }
    this.txRead++;
    if (name === 'exec') {
      const open = this.txOpen;
      const selecting = this.txSelects;
      this.resetTransaction();
      return open ? { send: [c], sent: 1, skipped: 0, execOfSelecting: selecting } : { send: [], sent: 0, skipped: 2 };
    }
    const inner = this.routeInner([c]);
    if (inner.sent === 0) return inner;
    if (!this.txOpen) {
      inner.send.unshift(this.txMulti as C);
      inner.sent++;
      this.txOpen = true;
    }
    this.txSent += inner.sent;
    if (inner.send.some((x) => Array.isArray(x))) this.txSelects = true;
    return inner;
  }

  /**
   * The end of a file inside an open transaction (the loader drops it): DISCARD when
   * its MULTI was sent, and how many of its commands were read and how many sent.
   */
  endTransaction(): { discard: boolean; read: number; sent: number } {
    const result = { discard: this.txOpen, read: this.txRead, sent: this.txSent };
    // SELECTs queued in a discarded transaction did not apply.
    if (this.txOpen) this.targetDb = -1;
    this.resetTransaction();
    return result;
  }

  private resetTransaction(): void {
    this.txMulti = null;
    this.txOpen = false;
    this.txSent = 0;
    this.txRead = 0;
    this.txSelects = false;
  }

  /** Something else (the RDB base's writer) changed the target connection's database. */
  forgetTargetDb(): void {
    this.targetDb = -1;
  }

  /**
   * The commands to send for a unit (one command, or a whole MULTI ... EXEC): the
   * SELECTs it needs on the target (as arguments), and its commands of wanted
   * databases (as they are). Empty when
   * nothing of it is wanted. `sent` and `skipped` count its commands other than
   * SELECT (MULTI and EXEC included) sent and left out.
   */
  route<C extends AofCommand>(unit: C[]): { send: Array<C | string[]>; sent: number; skipped: number } {
    const multi = unit.length > 1 || unit[0].multi;
    const { send: out, sent: innerSent, skipped } = this.routeInner(multi ? unit.slice(1, -1) : unit);
    let sent = innerSent;
    if (multi) {
      if (sent === 0) return { send: [], sent: 0, skipped: skipped + 2 };
      // MULTI before the first SELECT it needs, EXEC last: the transaction is applied whole.
      out.unshift(unit[0]);
      out.push(unit[unit.length - 1]);
      sent += 2;
    }
    return { send: out, sent, skipped };
  }

  /** Commands outside MULTI/EXEC (or inside one, without them): SELECTs tracked, filtered, mapped. */
  private routeInner<C extends AofCommand>(inner: C[]): { send: Array<C | string[]>; sent: number; skipped: number } {
    const out: Array<C | string[]> = [];
    let sent = 0;
    let skipped = 0;
    for (const c of inner) {
      if (isSelect(c)) {
        const db = Number(c.args[1]?.toString('latin1'));
        if (Number.isInteger(db)) {
          // Sent (mapped) only when a wanted command needs it; counted neither as sent nor skipped.
          this.sourceDb = db;
          continue;
        }
      }
      if (!this.wants(this.sourceDb)) {
        skipped++;
        continue;
      }
      const target = this.mapDb(this.sourceDb);
      if (target !== this.targetDb) {
        this.checkTargetDb(this.sourceDb, target);
        out.push(['SELECT', String(target)]);
        this.targetDb = target;
      }
      out.push(c);
      sent++;
    }
    return { send: out, sent, skipped };
  }
}

function outOfRange(sourceDb: number, db: number, databases: number): AofRestoreError {
  const via = sourceDb === db ? '' : ` (source database ${sourceDb})`;
  return new AofRestoreError(
    'AOF_RESTORE_SELECT_FAILED',
    `The AOF writes to database ${db}${via}, but the target has only databases 0-${databases - 1} (databases ${databases}): its commands would go to another database. Start the target with more databases, or map it with --db-map ${sourceDb}:N, or leave it out with --db`,
  );
}
