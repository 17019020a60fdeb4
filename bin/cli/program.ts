import { Command, CommanderError } from 'commander';
import { TOOL_VERSION } from '../../lambdas/version';
import { backupCommand } from './commands/backup';
import { deleteCommand } from './commands/delete';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { listCommand } from './commands/list';
import { pruneCommand } from './commands/prune';
import { restoreCommand } from './commands/restore';
import { showCommand } from './commands/show';
import { inspectCommand } from './commands/inspect';
import { verifyCommand } from './commands/verify';
import { addGlobalOptions } from './global-options';
import { errorJson, printJson } from './output';



export function buildProgram(): Command {
  const program = addGlobalOptions(
    new Command('redis-backup')
      .description('Back up and restore Redis and Valkey: verified, compressed, checksummed snapshots in S3 or a local directory')
      .version(TOOL_VERSION)
      .showHelpAfterError(),
  );
  program.addCommand(backupCommand());
  program.addCommand(importCommand());
  program.addCommand(listCommand());
  program.addCommand(showCommand());
  program.addCommand(verifyCommand());
  program.addCommand(deleteCommand());
  program.addCommand(pruneCommand());
  program.addCommand(restoreCommand());
  program.addCommand(inspectCommand());
  program.addCommand(exportCommand());
  return program;
}

/** Runs the CLI; resolves to the process exit code (commander's own exits, such as --help, included). */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  for (const cmd of [program, ...program.commands]) cmd.exitOverride();
  process.exitCode = undefined;
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    // Commander has already printed help or the usage error.
    if (err instanceof CommanderError) return err.exitCode;
    if (program.opts<{ json?: boolean }>().json) printJson({ ok: false, error: errorJson(err) });
    else process.stderr.write(`redis-backup: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
