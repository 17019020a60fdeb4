import { Command, Option } from 'commander';
import { runBackup } from '../../../lambdas/backup/run-backup';
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
}

export function backupCommand(): Command {
  const cmd = new Command('backup')
    .description('capture a consistent snapshot of a live server into the store (verified, compressed, checksummed)');
  addConnectionOptions(cmd, '--source', 'REDIS_BACKUP_SOURCE', 'the server to back up: redis://[user:password@]host:port or rediss://...');
  return cmd
    .addOption(new Option('--method <method>', 'replication: stream an RDB over the replication protocol; bgsave: BGSAVE and read the file from --data-dir').choices(['replication', 'bgsave']).default('replication'))
    .option('--data-dir <dir>', 'bgsave: where the server\'s data directory is mounted')
    .option('--dbfilename <name>', 'bgsave: the RDB file name (default: the server\'s dbfilename, else dump.rdb)')
    .option('--sync-command <name>', 'replication: the sync command when a service renames PSYNC/SYNC')
    .option('--chunk-size <MiB>', 'raw bytes per independently compressed chunk', '64')
    .option('--compression-level <n>', 'zstd level', '3')
    .action(async (flags: BackupFlags, command: Command) => {
      const { store, globals } = storeFor(command);
      const endpoint = endpointFrom(flags.source, flags);
      const level = compressionLevel(flags.compressionLevel);
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
