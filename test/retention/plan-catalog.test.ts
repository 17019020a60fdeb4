import { parseRetentionPolicy, planRetention, RetentionPlan, RetentionPolicy } from '../../lambdas/retention';
import { DAY_MS, shuffled, syntheticCatalog } from './catalog';
import { expectedPlan } from './reference';

/** Two years of snapshots every 6 hours, with gaps, unverified ones, twins and Object Lock. */
const { snapshots, now } = syntheticCatalog();

function lines(plan: RetentionPlan): { keep: string[]; remove: string[] } {
  return { keep: plan.keep.map((k) => `${k.id}: ${k.reasons.join(', ')}`), remove: plan.remove.map((r) => r.id) };
}

function reasonCount(plan: RetentionPlan, prefix: string): number {
  return plan.keep.filter((k) => k.reasons.some((r) => r.startsWith(prefix))).length;
}

const POLICIES: ReadonlyArray<[string, RetentionPolicy]> = [
  ['keepLast only', { keepLast: 10 }],
  ['hourly', { hourly: 48 }],
  ['daily', { daily: 14 }],
  ['weekly', { weekly: 8 }],
  ['monthly', { monthly: 12 }],
  ['yearly', { yearly: 3 }],
  ['full GFS with min age', parseRetentionPolicy('last=7,daily=14,weekly=8,monthly=12,yearly=3,min-age-days=1')],
  ['long daily and weekly spanning the gaps', { daily: 400, weekly: 60 }],
  ['more periods than exist', { monthly: 100, yearly: 100 }],
  ['keep everything', { keepLast: 5000 }],
  ['hourly, weekly and a long min age', { hourly: 6, weekly: 2, minAgeDays: 30 }],
  ['weekly over the 2026-W53 year boundary', { weekly: 3, yearly: 1 }],
];

describe('planRetention on a two-year synthetic catalog', () => {
  it('has the shape the table relies on', () => {
    expect(snapshots.length).toBeGreaterThan(2500);
    const span = snapshots[snapshots.length - 1].takenAt.getTime() - snapshots[0].takenAt.getTime();
    expect(span).toBeGreaterThan(725 * DAY_MS);
    expect(snapshots.slice(-5).every((s) => !s.verified)).toBe(true);
    expect(snapshots.some((s) => s.retainedUntil && s.retainedUntil > now)).toBe(true);
    expect(snapshots.some((s) => s.retainedUntil && s.retainedUntil <= now)).toBe(true);
    expect(snapshots.some((s) => s.takenAt.toISOString().startsWith('2025-08'))).toBe(false);
    expect(snapshots.some((s) => s.id.endsWith('-twin'))).toBe(true);
  });

  it.each(POLICIES)('%s: keeps exactly what the rules say', (_name, policy) => {
    const plan = planRetention(snapshots, policy, now);
    const expected = expectedPlan(snapshots, policy, now);
    expect(lines(plan)).toEqual(expected);
    expect(plan.keep.length + plan.remove.length).toBe(snapshots.length);
  });

  it.each(POLICIES)('%s: does not depend on the input order', (_name, policy) => {
    const plan = planRetention(snapshots, policy, now);
    expect(planRetention(shuffled(snapshots, 7), policy, now)).toEqual(plan);
    expect(planRetention([...snapshots].reverse(), policy, now)).toEqual(plan);
  });

  it('lists both sides newest first', () => {
    const plan = planRetention(snapshots, { daily: 30, monthly: 6 }, now);
    for (const list of [plan.keep, plan.remove]) {
      for (let i = 1; i < list.length; i++) expect(list[i - 1].takenAt.getTime()).toBeGreaterThanOrEqual(list[i].takenAt.getTime());
    }
  });

  it('counts periods with snapshots: 23 months (August 2025 is empty) and 2 years', () => {
    const plan = planRetention(snapshots, { monthly: 100, yearly: 100 }, now);
    expect(reasonCount(plan, 'monthly ')).toBe(23);
    expect(reasonCount(plan, 'yearly ')).toBe(2);
    expect(plan.keep.flatMap((k) => k.reasons).filter((r) => r.startsWith('monthly 2025-08'))).toEqual([]);
  });

  it('keeps the newest verified snapshot past the five unverified newest ones', () => {
    const plan = planRetention(snapshots, { keepLast: 1 }, now);
    const newestVerified = plan.keep.filter((k) => k.reasons.includes('newest verified'));
    expect(newestVerified).toHaveLength(1);
    const sorted = [...snapshots].sort((a, b) => b.takenAt.getTime() - a.takenAt.getTime());
    expect(newestVerified[0].id).toBe(sorted.find((s) => s.verified)?.id);
    expect(newestVerified[0].reasons).toEqual(['newest verified']);
  });

  it('weekly ends in 2026-W53, which runs into 2027', () => {
    const plan = planRetention(snapshots, { weekly: 2 }, now);
    expect(plan.keep.flatMap((k) => k.reasons).filter((r) => r.startsWith('weekly'))).toEqual(['weekly 2026-W53', 'weekly 2026-W52']);
  });
});
