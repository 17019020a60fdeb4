import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** ../shared/fixtures beside the repository (override with REDIS_BACKUP_FIXTURES). */
export const FIXTURES_DIR = process.env.REDIS_BACKUP_FIXTURES ?? resolve(__dirname, '..', '..', '..', 'shared', 'fixtures');

/** Every *.rdb below the fixtures directory (recursively), as absolute paths, sorted. */
export function allRdbFixtures(dir = FIXTURES_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, name.name);
      if (name.isDirectory()) walk(p);
      else if (name.name.endsWith('.rdb')) out.push(p);
    }
  };
  if (existsSync(dir)) walk(dir);
  return out.sort();
}

export interface TruthKey {
  db: number;
  key: unknown;
  type: string;
  expireAtMs: number | string | null;
  value: unknown;
  fieldExpireAtMs?: Record<string, number>;
  stream?: unknown;
}

export interface Truth {
  server: string;
  version: string;
  functions?: string[];
  keys: TruthKey[];
}

/** The ground truth beside an RDB fixture (`x.rdb` -> `x.json`), if it is in the truth format. */
export function truthFor(rdbPath: string): Truth | null {
  const jsonPath = rdbPath.replace(/\.rdb$/, '.json');
  if (!existsSync(jsonPath)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(jsonPath, 'utf8')) as unknown;
  } catch {
    // Not ours: librdb's expected outputs beside its dumps are unwrapped JSON fragments.
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as Truth).keys)) return null;
  return parsed as Truth;
}

/** RDB fixtures that have a ground-truth file beside them. */
export function rdbFixturesWithTruth(): Array<{ path: string; truth: Truth }> {
  return allRdbFixtures()
    .map((path) => ({ path, truth: truthFor(path) }))
    .filter((f): f is { path: string; truth: Truth } => f.truth !== null);
}

/** The `.digest` beside a fixture (DEBUG DIGEST of the dataset), if any. */
export function digestFor(rdbPath: string): string | null {
  const p = rdbPath.replace(/\.rdb$/, '.digest');
  return existsSync(p) ? readFileSync(p, 'utf8').trim() : null;
}

/** Ground truth files older than 7.0 record "relative:<pttl>" expiries; the absolute value set was one of these. */
export const ABSOLUTE_EXPIRIES: readonly number[] = [4102444800000, 4102444800000 + 12345];

/** Maps a truth expiry to the absolute one it stands for (relative ones resolved against the known set values). */
export function normalizeTruthExpiry(value: number | string | null, actual: number | null): number | string | null {
  if (typeof value !== 'string' || !value.startsWith('relative:')) return value;
  return actual !== null && ABSOLUTE_EXPIRIES.includes(actual) ? actual : value;
}
