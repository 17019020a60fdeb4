import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AofReader, AofReaderOptions, AofReadResult, AofRecord } from '../../lambdas/aof';
import { FIXTURES_DIR, Truth } from '../helpers/fixtures';

export const AOF_FIXTURES_DIR = join(FIXTURES_DIR, 'aof');
export const PREAMBLE_AOF = join(FIXTURES_DIR, 'redis-test-assets', 'rdb-preamble.aof');

export interface AofFixture {
  /** e.g. redis-7.0-aof-preamble-yes */
  name: string;
  /** The persistence directory (holds appendonlydir/ or appendonly.aof). */
  dir: string;
  truth: Truth;
  /** Base then incr files (or the single file), with the format each is read in. */
  files: Array<{ path: string; format: 'auto' | 'resp' }>;
}

function filesOf(dir: string): AofFixture['files'] {
  const single = join(dir, 'appendonly.aof');
  if (existsSync(single)) return [{ path: single, format: 'auto' }];
  const mp = join(dir, 'appendonlydir');
  const names = readdirSync(mp).filter((n) => !n.endsWith('.manifest'));
  const base = names.filter((n) => n.includes('.base.')).map((n) => ({ path: join(mp, n), format: 'auto' as const }));
  const incr = names.filter((n) => n.endsWith('.incr.aof')).sort().map((n) => ({ path: join(mp, n), format: 'resp' as const }));
  return [...base, ...incr];
}

export const AOF_FIXTURES: AofFixture[] = readdirSync(AOF_FIXTURES_DIR)
  .filter((n) => statSync(join(AOF_FIXTURES_DIR, n)).isDirectory())
  .sort()
  .map((name) => {
    const dir = join(AOF_FIXTURES_DIR, name);
    return { name, dir, truth: JSON.parse(readFileSync(`${dir}.json`, 'utf8')) as Truth, files: filesOf(dir) };
  });

/** A plain-data view of a record, comparable across chunkings. */
export function recordView(r: AofRecord): unknown {
  if (r.kind === 'command') return { kind: r.kind, offset: r.offset, end: r.end, multi: r.multi, args: r.args.map((a) => a.toString('base64')) };
  if (r.kind === 'timestamp') return r;
  const rec = r.record;
  if (rec.kind === 'entry') {
    const e = rec.entry;
    return { kind: 'rdb-entry', db: e.db, offset: e.offset, typeId: e.typeId, expireAtMs: e.expireAtMs, key: e.key.toString('base64'), value: e.valueBytes.toString('base64') };
  }
  if (rec.kind === 'aux') return { kind: 'rdb-aux', offset: rec.offset, key: rec.key.toString('latin1'), value: rec.value.toString('latin1') };
  if (rec.kind === 'function' || rec.kind === 'module-aux') return { kind: `rdb-${rec.kind}`, offset: rec.offset };
  return { ...rec, kind: `rdb-${rec.kind}` };
}

export interface Collected {
  records: unknown[];
  result: AofReadResult | null;
  error: { code: string; offset: number; okUpTo?: number } | null;
}

/** Feeds `chunks` through a new AofReader; returns the record views, the result or the error. */
export function collect(chunks: Iterable<Buffer>, options: Omit<AofReaderOptions, 'onRecord'> = {}): Collected {
  const records: unknown[] = [];
  const reader = new AofReader({ ...options, onRecord: (r) => records.push(recordView(r)) });
  try {
    for (const c of chunks) reader.write(c);
    return { records, result: reader.end(), error: null };
  } catch (e) {
    const err = e as { code: string; offset: number; okUpTo?: number };
    if (typeof err.code !== 'string') throw e;
    return { records, result: null, error: { code: err.code, offset: err.offset, okUpTo: err.okUpTo } };
  }
}

/** `data` in pieces of `size` bytes. */
export function* pieces(data: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

/** A writable temporary directory, removed by the returned function. */
export function tempDir(prefix = 'redis-backup-aof-'): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a fixture (read-only files) into `to`, writable (redis-check-aof opens files read-write). */
export function copyWritable(from: string, to: string): void {
  cpSync(from, to, { recursive: true });
  const fix = (p: string): void => {
    chmodSync(p, statSync(p).isDirectory() ? 0o755 : 0o644);
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) fix(join(p, n));
  };
  fix(to);
}

export interface CheckAofResult {
  exitCode: number;
  output: string;
  /** Every "AOF analyzed" line, in order. */
  analyzed: Array<{ file: string; size: number; okUpTo: number; diff: number }>;
  /** The position redis-check-aof printed with its error ("0x...: message"), if any. */
  errorAt: number | null;
  errorText: string | null;
  /** It rejected the RDB part ("RDB preamble of AOF file is not sane"). */
  rdbInsane: boolean;
  /** It rejected the manifest ("FATAL AOF MANIFEST FILE ERROR"), with Redis's reason. */
  manifestError: string | null;
}

/** Runs Debian's redis-check-aof (7.0) on `path`, without --fix: it never changes the file. */
export function runCheckAof(path: string): Promise<CheckAofResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn('redis-check-aof', [path], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    proc.stdout.on('data', (d: Buffer) => (output += d.toString('latin1')));
    proc.stderr.on('data', (d: Buffer) => (output += d.toString('latin1')));
    proc.on('error', reject);
    proc.on('close', (code) => {
      const analyzed = [...output.matchAll(/AOF analyzed: filename=(.*?), size=(\d+), ok_up_to=(\d+), ok_up_to_line=\d+, diff=(\d+)/g)].map((m) => ({
        file: m[1],
        size: Number(m[2]),
        okUpTo: Number(m[3]),
        diff: Number(m[4]),
      }));
      const err = /^0x\s*([0-9a-f]+): (.*)$/m.exec(output);
      const fatal = /FATAL AOF MANIFEST FILE ERROR[\s\S]*?# ((?:Found|Invalid|Unknown|The AOF|File can't|Read AOF)[^\n]*)/.exec(output);
      resolve({
        exitCode: code ?? -1,
        output,
        analyzed,
        errorAt: err ? parseInt(err[1], 16) : null,
        errorText: err ? err[2] : null,
        rdbInsane: output.includes('RDB preamble of AOF file is not sane'),
        manifestError: fatal ? fatal[1].trim() : output.includes('FATAL AOF MANIFEST FILE ERROR') ? 'unknown' : null,
      });
    });
  });
}

/** Runs `fn` over `items`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
