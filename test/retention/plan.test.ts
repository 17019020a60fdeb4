import { planRetention, RetentionPlan, RetentionPolicy, SnapshotForRetention } from '../../lambdas/retention';
import { retentionError } from './errors';

const HOUR_MS = 3_600_000;

function snap(id: string, takenAt: string, verified = true, retainedUntil?: string | null): SnapshotForRetention {
  return {
    id,
    takenAt: new Date(takenAt),
    verified,
    ...(retainedUntil === undefined ? {} : { retainedUntil: retainedUntil === null ? null : new Date(retainedUntil) }),
  };
}

/** The plan as `id: reasons` lines and the removed ids, newest first. */
function summary(plan: RetentionPlan): { keep: string[]; remove: string[] } {
  return { keep: plan.keep.map((k) => `${k.id}: ${k.reasons.join(', ')}`), remove: plan.remove.map((r) => r.id) };
}

function run(snapshots: SnapshotForRetention[], policy: RetentionPolicy, now: string): { keep: string[]; remove: string[] } {
  return summary(planRetention(snapshots, policy, new Date(now)));
}

describe('planRetention: keepLast', () => {
  const snapshots = [
    snap('c', '2026-11-03T00:00:00Z'),
    snap('a', '2026-11-01T00:00:00Z'),
    snap('e', '2026-11-05T00:00:00Z'),
    snap('b', '2026-11-02T00:00:00Z'),
    snap('d', '2026-11-04T00:00:00Z'),
  ];

  it('keeps the N newest, whatever the input order, and lists both sides newest first', () => {
    const plan = planRetention(snapshots, { keepLast: 3 }, new Date('2026-11-06T00:00:00Z'));
    expect(summary(plan)).toEqual({ keep: ['e: last 3, newest verified', 'd: last 3', 'c: last 3'], remove: ['b', 'a'] });
    expect(plan.remove).toEqual([
      { id: 'b', takenAt: new Date('2026-11-02T00:00:00Z') },
      { id: 'a', takenAt: new Date('2026-11-01T00:00:00Z') },
    ]);
    expect(plan.keep.map((k) => k.takenAt.toISOString().slice(0, 10))).toEqual(['2026-11-05', '2026-11-04', '2026-11-03']);
  });

  it('keeps everything when N exceeds the count', () => {
    expect(run(snapshots, { keepLast: 50 }, '2026-11-06T00:00:00Z').remove).toEqual([]);
  });

  it('orders equal times by id, independent of input order', () => {
    const tied = [snap('y', '2026-11-01T00:00:00Z'), snap('x', '2026-11-01T00:00:00Z'), snap('z', '2026-11-01T00:00:00Z')];
    const now = '2026-11-02T00:00:00Z';
    expect(run(tied, { keepLast: 1 }, now)).toEqual({ keep: ['x: last 1, newest verified'], remove: ['y', 'z'] });
    expect(run([...tied].reverse(), { keepLast: 1 }, now)).toEqual({ keep: ['x: last 1, newest verified'], remove: ['y', 'z'] });
  });

  it('does not modify its input', () => {
    const input = [...snapshots];
    planRetention(input, { keepLast: 1 }, new Date('2026-11-06T00:00:00Z'));
    expect(input).toEqual(snapshots);
    expect(input.map((s) => s.id)).toEqual(['c', 'a', 'e', 'b', 'd']);
  });

  it('returns an empty plan for no snapshots', () => {
    expect(planRetention([], { daily: 7 }, new Date())).toEqual({ keep: [], remove: [] });
  });
});

