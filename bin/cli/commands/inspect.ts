import { Command } from 'commander';
import { RdbSummary, verifyRdbFile } from '../../../lambdas/rdb';
import { formatBytes, printJson } from '../output';
import { globalOptions } from '../global-options';

interface InspectFlags {
  top: string;
}

function describeAux(aux: Record<string, string>): string[] {
  return Object.entries(aux).map(([k, v]) => {
    if (k === 'ctime' && /^\d+$/.test(v)) return `${k}=${v} (${new Date(Number(v) * 1000).toISOString()})`;
    if (k === 'used-mem' && /^\d+$/.test(v)) return `${k}=${v} (${formatBytes(Number(v))})`;
    if (k === 'lua') return `${k}=<script, ${v.length} bytes>`;
    return `${k}=${v}`;
  });
}

function render(file: string, s: RdbSummary): string {
  const lines: string[] = [];
  lines.push(`File:        ${file} (${formatBytes(s.bytes)})`);
  lines.push(`RDB version: ${s.rdbVersion}`);
  lines.push(`Written by:  ${s.serverVersion ? `${s.server} ${s.serverVersion}` : 'unknown (no aux fields)'}`);
  lines.push(`Checksum:    ${s.checksum === 'ok' ? `ok (${s.storedCrc})` : s.checksum === 'none' ? 'none (rdbchecksum no)' : 'absent (RDB version < 5)'}`);
  const aux = describeAux(s.aux);
  if (aux.length > 0) {
    lines.push('Aux fields:');
    for (const a of aux) lines.push(`  ${a}`);
  }
  lines.push(`Keys:        ${s.keys} (${s.expiring} with an expiry)`);
  for (const db of s.dbs) {
    lines.push(`  db ${db.db}: ${db.keys} keys, ${db.expiring} expiring`);
    for (const [enc, n] of Object.entries(db.byEncoding).sort()) lines.push(`    ${enc.padEnd(28)} ${n}`);
  }
  if (s.functions.length > 0) {
    lines.push('Functions:');
    for (const f of s.functions) lines.push(`  ${f.name} (${f.engine}, ${f.bytes} bytes)`);
  }
  if (s.moduleAux.length > 0) {
    lines.push('Module aux data:');
    for (const m of s.moduleAux) lines.push(`  ${m.module} (${m.when === 1 ? 'before' : 'after'} keys, ${m.bytes} bytes)`);
  }
  if (s.slotInfo > 0) lines.push(`Slot info records: ${s.slotInfo}`);
  if (s.biggestKeys.length > 0) {
    lines.push('Biggest keys (serialized size):');
    for (const k of s.biggestKeys) lines.push(`  ${formatBytes(k.size).padStart(10)}  db ${k.db}  ${`${k.type}/${k.encoding}`.padEnd(20)} ${JSON.stringify(k.key)}`);
  }
  return `${lines.join('\n')}\n`;
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description('describe an RDB file: version, aux fields, keys per db by type and encoding, biggest keys, functions')
    .argument('<file>', 'RDB file to inspect')
    .option('--top <n>', 'how many of the biggest keys to list', '10')
    .action(async (file: string, flags: InspectFlags, cmd: Command) => {
      const { json } = globalOptions(cmd);
      const top = Number(flags.top);
      if (!Number.isInteger(top) || top < 0) throw new Error(`--top takes a whole number, not ${JSON.stringify(flags.top)}`);
      const summary = await verifyRdbFile(file, { topKeys: top, allowTrailing: true, emptyKeys: 'skip' });
      if (json) printJson({ file, ...summary });
      else process.stdout.write(render(file, summary));
    });
}
