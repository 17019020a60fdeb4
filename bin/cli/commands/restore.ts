import { Command, Option } from 'commander';
import { RedisEndpoint } from '../../../lambdas/capture/endpoint';
import { RestoreError } from '../../../lambdas/restore/errors';
import type { restoreSnapshot } from '../../../lambdas/restore/restore';
import { SnapshotStore } from '../../../lambdas/store/store';
import { ConnectionFlags, endpointFrom, sourceNameFor, storeFor } from '../context';
import { printJson } from '../output';
import { describeAofFileRestore, describeAofRestore } from '../aof-restore-text';
import { describeRestore } from '../restore-text';
import { progressBar } from '../progress';
import { parseSelector } from '../selector';

interface RestoreFlags extends ConnectionFlags {
  target: string;
  dbfilename?: string;
  asReplicaOf?: string;
  startReplica?: string;
  repoint?: string;
  before?: string;
  flush?: boolean;
  replace?: boolean;
  db: string[];
  dbMap: string[];
  match: string[];
  type: string[];
  allowLossy?: boolean;
  dryRun?: boolean;
  resume?: string;
  sample: string;
  until?: string;
  untilWithoutTimestamps?: boolean;
  force?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

function parseDbMap(items: string[]): Record<number, number> {
  const map: Record<number, number> = {};
  for (const item of items) {
    const m = /^(\d+):(\d+)$/.exec(item);
    if (!m) throw new RestoreError('RESTORE_BAD_REQUEST', `--db-map takes SOURCE:TARGET database numbers such as 0:3, not ${JSON.stringify(item)}`);
    map[Number(m[1])] = Number(m[2]);
  }
  return map;
}

function parseDbs(items: string[]): number[] {
  return items.map((d) => {
    if (!/^\d+$/.test(d)) throw new RestoreError('RESTORE_BAD_REQUEST', `--db takes a database number, not ${JSON.stringify(d)}`);
    return Number(d);
  });
}

export function restoreCommand(): Command {
  return new Command('restore')
    .description('rebuild a server from a snapshot: every chunk verified before any key from it is written')
    .argument('<id>', "a snapshot id, or 'latest'")
    .option('--before <time>', "with 'latest': the newest snapshot taken at or before this ISO time")
    .addOption(new Option('--target <url>', 'where to restore: redis://[user:password@]host:port, rediss://..., cluster://host:port,host:port (a Redis Cluster), or dir:/path (write dump.rdb into a data directory)').env('REDIS_BACKUP_TARGET').makeOptionMandatory())
    .option('--dbfilename <name>', 'dir: the RDB file name the server will load', 'dump.rdb')
    .option('--as-replica-of <host:port>', 'dir: report whether a server started on the file can partially resync with this master')
    .option('--start-replica <url>', 'dir: a server started on the directory; point it at --as-replica-of and report how it synced')
    .option('--repoint <host:port,...>', 'after loading a new primary, make these replicas replicate from it and wait for their links')
    .addOption(new Option('--password <password>', 'target password when the URL has none').env('REDIS_BACKUP_TARGET_PASSWORD'))
    .option('--user <user>', 'target ACL user')
    .option('--tls-ca <file>', 'CA certificate (PEM) to verify the target with')
    .option('--tls-cert <file>', 'client certificate (PEM)')
    .option('--tls-key <file>', 'client private key (PEM)')
    .option('--tls-servername <name>', 'server name for SNI and certificate checks')
    .option('--flush', 'empty the target first (FLUSHALL, FUNCTION FLUSH)')
    .option('--replace', 'overwrite keys that exist on the target')
    .option('--db <n>', 'only keys of this source database (repeatable)', collect, [])
    .option('--db-map <from:to>', 'write keys of source db FROM into target db TO (repeatable)', collect, [])
    .option('--match <glob>', 'only keys matching this pattern (repeatable)', collect, [])
    .option('--type <type>', 'only keys of this type: string, list, set, zset, hash, stream, module (repeatable)', collect, [])
    .option('--allow-lossy', 'rewrite keys the target cannot represent, dropping what it cannot hold (reported)')
    .option('--dry-run', 'verify the snapshot and report what would be written, writing nothing')
    .option('--resume <restoreId>', 'continue an interrupted restore from its last completed chunk')
    .option('--sample <n>', 'keys compared value by value with the snapshot at the end', '100')
    .option('--until <time>', 'AOF snapshots: stop the replay at the first #TS: annotation later than this ISO time')
    .option('--until-without-timestamps', 'AOF snapshots with --until: replay everything when the AOF has no #TS: annotations')
    .option('--force', 'dir: with an AOF snapshot, replace an AOF already in the directory')
    .action(async (id: string, flags: RestoreFlags, command: Command) => {
      const { store, globals } = storeFor(command);
      const source = await sourceNameFor(store, globals);
      if (flags.target.startsWith('dir:')) {
        const { findAofSnapshot, restoreAofSnapshotToDirectory } = await import('../../../lambdas/restore/aof');
        const aof = await findAofSnapshot(store, source, parseSelector(id, flags.before));
        if (aof !== null) {
          const report = await restoreAofSnapshotToDirectory({ store, source, manifest: aof, dataDir: flags.target.slice('dir:'.length), force: flags.force });
          if (globals.json) printJson(report);
          else process.stdout.write(describeAofFileRestore(report));
          return;
        }
        await restoreToDir(store, source, id, flags, globals.json);
        return;
      }
      const cluster = flags.target.startsWith('cluster://') ? hostPorts(flags.target.slice('cluster://'.length), flags) : undefined;
      const target: RedisEndpoint = cluster ? cluster[0] : endpointFrom(flags.target, flags);
      const sample = Number(flags.sample);
      if (!Number.isInteger(sample) || sample < 0) throw new RestoreError('RESTORE_BAD_REQUEST', `--sample takes a whole number, not ${JSON.stringify(flags.sample)}`);
      const bar = progressBar(!globals.json);
      const until = flags.until !== undefined ? new Date(flags.until) : undefined;
      if (until !== undefined && Number.isNaN(until.getTime())) throw new RestoreError('RESTORE_BAD_REQUEST', `--until takes an ISO time such as 2026-11-25T10:00:00Z, not ${JSON.stringify(flags.until)}`);
      // The restore engine (with ioredis) loads when a restore runs, not with every command.
      const { restoreSnapshot: restore } = await import('../../../lambdas/restore/restore');
      let report: Awaited<ReturnType<typeof restoreSnapshot>>;
      try {
        report = await restore({
          store,
          source,
          selector: parseSelector(id, flags.before),
          target,
          cluster,
          flush: flags.flush,
          replace: flags.replace,
          dbs: parseDbs(flags.db),
          dbMap: parseDbMap(flags.dbMap),
          match: flags.match,
          types: flags.type,
          allowLossy: flags.allowLossy,
          dryRun: flags.dryRun,
          resume: flags.resume,
          sampleKeys: sample,
          until,
          untilWithoutTimestamps: flags.untilWithoutTimestamps,
          onProgress: (p) => bar.update(p.rawBytes, p.keys),
        });
      } finally {
        bar.stop();
      }
      const repointed = flags.repoint ? await (await import('../../../lambdas/restore/repoint')).repointReplicas(target, hostPorts(flags.repoint, flags)) : [];
      const ok = 'kind' in report ? report.ok : report.verification.ok;
      if (globals.json) printJson(flags.repoint ? { ...report, repoint: repointed } : report);
      else {
        process.stdout.write('kind' in report ? describeAofRestore(report) : describeRestore(report));
        for (const r of repointed) process.stdout.write(`  replica ${r.replica}: ${r.ok ? 'replicating from the new primary' : `FAILED: ${r.error?.message ?? 'unknown error'}`}\n`);
      }
      if (!ok || repointed.some((r) => !r.ok)) process.exitCode = 1;
    });
}

/** Endpoints from "host:port,host:port", with the target's credentials and TLS settings. */
function hostPorts(list: string, flags: ConnectionFlags): RedisEndpoint[] {
  return list.split(',').map((hp) => {
    const m = /^\[?([^\]]+?)\]?:(\d+)$/.exec(hp.trim());
    if (!m) throw new RestoreError('RESTORE_BAD_REQUEST', `Expected host:port, not ${JSON.stringify(hp)}`);
    return endpointFrom(`redis://${m[1].includes(':') ? `[${m[1]}]` : m[1]}:${m[2]}`, flags);
  });
}