describe('planRetention: periods', () => {
  it('hourly keeps the newest snapshot of each UTC hour', () => {
    const snapshots = [
      snap('h1', '2026-11-25T14:59:59.999Z'),
      snap('h2', '2026-11-25T14:00:00.000Z'),
      snap('h3', '2026-11-25T13:30:00Z'),
      snap('h4', '2026-11-25T11:10:00Z'),
      snap('h5', '2026-11-25T11:05:00Z'),
      snap('h6', '2026-11-25T09:00:00Z'),
    ];
    expect(run(snapshots, { hourly: 3 }, '2026-11-25T15:00:00Z')).toEqual({
      keep: ['h1: hourly 2026-11-25T14, newest verified', 'h3: hourly 2026-11-25T13', 'h4: hourly 2026-11-25T11'],
      remove: ['h2', 'h5', 'h6'],
    });
  });

  it('daily and monthly across a month boundary', () => {
    const snapshots = [
      snap('nov1-noon', '2026-11-01T12:00:00Z'),
      snap('nov1-midnight', '2026-11-01T00:00:00Z'),
      snap('oct31-last', '2026-10-31T23:59:59.999Z'),
      snap('oct31-morning', '2026-10-31T06:00:00Z'),
      snap('oct30', '2026-10-30T08:00:00Z'),
      snap('oct29', '2026-10-29T08:00:00Z'),
    ];
    const now = '2026-11-02T00:00:00Z';
    expect(run(snapshots, { daily: 3 }, now)).toEqual({
      keep: ['nov1-noon: daily 2026-11-01, newest verified', 'oct31-last: daily 2026-10-31', 'oct30: daily 2026-10-30'],
      remove: ['nov1-midnight', 'oct31-morning', 'oct29'],
    });
    expect(run(snapshots, { daily: 2, monthly: 2 }, now)).toEqual({
      keep: ['nov1-noon: daily 2026-11-01, monthly 2026-11, newest verified', 'oct31-last: daily 2026-10-31, monthly 2026-10'],
      remove: ['nov1-midnight', 'oct31-morning', 'oct30', 'oct29'],
    });
  });

  it('counts periods that have snapshots, skipping empty ones (gaps)', () => {
    const snapshots = [snap('d20', '2026-11-20T10:00:00Z'), snap('d10', '2026-11-10T10:00:00Z'), snap('d01', '2026-11-01T10:00:00Z')];
    expect(run(snapshots, { daily: 2 }, '2026-11-21T00:00:00Z')).toEqual({
      keep: ['d20: daily 2026-11-20, newest verified', 'd10: daily 2026-11-10'],
      remove: ['d01'],
    });
  });

  it('ISO weeks across a year boundary: 2026-12-28 to 2027-01-03 is 2026-W53', () => {
    const snapshots = [
      snap('jan04', '2027-01-04T01:00:00Z'), // Monday, 2027-W01
      snap('jan03', '2027-01-03T23:00:00Z'), // Sunday, 2026-W53
      snap('jan01', '2027-01-01T12:00:00Z'), // Friday, 2026-W53
      snap('dec31', '2026-12-31T12:00:00Z'), // Thursday, 2026-W53
      snap('dec28', '2026-12-28T00:00:00Z'), // Monday, 2026-W53
      snap('dec27', '2026-12-27T23:59:59Z'), // Sunday, 2026-W52
      snap('dec21', '2026-12-21T00:00:00Z'), // Monday, 2026-W52
      snap('dec20', '2026-12-20T00:00:00Z'), // Sunday, 2026-W51
    ];
    const now = '2027-01-05T00:00:00Z';
    expect(run(snapshots, { weekly: 3 }, now)).toEqual({
      keep: ['jan04: weekly 2027-W01, newest verified', 'jan03: weekly 2026-W53', 'dec27: weekly 2026-W52'],
      remove: ['jan01', 'dec31', 'dec28', 'dec21', 'dec20'],
    });
    // Years and ISO week-years differ: yearly keeps the last snapshot of calendar 2026.
    expect(run(snapshots, { yearly: 2 }, now)).toEqual({
      keep: ['jan04: yearly 2027, newest verified', 'dec31: yearly 2026'],
      remove: ['jan03', 'jan01', 'dec28', 'dec27', 'dec21', 'dec20'],
    });
  });

  it('lists every reason, in rule order', () => {
    const snapshots = [snap('new', '2026-11-25T10:00:00Z', true, '2027-01-01T00:00:00Z'), snap('old', '2026-11-24T10:00:00Z')];
    expect(
      run(snapshots, { keepLast: 1, hourly: 1, daily: 1, weekly: 1, monthly: 1, yearly: 1, minAgeDays: 1 }, '2026-11-25T12:00:00Z'),
    ).toEqual({
      keep: [
        'new: last 1, hourly 2026-11-25T10, daily 2026-11-25, weekly 2026-W48, monthly 2026-11, yearly 2026, younger than 1 day, ' +
          'newest verified, object lock until 2027-01-01T00:00:00.000Z',
      ],
      remove: ['old'],
    });
  });
});

