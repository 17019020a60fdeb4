/**
 * Child process for the verify benchmark: verifies one RDB file with the engine
 * and prints one JSON line (ChildReport) on stdout. Usage:
 *   node dist/test/bench/verify-child.js <file.rdb> [deep|shallow] [topKeys]
 * The options default to what `redis-backup verify` passes (deep unless --shallow,
 * topKeys 0, empty keys are errors).
 */
import { RdbError } from '../../lambdas/rdb/errors';
import { verifyRdbFile } from '../../lambdas/rdb/verify';

export interface ChildReport {
  ok: boolean;
  /** Time inside verifyRdbFile (Node start-up and module loading excluded). */
  verifyMs: number;
  keys: number;
  expiring: number;
  bytes: number;
  checksum: string;
  byType: Record<string, number>;
  /** process.resourceUsage().maxRSS, KiB. */
  maxRssKb: number;
  error?: string;
}

async function main(): Promise<void> {
  const [path, mode = 'deep', top = '0'] = process.argv.slice(2);
  const topKeys = Number(top);
  if (path === undefined || (mode !== 'deep' && mode !== 'shallow') || !Number.isInteger(topKeys) || topKeys < 0) {
    process.stderr.write('usage: verify-child <file.rdb> [deep|shallow] [topKeys]\n');
    process.exit(2);
  }
  const t0 = performance.now();
  let report: ChildReport;
  try {
    const s = await verifyRdbFile(path, { deep: mode === 'deep', topKeys, emptyKeys: 'error' });
    const byType: Record<string, number> = {};
    for (const db of s.dbs) for (const [t, n] of Object.entries(db.byType)) byType[t] = (byType[t] ?? 0) + n;
    report = { ok: true, verifyMs: performance.now() - t0, keys: s.keys, expiring: s.expiring, bytes: s.bytes, checksum: s.checksum, byType, maxRssKb: 0 };
  } catch (e) {
    const error = e instanceof RdbError ? `${e.code}: ${e.message}` : String(e);
    report = { ok: false, verifyMs: performance.now() - t0, keys: 0, expiring: 0, bytes: 0, checksum: 'unknown', byType: {}, maxRssKb: 0, error };
  }
  report.maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

void main();
