import { AofSnapshotManifest } from '../../lambdas/catalog/aof-manifest';
import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { AnySnapshotManifest, isAofManifest } from '../../lambdas/catalog/snapshot-kind';
import { formatBytes } from './output';

/** One line per snapshot for `backup`, `import` and `list`: id, source, kind, method, keys (rdb) or files (aof), sizes. */
export function snapshotLine(m: AnySnapshotManifest): string {
  const ratio = m.raw.bytes > 0 ? ` (${((m.stored.bytes / m.raw.bytes) * 100).toFixed(0)}%)` : '';
  const count = isAofManifest(m) ? `${String(m.files.length).padStart(10)} ${m.files.length === 1 ? 'file ' : 'files'}` : `${String(m.keys.total).padStart(10)} keys`;
  return `${m.snapshotId}  ${m.source}  ${m.kind}  ${m.method.padEnd(11)}  ${count}  ${formatBytes(m.raw.bytes).padStart(10)} raw  ${formatBytes(m.stored.bytes).padStart(10)} stored${ratio}`;
}

function header(m: AnySnapshotManifest): string[] {
  return [
    `Snapshot:    ${m.snapshotId} of ${m.source}`,
    `Kind:        ${m.kind}`,
    `Taken:       ${m.startedAt} to ${m.finishedAt} (${(m.timings.totalMs / 1000).toFixed(1)} s; first byte after ${(m.timings.firstByteMs / 1000).toFixed(1)} s)`,
    `Method:      ${m.method}${m.endpoint ? ` from ${m.endpoint}` : ''}${m.importedFrom ? ` from ${m.importedFrom}` : ''}`,
    `Server:      ${m.server ? `${m.server.engine} ${m.server.version}${m.server.role ? ` (${m.server.role})` : ''}` : 'unknown'}`,
  ];
}

function time(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function describeAof(m: AofSnapshotManifest): string {
  const a = m.aof;
  const lines = header(m);
  lines.push(`AOF:         ${a.layout}${a.dirName ? ` in ${a.dirName}/` : ''}${a.manifestName ? `, manifest ${a.manifestName}` : ''}`);
  lines.push(`Base:        ${a.rdbVersion !== null ? `RDB version ${a.rdbVersion} preamble, ${m.baseKeys ?? 0} keys` : 'commands (no RDB preamble)'}`);
  if (a.timestamps) lines.push(`Timestamps:  ${time(a.timestamps.first)} to ${time(a.timestamps.last)}`);
  lines.push(`Files:       ${m.files.length}`);
  for (const f of m.files) {
    const seq = f.seq !== null ? ` seq ${f.seq}` : '';
    const what = f.type === 'manifest' ? 'AOF manifest' : `${f.format === 'rdb' ? 'RDB + ' : ''}${f.commands} commands`;
    const tail = f.truncatedTail ? `; truncated tail: ${f.truncatedTail.bytes} bytes from byte ${f.truncatedTail.at} (${f.truncatedTail.reason})` : '';
    lines.push(`  ${f.type.padEnd(8)} ${f.name}${seq}: ${what}, ${formatBytes(f.raw.bytes)} raw, ${formatBytes(f.stored.bytes)} stored${tail}`);
    lines.push(`           raw sha256 ${f.raw.sha256}, stored sha256 ${f.stored.sha256}`);
  }
  lines.push(`Raw:         ${formatBytes(m.raw.bytes)}`);
  lines.push(`Stored:      ${formatBytes(m.stored.bytes)} ${m.stored.compression.algorithm} level ${m.stored.compression.level}`);
  return `${lines.join('\n')}\n`;
}

function describeRdb(m: SnapshotManifest): string {
  const lines = [
    ...header(m),
    `RDB:         version ${m.rdb.version}, checksum ${m.rdb.checksum}${m.rdb.crc64 ? ` (${m.rdb.crc64})` : ''}`,
    `Replication: ${m.rdb.replId ? `${m.rdb.replId} offset ${m.rdb.replOffset}` : 'none recorded'}`,
    `Keys:        ${m.keys.total} (${m.keys.expiring} with an expiry)`,
  ];
  for (const [db, k] of Object.entries(m.keys.byDb)) {
    lines.push(`  db ${db}: ${k.keys} keys, ${k.expiring} expiring; ${Object.entries(k.byType).map(([t, n]) => `${t} ${n}`).join(', ')}`);
  }
  if (m.functions.length > 0) lines.push(`Functions:   ${m.functions.join(', ')}`);
  lines.push(`Raw:         ${formatBytes(m.raw.bytes)} sha256 ${m.raw.sha256}`);
  lines.push(`Stored:      ${formatBytes(m.stored.bytes)} ${m.stored.compression.algorithm} level ${m.stored.compression.level} sha256 ${m.stored.sha256}`);
  lines.push(`Chunks:      ${m.chunks.length}`);
  return `${lines.join('\n')}\n`;
}

/** The `show` description of a manifest of either kind. */
export function describeManifest(m: AnySnapshotManifest): string {
  return isAofManifest(m) ? describeAof(m) : describeRdb(m);
}
