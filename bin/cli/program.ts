import { Command } from 'commander';
import { exportCommand } from './commands/export';
import { inspectCommand } from './commands/inspect';
import { verifyCommand } from './commands/verify';
import { addGlobalOptions } from './global-options';
import { errorJson, printJson } from './output';

const VERSION = '0.1.0';

export function buildProgram(): Command {
  const program = addGlobalOptions(
    new Command('redis-backup')
      .description('Back up and restore Redis and Valkey: verified, compressed, checksummed snapshots in S3 or a local directory')
      .version(VERSION)
      .showHelpAfterError(),
  );
  program.addCommand(inspectCommand());
  program.addCommand(verifyCommand());
  program.addCommand(exportCommand());
  return program;
}

/** Runs the CLI; resolves to the process exit code. */
export async function run(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (program.opts<{ json?: boolean }>().json) printJson({ ok: false, error: errorJson(err) });
    else process.stderr.write(`redis-backup: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
