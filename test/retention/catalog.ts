import { SnapshotForRetention } from '../../lambdas/retention';

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const START = Date.UTC(2025, 0, 1, 2, 0, 0);
const STEP_MS = 6 * HOUR_MS;
const SLOTS = 2 * 365 * 4;

/** Stretches with no snapshots: two weeks, the whole of August 2025, New Year 2026, one day. */
const GAPS: ReadonlyArray<[string, string]> = [
  ['2025-03-10T00:00:00Z', '2025-03-24T00:00:00Z'],
  ['2025-08-01T00:00:00Z', '2025-09-01T00:00:00Z'],
  ['2025-12-31T12:00:00Z', '2026-01-02T00:00:00Z'],
  ['2026-06-15T00:00:00Z', '2026-06-16T00:00:00Z'],
];

export interface Catalog {
  snapshots: SnapshotForRetention[];
  now: Date;
}

/**
 * A synthetic catalog: a snapshot every 6 hours (with up to 49 minutes of jitter) from
 * 2025-01-01 to the end of 2026, minus the gaps and every 13th slot; every 7th unverified
 * and so are the 5 newest; a few pairs taken at the same instant; a few under Object Lock
 * (some locks already expired). Ids are deliberately not in time order.
 */
export function syntheticCatalog(): Catalog {
  const gaps = GAPS.map(([from, to]) => [Date.parse(from), Date.parse(to)]);
  const snapshots: SnapshotForRetention[] = [];
  let last = 0;
  for (let i = 0; i < SLOTS; i++) {
    const t = START + i * STEP_MS + ((i * 37) % 50) * 60_000;
    if (i % 13 === 5 || gaps.some(([from, to]) => t >= from && t < to)) continue;
    const id = `s${String((i * 7919) % 100_000).padStart(5, '0')}`;
    snapshots.push({ id, takenAt: new Date(t), verified: i % 7 !== 3 });
    if (i % 211 === 0) snapshots.push({ id: `${id}-twin`, takenAt: new Date(t), verified: false });
    last = t;
  }
  const now = new Date(last + 3 * HOUR_MS);
  for (const s of snapshots.slice(-5)) s.verified = false;
  snapshots.forEach((s, i) => {
    if (i % 97 === 0) s.retainedUntil = new Date(now.getTime() + (i % 5) * DAY_MS + 1);
    else if (i % 89 === 0) s.retainedUntil = new Date(now.getTime() - i * HOUR_MS);
    else if (i % 2 === 0) s.retainedUntil = null;
  });
  return { snapshots, now };
}

/** A seeded shuffle (a small LCG), so input order can be varied reproducibly. */
export function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i--) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}
