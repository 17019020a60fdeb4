import { Command } from '../types';

/** Items per command, as Redis's own AOF rewrite does (AOF_REWRITE_ITEMS_PER_CMD). */
export const MAX_ITEMS_PER_COMMAND = 64;

/** A command grows past this only when one item alone is bigger. */
export const MAX_COMMAND_BYTES = 1 << 20;

/** One item of a variadic command: its arguments (a member; a score and a member; a field and a value). */
export type Item = Array<Buffer | string>;

/** Bytes an argument takes on the wire ($len\r\n...\r\n, roughly). */
function argBytes(arg: Buffer | string): number {
  return (typeof arg === 'string' ? Buffer.byteLength(arg) : arg.length) + 16;
}

export function commandBytes(command: Command): number {
  let n = 16;
  for (const a of command) n += argBytes(a);
  return n;
}

export interface BatchLimits {
  maxItems: number;
  maxBytes: number;
}

/**
 * `head ...items` split into commands of at most `maxItems` items and (unless one
 * item is bigger) `maxBytes` bytes each; `countArg` inserts the batch's item count
 * after the head (HPEXPIREAT ... FIELDS n f1 f2 ...).
 */
export function batched(head: Command, items: Item[], limits: BatchLimits, countArg = false): Command[] {
  const out: Command[] = [];
  const headBytes = commandBytes(head) + (countArg ? 32 : 0);
  let batch: Item[] = [];
  let bytes = headBytes;
  const flush = (): void => {
    if (batch.length === 0) return;
    const cmd: Command = [...head];
    if (countArg) cmd.push(String(batch.length));
    for (const item of batch) cmd.push(...item);
    out.push(cmd);
    batch = [];
    bytes = headBytes;
  };
  for (const item of items) {
    let size = 0;
    for (const a of item) size += argBytes(a);
    if (batch.length > 0 && (batch.length >= limits.maxItems || bytes + size > limits.maxBytes)) flush();
    batch.push(item);
    bytes += size;
  }
  flush();
  return out;
}
