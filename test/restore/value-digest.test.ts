import { valueDigest } from '../../lambdas/restore/value-digest';
import { RedisValue } from '../../lambdas/rdb/value';

const b = (s: string): Buffer => Buffer.from(s);

describe('valueDigest (the restore sample check)', () => {
  test('sets, hashes and sorted sets compare whatever their order', () => {
    const set1: RedisValue = { type: 'set', members: [b('a'), b('b'), b('c')] };
    const set2: RedisValue = { type: 'set', members: [b('c'), b('a'), b('b')] };
    expect(valueDigest(set1, true)).toBe(valueDigest(set2, true));
    const h1: RedisValue = { type: 'hash', fields: [{ field: b('f1'), value: b('v1'), expireAtMs: null }, { field: b('f2'), value: b('v2'), expireAtMs: 5 }] };
    const h2: RedisValue = { type: 'hash', fields: [{ field: b('f2'), value: b('v2'), expireAtMs: 5 }, { field: b('f1'), value: b('v1'), expireAtMs: null }] };
    expect(valueDigest(h1, true)).toBe(valueDigest(h2, true));
    const z1: RedisValue = { type: 'zset', entries: [{ member: b('m'), score: 1.5 }, { member: b('n'), score: -2 }] };
    const z2: RedisValue = { type: 'zset', entries: [{ member: b('n'), score: -2 }, { member: b('m'), score: 1.5 }] };
    expect(valueDigest(z1, true)).toBe(valueDigest(z2, true));
  });

  test('a changed element, a swapped field and value, a changed score or list order are told apart', () => {
    const base: RedisValue = { type: 'hash', fields: [{ field: b('f'), value: b('v'), expireAtMs: null }] };
    expect(valueDigest(base, true)).not.toBe(valueDigest({ type: 'hash', fields: [{ field: b('v'), value: b('f'), expireAtMs: null }] }, true));
    expect(valueDigest(base, true)).not.toBe(valueDigest({ type: 'hash', fields: [{ field: b('f'), value: b('w'), expireAtMs: null }] }, true));
    expect(valueDigest({ type: 'set', members: [b('a'), b('b')] }, true)).not.toBe(valueDigest({ type: 'set', members: [b('a'), b('c')] }, true));
    expect(valueDigest({ type: 'set', members: [b('a')] }, true)).not.toBe(valueDigest({ type: 'set', members: [b('a'), b('a')] }, true));
    expect(valueDigest({ type: 'zset', entries: [{ member: b('m'), score: 1 }] }, true)).not.toBe(valueDigest({ type: 'zset', entries: [{ member: b('m'), score: 2 }] }, true));
    expect(valueDigest({ type: 'list', items: [b('a'), b('b')] }, true)).not.toBe(valueDigest({ type: 'list', items: [b('b'), b('a')] }, true));
    expect(valueDigest({ type: 'list', items: [b('ab')] }, true)).not.toBe(valueDigest({ type: 'list', items: [b('a'), b('b')] }, true));
    expect(valueDigest({ type: 'string', value: b('x') }, true)).not.toBe(valueDigest({ type: 'list', items: [b('x')] }, true));
  });

  test('hash field expiry counts only when asked', () => {
    const a: RedisValue = { type: 'hash', fields: [{ field: b('f'), value: b('v'), expireAtMs: 1000 }] };
    const c: RedisValue = { type: 'hash', fields: [{ field: b('f'), value: b('v'), expireAtMs: null }] };
    expect(valueDigest(a, true)).not.toBe(valueDigest(c, true));
    expect(valueDigest(a, false)).toBe(valueDigest(c, false));
  });
});
