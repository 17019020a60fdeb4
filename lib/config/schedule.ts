/**
 * EventBridge Scheduler expressions: syntax checks and the longest interval between two runs,
 * which sets the freshness alarm's threshold (2x the interval). Pure functions.
 *
 * rate(value unit): unit minute|minutes|hour|hours|day|days (singular only for 1).
 * cron(minutes hours day-of-month month day-of-week year): numbers, ranges (a-b), lists (a,b),
 * steps (* /n, a/n, a-b/n), '*' and '?'; months JAN-DEC, weekdays SUN-SAT (SUN=1 .. SAT=7);
 * one of day-of-month and day-of-week must be '?'. The L, W and # forms are valid AWS syntax but
 * their interval is not derived here: such a source needs `maxAgeMinutes`.
 */

export class ScheduleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScheduleError';
  }
}

export interface ParsedSchedule {
  kind: 'rate' | 'cron';
  /** The longest gap between two consecutive runs, or null when it cannot be derived (L, W, # forms). */
  intervalSeconds: number | null;
}

const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\((.*)\)$/;
const UNIT_SECONDS: Record<string, number> = { minute: 60, hour: 3600, day: 86400 };

function parseRate(value: string, unit: string, expression: string): ParsedSchedule {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new ScheduleError(`${expression}: the rate must be a whole number of 1 or more`);
  const singular = !unit.endsWith('s');
  if (n === 1 && !singular) throw new ScheduleError(`${expression}: write rate(1 ${unit.slice(0, -1)}) (singular unit for 1)`);
  if (n !== 1 && singular) throw new ScheduleError(`${expression}: write rate(${n} ${unit}s) (plural unit for values other than 1)`);
  return { kind: 'rate', intervalSeconds: n * UNIT_SECONDS[singular ? unit : unit.slice(0, -1)] };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: string[];
  /** Value of names[0]. */
  namesFrom?: number;
}

const FIELDS: FieldSpec[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, namesFrom: 1 },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, namesFrom: 1 },
  { name: 'year', min: 1970, max: 2199 },
];

class Unsupported extends Error {}

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const upper = text.toUpperCase();
  const named = spec.names?.indexOf(upper) ?? -1;
  const n = named >= 0 ? named + (spec.namesFrom ?? 0) : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < spec.min || n > spec.max) {
    throw new ScheduleError(`${expression}: ${JSON.stringify(text)} is not a valid ${spec.name} value (${spec.min}-${spec.max}${spec.names ? ` or ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : ''})`);
  }
  return n;
}

/** The set of values a cron field allows; null for '?' (no constraint from this field). */
function parseField(text: string, spec: FieldSpec, expression: string): Set<number> | null {
  if (text === '?') {
    if (spec.name !== 'day-of-month' && spec.name !== 'day-of-week') throw new ScheduleError(`${expression}: '?' is only allowed in day-of-month or day-of-week`);
    return null;
  }
  if (spec.name === 'day-of-month' || spec.name === 'day-of-week') {
    // L (last), W (nearest weekday) and # (nth weekday) are valid AWS forms whose interval is not derived here.
    const stripped = text.toUpperCase().replace(/SUN|MON|TUE|WED|THU|FRI|SAT/g, '');
    if (/[LW#]/.test(stripped)) throw new Unsupported();
  }
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (part === '') throw new ScheduleError(`${expression}: empty item in the ${spec.name} field`);
    const [rangeText, stepText, extra] = part.split('/');
    if (extra !== undefined) throw new ScheduleError(`${expression}: ${JSON.stringify(part)} has more than one '/' in the ${spec.name} field`);
    let step = 1;
    if (stepText !== undefined) {
      if (!/^\d+$/.test(stepText) || Number(stepText) < 1) throw new ScheduleError(`${expression}: ${JSON.stringify(part)}: the step must be a whole number of 1 or more`);
      step = Number(stepText);
    }
    let from: number;
    let to: number;
    if (rangeText === '*') {
      from = spec.min;
      to = spec.max;
    } else if (rangeText.includes('-')) {
      const [a, b, more] = rangeText.split('-');
      if (more !== undefined) throw new ScheduleError(`${expression}: ${JSON.stringify(part)} is not a range in the ${spec.name} field`);
      from = parseValue(a, spec, expression);
      to = parseValue(b, spec, expression);
      if (from > to) throw new ScheduleError(`${expression}: the range ${JSON.stringify(rangeText)} in the ${spec.name} field runs backwards`);
    } else {
      from = parseValue(rangeText, spec, expression);
      to = stepText === undefined ? from : spec.max;
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

const DAY_MS = 86_400_000;

/** The longest gap (seconds) between consecutive runs over two years from 2024-01-01 (wall-clock time, DST ignored). */
function longestCronGap(minutes: Set<number>, hours: Set<number>, dom: Set<number> | null, months: Set<number>, dow: Set<number> | null): number | null {
  const mins = [...minutes].sort((a, b) => a - b);
  const hrs = [...hours].sort((a, b) => a - b);
  const start = Date.UTC(2024, 0, 1);
  let previous: number | null = null;
  let first: number | null = null;
  let longest = 0;
  for (let day = 0; day < 731; day++) {
    const t = start + day * DAY_MS;
    const d = new Date(t);
    if (!months.has(d.getUTCMonth() + 1)) continue;
    if (dom !== null && !dom.has(d.getUTCDate())) continue;
    if (dow !== null && !dow.has(d.getUTCDay() + 1)) continue;
    for (const h of hrs) {
      for (const m of mins) {
        const at = t + h * 3_600_000 + m * 60_000;
        if (previous !== null) longest = Math.max(longest, at - previous);
        first ??= at;
        previous = at;
      }
    }
  }
  if (first === null || previous === null || first === previous) return null;
  return longest / 1000;
}

function parseCron(body: string, expression: string): ParsedSchedule {
  const fields = body.trim().split(/\s+/);
  if (fields.length !== 6) {
    throw new ScheduleError(`${expression}: a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), this one has ${fields.length}`);
  }
  if ((fields[2] === '?') === (fields[4] === '?')) {
    throw new ScheduleError(`${expression}: exactly one of day-of-month and day-of-week must be '?'`);
  }
  try {
    const [minutes, hours, dom, months, dow] = fields.map((f, i) => parseField(f, FIELDS[i], expression));
    // '?' is only possible in the day fields; the others are sets.
    const interval = longestCronGap(minutes as Set<number>, hours as Set<number>, dom, months as Set<number>, dow);
    return { kind: 'cron', intervalSeconds: interval };
  } catch (e) {
    if (e instanceof Unsupported) return { kind: 'cron', intervalSeconds: null };
    throw e;
  }
}

/** Checks a schedule expression and derives the longest interval between runs. Throws ScheduleError with the reason. */
export function parseScheduleExpression(expression: string): ParsedSchedule {
  const rate = RATE.exec(expression);
  if (rate) return parseRate(rate[1], rate[2], expression);
  const cron = CRON.exec(expression);
  if (cron) return parseCron(cron[1], expression);
  if (/^at\(/.test(expression)) throw new ScheduleError(`${expression}: one-time at(...) schedules are not backups schedules; use rate(...) or cron(...)`);
  throw new ScheduleError(`${JSON.stringify(expression)} is not a schedule expression: use rate(6 hours) or cron(0 3 * * ? *)`);
}
