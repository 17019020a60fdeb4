#!/usr/bin/env node
/**
 * The whole main job on local defaults: two throwaway redis-servers, a sample
 * dataset, a backup of the first into ./backups, a verified restore into the
 * second, and the report. Both servers are stopped at the end.
 */
import { runBackup } from '../lambdas/backup/run-backup';
import { verifySnapshot } from '../lambdas/catalog/verify-snapshot';
import { restoreIntoServer } from '../lambdas/restore/restore';
import { LocalStore } from '../lambdas/store/local-store';
import { writeSampleData } from '../test/backup/sample-data';
import { RedisServer } from '../test/helpers/redis-server';
import { formatBytes } from './cli/output';
import { describeRestore } from './cli/restore-text';
import { snapshotLine } from './cli/snapshot-text';

async function main(): Promise<number> {
  const config = { 'repl-diskless-sync': 'yes', 'repl-diskless-sync-delay': 0 };
  const source = await RedisServer.start({ config });
  const target = await RedisServer.start({ config });
  try {
    process.stdout.write(`Source redis-server on ${source.url}, target on ${target.url}\n`);
    await writeSampleData(source.client(), { bigValues: 2000 });
    process.stdout.write(`Wrote a sample dataset (${await source.client().dbsize()} keys in db 0, more in dbs 1 and 5)\n`);

    const store = new LocalStore('./backups');
    const manifest = await runBackup({ store, source: 'demo', endpoint: { host: source.host, port: source.port }, chunkBytes: 256 << 10 });
    process.stdout.write(`Backed up into ./backups:\n  ${snapshotLine(manifest)}\n`);

    const check = await verifySnapshot(store, 'demo', manifest.snapshotId);
    process.stdout.write(`Verified the stored snapshot: ${check.ok ? 'ok' : check.problems.join('; ')} (${check.chunks.length} chunks, ${formatBytes(check.raw.bytes)} raw)\n`);

    const report = await restoreIntoServer({ store, source: 'demo', selector: manifest.snapshotId, target: { host: target.host, port: target.port } });
    process.stdout.write(describeRestore(report));
    return check.ok && report.verification.ok ? 0 : 1;
  } finally {
    await source.stop();
    await target.stop();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
