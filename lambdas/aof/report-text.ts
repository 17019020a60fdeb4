import { formatBytes } from '../format-bytes';
import { AofFileReport, AofVerifyReport } from './verify';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

function fileLine(f: AofFileReport): string {
  const what: string[] = [];
  if (f.rdb !== undefined) {
    const crc = f.rdb.checksum === 'ok' ? `checksum ok` : f.rdb.checksum === 'none' ? 'no checksum' : `checksum ${f.rdb.checksum}`;
    what.push(`RDB ${f.rdb.version} (${plural(f.rdb.keys, 'key')}, ${crc})`);
  } else if (f.format === 'rdb') {
    what.push('RDB');
  }
  if (f.rdb === undefined || f.commands > 0) what.push(plural(f.commands, 'command'));
  if (f.timestamps > 0) what.push(plural(f.timestamps, 'timestamp'));
  const tail = f.truncatedTail !== undefined ? `, truncated tail: ${f.truncatedTail.bytes} bytes from byte ${f.truncatedTail.at}` : '';
  const status = f.error !== undefined ? `, INVALID (${f.error.code})` : '';
  return `  ${f.type} ${f.name}: ${formatBytes(f.size)}, ${what.join(' + ')}${tail}${status}, sha256 ${f.sha256}`;
}

/**
 * The text of `redis-backup verify` for an AOF: an OK or FAIL line, a line per file,
 * then problems and warnings. `ok` text goes to standard output, a failure to standard error.
 */
export function formatAofReport(r: AofVerifyReport): string {
  const kind = r.kind === 'multi-part' ? `multi-part AOF (${r.manifest?.name ?? 'manifest'}), ${plural(r.files.length, 'file')}` : 'single-file AOF';
  const lines = [`${r.ok ? 'OK' : 'FAIL'} ${r.path}: ${kind}, ${plural(r.commands, 'command')}, ${formatBytes(r.bytes)}, ${r.seconds.toFixed(2)} s`];
  for (const f of r.files) lines.push(fileLine(f));
  for (const p of r.problems) lines.push(`  problem: ${p.message}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
