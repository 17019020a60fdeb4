import { Command } from '../types';
import { targetAtLeast } from './capabilities';
import { RewriteContext } from './context';
import { expiryCommands } from './expiry';

/** SET overwrites any existing key (and its expiry), so no DEL is needed. With an expiry: SET ... PXAT (6.2+), else SET then PEXPIREAT. */
export function stringCommands(ctx: RewriteContext, value: Buffer, expireAtMs: number | null): Command[] {
  if (expireAtMs !== null && targetAtLeast(ctx.caps, 6, 2)) return [['SET', ctx.key, value, 'PXAT', String(expireAtMs)]];
  return [['SET', ctx.key, value], ...expiryCommands(ctx, expireAtMs)];
}
