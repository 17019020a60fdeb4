import { existsSync, statSync } from 'node:fs';
import { Command } from 'commander';
import { AofError, formatAofReport, isAofTarget, verifyAof } from '../../../lambdas/aof';
import { resolveSnapshot } from '../../../lambdas/catalog/catalog';
import { isAofManifest } from '../../../lambdas/catalog/snapshot-kind';
import { verifyAofSnapshot } from '../../../lambdas/catalog/verify-aof-snapshot';
import { verifySnapshot } from '../../../lambdas/catalog/verify-snapshot';
import { verifyRdbFile } from '../../../lambdas/rdb';
import { sourceNameFor, storeFor } from '../context';
import { errorJson, formatBytes, printJson } from '../output';
import { globalOptions } from '../global-options';
import { parseSelector } from '../selector';

interface VerifyFlags {
  before?: string;
  shallow?: boolean;
  allowTrailing?: boolean;
  skipEmptyKeys?: boolean;
}

export function verifyCommand(): Command {
  return new Command('verify')
    .description(
      "check a stored snapshot (ID or 'latest'; RDB: hashes of every chunk, RDB structure and CRC-64; AOF: every file's hashes, every command, the base RDB, the AOF manifest), an RDB file (like redis-check-rdb) or an AOF (like redis-check-aof, never changing it)",
    )
    .argument('<target>', "a snapshot id, 'latest', the path of an RDB file, or an AOF: its file, its manifest or the directory holding them")
    .option('--before <time>', "with 'latest': the newest snapshot taken at or before this ISO time")
    .option('--shallow', 'do not walk the elements inside compact encodings (listpack, ziplist, intset)')
    .option('--allow-trailing', 'accept bytes after the RDB trailer')
    .option('--skip-empty-keys', 'accept empty collections (Redis skips them on load) instead of failing')
    .action(async (target: string, flags: VerifyFlags, cmd: Command) => {
      const { json } = globalOptions(cmd);
      if (await isAofTarget(target)) {
        await verifyAofTarget(target, flags, json);
        return;
      }
      if (!(existsSync(target) && statSync(target).isFile())) {
        await verifyStoredSnapshot(target, flags, cmd);
        return;
      }
      const file = target;
      const started = process.hrtime.bigint();
      try {
        const s = await verifyRdbFile(file, {
          deep: !flags.shallow,
          allowTrailing: flags.allowTrailing,
          emptyKeys: flags.skipEmptyKeys ? 'skip' : 'error',
          topKeys: 0,
        });
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        if (json) {
          printJson({ ok: true, file, rdbVersion: s.rdbVersion, server: s.server, serverVersion: s.serverVersion, keys: s.keys, dbs: s.dbs.length, bytes: s.bytes, checksum: s.checksum, seconds });
        } else {
          const crc = s.checksum === 'ok' ? `checksum ok (${s.storedCrc})` : s.checksum === 'none' ? 'no checksum (written with rdbchecksum no)' : 'no checksum (RDB version < 5)';
          const who = s.serverVersion ? ` (${s.server} ${s.serverVersion})` : '';
          process.stdout.write(`OK ${file}: RDB ${s.rdbVersion}${who}, ${s.keys} keys in ${s.dbs.length} db${s.dbs.length === 1 ? '' : 's'}, ${formatBytes(s.bytes)}, ${crc}, ${seconds.toFixed(2)} s\n`);
        }
        return;
      } catch (err) {
        if (json) printJson({ ok: false, file, error: errorJson(err) });
        else process.stderr.write(`FAIL ${file}: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exitCode = 1;
      }
    });
}

async function verifyAofTarget(target: string, flags: VerifyFlags, json: boolean): Promise<void> {
  try {
    const report = await verifyAof(target, { deep: !flags.shallow, emptyKeys: flags.skipEmptyKeys ? 'skip' : 'error' });
    if (json) printJson(report);
    else (report.ok ? process.stdout : process.stderr).write(formatAofReport(report));
    if (!report.ok) process.exitCode = 1;
  } catch (err) {
    if (json) printJson({ ok: false, path: target, error: err instanceof AofError ? err.toJSON() : errorJson(err) });
    else process.stderr.write(`FAIL ${target}: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

async function verifyStoredSnapshot(target: string, flags: VerifyFlags, cmd: Command): Promise<void> {
  const { store, globals } = storeFor(cmd);
  const source = await sourceNameFor(store, globals);
  const manifest = await resolveSnapshot(store, source, parseSelector(target, flags.before));
  if (isAofManifest(manifest)) {
    const aof = await verifyAofSnapshot(store, manifest);
    if (globals.json) printJson(aof);
    else if (aof.ok) {
      const files = `${aof.files.length} file${aof.files.length === 1 ? '' : 's'}`;
      const warnings = aof.warnings.map((w) => `  warning: ${w}\n`).join('');
      process.stdout.write(`OK ${aof.snapshotId} of ${source}: AOF, ${files}, ${aof.commands} commands, ${formatBytes(aof.raw.bytes)} raw, ${formatBytes(aof.stored.bytes)} stored, ${aof.seconds.toFixed(2)} s\n${warnings}`);
    } else {
      process.stderr.write(`FAIL ${aof.snapshotId} of ${source}:\n${aof.problems.map((p) => `  ${p}`).join('\n')}\n`);
    }
    if (!aof.ok) process.exitCode = 1;
    return;
  }
  const report = await verifySnapshot(store, source, manifest.snapshotId);
  if (globals.json) printJson(report);
  else if (report.ok) {
    process.stdout.write(`OK ${report.snapshotId} of ${source}: ${report.rdb.keys} keys, ${formatBytes(report.raw.bytes)} raw, ${formatBytes(report.stored.bytes)} stored, ${report.chunks.length} chunk${report.chunks.length === 1 ? '' : 's'} verified, checksum ${report.rdb.checksum}, ${report.seconds.toFixed(2)} s\n`);
  } else {
    process.stderr.write(`FAIL ${report.snapshotId} of ${source}:\n${report.problems.map((p) => `  ${p}`).join('\n')}\n`);
  }
  if (!report.ok) process.exitCode = 1;
}
