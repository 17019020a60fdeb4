import { RedisValue, StreamValue } from '../../../lambdas/rdb';
import { RestoreError } from '../../../lambdas/restore/errors';
import { capabilitiesFromInfo, keyLabel, rewriteEntry, scoreText } from '../../../lambdas/restore/rewrite';
import { Command, TargetCapabilities } from '../../../lambdas/restore/types';

/** Command shapes per type and target version (no server: see fixtures.test.ts and stream.test.ts for those). */

const caps = (version: string, extra = ''): TargetCapabilities => capabilitiesFromInfo(`# Server\r\nredis_version:${version}\r\n${extra}`);
const R74 = caps('7.4.1');
const R70 = caps('7.0.15');
const R60 = caps('6.0.20');
const R32 = caps('3.2.13');
const R24 = caps('2.4.18');
const VALKEY8 = caps('7.2.4', 'server_name:valkey\r\nvalkey_version:8.0.1\r\n');
const VALKEY9 = caps('7.2.4', 'server_name:valkey\r\nvalkey_version:9.0.0\r\n');

const KEY = Buffer.from('k');
const b = (s: string): Buffer => Buffer.from(s);
const AT = 4102444800123;
const opts = { allowLossy: false, replace: false };

/** Commands as text, for readable expectations. */
const show = (commands: Command[]): string[][] => commands.map((c) => c.map((a) => (typeof a === 'string' ? a : a.toString('latin1'))));

function thrown(fn: () => unknown): RestoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RestoreError);
    return e as RestoreError;
  }
  throw new Error('did not throw');
}

describe('strings', () => {
  const value: RedisValue = { type: 'string', value: b('v') };
  test('SET ... PXAT on 6.2+, SET then PEXPIREAT before, EXPIREAT in seconds before 2.6', () => {
    expect(show(rewriteEntry(KEY, value, AT, R70, opts).commands)).toEqual([['SET', 'k', 'v', 'PXAT', String(AT)]]);
    expect(show(rewriteEntry(KEY, value, AT, R60, opts).commands)).toEqual([['SET', 'k', 'v'], ['PEXPIREAT', 'k', String(AT)]]);
    expect(show(rewriteEntry(KEY, value, null, R70, opts).commands)).toEqual([['SET', 'k', 'v']]);
    expect(show(rewriteEntry(KEY, value, 4102444800000, R24, opts).commands)).toEqual([['SET', 'k', 'v'], ['EXPIREAT', 'k', '4102444800']]);
    // A millisecond part cannot be kept before 2.6.
    expect(thrown(() => rewriteEntry(KEY, value, AT, R24, opts)).message).toMatch(/millisecond part of its expiry.*redis 2\.4\.18.*--allow-lossy/);
    const lossy = rewriteEntry(KEY, value, AT, R24, { allowLossy: true, replace: false });
    expect(show(lossy.commands)).toEqual([['SET', 'k', 'v'], ['EXPIREAT', 'k', '4102444801']]);
    expect(lossy.lossy).toHaveLength(1);
  });

  test('replace needs no DEL: SET overwrites value, type and expiry', () => {
    expect(show(rewriteEntry(KEY, value, null, R70, { allowLossy: false, replace: true }).commands)).toEqual([['SET', 'k', 'v']]);
  });

  test('values are sent as the exact bytes', () => {
    const bin = Buffer.from([0, 0xff, 0x80, 13, 10]);
    expect(rewriteEntry(Buffer.from([1, 2]), { type: 'string', value: bin }, null, R70, opts).commands[0][2]).toEqual(bin);
  });
});

