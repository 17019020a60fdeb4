import { AofCommand } from '../../aof/records';

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

  constructor(private readonly routing: DbRouting) {
    this.dbs = routing.dbs && routing.dbs.length > 0 ? new Set(routing.dbs) : null;
  }

  mapDb(db: number): number {
    return this.routing.dbMap?.[db] ?? db;
  }

  wants(db: number): boolean {
    return this.dbs === null || this.dbs.has(db);
  }

  get isPassThrough(): boolean {
    return this.dbs === null && Object.keys(this.routing.dbMap ?? {}).length === 0;
  }

  /** A new file: the loader's client starts on database 0. */
  startFile(): void {
    this.sourceDb = 0;
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
    const out: Array<C | string[]> = [];
    let sent = 0;
    let skipped = 0;
    const multi = unit.length > 1 || unit[0].multi;
    const inner = multi ? unit.slice(1, -1) : unit;
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
        out.push(['SELECT', String(target)]);
        this.targetDb = target;
      }
      out.push(c);
      sent++;
    }
    if (multi) {
      if (sent === 0) return { send: [], sent: 0, skipped: skipped + 2 };
      // MULTI before the first SELECT it needs, EXEC last: the transaction is applied whole.
      out.unshift(unit[0]);
      out.push(unit[unit.length - 1]);
      sent += 2;
    }
    return { send: out, sent, skipped };
  }
}
