/**
 * The calendar periods retention rules group snapshots by, all in UTC. Each returns a label
 * that is equal for two dates exactly when they fall in the same period; labels also appear
 * in keep reasons ("daily 2026-11-25").
 */

const DAY_MS = 86_400_000;

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** `2026-11-25T14`: the UTC hour. */
export function hourPeriod(date: Date): string {
  return `${dayPeriod(date)}T${pad(date.getUTCHours())}`;
}

/** `2026-11-25`: the UTC day. */
export function dayPeriod(date: Date): string {
  return `${monthPeriod(date)}-${pad(date.getUTCDate())}`;
}

/**
 * The ISO 8601 week of a UTC date: weeks start on Monday and belong to the year their
 * Thursday falls in, so 2027-01-01 (a Friday) is in 2026-W53 and 2025-12-29 in 2026-W01.
 */
export function isoWeek(date: Date): { year: number; week: number } {
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
  const mondayBased = (date.getUTCDay() + 6) % 7; // Monday 0 ... Sunday 6
  const thursday = new Date(midnight + (3 - mondayBased) * DAY_MS);
  const year = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / (7 * DAY_MS)) + 1;
  return { year, week };
}

/** `2026-W48`: the ISO week (see isoWeek). */
export function weekPeriod(date: Date): string {
  const { year, week } = isoWeek(date);
  return `${pad(year, 4)}-W${pad(week)}`;
}

/** `2026-11`: the UTC month. */
export function monthPeriod(date: Date): string {
  return `${yearPeriod(date)}-${pad(date.getUTCMonth() + 1)}`;
}

/** `2026`: the UTC year. */
export function yearPeriod(date: Date): string {
  return pad(date.getUTCFullYear(), 4);
}