describe('collections', () => {
  const items = Array.from({ length: 200 }, (_, i) => b(`i${i}`));
  test('RPUSH in batches of 64, in order; DEL first with replace; PEXPIREAT last', () => {
    const { commands } = rewriteEntry(KEY, { type: 'list', items }, AT, R70, { allowLossy: false, replace: true });
    expect(commands.map((c) => [c[0], c.length])).toEqual([
      ['DEL', 2],
      ['RPUSH', 66],
      ['RPUSH', 66],
      ['RPUSH', 66],
      ['RPUSH', 10],
      ['PEXPIREAT', 3],
    ]);
    expect(commands.slice(1, 5).flatMap((c) => c.slice(2))).toEqual(items);
  });

  test('and by bytes: a command stays under 1 MiB unless one item alone is bigger', () => {
    const big = Array.from({ length: 5 }, (_, i) => Buffer.alloc(400_000, i));
    const huge = Buffer.alloc(3 << 20, 7);
    const { commands } = rewriteEntry(KEY, { type: 'set', members: [...big, huge, b('x')] }, null, R70, opts);
    expect(commands.map((c) => c.length - 2)).toEqual([2, 2, 1, 1, 1]);
    expect(commands.flatMap((c) => c.slice(2))).toEqual([...big, huge, b('x')]);
    for (const c of commands) if (!c.includes(huge)) expect(c.reduce((n, a) => n + a.length, 0)).toBeLessThan(1 << 20);
    // The bounds can be set.
    expect(rewriteEntry(KEY, { type: 'list', items }, null, R70, { ...opts, maxItemsPerCommand: 10 }).commands).toHaveLength(20);
  });

  test('one item per command before 2.4 (no variadic RPUSH/SADD/ZADD)', () => {
    expect(rewriteEntry(KEY, { type: 'list', items: items.slice(0, 3) }, null, caps('2.2.15'), opts).commands).toHaveLength(3);
    expect(rewriteEntry(KEY, { type: 'list', items: items.slice(0, 3) }, null, R24, opts).commands).toHaveLength(1);
  });

  test('ZADD with scores that read back exactly', () => {
    const entries = [
      { member: b('a'), score: -Infinity },
      { member: b('b'), score: -0 },
      { member: b('c'), score: 0.1 },
      { member: b('d'), score: 5e-324 },
      { member: b('e'), score: 1e21 },
      { member: b('f'), score: Number.MAX_VALUE },
      { member: b('g'), score: Infinity },
    ];
    expect(show(rewriteEntry(KEY, { type: 'zset', entries }, null, R70, opts).commands)).toEqual([
      ['ZADD', 'k', '-inf', 'a', '-0', 'b', '0.1', 'c', '5e-324', 'd', '1e+21', 'e', '1.7976931348623157e+308', 'f', 'inf', 'g'],
    ]);
    // Round trip of random doubles (strtod reads what Number reads).
    const wrong: string[] = [];
    const buf = Buffer.alloc(8);
    for (let i = 0; i < 10_000; i++) {
      for (let j = 0; j < 8; j++) buf[j] = Math.floor(Math.random() * 256);
      const x = buf.readDoubleLE(0);
      if (Number.isNaN(x)) continue;
      const t = scoreText(x);
      if (!Object.is(t === 'inf' ? Infinity : t === '-inf' ? -Infinity : Number(t), x)) wrong.push(t);
    }
    expect(wrong).toEqual([]);
    expect(thrown(() => rewriteEntry(KEY, { type: 'zset', entries: [{ member: b('n'), score: NaN }] }, null, R70, opts)).code).toBe('RESTORE_UNREPRESENTABLE');
  });

  test('an empty collection writes nothing (with replace: only the DEL)', () => {
    expect(rewriteEntry(KEY, { type: 'list', items: [] }, null, R70, opts).commands).toEqual([]);
    expect(show(rewriteEntry(KEY, { type: 'set', members: [] }, null, R70, { allowLossy: false, replace: true }).commands)).toEqual([['DEL', 'k']]);
  });
});