async function restoreToDir(store: SnapshotStore, source: string, id: string, flags: RestoreFlags, json: boolean): Promise<void> {
  const asReplicaOf = flags.asReplicaOf ? hostPorts(flags.asReplicaOf, flags)[0] : undefined;
  const startReplica = flags.startReplica ? endpointFrom(flags.startReplica, flags) : undefined;
  const { restoreToDirectory } = await import('../../../lambdas/restore/file-restore');
  const report = await restoreToDirectory({ store, source, selector: parseSelector(id, flags.before), dir: flags.target.slice('dir:'.length), dbfilename: flags.dbfilename, asReplicaOf, startReplica });
  if (json) {
    printJson(report);
    return;
  }
  const lines = [`Wrote ${report.path} from ${report.snapshotId} of ${report.source} (${report.bytes} bytes, ${report.keys} keys; restore ${report.restoreId})`];
  if (report.partialResync) lines.push(`  partial resync with ${flags.asReplicaOf}: ${report.partialResync.possible ? 'possible' : 'not possible'}: ${report.partialResync.reason}`);
  if (report.replica) lines.push(`  replica synced: ${report.replica.sync}${report.replica.note ? ` (${report.replica.note})` : ''}`);
  lines.push(`  start a server on it with: ${report.startWith}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
