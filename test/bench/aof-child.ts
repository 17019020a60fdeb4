/**
 * Child process of the AOF benchmark: one run of one mode on one AOF directory,
 * printing one JSON line (AofChildReport) on stdout. Usage:
 *   node dist/test/bench/aof-child.js <verify|import|floor> <appendonlydir> <scratch dir>
 *
 * - verify: `verifyAof` with the options `redis-backup verify` passes.
 * - import: `runAofImport` into a LocalStore under the scratch dir (read once,
 *   verify, SHA-256, zstd 3, store), as `redis-backup import` of an AOF does.
 * - floor: the same files through the same SHA-256 (raw and stored), zstd frame and
 *   LocalStore write, without the AOF reader: what the import would cost if parsing were free.
 * The scratch dir is emptied afterwards.
 */
import { createHash } from 'node:crypto';
import { createReadStream, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { verifyAof } from '../../lambdas/aof/verify';
import { runAofImport } from '../../lambdas/backup/aof-run';
import { ZstdFrame } from '../../lambdas/backup/zstd-frame';
import { LocalStore } from '../../lambdas/store/local-store';

export type AofChildMode = 'verify' | 'import' | 'floor';

export interface AofChildReport {
  ok: boolean;
  mode: AofChildMode;
  /** Time inside the measured call (Node start-up and module loading excluded). */
  ms: number;
  /** Raw AOF bytes read. */
  bytes: number;
  /** Commands counted (verify and import), 0 for floor. */
  commands: number;
  /** Stored (compressed) bytes, for import and floor. */
  storedBytes: number;
  /** process.resourceUsage().maxRSS, KiB. */
  maxRssKb: number;
  error?: string;
}

const READ_CHUNK = 256 << 10;

async function* compressed(path: string, rawHash: ReturnType<typeof createHash>, storedHash: ReturnType<typeof createHash>, counts: { raw: number; stored: number }): AsyncGenerator<Buffer> {
  const frame = ZstdFrame.compress(3);
  const out = function* (bufs: Buffer[]): Generator<Buffer> {
    for (const b of bufs) {
      storedHash.update(b);
      counts.stored += b.length;
      yield b;
    }
  };
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) {
      const raw = chunk as Buffer;
      rawHash.update(raw);
      counts.raw += raw.length;
      yield* out(await frame.write(raw));
    }
    yield* out(await frame.end());
  } finally {
    frame.destroy();
  }
}

async function floor(dir: string, store: LocalStore): Promise<{ bytes: number; storedBytes: number }> {
  const counts = { raw: 0, stored: 0 };
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.aof'))) {
    const rawHash = createHash('sha256');
    const storedHash = createHash('sha256');
    await store.putStream(`bench/floor/${name}.zst`, compressed(join(dir, name), rawHash, storedHash, counts));
    rawHash.digest();
    storedHash.digest();
  }
  return { bytes: counts.raw, storedBytes: counts.stored };
}

async function run(mode: AofChildMode, dir: string, scratch: string): Promise<Omit<AofChildReport, 'ms' | 'maxRssKb' | 'mode'>> {
  if (mode === 'verify') {
    const r = await verifyAof(dir, { deep: true, emptyKeys: 'error' });
    return { ok: r.ok, bytes: r.bytes, commands: r.commands, storedBytes: 0, error: r.ok ? undefined : r.problems.map((p) => `${p.code}: ${p.message}`).join('; ') };
  }
  const store = new LocalStore(scratch);
  if (mode === 'floor') return { ok: true, commands: 0, ...(await floor(dir, store)) };
  const m = await runAofImport({ path: dir, store, source: 'bench' });
  // The manifest (format 'text') is stored too; bytes and commands are those of the AOF files.
  const files = m.files.filter((f) => f.format !== 'text');
  return { ok: true, bytes: files.reduce((n, f) => n + f.raw.bytes, 0), commands: files.reduce((n, f) => n + f.commands, 0), storedBytes: m.stored.bytes };
}

async function main(): Promise<void> {
  const [mode, dir, scratchRoot] = process.argv.slice(2);
  if ((mode !== 'verify' && mode !== 'import' && mode !== 'floor') || dir === undefined || scratchRoot === undefined) {
    process.stderr.write('usage: aof-child <verify|import|floor> <appendonlydir> <scratch dir>\n');
    process.exit(2);
  }
  const scratch = mkdtempSync(join(scratchRoot, `aof-${mode}-`));
  const t0 = performance.now();
  let report: AofChildReport;
  try {
    const r = await run(mode, dir, scratch);
    report = { mode, ms: performance.now() - t0, maxRssKb: 0, ...r };
  } catch (e) {
    report = { ok: false, mode, ms: performance.now() - t0, bytes: 0, commands: 0, storedBytes: 0, maxRssKb: 0, error: e instanceof Error ? e.message : String(e) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  report.maxRssKb = process.resourceUsage().maxRSS;
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exitCode = report.ok ? 0 : 1;
}

void main();
