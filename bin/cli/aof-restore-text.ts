import { AofSnapshotFileReport, AofSnapshotLoadReport } from '../../lambdas/restore/aof';

/** The human-readable report of an AOF snapshot replayed into a server. */
export function describeAofRestore(r: AofSnapshotLoadReport): string {
  const dry = r.status === 'dry-run';
  const lines = [`${dry ? 'Dry run (nothing written)' : 'Replayed'} AOF snapshot ${r.snapshotId} into ${r.target}${dry ? '' : ` (restore ${r.restoreId})`}`];
  for (const f of r.files) {
    const base = f.baseKeys !== null ? `${f.baseKeys} base keys, ` : '';
    const tail = f.truncatedTail ? `; truncated tail of ${f.truncatedTail.bytes} bytes from byte ${f.truncatedTail.at} dropped (${f.truncatedTail.reason})` : '';
    const sent = dry ? '' : `, ${f.sent} sent, ${f.skipped} filtered out`;
    lines.push(`  ${f.name}: ${f.bytes} bytes, ${base}${f.commands} commands${sent}${f.replayed === 'whole' ? '' : ` (${f.replayed})`}${tail}`);
  }
  if (!dry) {
    const k = r.keys;
    lines.push(`  base keys: ${k.read} read, ${k.written} written (${k.restored} RESTORE, ${k.rewritten} rewritten), ${k.skippedExpired} already expired, ${k.filtered} filtered out, ${k.failed} failed`);
    lines.push(`  commands: ${r.commands.sent} sent, ${r.commands.skipped} filtered out, ${r.commands.droppedOpenMulti} of an unfinished MULTI dropped`);
  }
  if (r.functions.length > 0) lines.push(`  functions: ${r.functions.join(', ')}`);
  if (r.until) lines.push(`  until ${r.until.time}: ${r.until.stoppedAt ? `stopped at ${r.until.stoppedAt.file} byte ${r.until.stoppedAt.offset} (#TS ${r.until.stoppedAt.timestamp})` : r.until.withoutTimestamps ? 'the AOF has no timestamps: replayed whole' : 'no later timestamp: replayed whole'}`);
  for (const l of r.lossy) lines.push(`  dropped: ${l}`);
  if (r.serverErrors.count > 0) lines.push(`  ${r.serverErrors.count} error replies from the target${r.serverErrors.first.map((e) => `\n    ${e.file} ${e.command}: ${e.error}`).join('')}`);
  if (!dry) lines.push(`  result: ${r.ok ? 'ok' : 'FAILED'}`);
  return `${lines.join('\n')}\n`;
}

/** The human-readable report of an AOF snapshot written into a data directory. */
export function describeAofFileRestore(r: AofSnapshotFileReport): string {
  const lines = [`Wrote ${r.path} from AOF snapshot ${r.snapshotId} (restore ${r.restoreId})`];
  for (const f of r.files) lines.push(`  ${f.name}: ${f.bytes} bytes, sha256 ${f.sha256}`);
  lines.push(`  start a server on it with: ${r.startWith}`);
  return `${lines.join('\n')}\n`;
}
