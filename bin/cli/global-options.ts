import { Command, Option } from 'commander';

/** Options every command shares. */
export interface GlobalOptions {
  store: string;
  name?: string;
  json: boolean;
}

export const DEFAULT_STORE = './backups';

export function addGlobalOptions(program: Command): Command {
  return program
    .addOption(new Option('--store <dir|s3://bucket/prefix>', 'where snapshots are kept').env('REDIS_BACKUP_STORE').default(DEFAULT_STORE))
    .addOption(new Option('--name <source>', 'the source name snapshots are filed under').env('REDIS_BACKUP_NAME'))
    .addOption(new Option('--json', 'print machine-readable JSON').default(false));
}

export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}
