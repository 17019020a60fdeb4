import { RestoreReport } from '../../lambdas/restore/restore';

/** The human-readable restore report. */
export function describeRestore(r: RestoreReport): string {
  const lines = [
    `${r.status === 'dry-run' ? 'Dry run (nothing written)' : 'Restored'} ${r.snapshotId} of ${r.source} into ${r.target} (restore ${r.restoreId}${r.resumedFromChunk > 0 ? `, resumed at chunk ${r.resumedFromChunk}` : ''})`,
    `  keys: ${r.counters.read} read, ${r.counters.written} ${r.status === 'dry-run' ? 'to write' : 'written'} (${r.writes.restored} RESTORE, ${r.writes.rewritten} rewritten), ${r.counters.skippedExpired} already expired, ${r.counters.filtered} filtered out, ${r.writes.failed} failed`,
  ];
  if (r.functions.length > 0) lines.push(`  functions: ${r.functions.join(', ')}`);
  for (const l of r.writes.lossy) lines.push(`  dropped: ${l}`);
  for (const e of r.writes.errors) lines.push(`  error: db ${e.db} ${JSON.stringify(e.key)}: ${e.error}`);
  const v = r.verification;
  if (v.counts !== 'not comparable') for (const c of v.counts) lines.push(`  db ${c.db}: ${c.actual} keys on the target, ${c.expected} expected`);
  if (v.sample) lines.push(`  sample: ${v.sample.checked} keys compared, ${v.sample.mismatched.length} differ${v.sample.mismatched.map((m) => `\n    ${m.key}: ${m.problem}`).join('')}`);
  if (r.status !== 'dry-run') lines.push(`  verification: ${v.ok ? 'ok' : 'FAILED'}`);
  return `${lines.join('\n')}\n`;
}
