import { Command } from 'commander';
import { pruneSource, PruneReport } from '../../../lambdas/catalog/prune';
import { formatRetentionPolicy, parseRetentionPolicy, RetentionPolicy, validateRetentionPolicy } from '../../../lambdas/retention';
import { sourceNameFor, storeFor } from '../context';
import { printJson } from '../output';

interface PruneFlags {
  dryRun?: boolean;
  policy?: string;
  keepLast?: string;
  keepHourly?: string;
  keepDaily?: string;
  keepWeekly?: string;
  keepMonthly?: string;
  keepYearly?: string;
  minAgeDays?: string;
  orphanGraceHours: string;
}

function policyFrom(flags: PruneFlags): RetentionPolicy {
  if (flags.policy !== undefined) return parseRetentionPolicy(flags.policy);
  const n = (v: string | undefined): number | undefined => (v === undefined ? undefined : Number(v));
  return validateRetentionPolicy({
    keepLast: n(flags.keepLast),
    hourly: n(flags.keepHourly),
    daily: n(flags.keepDaily),
    weekly: n(flags.keepWeekly),
    monthly: n(flags.keepMonthly),
    yearly: n(flags.keepYearly),
    minAgeDays: n(flags.minAgeDays),
  });
}

function render(r: PruneReport, policy: RetentionPolicy): string {
  const lines = [`${r.dryRun ? 'Plan (dry run, nothing deleted)' : 'Pruned'} for ${r.source} with ${formatRetentionPolicy(policy)}:`];
  for (const k of r.plan.keep) lines.push(`  keep    ${k.id}  ${k.reasons.join(', ')}`);
  for (const d of r.plan.remove) lines.push(`  ${r.dryRun ? 'remove' : 'removed'}  ${d.id}`);
  for (const id of r.orphans.snapshotIds) lines.push(`  ${r.dryRun ? 'clean' : 'cleaned'}   ${id}  uncommitted data`);
  for (const u of r.orphans.abortUploads) lines.push(`  ${r.dryRun ? 'abort' : 'aborted'}   ${u.key}  incomplete upload since ${u.initiated.toISOString()}`);
  return `${lines.join('\n')}\n`;
}

export function pruneCommand(): Command {
  return new Command('prune')
    .description('apply a retention policy (keep-last plus grandfather-father-son) and clean up uncommitted data')
    .option('--dry-run', 'show the plan without deleting anything')
    .option('--policy <rules>', 'the whole policy at once, e.g. last=7,daily=14,weekly=8,monthly=12,yearly=3,min-age-days=1')
    .option('--keep-last <n>', 'keep the n newest snapshots')
    .option('--keep-hourly <n>', 'keep the newest snapshot of each of the last n hours that have one')
    .option('--keep-daily <n>', 'likewise for days (UTC)')
    .option('--keep-weekly <n>', 'likewise for ISO weeks')
    .option('--keep-monthly <n>', 'likewise for months')
    .option('--keep-yearly <n>', 'likewise for years')
    .option('--min-age-days <n>', 'never remove snapshots younger than n days')
    .option('--orphan-grace-hours <n>', 'leave uncommitted data younger than this alone (a backup may be running)', '24')
    .action(async (flags: PruneFlags, command: Command) => {
      const { store, globals } = storeFor(command);
      const source = await sourceNameFor(store, globals);
      const policy = policyFrom(flags);
      const grace = Number(flags.orphanGraceHours);
      if (!Number.isFinite(grace) || grace < 0) throw new Error(`--orphan-grace-hours takes a non-negative number, not ${flags.orphanGraceHours}`);
      const report = await pruneSource(store, source, { policy, dryRun: flags.dryRun, orphanGraceMs: grace * 3_600_000 });
      if (globals.json) printJson(report);
      else process.stdout.write(render(report, policy));
    });
}
