import { Command } from 'commander';
import { deleteSnapshot } from '../../../lambdas/catalog/catalog';
import { sourceNameFor, storeFor } from '../context';
import { printJson } from '../output';

export function deleteCommand(): Command {
  return new Command('delete')
    .description('delete a snapshot (its manifest first, then its data)')
    .argument('<id>', 'the snapshot id')
    .action(async (id: string, _flags: unknown, command: Command) => {
      const { store, globals } = storeFor(command);
      const source = await sourceNameFor(store, globals);
      await deleteSnapshot(store, source, id);
      if (globals.json) printJson({ ok: true, deleted: id, source });
      else process.stdout.write(`Deleted ${id} of ${source}\n`);
    });
}
