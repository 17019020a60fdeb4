import Redis from 'ioredis';
import { RedisValue, StreamValue } from '../../../lambdas/rdb';
import { capabilitiesFromInfo, rewriteEntry } from '../../../lambdas/restore/rewrite';
import { TargetCapabilities } from '../../../lambdas/restore/types';
import { RedisServer } from '../../helpers/redis-server';
import { expectedStreamShape, readStreamShape } from './stream-check';
import { send } from '../../helpers/truth';

/**
 * Hand-made values the fixtures do not have (pending entries whose stream entry was
 * deleted, consumers without pending entries, binary group names, an emptied stream
 * with groups, random scores, commands split by bytes), rewritten and sent to a real
 * redis-server 7.0, with its own capabilities and with those of Redis 6.0.
 */

let server: RedisServer;
let client: Redis;
let live: TargetCapabilities;
const R60 = capabilitiesFromInfo('# Server\r\nredis_version:6.0.20\r\n');

beforeAll(async () => {
  server = await RedisServer.start();
  client = server.client();
  live = capabilitiesFromInfo(String(await client.call('INFO', 'server')));
});
afterAll(() => server.stop());
beforeEach(() => client.flushall());

const b = (s: string): Buffer => Buffer.from(s, 'latin1');

async function write(key: Buffer, value: RedisValue, expireAtMs: number | null, caps: TargetCapabilities): Promise<void> {
  const r = rewriteEntry(key, value, expireAtMs, caps, { allowLossy: false, replace: true });
  expect(r.lossy).toEqual([]);
  await send(client, r.commands);
}

async function entriesOf(key: Buffer): Promise<Array<[string, string[]]>> {
  const reply = (await client.callBuffer('XRANGE', key, '-', '+')) as Array<[Buffer, Buffer[]]>;
  return reply.map(([id, fields]) => [id.toString(), fields.map((f) => f.toString('latin1'))]);
}

function streamWithDeletedPending(): StreamValue {
  return {
    entries: [
      { id: '1700000000001-0', fields: [b('a'), b('1')] },
      { id: '1700000000003-5', fields: [b('a'), b('3'), b('b'), b('x')] },
      { id: '1700000000009-0', fields: [b('\u00ff\u0000'), b('')] },
    ],
    length: 3,
    lastId: '1700000000020-0',
    firstId: '1700000000001-0',
    maxDeletedId: '1700000000010-0',
    entriesAdded: 7,
    groups: [
      {
        name: b('grp\u00ff'),
        lastId: '1700000000009-0',
        entriesRead: 5,
        pending: [
          { id: '1700000000001-0', deliveryTimeMs: 1700000001000, deliveryCount: 0, consumer: b('c\u00e91') },
          { id: '1700000000002-0', deliveryTimeMs: 1700000002000, deliveryCount: 4, consumer: b('c\u00e91') }, // deleted from the stream
          { id: '1700000000009-0', deliveryTimeMs: 1700000009000, deliveryCount: 17, consumer: b('c2') },
        ],
        consumers: [
          { name: b('c\u00e91'), seenTimeMs: 1700000002000, activeTimeMs: null, pending: ['1700000000001-0', '1700000000002-0'] },
          { name: b('c2'), seenTimeMs: 1700000009000, activeTimeMs: null, pending: ['1700000000009-0'] },
          { name: b('idle'), seenTimeMs: 1700000000000, activeTimeMs: null, pending: [] },
        ],
      },
      { name: b('fresh'), lastId: '0-0', entriesRead: null, pending: [], consumers: [] },
      {
        name: b('late'),
        lastId: '1700000000020-0',
        entriesRead: 7,
        // Deleted too, one of them before the first entry.
        pending: [
          { id: '1600000000000-0', deliveryTimeMs: 1700000010000, deliveryCount: 1, consumer: b('z') },
          { id: '1700000000010-0', deliveryTimeMs: 1700000010000, deliveryCount: 2, consumer: b('z') },
        ],
        consumers: [{ name: b('z'), seenTimeMs: 1700000010000, activeTimeMs: 1700000010000, pending: ['1600000000000-0', '1700000000010-0'] }],
      },
    ],
  };
}

