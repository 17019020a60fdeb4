import Redis from 'ioredis';
import { StreamValue } from '../../../lambdas/rdb';
import { TargetCapabilities } from '../../../lambdas/restore/types';

/**
 * What readDataset does not look at in a stream: consumers (also those without
 * pending entries), exact delivery times, entries-read and the 7.0 counters. Read
 * with XINFO STREAM FULL (6.0+) and compared with the decoded snapshot value.
 */

type Reply = unknown;

function text(r: Reply): string | null {
  if (r === null) return null;
  if (Buffer.isBuffer(r)) return r.toString('latin1');
  return String(r);
}

function num(r: Reply): number | null {
  const t = text(r);
  return t === null ? null : Number(t);
}

function map(r: Reply): Map<string, Reply> {
  const out = new Map<string, Reply>();
  const a = r as Reply[];
  for (let i = 0; i < a.length; i += 2) out.set(text(a[i])!, a[i + 1]);
  return out;
}

export interface StreamShape {
  length: number;
  lastId: string;
  entriesAdded?: number;
  maxDeletedId?: string;
  firstId?: string;
  groups: Array<{
    name: string;
    lastId: string;
    entriesRead?: number | null;
    /** [id, consumer, delivery ms, count], in id order. */
    pending: Array<[string, string, number, number]>;
    /** [name, pending ids], by name. */
    consumers: Array<[string, string[]]>;
  }>;
}

const byLatin1 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1'));

/**
 * The live stream in the StreamShape: groups' entries-read when `withMetadata` (a 7.0+
 * server), the stream's counters too when `withCounters` (the rewrite set them).
 */
export async function readStreamShape(client: Redis, key: Buffer, withMetadata: boolean, withCounters: boolean): Promise<StreamShape> {
  const info = map(await client.callBuffer('XINFO', 'STREAM', key, 'FULL', 'COUNT', 0));
  const shape: StreamShape = {
    length: num(info.get('length'))!,
    lastId: text(info.get('last-generated-id'))!,
    groups: (info.get('groups') as Reply[]).map((g) => {
      const gm = map(g);
      const group: StreamShape['groups'][number] = {
        name: text(gm.get('name'))!,
        lastId: text(gm.get('last-delivered-id'))!,
        pending: (gm.get('pending') as Reply[][]).map((p) => [text(p[0])!, text(p[1])!, num(p[2])!, num(p[3])!]),
        consumers: (gm.get('consumers') as Reply[]).map((c) => {
          const cm = map(c);
          return [text(cm.get('name'))!, (cm.get('pending') as Reply[][]).map((p) => text(p[0])!)];
        }),
      };
      if (withMetadata) group.entriesRead = num(gm.get('entries-read'));
      return group;
    }),
  };
  if (withMetadata && withCounters) {
    shape.entriesAdded = num(info.get('entries-added'))!;
    shape.maxDeletedId = text(info.get('max-deleted-entry-id'))!;
    if (shape.length > 0) shape.firstId = text(info.get('recorded-first-entry-id'))!;
  }
  return shape;
}

/**
 * The shape a rewrite of `s` must give on a target with `caps`. `maxDeletedAfterRewrite`:
 * the target's max-deleted-entry-id when the snapshot has none (the placeholders the
 * rewrite deleted raise it; XSETID cannot lower it to 0-0).
 */
export function expectedStreamShape(s: StreamValue, caps: TargetCapabilities, withMetadata: boolean, maxDeletedAfterRewrite = '0-0'): StreamShape {
  const shape: StreamShape = {
    length: s.length,
    lastId: s.lastId,
    groups: [...s.groups]
      .sort((a, b) => Buffer.compare(a.name, b.name))
      .map((g) => {
        const group: StreamShape['groups'][number] = {
          name: g.name.toString('latin1'),
          lastId: g.lastId,
          pending: g.pending.filter((p) => p.consumer !== null).map((p) => [p.id, p.consumer!.toString('latin1'), p.deliveryTimeMs, p.deliveryCount]),
          consumers: g.consumers.map((c): [string, string[]] => [c.name.toString('latin1'), [...c.pending]]).sort((a, b) => byLatin1(a[0], b[0])),
        };
        if (withMetadata) group.entriesRead = caps.streamMetadata ? g.entriesRead : null;
        return group;
      }),
  };
  if (withMetadata && caps.streamMetadata) {
    shape.entriesAdded = s.entriesAdded ?? s.length;
    shape.maxDeletedId = s.maxDeletedId !== null && s.maxDeletedId !== '0-0' ? s.maxDeletedId : maxDeletedAfterRewrite;
    if (s.length > 0) shape.firstId = s.entries[0].id;
  }
  return shape;
}
