import { RetentionPolicy, SnapshotForRetention } from '../../lambdas/retention';
import { DAY_MS, HOUR_MS } from './catalog';

/**
 * An independent, deliberately naive model of the retention rules, used to check planRetention:
 * it groups all snapshots into periods by plain arithmetic on epoch milliseconds, picks each
 * group's newest member, and keeps the groups with the N newest winners. Labels are built from
 * ISO strings and, for ISO weeks, from the Monday of the week holding January 4th.
 */

/** Days since 1970-01-01 (a Thursday); 1970-01-05 (day 4) was a Monday. */
function dayIndex(t: number): number {
  return Math.floor(t / DAY_MS);
}

function mondayOf(day: number): number {
  return day - ((((day - 4) % 7) + 7) % 7);
}

function isoWeekLabel(t: number): string {
  const monday = mondayOf(dayIndex(t));
  const thursdayYear = new Date((monday + 3) * DAY_MS).getUTCFullYear();
  const firstMonday = mondayOf(dayIndex(Date.UTC(thursdayYear, 0, 4)));
  const week = (monday - firstMonday) / 7 + 1;
  return `${thursdayYear}-W${String(week).padStart(2, '0')}`;
}

interface Grouping {
  field: 'hourly' | 'daily' | 'weekly' | 'monthly' | 'yearly';
  group: (t: number) => number;
  label: (t: number) => string;
}

const GROUPINGS: readonly Grouping[] = [
  { field: 'hourly', group: (t) => Math.floor(t / HOUR_MS), label: (t) => new Date(t).toISOString().slice(0, 13) },
  { field: 'daily', group: (t) => dayIndex(t), label: (t) => new Date(t).toISOString().slice(0, 10) },
  { field: 'weekly', group: (t) => Math.floor((dayIndex(t) - 4) / 7), label: isoWeekLabel },
  {
    field: 'monthly',
    group: (t) => new Date(t).getUTCFullYear() * 12 + new Date(t).getUTCMonth(),
    label: (t) => new Date(t).toISOString().slice(0, 7),
  },
  { field: 'yearly', group: (t) => new Date(t).getUTCFullYear(), label: (t) => new Date(t).toISOString().slice(0, 4) },
];

function isNewer(a: SnapshotForRetention, b: SnapshotForRetention): boolean {
  const ta = a.takenAt.getTime();
  const tb = b.takenAt.getTime();
  return ta > tb || (ta === tb && a.id < b.id);
}

function newestOf(group: readonly SnapshotForRetention[]): SnapshotForRetention {
  return group.reduce((best, s) => (isNewer(s, best) ? s : best));
}

/** The `count` newest snapshots: repeatedly pull out the newest remaining one. */
function newestN(snapshots: readonly SnapshotForRetention[], count: number): SnapshotForRetention[] {
  const rest = [...snapshots];
  const out: SnapshotForRetention[] = [];
  while (out.length < count && rest.length > 0) {
    const best = newestOf(rest);
    out.push(best);
    rest.splice(rest.indexOf(best), 1);
  }
  return out;
}

export interface ExpectedPlan {
  /** `id: reason, reason` lines for the kept snapshots, newest first. */
  keep: string[];
  /** Removed ids, newest first. */
  remove: string[];
}

export function expectedPlan(snapshots: readonly SnapshotForRetention[], policy: RetentionPolicy, now: Date): ExpectedPlan {
  const reasons = new Map<string, string[]>(snapshots.map((s) => [s.id, []]));
  const add = (s: SnapshotForRetention, reason: string): void => {
    reasons.get(s.id)?.push(reason);
  };

  if (policy.keepLast) for (const s of newestN(snapshots, policy.keepLast)) add(s, `last ${policy.keepLast}`);

  for (const { field, group, label } of GROUPINGS) {
    const count = policy[field] ?? 0;
    if (count === 0) continue;
    const groups = new Map<number, SnapshotForRetention[]>();
    for (const s of snapshots) {
      const key = group(s.takenAt.getTime());
      const members = groups.get(key);
      if (members) members.push(s);
      else groups.set(key, [s]);
    }
    const winners = [...groups.values()].map(newestOf);
    for (const s of newestN(winners, count)) add(s, `${field} ${label(s.takenAt.getTime())}`);
  }

  if (policy.minAgeDays) {
    for (const s of snapshots) {
      const ageMs = now.getTime() - s.takenAt.getTime();
      if (ageMs < policy.minAgeDays * DAY_MS) add(s, `younger than ${policy.minAgeDays} ${policy.minAgeDays === 1 ? 'day' : 'days'}`);
    }
  }

  const verified = snapshots.filter((s) => s.verified);
  if (verified.length > 0) add(newestOf(verified), 'newest verified');

  for (const s of snapshots) {
    if (s.retainedUntil && s.retainedUntil > now) add(s, `object lock until ${s.retainedUntil.toISOString()}`);
  }

  const all = newestN(snapshots, snapshots.length);
  return {
    keep: all.filter((s) => (reasons.get(s.id) ?? []).length > 0).map((s) => `${s.id}: ${(reasons.get(s.id) ?? []).join(', ')}`),
    remove: all.filter((s) => (reasons.get(s.id) ?? []).length === 0).map((s) => s.id),
  };
}