describe.each([
  ['the live server (7.0)', () => live],
  ['Redis 6.0 command forms', () => R60],
] as const)('streams, with %s', (_name, capsOf) => {
  test('pending entries whose stream entry was deleted, consumers without pending entries, binary names, exact counts and times', async () => {
    const caps = capsOf();
    const key = b('s\u00ff');
    const s = streamWithDeletedPending();
    await write(key, { type: 'stream', stream: s }, 4102444800000, caps);
    // The placeholders are gone: only the snapshot's entries remain.
    expect(await entriesOf(key)).toEqual(s.entries.map((e) => [e.id, e.fields.map((f) => f.toString('latin1'))]));
    expect(await readStreamShape(client, key, true, caps.streamMetadata)).toEqual(expectedStreamShape(s, caps, true));
    expect(Number(await client.call('PEXPIRETIME', key))).toBe(4102444800000);
  });

  test('an emptied stream that still has groups and pending entries; a stream only groups ever touched (last id 0-0)', async () => {
    const caps = capsOf();
    const emptied: StreamValue = {
      ...streamWithDeletedPending(),
      entries: [],
      length: 0,
      firstId: '0-0',
      maxDeletedId: '1700000000020-0',
      entriesAdded: 12,
    };
    await write(b('emptied'), { type: 'stream', stream: emptied }, null, caps);
    expect(await entriesOf(b('emptied'))).toEqual([]);
    expect(await readStreamShape(client, b('emptied'), true, caps.streamMetadata)).toEqual(expectedStreamShape(emptied, caps, true));

    const untouched: StreamValue = {
      entries: [],
      length: 0,
      lastId: '0-0',
      firstId: '0-0',
      maxDeletedId: '0-0',
      entriesAdded: 0,
      groups: [{ name: b('g'), lastId: '0-0', entriesRead: 0, pending: [], consumers: [{ name: b('c'), seenTimeMs: 0, activeTimeMs: 0, pending: [] }] }],
    };
    await write(b('untouched'), { type: 'stream', stream: untouched }, null, caps);
    expect(await readStreamShape(client, b('untouched'), true, caps.streamMetadata)).toEqual(expectedStreamShape(untouched, caps, true));
  });

  test('a stream from a file before 7.0 (no counters): entries-added is its length, as RESTORE of such a payload gives', async () => {
    const caps = capsOf();
    const old: StreamValue = { ...streamWithDeletedPending(), firstId: null, maxDeletedId: null, entriesAdded: null };
    old.groups = old.groups.map((g) => ({ ...g, entriesRead: null }));
    await write(b('old'), { type: 'stream', stream: old }, null, caps);
    // The placeholders deleted for the claims leave max-deleted-entry-id at the highest of them.
    expect(await readStreamShape(client, b('old'), true, caps.streamMetadata)).toEqual(expectedStreamShape(old, caps, true, '1700000000010-0'));
  });
});

test('zset scores read back bit for bit, and commands split by bytes rebuild big values in order', async () => {
  const buf = Buffer.alloc(8);
  const entries = Array.from({ length: 500 }, (_, i) => {
    let score: number;
    do {
      for (let j = 0; j < 8; j++) buf[j] = Math.floor(Math.random() * 256);
      score = buf.readDoubleLE(0);
    } while (Number.isNaN(score));
    return { member: b(`m${i}`), score };
  });
  entries.push({ member: b('inf'), score: Infinity }, { member: b('-inf'), score: -Infinity }, { member: b('tiny'), score: 5e-324 });
  await write(b('z'), { type: 'zset', entries }, null, live);
  // ioredis answers WITHSCORES as [member, score] pairs.
  const reply = (await client.callBuffer('ZRANGE', b('z'), 0, -1, 'WITHSCORES')) as Array<[Buffer, Buffer]>;
  const got = new Map<string, number>();
  for (const [member, score] of reply) {
    const t = score.toString();
    got.set(member.toString(), t === 'inf' ? Infinity : t === '-inf' ? -Infinity : Number(t));
  }
  expect(got.size).toBe(entries.length);
  const wrong = entries.filter((e) => !Object.is(got.get(e.member.toString()), e.score));
  expect(wrong).toEqual([]);

  const items = Array.from({ length: 40 }, (_, i) => Buffer.alloc(100_000 + i, i));
  const r = rewriteEntry(b('l'), { type: 'list', items }, null, live, { allowLossy: false, replace: false });
  expect(r.commands.length).toBeGreaterThan(3);
  await send(client, r.commands);
  const back = (await client.callBuffer('LRANGE', b('l'), 0, -1)) as Buffer[];
  expect(back.length).toBe(items.length);
  expect(back.every((x, i) => x.equals(items[i]))).toBe(true);
});
