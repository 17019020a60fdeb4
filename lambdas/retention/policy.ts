import { invalidPolicy } from './errors';

/**
 * How many snapshots to keep, grandfather-father-son style (like restic's `forget`).
 * Every count is a non-negative integer; 0 or absent turns a rule off.
 */
export interface RetentionPolicy {
  /** Keep the N newest snapshots. */
  keepLast?: number;
  /** Keep the newest snapshot of each of the N newest UTC hours that have one. */
  hourly?: number;
  /** ... of each of the N newest UTC days that have one. */
  daily?: number;
  /** ... of each of the N newest ISO weeks (Monday to Sunday, UTC) that have one. */
  weekly?: number;
  /** ... of each of the N newest UTC months that have one. */
  monthly?: number;
  /** ... of each of the N newest UTC years that have one. */
  yearly?: number;
  /** Keep every snapshot younger than N days, whatever the other rules say. Not a keep rule by itself. */
  minAgeDays?: number;
}

export type RetentionField = keyof RetentionPolicy;

/** Every field with its name in the compact CLI form, in canonical order. */
const FIELDS: ReadonlyArray<{ field: RetentionField; cli: string }> = [
  { field: 'keepLast', cli: 'last' },
  { field: 'hourly', cli: 'hourly' },
  { field: 'daily', cli: 'daily' },
  { field: 'weekly', cli: 'weekly' },
  { field: 'monthly', cli: 'monthly' },
  { field: 'yearly', cli: 'yearly' },
  { field: 'minAgeDays', cli: 'min-age-days' },
];

/** The rules that keep snapshots by count; a policy needs at least one of them set to 1 or more. */
const KEEP_RULES: readonly RetentionField[] = ['keepLast', 'hourly', 'daily', 'weekly', 'monthly', 'yearly'];

const CLI_EXAMPLE = 'last=7,daily=14,weekly=8,monthly=12,yearly=3,min-age-days=1';

function hasKeepRule(policy: RetentionPolicy): boolean {
  return KEEP_RULES.some((field) => (policy[field] ?? 0) > 0);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isField(name: string): name is RetentionField {
  return FIELDS.some((f) => f.field === name);
}

/**
 * Checks an untrusted policy (from JSON, a config file, an event) and returns a clean copy
 * holding only the fields that are set. Throws RetentionError RETENTION_INVALID_POLICY naming
 * the field at fault: an unknown field, a value that is not a non-negative safe integer, or no
 * keep rule (keepLast, hourly, daily, weekly, monthly, yearly) of 1 or more.
 */
export function validateRetentionPolicy(input: unknown): RetentionPolicy {
  if (!isRecord(input)) throw invalidPolicy(`expected an object, got ${describe(input)}`);
  const policy: RetentionPolicy = {};
  for (const [name, value] of Object.entries(input)) {
    if (!isField(name)) {
      throw invalidPolicy(`unknown field ${JSON.stringify(name)} (known: ${FIELDS.map((f) => f.field).join(', ')})`, name);
    }
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
      throw invalidPolicy(`${name} must be a non-negative integer, got ${describe(value)}`, name);
    }
    policy[name] = value;
  }
  if (!hasKeepRule(policy)) {
    throw invalidPolicy(`no keep rule: set at least one of ${KEEP_RULES.join(', ')} to 1 or more`);
  }
  return policy;
}

/**
 * Parses the compact CLI form, e.g. `last=7,daily=14,weekly=8,monthly=12,yearly=3,min-age-days=1`:
 * comma-separated `rule=count` pairs, rule names case-insensitive, spaces around items allowed,
 * each rule at most once, counts written as plain decimal digits. Errors name the rule as written.
 */
export function parseRetentionPolicy(text: string): RetentionPolicy {
  if (text.trim() === '') throw invalidPolicy(`empty; expected rules like ${CLI_EXAMPLE}`);
  const policy: RetentionPolicy = {};
  const items = text.split(',');
  items.forEach((raw, index) => {
    const item = raw.trim();
    if (item === '') throw invalidPolicy(`empty rule at position ${index + 1} of ${JSON.stringify(text)}`);
    const eq = item.indexOf('=');
    if (eq < 0) throw invalidPolicy(`${JSON.stringify(item)} is not rule=count (e.g. daily=14)`, item);
    const name = item.slice(0, eq).trim().toLowerCase();
    const value = item.slice(eq + 1).trim();
    const entry = FIELDS.find((f) => f.cli === name);
    if (!entry) {
      throw invalidPolicy(`unknown rule ${JSON.stringify(name)} (known: ${FIELDS.map((f) => f.cli).join(', ')})`, name);
    }
    if (policy[entry.field] !== undefined) throw invalidPolicy(`${name} is given more than once`, name);
    const count = Number(value);
    if (!/^\d+$/.test(value) || !Number.isSafeInteger(count)) {
      throw invalidPolicy(`${name} must be a non-negative integer, got ${JSON.stringify(value)}`, name);
    }
    policy[entry.field] = count;
  });
  if (!hasKeepRule(policy)) {
    throw invalidPolicy(
      `no keep rule: set at least one of ${FIELDS.filter((f) => KEEP_RULES.includes(f.field))
        .map((f) => f.cli)
        .join(', ')} to 1 or more`,
    );
  }
  return validateRetentionPolicy(policy);
}

/** The compact CLI form of a policy, rules in canonical order (the inverse of parseRetentionPolicy). */
export function formatRetentionPolicy(policy: RetentionPolicy): string {
  return FIELDS.filter((f) => policy[f.field] !== undefined)
    .map((f) => `${f.cli}=${policy[f.field]}`)
    .join(',');
}