describe('planRetention: protections', () => {
  const now = '2026-11-25T12:00:00Z';
  const at = (hoursAgo: number): string => new Date(Date.parse(now) - hoursAgo * HOUR_MS).toISOString();

  it('minAgeDays keeps everything younger than N days, including snapshots dated after now', () => {
    const snapshots = [
      snap('future', at(-1)),
      snap('1h', at(1)),
      snap('23h59', new Date(Date.parse(now) - 24 * HOUR_MS + 1).toISOString()),
      snap('24h', at(24)),
      snap('3d', at(72)),
    ];
    expect(run(snapshots, { keepLast: 1, minAgeDays: 1 }, now)).toEqual({
      keep: ['future: last 1, younger than 1 day, newest verified', '1h: younger than 1 day', '23h59: younger than 1 day'],
      remove: ['24h', '3d'],
    });
    expect(run(snapshots, { keepLast: 1, minAgeDays: 3 }, now).keep).toEqual([
      'future: last 1, younger than 3 days, newest verified',
      '1h: younger than 3 days',
      '23h59: younger than 3 days',
      '24h: younger than 3 days',
    ]);
    expect(run(snapshots, { keepLast: 1, minAgeDays: 0 }, now).remove).toEqual(['1h', '23h59', '24h', '3d']);
  });

  it('always keeps the newest verified snapshot, even when the newest ones are unverified', () => {
    const snapshots = [
      snap('u1', at(1), false),
      snap('u2', at(2), false),
      snap('u3', at(3), false),
      snap('v4', at(4), true),
      snap('v5', at(5), true),
      snap('u6', at(6), false),
    ];
    expect(run(snapshots, { keepLast: 2 }, now)).toEqual({
      keep: ['u1: last 2', 'u2: last 2', 'v4: newest verified'],
      remove: ['u3', 'v5', 'u6'],
    });
    expect(run(snapshots, { keepLast: 5 }, now).keep).toContain('v4: last 5, newest verified');
  });

  it('keeps no extra snapshot when none is verified', () => {
    const snapshots = [snap('u1', at(1), false), snap('u2', at(2), false)];
    expect(run(snapshots, { keepLast: 1 }, now)).toEqual({ keep: ['u1: last 1'], remove: ['u2'] });
  });

  it('never removes a snapshot under Object Lock retention', () => {
    const snapshots = [
      snap('newest', at(1)),
      snap('locked', at(2), true, '2026-12-01T00:00:00Z'),
      snap('lock-ends-now', at(3), true, now),
      snap('lock-ended', at(4), true, '2026-11-01T00:00:00Z'),
      snap('no-lock', at(5), true, null),
      snap('locked-old', at(5000), false, '2030-01-01T00:00:00.000Z'),
    ];
    expect(run(snapshots, { keepLast: 1 }, now)).toEqual({
      keep: [
        'newest: last 1, newest verified',
        'locked: object lock until 2026-12-01T00:00:00.000Z',
        'locked-old: object lock until 2030-01-01T00:00:00.000Z',
      ],
      remove: ['lock-ends-now', 'lock-ended', 'no-lock'],
    });
  });
});

describe('planRetention: input checks', () => {
  const now = new Date('2026-11-25T12:00:00Z');

  it('validates the policy', () => {
    const err = retentionError(() => planRetention([], { daily: -1 }, now));
    expect(err.code).toBe('RETENTION_INVALID_POLICY');
    expect(err.field).toBe('daily');
    expect(retentionError(() => planRetention([], {}, now)).code).toBe('RETENTION_INVALID_POLICY');
  });

  it('rejects duplicate ids, missing ids and invalid dates', () => {
    const twice = [snap('a', '2026-11-01T00:00:00Z'), snap('a', '2026-11-02T00:00:00Z')];
    const dup = retentionError(() => planRetention(twice, { daily: 1 }, now));
    expect(dup.code).toBe('RETENTION_INVALID_INPUT');
    expect(dup.message).toMatch(/snapshot a is listed more than once/);

    expect(retentionError(() => planRetention([snap('', '2026-11-01T00:00:00Z')], { daily: 1 }, now)).message).toMatch(/has no id/);

    const badDate = retentionError(() => planRetention([snap('a', 'not a date')], { daily: 1 }, now));
    expect(badDate.code).toBe('RETENTION_INVALID_INPUT');
    expect(badDate.message).toMatch(/takenAt of snapshot a must be a valid Date/);

    const badLock = retentionError(() => planRetention([snap('a', '2026-11-01T00:00:00Z', true, 'soon')], { daily: 1 }, now));
    expect(badLock.message).toMatch(/retainedUntil of snapshot a/);

    expect(retentionError(() => planRetention([], { daily: 1 }, new Date(Number.NaN))).field).toBe('now');
  });
});
