import { ZsetEntry } from '../../rdb/value';
import { Command } from '../types';
import { batched } from './batch';
import { RewriteContext } from './context';
import { unrepresentable } from './lossy';

/** RPUSH in order, in batches. */
export function listCommands(ctx: RewriteContext, items: Buffer[]): Command[] {
  return batched(['RPUSH', ctx.key], items.map((i) => [i]), ctx.limits);
}

/** SADD in batches. */
export function setCommands(ctx: RewriteContext, members: Buffer[]): Command[] {
  return batched(['SADD', ctx.key], members.map((m) => [m]), ctx.limits);
}

/**
 * A score as text that reads back to the same double: the shortest round-trip decimal
 * (Number#toString, e.g. "0.1", "1e+21", "5e-324"), "-0" kept, "inf"/"-inf" for the infinities.
 */
export function scoreText(score: number): string {
  if (score === Infinity) return 'inf';
  if (score === -Infinity) return '-inf';
  return Object.is(score, -0) ? '-0' : String(score);
}

/** ZADD score member ..., in batches. */
export function zsetCommands(ctx: RewriteContext, entries: ZsetEntry[]): Command[] {
  if (entries.some((e) => Number.isNaN(e.score))) throw unrepresentable(ctx.key, ctx.caps, 'a zset score is NaN');
  return batched(['ZADD', ctx.key], entries.map((e) => [scoreText(e.score), e.member]), ctx.limits);
}
