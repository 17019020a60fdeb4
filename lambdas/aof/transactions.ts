import { AofCommand } from './records';

/**
 * Groups commands into what must be applied as one: a single command, or a whole
 * MULTI ... EXEC transaction (MULTI and EXEC included). A transaction is handed over
 * only once its EXEC has arrived; `endFile` drops one left open at the end of a file,
 * as the loader does.
 */
export class TransactionGrouper {
  private open: AofCommand[] | null = null;

  constructor(private readonly onUnit: (commands: AofCommand[]) => void) {}

  push(command: AofCommand): void {
    if (!command.multi) {
      this.onUnit([command]);
      return;
    }
    if (this.open === null) this.open = [];
    this.open.push(command);
    if (isExec(command)) {
      const unit = this.open;
      this.open = null;
      this.onUnit(unit);
    }
  }

  /** True while a MULTI waits for its EXEC. */
  get pending(): boolean {
    return this.open !== null;
  }

  /** Ends a file: drops an open transaction and returns how many commands it held. */
  endFile(): number {
    const dropped = this.open?.length ?? 0;
    this.open = null;
    return dropped;
  }
}

function isExec(command: AofCommand): boolean {
  const name = command.args[0];
  return name.length === 4 && name.toString('latin1').toLowerCase() === 'exec';
}

/** A command encoded as RESP, exactly as an AOF holds it. */
export function encodeCommand(args: ReadonlyArray<Buffer | string>): Buffer {
  const parts: Buffer[] = [Buffer.from(`*${args.length}\r\n`, 'latin1')];
  for (const a of args) {
    const b = typeof a === 'string' ? Buffer.from(a) : a;
    parts.push(Buffer.from(`$${b.length}\r\n`, 'latin1'), b, Buffer.from('\r\n', 'latin1'));
  }
  return Buffer.concat(parts);
}
