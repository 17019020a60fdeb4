import { Command } from 'commander';
import { listSnapshots, listSources, SnapshotListing } from '../../../lambdas/catalog/catalog';
import { keysOf } from '../../../lambdas/catalog/snapshot-kind';
import { storeFor } from '../context';
import { formatBytes, printJson } from '../output';
import { snapshotLine } from '../snapshot-text';

function line(s: SnapshotListing, source: string): string {
  if (s.manifest) return `${snapshotLine(s.manifest)}  committed`;
  return `${s.snapshotId}  ${source}  -    ${'-'.padEnd(11)}  ${'-'.padStart(10)} keys  ${'-'.padStart(10)} raw  ${formatBytes(s.storedBytes).padStart(10)} stored  incomplete (no manifest)`;
}

export function listCommand(): Command {
  return new Command('list')
    .description('list snapshots, newest first, with sizes and status (all sources, or the one named by --name)')
    .action(async (_flags: unknown, command: Command) => {
      const { store, globals } = storeFor(command);
      const sources = globals.name !== undefined ? [globals.name] : await listSources(store);
      const all: Array<{ source: string; snapshots: SnapshotListing[] }> = [];
      for (const source of sources) all.push({ source, snapshots: await listSnapshots(store, source) });
      if (globals.json) {
        printJson(all.map(({ source, snapshots }) => ({
          source,
          snapshots: snapshots.map((s) => ({ snapshotId: s.snapshotId, kind: s.manifest?.kind ?? null, status: s.status, takenAt: s.takenAt.toISOString(), storedBytes: s.storedBytes, rawBytes: s.manifest?.raw.bytes ?? null, keys: s.manifest ? keysOf(s.manifest) : null, method: s.manifest?.method ?? null })),
        })));
        return;
      }
      if (all.every((a) => a.snapshots.length === 0)) {
        process.stdout.write(`No snapshots in ${store.url}\n`);
        return;
      }
      for (const { source, snapshots } of all) for (const s of snapshots) process.stdout.write(`${line(s, source)}\n`);
    });
}
