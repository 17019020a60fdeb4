import { StreamEntry, StreamGroup, StreamValue } from '../../rdb/value';
import { Command } from '../types';
import { batched } from './batch';
import { targetAtLeast } from './capabilities';
import { RewriteContext } from './context';
import { keyLabel, unrepresentable } from './lossy';
import { compareStreamIds } from './stream-id';

/** Field and value of the placeholder entries added for a claim and deleted again. */
const GHOST_FIELDS = [Buffer.from('_'), Buffer.from('')];

/**
 * Rebuilds a stream with its exact ids, consumer groups, consumers and pending entries:
 *
 * 1. XADD key <id> f v ... per entry, in id order. An empty stream is created with
 *    XADD key MAXLEN 0 <last id> x y (the entry is trimmed at once).
 * 2. Per group XGROUP CREATE key g <last-delivered-id> [ENTRIESREAD n] (7.0+, when known).
 * 3. Consumers that own no pending entry: XGROUP CREATECONSUMER (6.2+), or on older
 *    targets XREADGROUP ... STREAMS key 0, which creates the consumer and reads only its
 *    own (empty) history.
 * 4. Per pending entry XCLAIM key g consumer 0 <id> TIME <delivery ms> RETRYCOUNT <n>
 *    JUSTID FORCE: creates the entry in the group and consumer PELs with the snapshot's
 *    delivery time and count (JUSTID keeps RETRYCOUNT from being incremented). FORCE
 *    only claims ids present in the stream, so a pending entry whose stream entry was
 *    deleted gets a placeholder entry in step 1 that is XDELeted here again.
 * 5. XSETID key <last id> [ENTRIESADDED n MAXDELETEDID id] (7.0+) restores the last
 *    generated id and the counters the placeholders and trims changed.
 *
 * Not reproducible by any command (and not reported as lossy, like a key's idle time):
 * consumers' seen/active times, which become the time of the restore.
 */
export function streamCommands(ctx: RewriteContext, stream: StreamValue): Command[] {
  const { key, caps } = ctx;
  if (!targetAtLeast(caps, 5, 0)) throw unrepresentable(key, caps, 'streams need Redis 5.0+');
  if (stream.entries.some((e) => e.fields.length === 0 || e.fields.length % 2 !== 0)) {
    throw unrepresentable(key, caps, 'a stream entry without field-value pairs cannot be added with XADD');
  }
  const out: Command[] = [];

  const live = new Set(stream.entries.map((e) => e.id));
  const ghostIds = new Set<string>();
  for (const g of stream.groups) for (const p of g.pending) if (!live.has(p.id) && p.id !== '0-0') ghostIds.add(p.id);
  const ghosts: StreamEntry[] = [...ghostIds].map((id) => ({ id, fields: GHOST_FIELDS }));
  const all = ghosts.length === 0 ? stream.entries : [...stream.entries, ...ghosts].sort((a, b) => compareStreamIds(a.id, b.id));

  if (all.length === 0) out.push(['XADD', key, 'MAXLEN', '0', stream.lastId === '0-0' ? '0-1' : stream.lastId, 'x', 'y']);
  for (const e of all) out.push(['XADD', key, e.id, ...e.fields]);

  for (const g of stream.groups) out.push(...groupCommands(ctx, g));

  if (ghosts.length > 0) out.push(...batched(['XDEL', key], ghosts.map((g) => [g.id]), ctx.limits));

  const setId: Command = ['XSETID', key, stream.lastId];
  if (caps.streamMetadata) setId.push('ENTRIESADDED', String(stream.entriesAdded ?? stream.length), 'MAXDELETEDID', stream.maxDeletedId ?? '0-0');
  out.push(setId);
  return out;
}

function groupCommands(ctx: RewriteContext, g: StreamGroup): Command[] {
  const { key, caps } = ctx;
  const out: Command[] = [];
  const create: Command = ['XGROUP', 'CREATE', key, g.name, g.lastId];
  if (caps.streamMetadata && g.entriesRead !== null) create.push('ENTRIESREAD', String(g.entriesRead));
  out.push(create);

  const owners = new Set<string>();
  for (const p of g.pending) if (p.consumer !== null) owners.add(p.consumer.toString('latin1'));
  for (const c of g.consumers) {
    if (owners.has(c.name.toString('latin1'))) continue;
    if (caps.createConsumer) out.push(['XGROUP', 'CREATECONSUMER', key, g.name, c.name]);
    else out.push(['XREADGROUP', 'GROUP', g.name, c.name, 'COUNT', '1', 'STREAMS', key, '0']);
  }

  for (const p of g.pending) {
    if (p.consumer === null) {
      ctx.lossy.drop(`pending entry ${p.id} of consumer group ${keyLabel(g.name)} without a consumer`, 'XCLAIM can only give a pending entry to a consumer');
      continue;
    }
    if (p.id === '0-0') {
      ctx.lossy.drop(`pending entry 0-0 of consumer group ${keyLabel(g.name)}`, 'XCLAIM can only claim an entry that XADD can add');
      continue;
    }
    out.push(['XCLAIM', key, g.name, p.consumer, '0', p.id, 'TIME', String(p.deliveryTimeMs), 'RETRYCOUNT', String(p.deliveryCount), 'JUSTID', 'FORCE']);
  }
  return out;
}
