import { RdbReader } from '../reader';
import { RdbRecord } from '../records';
import { exportEntry } from './export-entry';
import { ScoreFormat, scoreFormatFor } from './score-format';

export type ExportFormat = 'json' | 'jsonl';

export interface ExportOptions {
  /** 'json': one document like the fixtures' ground truth; 'jsonl': one key object per line. */
  format: ExportFormat;
  /** Sort keys by db then key bytes (holds every exported key in memory until the end). */
  sort?: boolean;
  /** Override the zset score format (default: the one of the server that wrote the file). */
  scoreFormat?: ScoreFormat;
}

export interface ExportResult {
  keys: number;
}

interface Pending {
  db: number;
  key: Buffer;
  line: string;
}

/**
 * Streams `source` through the RDB reader and writes the export text through
 * `write` (awaited after every input chunk, so a slow sink applies back-pressure).
 */
export async function exportRdb(
  source: AsyncIterable<Buffer | Uint8Array>,
  write: (text: string) => Promise<void> | void,
  options: ExportOptions,
): Promise<ExportResult> {
  // Files without a valkey-ver aux field come from Redis (RDB < 7 has no aux fields at all).
  let server: 'redis' | 'valkey' = 'redis';
  let version: string | null = null;
  let rdbVersion = 0;
  const functions: string[] = [];
  let scoreFormat: ScoreFormat | null = options.scoreFormat ?? null;
  let out: string[] = [];
  const sorted: Pending[] = [];
  let keys = 0;
  let headerWritten = false;

  const header = (): string => {
    const head: Record<string, unknown> = { server, version };
    if (functions.length > 0) head.functions = functions;
    return `${JSON.stringify(head).slice(0, -1)},"keys":[\n`;
  };

  const onRecord = (r: RdbRecord): void => {
    switch (r.kind) {
      case 'header':
        rdbVersion = r.version;
        break;
      case 'aux': {
        const key = r.key.toString('latin1');
        if (key === 'valkey-ver') {
          server = 'valkey';
          version = r.value.toString('utf8');
        } else if (key === 'redis-ver' && server !== 'valkey') {
          version = r.value.toString('utf8');
        }
        break;
      }
      case 'function':
        functions.push(r.name);
        break;
      case 'entry': {
        scoreFormat ??= scoreFormatFor(server, version, rdbVersion);
        const line = JSON.stringify(exportEntry(r.entry, scoreFormat));
        if (options.sort) {
          sorted.push({ db: r.entry.db, key: r.entry.key, line });
        } else {
          if (options.format === 'json') {
            if (!headerWritten) {
              out.push(header());
              headerWritten = true;
            } else {
              out.push(',\n');
            }
          }
          out.push(options.format === 'json' ? line : `${line}\n`);
        }
        keys++;
        break;
      }
      default:
        break;
    }
  };

  const flush = async (): Promise<void> => {
    if (out.length === 0) return;
    const text = out.join('');
    out = [];
    await write(text);
  };

  const reader = new RdbReader({ onRecord });
  for await (const chunk of source) {
    reader.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    await flush();
  }
  reader.end();

  if (options.sort) {
    sorted.sort((a, b) => a.db - b.db || Buffer.compare(a.key, b.key));
    if (options.format === 'json') {
      out.push(header());
      headerWritten = true;
      out.push(sorted.map((p) => p.line).join(',\n'));
    } else {
      for (const p of sorted) out.push(`${p.line}\n`);
    }
  }
  if (options.format === 'json') {
    if (!headerWritten) out.push(header());
    out.push(keys > 0 ? '\n]}\n' : ']}\n');
  }
  await flush();
  return { keys };
}
