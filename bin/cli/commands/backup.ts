import { Command, Option } from 'commander';
import { runAofBackup } from '../../../lambdas/backup/aof-run';
import { DEFAULT_COMPRESSION_LEVEL } from '../../../lambdas/backup/pipeline';
import { runBackup } from '../../../lambdas/backup/run-backup';
import { CaptureError } from '../../../lambdas/capture/errors';
import { addConnectionOptions, compressionLevel, ConnectionFlags, endpointFrom, mebibytes, sourceNameForEndpoint, storeFor } from '../context';
import { runSnapshotCommand } from '../snapshot-run';

interface BackupFlags extends ConnectionFlags {
  source: string;
  method: 'replication' | 'bgsave';
  dataDir?: string;
  dbfilename?: string;
  syncCommand?: string;
  chunkSize: string;
  compressionLevel: string;
  aof?: boolean;
  rewrite?: boolean;
}

export function backupCommand(): Command {
  const cmd = new Command('backup')
    .description('capture a consistent snapshot of a live server into the store (verified, compressed, checksummed)');
  addConnectionOptions(cmd, '--source', 'REDIS_BACKUP_SOURCE', 'the server to back up: redis://[user:password@]host:port or rediss://...');
  return cmd
    .addOption(new Option('--method <method>', 'replication: stream an RDB over the replication protocol; bgsave: BGSAVE and read the file from --data-dir').choices(['replication', 'bgsave']).default('replication'))
    .option('--data-dir <dir>', 'bgsave: where the server\'s data directory is mounted')
    .option('--aof', 'bgsave: back up the server\'s append-only file (appendonlydir, or appendonly.aof) instead of an RDB: a snapshot of kind aof')
    .option('--rewrite', 'with --aof: run BGREWRITEAOF first and wait for it (a compact AOF: one base, a short incr)')
    .option('--dbfilename <name>', 'bgsave: the RDB file name (default: the server\'s dbfilename, else dump.rdb)')
    .option('--sync-command <name>', 'replication: the sync command when a service renames PSYNC/SYNC')
    .option('--chunk-size <MiB>', 'raw bytes per independently compressed chunk', '64')
    .option('--compression-level <n>', 'zstd level', String(DEFAULT_COMPRESSION_LEVEL))
    .action(async (flags: BackupFlags, command: Command) => {
      const { store, globals } = storeFor(command);
      const endpoint = endpointFrom(flags.source, flags);
      const level = compressionLevel(flags.compressionLevel);
      if (flags.aof || flags.rewrite) {
        if (!flags.aof) throw new Error('--rewrite goes with --aof');
        if (flags.method !== 'bgsave' || flags.dataDir === undefined) {
          throw new CaptureError('CAPTURE_DATA_DIR', '--aof reads the AOF files from the server\'s data directory: use --method bgsave --data-dir DIR', { host: endpoint.host, port: endpoint.port });
        }
        const dataDir = flags.dataDir;
        await runSnapshotCommand(globals, undefined, (onProgress) =>
          runAofBackup({ store, source: sourceNameForEndpoint(globals, endpoint), endpoint, dataDir, rewrite: flags.rewrite, compressionLevel: level, onProgress }),
        );
        return;
      }
      await runSnapshotCommand(globals, undefined, (onProgress) =>
        runBackup({
          store,
          source: sourceNameForEndpoint(globals, endpoint),
          endpoint,
          method: flags.method,
          dataDir: flags.dataDir,
          dbfilename: flags.dbfilename,
          syncCommand: flags.syncCommand,
          chunkBytes: mebibytes('--chunk-size', flags.chunkSize),
          compressionLevel: level,
          onProgress,
        }),
      );
    });
}
