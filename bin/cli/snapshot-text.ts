import { SnapshotManifest } from '../../lambdas/catalog/manifest';
import { formatBytes } from './output';

/** One line per snapshot for `backup`, `import` and `list`. */
export function snapshotLine(m: SnapshotManifest): string {
  const ratio = m.raw.bytes > 0 ? ` (${((m.stored.bytes / m.raw.bytes) * 100).toFixed(0)}%)` : '';
  return `${m.snapshotId}  ${m.source}  ${m.method.padEnd(11)}  ${String(m.keys.total).padStart(10)} keys  ${formatBytes(m.raw.bytes).padStart(10)} raw  ${formatBytes(m.stored.bytes).padStart(10)} stored${ratio}`;
}

/** The `show` description of a manifest. */
export function describeManifest(m: SnapshotManifest): string {
  const lines = [
    `Snapshot:    ${m.snapshotId} of ${m.source}`,
    `Taken:       ${m.startedAt} to ${m.finishedAt} (${(m.timings.totalMs / 1000).toFixed(1)} s; first byte after ${(m.timings.firstByteMs / 1000).toFixed(1)} s)`,
    `Method:      ${m.method}${m.endpoint ? ` from ${m.endpoint}` : ''}${m.importedFrom ? ` from ${m.importedFrom}` : ''}`,
    `Server:      ${m.server ? `${m.server.engine} ${m.server.version}${m.server.role ? ` (${m.server.role})` : ''}` : 'unknown'}`,
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