describe('hashes', () => {
  const fields = [
    { field: b('a'), value: b('1'), expireAtMs: AT },
    { field: b('b'), value: b('2'), expireAtMs: null },
    { field: b('c'), value: b('3'), expireAtMs: AT },
    { field: b('d'), value: b('4'), expireAtMs: AT + 1 },
  ];
  const value: RedisValue = { type: 'hash', fields };

  test('HSET, then HPEXPIREAT per expiry time where the target has it (Redis 7.4+, Valkey 9+)', () => {
    for (const target of [R74, VALKEY9]) {
      expect(show(rewriteEntry(KEY, value, null, target, opts).commands)).toEqual([
        ['HSET', 'k', 'a', '1', 'b', '2', 'c', '3', 'd', '4'],
        ['HPEXPIREAT', 'k', String(AT), 'FIELDS', '2', 'a', 'c'],
        ['HPEXPIREAT', 'k', String(AT + 1), 'FIELDS', '1', 'd'],
      ]);
    }
  });

  test('many fields with one expiry: FIELDS n counts each batch', () => {
    const many = Array.from({ length: 100 }, (_, i) => ({ field: b(`f${i}`), value: b('v'), expireAtMs: AT }));
    const { commands } = rewriteEntry(KEY, { type: 'hash', fields: many }, null, R74, opts);
    const hpexpire = commands.filter((c) => c[0] === 'HPEXPIREAT');
    expect(hpexpire.map((c) => [c[4], c.length - 5])).toEqual([
      ['64', 64],
      ['36', 36],
    ]);
  });

  test('without HPEXPIREAT: refused naming key, feature, target and --allow-lossy; or dropped and described', () => {
    for (const target of [R70, VALKEY8]) {
      const e = thrown(() => rewriteEntry(b('user:1'), value, null, target, opts));
      expect(e.code).toBe('RESTORE_UNREPRESENTABLE');
      expect(e.message).toContain('"user:1"');
      expect(e.message).toContain('field expiry (3 fields)');
      expect(e.message).toContain(`${target.engine} ${target.version.join('.')}`);
      expect(e.message).toContain('HPEXPIREAT');
      expect(e.message).toContain('--allow-lossy');
      expect(e.context.key).toBe('"user:1"');
      const r = rewriteEntry(b('user:1'), value, AT, target, { allowLossy: true, replace: true });
      expect(show(r.commands)).toEqual([['DEL', 'user:1'], ['HSET', 'user:1', 'a', '1', 'b', '2', 'c', '3', 'd', '4'], ['PEXPIREAT', 'user:1', String(AT)]]);
      expect(r.lossy).toEqual([expect.stringMatching(/^field expiry \(3 fields\) of key "user:1" \(target (redis 7\.0\.15|valkey 8\.0\.1): HPEXPIREAT needs Redis 7\.4\+ or Valkey 9\.0\+\)$/)]);
    }
  });

  test('HMSET before 4.0', () => {
    expect(show(rewriteEntry(KEY, { type: 'hash', fields: [fields[1]] }, null, R32, opts).commands)).toEqual([['HMSET', 'k', 'b', '2']]);
  });
});

