import { HashField } from '../../rdb/value';
import { Command } from '../types';
import { batched } from './batch';
import { targetAtLeast } from './capabilities';
import { RewriteContext } from './context';

/**
 * HSET field value ... in batches (HMSET before Redis 4.0, where HSET takes one pair),
 * then per-field expiries as HPEXPIREAT key ms FIELDS n f ... (fields sharing a time
 * share a command). Targets without HPEXPIREAT (Redis < 7.4, Valkey < 9.0) lose them:
 * an error unless --allow-lossy.
 */
export function hashCommands(ctx: RewriteContext, fields: HashField[]): Command[] {
  const set = targetAtLeast(ctx.caps, 4, 0) ? 'HSET' : 'HMSET';
  const commands = batched([set, ctx.key], fields.map((f) => [f.field, f.value]), ctx.limits);
  const volatile = fields.filter((f): f is HashField & { expireAtMs: number } => f.expireAtMs !== null);
  if (volatile.length === 0) return commands;
  if (!ctx.caps.hashFieldExpiry) {
    ctx.lossy.drop(`field expiry (${volatile.length} field${volatile.length === 1 ? '' : 's'})`, 'HPEXPIREAT needs Redis 7.4+ or Valkey 9.0+');
    return commands;
  }
  const byTime = new Map<number, Buffer[]>();
  for (const f of volatile) {
    const list = byTime.get(f.expireAtMs);
    if (list === undefined) byTime.set(f.expireAtMs, [f.field]);
    else list.push(f.field);
  }
  for (const [at, names] of byTime) {
    commands.push(...batched(['HPEXPIREAT', ctx.key, String(at), 'FIELDS'], names.map((n) => [n]), ctx.limits, true));
  }
  return commands;
}
