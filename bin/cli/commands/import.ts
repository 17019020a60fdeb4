import { stat } from 'node:fs/promises';
import { Command } from 'commander';
import { isAofTarget } from '../../../lambdas/aof';
import { runAofImport } from '../../../lambdas/backup/aof-run';
import { DEFAULT_COMPRESSION_LEVEL } from '../../../lambdas/backup/pipeline';
import { runImport } from '../../../lambdas/backup/run-backup';
import { CatalogError } from '../../../lambdas/catalog/errors';
import { compressionLevel, mebibytes, storeFor } from '../context';
import { runSnapshotCommand } from '../snapshot-run';

interface ImportFlags {
  chunkSize: string;
  compressionLevel: string;
}

export function importCommand(): Command {
  return new Command('import')
    .description(
      'store an existing RDB file (a dump.rdb, or an RDB exported by a managed service) or an AOF (appendonlydir, its manifest, or an old appendonly.aof) as a snapshot of --name',
    )
    .argument('<path>', 'the RDB file; or the AOF: a data directory holding appendonlydir/ or appendonly.aof, the appendonlydir, its manifest, or a single .aof file')
    .option('--chunk-size <MiB>', 'raw bytes per independently compressed chunk', '64')
    .option('--compression-level <n>', 'zstd level', String(DEFAULT_COMPRESSION_LEVEL))
    .action(async (path: string, flags: ImportFlags, command: Command) => {
      const { store, globals } = storeFor(command);
      if (globals.name === undefined) throw new CatalogError('CATALOG_BAD_SOURCE', 'import needs --name (or REDIS_BACKUP_NAME): the source the snapshot is filed under', {});
      const source = globals.name;
      const level = compressionLevel(flags.compressionLevel);
      if (await isAofTarget(path)) {
        await runSnapshotCommand(globals, undefined, (onProgress) => runAofImport({ store, source, path, compressionLevel: level, onProgress }));
        return;
      }
      const size = (await stat(path)).size;
      await runSnapshotCommand(globals, size, (onProgress) =>
        runImport({
          store,
          source,
          path,
          chunkBytes: mebibytes('--chunk-size', flags.chunkSize),
          compressionLevel: level,
          onProgress,
        }),
      );
    });
}
