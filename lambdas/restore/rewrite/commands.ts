import { RedisValue } from '../../rdb/value';
import { Command, TargetCapabilities } from '../types';
import { MAX_COMMAND_BYTES, MAX_ITEMS_PER_COMMAND } from './batch';
import { targetAtLeast } from './capabilities';
import { listCommands, setCommands, zsetCommands } from './collections';
import { RewriteContext } from './context';
import { expiryCommands } from './expiry';
import { hashCommands } from './hash';
import { LossyLog, unrepresentable } from './lossy';
import { streamCommands } from './stream';
import { stringCommands } from './string';

export interface RewriteOptions {
  /** Drop what the target cannot represent (and describe it) instead of refusing the key. */
  allowLossy: boolean;
  /** Overwrite an existing key: DEL it first (strings need not, SET overwrites). */
  replace: boolean;
  /** Items per variadic command (default 64; 1 on targets before 2.4, which had no variadic forms). */
  maxItemsPerCommand?: number;
  /** Bytes per command, unless one item alone is bigger (default 1 MiB). */
  maxCommandBytes?: number;
}

export interface Rewrite {
  /** To run in order on a connection that has SELECTed the key's database. */
  commands: Command[];
  /** What --allow-lossy dropped, one description per feature. */
  lossy: string[];
}

/**
 * The ordinary commands that rebuild one key on a target that cannot RESTORE its DUMP
 * payload (an older version, or the other engine): the value, then its expiry.
 *
 * Throws RestoreError RESTORE_UNREPRESENTABLE for what no command can rebuild (module
 * values, streams before 5.0), and for features the target lacks (hash field expiry
 * before Redis 7.4 / Valkey 9.0, ...) unless `allowLossy`, which drops them instead and
 * lists them in `lossy`. Expiries in the past are sent as they are (the caller decides
 * whether to write such keys at all).
 */
export function rewriteEntry(key: Buffer, value: RedisValue, expireAtMs: number | null, caps: TargetCapabilities, options: RewriteOptions): Rewrite {
  const lossy = new LossyLog(key, caps, options.allowLossy);
  const ctx: RewriteContext = {
    key,
    caps,
    lossy,
    limits: {
      maxItems: options.maxItemsPerCommand ?? (targetAtLeast(caps, 2, 4) ? MAX_ITEMS_PER_COMMAND : 1),
      maxBytes: options.maxCommandBytes ?? MAX_COMMAND_BYTES,
    },
  };
  if (value.type === 'string') return { commands: stringCommands(ctx, value.value, expireAtMs), lossy: lossy.dropped };
  const commands: Command[] = options.replace ? [['DEL', key]] : [];
  commands.push(...valueCommands(ctx, value));
  commands.push(...expiryCommands(ctx, expireAtMs));
  return { commands, lossy: lossy.dropped };
}

function valueCommands(ctx: RewriteContext, value: Exclude<RedisValue, { type: 'string' }>): Command[] {
  switch (value.type) {
    case 'list':
      return listCommands(ctx, value.items);
    case 'set':
      return setCommands(ctx, value.members);
    case 'zset':
      return zsetCommands(ctx, value.entries);
    case 'hash':
      return hashCommands(ctx, value.fields);
    case 'stream':
      return streamCommands(ctx, value.stream);
    case 'module':
      throw unrepresentable(ctx.key, ctx.caps, `a value of module type ${value.module.name} can only be restored with RESTORE, into a server that has the module loaded`);
  }
}
