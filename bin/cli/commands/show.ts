import { Command } from 'commander';
import { resolveSnapshot } from '../../../lambdas/catalog/catalog';
import { sourceNameFor, storeFor } from '../context';
import { printJson } from '../output';
import { describeManifest } from '../snapshot-text';
import { parseSelector } from '../selector';

export function showCommand(): Command {
  return new Command('show')
    .description('describe a snapshot (its manifest)')
    .argument('<id>', "a snapshot id, or 'latest'")
    .option('--before <time>', "with 'latest': the newest snapshot taken at or before this ISO time")
    .action(async (id: string, flags: { before?: string }, command: Command) => {
      const { store, globals } = storeFor(command);
      const source = await sourceNameFor(store, globals);
      const manifest = await resolveSnapshot(store, source, parseSelector(id, flags.before));
      if (globals.json) printJson(manifest);
      else process.stdout.write(describeManifest(manifest));
    });
}
