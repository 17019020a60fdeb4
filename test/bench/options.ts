import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

/** Everything a benchmark run is configured with (flags override environment, which overrides defaults). */
export interface BenchOptions {
  /** Total keys in the dataset (BENCH_KEYS, --keys). */
  keys: number;
  /** MiB of non-compressible random string values (BENCH_RANDOM_MB, --random-mb). */
  randomMb: number;
  /** Streams in the dataset (BENCH_STREAMS, --streams). */
  streams: number;
  /** Rebuild the cached dataset even if it exists (--rebuild). */
  rebuild: boolean;
  /** Runs per tool; the median is reported (BENCH_RUNS, --runs). */
  runs: number;
  /** Sections to run (--only verify,capture); all when empty. */
  only: string[];
  /** Also run profiled children (node --cpu-prof) of verify and capture and summarise them (--profile). */
  profile: boolean;
  /** capture: total keys of the smaller datasets run to show that peak RSS stays flat (BENCH_SMALL_KEYS, --small-keys; 0 skips them). */
  smallKeys: number;
  /** capture: the source server's repl-diskless-sync for both tools (BENCH_DISKLESS, --diskless yes|no). */
  diskless: boolean;
  /** Measure peak RSS by polling /proc/<pid>/status even when /usr/bin/time exists (--no-time). */
  noTime: boolean;
  /** Where datasets and results live (BENCH_DIR, default <repo>/.bench). */
  dir: string;
  quick: boolean;
}

export const DEFAULTS = { keys: 5_000_000, randomMb: 1024, streams: 20 } as const;
export const QUICK = { keys: 200_000, randomMb: 50, streams: 4 } as const;

/** The repository root: the nearest directory above this file holding package.json (works from test/ and dist/test/). */
function findRoot(start: string): string {
  for (let d = start; ; d = dirname(d)) {
    if (existsSync(join(d, 'package.json')) && existsSync(join(d, 'lambdas'))) return d;
    if (dirname(d) === d) return resolve(start, '..', '..');
  }
}
export const REPO_ROOT = findRoot(__dirname);

const USAGE = `Usage: npm run bench -- [options]

  --quick             small smoke dataset (${QUICK.keys} keys, ${QUICK.randomMb} MiB random values)
  --keys N            total keys (env BENCH_KEYS, default ${DEFAULTS.keys})
  --random-mb N       MiB of non-compressible string values (env BENCH_RANDOM_MB, default ${DEFAULTS.randomMb})
  --streams N         number of stream keys (env BENCH_STREAMS, default ${DEFAULTS.streams})
  --rebuild           rebuild the cached dataset under .bench/
  --runs N            runs per tool, median reported (env BENCH_RUNS, default 1)
  --only a,b          run only these sections (verify, capture)
  --profile           also run verify and capture under node --cpu-prof and print the hottest functions
  --small-keys N      capture: keys of the smaller datasets for the peak-RSS flatness check
                      (env BENCH_SMALL_KEYS, default keys/5, 0 below 1000; 0 skips them)
  --diskless yes|no   capture: the server's repl-diskless-sync, the same for redis-cli and us
                      (env BENCH_DISKLESS, default yes, Redis 7's default)
  --no-time           measure peak RSS by polling /proc/<pid>/status instead of /usr/bin/time -v
  --help              this text
`;

/** A bad flag or environment value: reported without a stack trace. */
export class UsageError extends Error {}

function positiveInt(name: string, raw: string | undefined, fallback: number, min = 1): number {
  if (raw === undefined || raw === '') return fallback;
  const v = Number(raw.replace(/_/g, ''));
  if (!Number.isInteger(v) || v < min) throw new UsageError(`${name} must be an integer >= ${min}, got ${JSON.stringify(raw)}`);
  return v;
}

const FLAGS = {
  quick: { type: 'boolean', default: false },
  keys: { type: 'string' },
  'random-mb': { type: 'string' },
  streams: { type: 'string' },
  rebuild: { type: 'boolean', default: false },
  runs: { type: 'string' },
  only: { type: 'string' },
  profile: { type: 'boolean', default: false },
  'no-time': { type: 'boolean', default: false },
  'small-keys': { type: 'string' },
  diskless: { type: 'string' },
  help: { type: 'boolean', default: false },
} as const;

function parseFlags(argv: string[]): ReturnType<typeof parseArgs<{ args: string[]; options: typeof FLAGS; strict: true }>>['values'] {
  try {
    return parseArgs({ args: argv, options: FLAGS, strict: true }).values;
  } catch (e) {
    throw new UsageError(`${e instanceof Error ? e.message : String(e)}\n\n${USAGE}`);
  }
}

export function parseOptions(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const values = parseFlags(argv);
  if (values.help) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  const base = values.quick ? QUICK : DEFAULTS;
  const keys = positiveInt('--keys / BENCH_KEYS', values.keys ?? env.BENCH_KEYS, base.keys, 1000);
  const randomMb = positiveInt('--random-mb / BENCH_RANDOM_MB', values['random-mb'] ?? env.BENCH_RANDOM_MB, base.randomMb, 0);
  const streams = positiveInt('--streams / BENCH_STREAMS', values.streams ?? env.BENCH_STREAMS, base.streams, 0);
  const fifth = Math.round(keys / 5);
  const smallKeys = positiveInt('--small-keys / BENCH_SMALL_KEYS', values['small-keys'] ?? env.BENCH_SMALL_KEYS, fifth >= 1000 ? fifth : 0, 0);
  if (smallKeys !== 0 && (smallKeys < 1000 || smallKeys >= keys)) throw new UsageError(`--small-keys / BENCH_SMALL_KEYS must be 0 or between 1000 and --keys (${keys}), got ${smallKeys}`);
  const disklessRaw = (values.diskless ?? env.BENCH_DISKLESS ?? 'yes').toLowerCase();
  if (disklessRaw !== 'yes' && disklessRaw !== 'no') throw new UsageError(`--diskless / BENCH_DISKLESS must be yes or no, got ${JSON.stringify(disklessRaw)}`);
  return {
    keys,
    randomMb,
    streams,
    rebuild: values.rebuild,
    runs: positiveInt('--runs / BENCH_RUNS', values.runs ?? env.BENCH_RUNS, 1),
    only: (values.only ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''),
    profile: values.profile,
    noTime: values['no-time'],
    smallKeys,
    diskless: disklessRaw === 'yes',
    dir: resolve(env.BENCH_DIR ?? resolve(REPO_ROOT, '.bench')),
    quick: values.quick,
  };
}
