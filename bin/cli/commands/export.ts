import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { Command, Option } from 'commander';
import { exportRdb, ExportFormat } from '../../../lambdas/rdb';
import { writeOut } from '../output';

interface ExportFlags {
  format: ExportFormat;
  sort?: boolean;
  output?: string;
}

export function exportCommand(): Command {
  return new Command('export')
    .description('print every key of an RDB file as JSON (the fixtures\' ground-truth shape)')
    .argument('<file>', 'RDB file to export')
    .addOption(new Option('--format <format>', 'json: one document; jsonl: one key per line').choices(['json', 'jsonl']).default('json'))
    .option('--sort', 'sort keys by db and key bytes (holds all keys in memory)')
    .option('-o, --output <file>', 'write to a file instead of standard output')
    .action(async (file: string, flags: ExportFlags) => {
      const source = createReadStream(file, { highWaterMark: 1 << 20 });
      if (flags.output === undefined) {
        await exportRdb(source, writeOut, { format: flags.format, sort: flags.sort });
        return;
      }
      const sink = createWriteStream(flags.output);
      const write = async (text: string): Promise<void> => {
        if (!sink.write(text)) await once(sink, 'drain');
      };
      try {
        await exportRdb(source, write, { format: flags.format, sort: flags.sort });
      } finally {
        sink.end();
        await once(sink, 'close');
      }
    });
}