describe('streams', () => {
  const stream = (over: Partial<StreamValue> = {}): StreamValue => ({
    entries: [
      { id: '1-1', fields: [b('f'), b('v1')] },
      { id: '3-0', fields: [b('f'), b('v3')] },
    ],
    length: 2,
    lastId: '5-0',
    firstId: '1-1',
    maxDeletedId: '2-0',
    entriesAdded: 4,
    groups: [
      {
        name: b('g'),
        lastId: '3-0',
        entriesRead: 3,
        pending: [
          { id: '1-1', deliveryTimeMs: 1000, deliveryCount: 2, consumer: b('alice') },
          { id: '2-0', deliveryTimeMs: 2000, deliveryCount: 1, consumer: b('bob') },
        ],
        consumers: [
          { name: b('alice'), seenTimeMs: 1, activeTimeMs: null, pending: ['1-1'] },
          { name: b('bob'), seenTimeMs: 1, activeTimeMs: null, pending: ['2-0'] },
          { name: b('carol'), seenTimeMs: 1, activeTimeMs: null, pending: [] },
        ],
      },
    ],
    ...over,
  });

  test('7.0+: entries with their ids, groups with ENTRIESREAD, CREATECONSUMER, XCLAIM per pending entry (a deleted one via a placeholder), XSETID with counters', () => {
    expect(show(rewriteEntry(KEY, { type: 'stream', stream: stream() }, AT, R70, { allowLossy: false, replace: true }).commands)).toEqual([
      ['DEL', 'k'],
      ['XADD', 'k', '1-1', 'f', 'v1'],
      ['XADD', 'k', '2-0', '_', ''],
      ['XADD', 'k', '3-0', 'f', 'v3'],
      ['XGROUP', 'CREATE', 'k', 'g', '3-0', 'ENTRIESREAD', '3'],
      ['XGROUP', 'CREATECONSUMER', 'k', 'g', 'carol'],
      ['XCLAIM', 'k', 'g', 'alice', '0', '1-1', 'TIME', '1000', 'RETRYCOUNT', '2', 'JUSTID', 'FORCE'],
      ['XCLAIM', 'k', 'g', 'bob', '0', '2-0', 'TIME', '2000', 'RETRYCOUNT', '1', 'JUSTID', 'FORCE'],
      ['XDEL', 'k', '2-0'],
      ['XSETID', 'k', '5-0', 'ENTRIESADDED', '4', 'MAXDELETEDID', '2-0'],
      ['PEXPIREAT', 'k', String(AT)],
    ]);
  });

  test('before 7.0 no counters; before 6.2 consumers come from XREADGROUP on their own history', () => {
    const commands = show(rewriteEntry(KEY, { type: 'stream', stream: stream() }, null, R60, opts).commands);
    expect(commands).toContainEqual(['XGROUP', 'CREATE', 'k', 'g', '3-0']);
    expect(commands).toContainEqual(['XREADGROUP', 'GROUP', 'g', 'carol', 'COUNT', '1', 'STREAMS', 'k', '0']);
    expect(commands[commands.length - 1]).toEqual(['XSETID', 'k', '5-0']);
  });

  test('an empty stream: XADD MAXLEN 0 at its last id (0-1 for 0-0), then XSETID', () => {
    const empty = stream({ entries: [], length: 0, lastId: '7-7', groups: [], entriesAdded: null, maxDeletedId: null, firstId: null });
    expect(show(rewriteEntry(KEY, { type: 'stream', stream: empty }, null, R70, opts).commands)).toEqual([
      ['XADD', 'k', 'MAXLEN', '0', '7-7', 'x', 'y'],
      ['XSETID', 'k', '7-7', 'ENTRIESADDED', '0', 'MAXDELETEDID', '0-0'],
    ]);
    expect(show(rewriteEntry(KEY, { type: 'stream', stream: { ...empty, lastId: '0-0' } }, null, R70, opts).commands)[0]).toEqual(['XADD', 'k', 'MAXLEN', '0', '0-1', 'x', 'y']);
  });

  test('a pending entry without a consumer is lossy; streams before 5.0 are unrepresentable', () => {
    const s = stream();
    s.groups[0].pending[0] = { ...s.groups[0].pending[0], consumer: null };
    expect(thrown(() => rewriteEntry(KEY, { type: 'stream', stream: s }, null, R70, opts)).message).toMatch(/pending entry 1-1 of consumer group "g" without a consumer/);
    const r = rewriteEntry(KEY, { type: 'stream', stream: s }, null, R70, { allowLossy: true, replace: false });
    expect(r.lossy).toHaveLength(1);
    expect(r.commands.filter((c) => c[0] === 'XCLAIM')).toHaveLength(1);
    const old = thrown(() => rewriteEntry(KEY, { type: 'stream', stream: stream() }, null, caps('4.0.14'), { allowLossy: true, replace: false }));
    expect(old.code).toBe('RESTORE_UNREPRESENTABLE');
    expect(old.message).toContain('streams need Redis 5.0+');
  });
});

test('module values can only be RESTOREd', () => {
  const e = thrown(() => rewriteEntry(KEY, { type: 'module', module: { typeId: 1n, name: 'ReJSON-RL', encver: 3 } }, null, R74, { allowLossy: true, replace: true }));
  expect(e.code).toBe('RESTORE_UNREPRESENTABLE');
  expect(e.message).toContain('ReJSON-RL');
  expect(e.message).toContain('RESTORE');
});

test('keyLabel: printable keys as JSON text, binary as hex, long ones shortened', () => {
  expect(keyLabel(b('a:b'))).toBe('"a:b"');
  expect(keyLabel(Buffer.from([0, 0xff]))).toBe('0x00ff');
  expect(keyLabel(Buffer.alloc(1000, 'x'))).toMatch(/^"x{120}…" \(1000 bytes\)$/);
});
