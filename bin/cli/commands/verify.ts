import { Command } from 'commander';
import { verifyRdbFile } from '../../../lambdas/rdb';
import { errorJson, formatBytes, printJson } from '../output';
import { globalOptions } from '../global-options';

interface VerifyFlags {
  shallow?: boolean;
  allowTrailing?: boolean;
  skipEmptyKeys?: boolean;
}

export function verifyCommand(): Command {
  return new Command('verify')
    .description('check an RDB file like redis-check-rdb: structure of every record and the CRC-64 trailer')
    .argument('<file>', 'RDB file to verify')
    .option('--shallow', 'do not walk the elements inside compact encodings (listpack, ziplist, intset)')
    .option('--allow-trailing', 'accept bytes after the RDB trailer')
    .option('--skip-empty-keys', 'accept empty collections (Redis skips them on load) instead of failing')
    .action(async (file: string, flags: VerifyFlags, cmd: Command) => {
      const { json } = globalOptions(cmd);
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
