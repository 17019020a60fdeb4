import { assertValidDate } from './dates';
import { invalidInput } from './errors';
import { dayPeriod, hourPeriod, monthPeriod, weekPeriod, yearPeriod } from './periods';
import { RetentionPolicy, validateRetentionPolicy } from './policy';

/** What retention needs to know about one committed snapshot. */
export interface SnapshotForRetention {
  id: string;
  takenAt: Date;
  /** The snapshot's RDB passed verification. */
  verified: boolean;
  /** Object Lock retain-until date of its objects (S3), if any. */
  retainedUntil?: Date | null;
}

export interface KeptSnapshot {
  id: string;
  takenAt: Date;
  /** Every rule that keeps it, in rule order, e.g. ["last 3", "daily 2026-11-25", "weekly 2026-W48"]. */
  reasons: string[];
}

export interface RemovedSnapshot {
  id: string;
  takenAt: Date;
}

/** Every snapshot given lands in exactly one list; both are newest first. */
export interface RetentionPlan {
  keep: KeptSnapshot[];
  remove: RemovedSnapshot[];
}

const DAY_MS = 86_400_000;

/** The period rules in the order their reasons are listed. */
const PERIOD_RULES: ReadonlyArray<{ field: keyof RetentionPolicy; name: string; period: (date: Date) => string }> = [
  { field: 'hourly', name: 'hourly', period: hourPeriod },
  { field: 'daily', name: 'daily', period: dayPeriod },
  { field: 'weekly', name: 'weekly', period: weekPeriod },
  { field: 'monthly', name: 'monthly', period: monthPeriod },
  { field: 'yearly', name: 'yearly', period: yearPeriod },
];

/** Newest first; equal times by id, so the order never depends on the input's. */
function newestFirst(a: SnapshotForRetention, b: SnapshotForRetention): number {
  const dt = b.takenAt.getTime() - a.takenAt.getTime();
  if (dt !== 0) return dt;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function checkSnapshots(snapshots: readonly SnapshotForRetention[]): void {
  const seen = new Set<string>();
  snapshots.forEach((s, i) => {
    if (typeof s.id !== 'string' || s.id === '') throw invalidInput(`snapshot ${i} has no id`, 'id');
    if (seen.has(s.id)) throw invalidInput(`snapshot ${s.id} is listed more than once`, 'id');
    seen.add(s.id);
    assertValidDate(s.takenAt, `takenAt of snapshot ${s.id}`);
    if (s.retainedUntil !== undefined && s.retainedUntil !== null) {
      assertValidDate(s.retainedUntil, `retainedUntil of snapshot ${s.id}`);
    }
  });
}

/**
 * Decides which snapshots a policy keeps (pure: no I/O, `now` is the only clock).
 *
 * Snapshots are walked newest first (equal times ordered by id). A snapshot is kept when
 * - keepLast N: it is one of the N newest ("last N");
 * - hourly/daily/weekly/monthly/yearly N: it is the newest snapshot of its period and that
 *   period is one of the N newest periods having a snapshot ("daily 2026-11-25", "weekly 2026-W48");
 * - minAgeDays N: it was taken less than N×24 h before `now`, or after it ("younger than N days");
 * - it is the newest verified snapshot ("newest verified"), whatever the policy;
 * - Object Lock retains it past `now` ("object lock until <ISO date>"): deleting it would fail anyway.
 * Everything else is removed. The policy is validated first (RetentionError on a bad one).
 */
export function planRetention(snapshots: readonly SnapshotForRetention[], policyInput: RetentionPolicy, now: Date): RetentionPlan {
  const policy = validateRetentionPolicy(policyInput);
  assertValidDate(now, 'now');
  checkSnapshots(snapshots);

  const sorted = [...snapshots].sort(newestFirst);
  const reasons: string[][] = sorted.map(() => []);

  const keepLast = policy.keepLast ?? 0;
  for (let i = 0; i < Math.min(keepLast, sorted.length); i++) reasons[i].push(`last ${keepLast}`);

  for (const rule of PERIOD_RULES) {
    const count = policy[rule.field] ?? 0;
    const kept = new Set<string>();
    for (let i = 0; i < sorted.length && kept.size < count; i++) {
      const period = rule.period(sorted[i].takenAt);
      if (kept.has(period)) continue;
      kept.add(period);
      reasons[i].push(`${rule.name} ${period}`);
    }
  }

  const minAgeDays = policy.minAgeDays ?? 0;
  if (minAgeDays > 0) {
    const cutoff = now.getTime() - minAgeDays * DAY_MS;
    const label = `younger than ${minAgeDays} ${minAgeDays === 1 ? 'day' : 'days'}`;
    sorted.forEach((s, i) => {
      if (s.takenAt.getTime() > cutoff) reasons[i].push(label);
    });
  }

  const newestVerified = sorted.findIndex((s) => s.verified);
  if (newestVerified >= 0) reasons[newestVerified].push('newest verified');

  sorted.forEach((s, i) => {
    if (s.retainedUntil && s.retainedUntil.getTime() > now.getTime()) {
      reasons[i].push(`object lock until ${s.retainedUntil.toISOString()}`);
    }
  });

  const plan: RetentionPlan = { keep: [], remove: [] };
  sorted.forEach((s, i) => {
    if (reasons[i].length > 0) plan.keep.push({ id: s.id, takenAt: s.takenAt, reasons: reasons[i] });
    else plan.remove.push({ id: s.id, takenAt: s.takenAt });
  });
  return plan;
}
