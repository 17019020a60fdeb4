import { Command } from '../types';
import { targetAtLeast } from './capabilities';
import { RewriteContext } from './context';

/**
 * The key's absolute expiry, set after its value: PEXPIREAT (Redis 2.6+), or EXPIREAT in
 * whole seconds on older targets (rounded up, lossy when the time has a millisecond part).
 */
export function expiryCommands(ctx: RewriteContext, expireAtMs: number | null): Command[] {
  if (expireAtMs === null) return [];
  if (targetAtLeast(ctx.caps, 2, 6)) return [['PEXPIREAT', ctx.key, String(expireAtMs)]];
  if (expireAtMs % 1000 !== 0) ctx.lossy.drop('the millisecond part of its expiry (rounded up to the second)', 'PEXPIREAT needs Redis 2.6+');
  return [['EXPIREAT', ctx.key, String(Math.ceil(expireAtMs / 1000))]];
}
