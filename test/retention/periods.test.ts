import { dayPeriod, hourPeriod, isoWeek, monthPeriod, weekPeriod, yearPeriod } from '../../lambdas/retention';

const DAY_MS = 86_400_000;

describe('periods', () => {
  it('labels UTC hours, days, months and years', () => {
    const t = new Date('2026-11-25T14:59:59.999Z');
    expect(hourPeriod(t)).toBe('2026-11-25T14');
    expect(dayPeriod(t)).toBe('2026-11-25');
    expect(monthPeriod(t)).toBe('2026-11');
    expect(yearPeriod(t)).toBe('2026');
    expect(hourPeriod(new Date('2026-11-25T15:00:00.000Z'))).toBe('2026-11-25T15');
  });

  it('ignores the local time zone: periods are UTC', () => {
    // 23:30 on Dec 31 UTC is already next year east of UTC, still this year in UTC.
    const t = new Date('2026-12-31T23:30:00Z');
    expect(dayPeriod(t)).toBe('2026-12-31');
    expect(yearPeriod(t)).toBe('2026');
  });

  it.each([
    ['2026-11-25', '2026-W48'],
    ['2025-12-29', '2026-W01'], // Monday of 2026's first week, still in 2025
    ['2026-01-01', '2026-W01'],
    ['2026-12-27', '2026-W52'], // Sunday
    ['2026-12-28', '2026-W53'], // Monday
    ['2026-12-31', '2026-W53'],
    ['2027-01-01', '2026-W53'],
    ['2027-01-03', '2026-W53'], // Sunday
    ['2027-01-04', '2027-W01'], // Monday
    ['2020-12-31', '2020-W53'],
    ['2021-01-03', '2020-W53'],
    ['2021-01-04', '2021-W01'],
    ['2024-12-30', '2025-W01'],
    ['2018-12-31', '2019-W01'],
    ['2016-01-03', '2015-W53'],
    ['2024-02-29', '2024-W09'],
  ])('ISO week of %s is %s', (day, label) => {
    expect(weekPeriod(new Date(`${day}T00:00:00Z`))).toBe(label);
    expect(weekPeriod(new Date(`${day}T23:59:59.999Z`))).toBe(label);
  });

  it('ISO weeks agree with a Monday-to-Sunday walk over 2000-2040', () => {
    // Independent rule: a week is the seven days from a Monday; its year is its Thursday's year;
    // weeks are numbered 1, 2, ... within that year.
    let t = Date.UTC(2000, 0, 3); // a Monday (2000-W01)
    let expectedYear = 2000;
    let expectedWeek = 1;
    while (t < Date.UTC(2041, 0, 1)) {
      const thursdayYear = new Date(t + 3 * DAY_MS).getUTCFullYear();
      if (thursdayYear !== expectedYear) {
        expect(thursdayYear).toBe(expectedYear + 1);
        expectedYear = thursdayYear;
        expectedWeek = 1;
      }
      for (let d = 0; d < 7; d++) {
        expect(isoWeek(new Date(t + d * DAY_MS + 12 * 3_600_000))).toEqual({ year: expectedYear, week: expectedWeek });
      }
      expect(expectedWeek).toBeLessThanOrEqual(53);
      t += 7 * DAY_MS;
      expectedWeek++;
    }
  });
});
