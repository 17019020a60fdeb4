import { RdbEntry } from '../rdb/entry';
import { RestoreError } from './errors';

export interface KeyFilterOptions {
  /** Only keys of these source databases (all when empty/undefined). */
  dbs?: number[];
  /** Source db -> target db (others keep their number). */
  dbMap?: Record<number, number>;
  /** Only keys matching one of these Redis glob patterns. */
  match?: string[];
  /** Only keys of these logical types (string, list, set, zset, hash, stream, module). */
  types?: string[];
}

const TYPES = new Set(['string', 'list', 'set', 'zset', 'hash', 'stream', 'module']);

/** Converts a Redis glob (*, ?, [abc], [^a-z], \x) to a RegExp over latin1 text (one char per byte). */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '\\' && i + 1 < glob.length) re += `\\x${glob.charCodeAt(++i).toString(16).padStart(2, '0')}`;
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      const escaped = body.replace(/\\(.)/g, (_m, ch: string) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).replace(/[\]^]/g, '\\$&');
      re += `[${negate ? '^' : ''}${escaped}]`;
      i = close;
    } else re += `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  }
  return new RegExp(`^${re}$`);
}

/** Decides which keys a restore writes, and into which database. */
export class KeyFilter {
  private readonly dbs: Set<number> | null;
  private readonly patterns: RegExp[];
  private readonly types: Set<string> | null;

  constructor(private readonly options: KeyFilterOptions) {
    this.dbs = options.dbs && options.dbs.length > 0 ? new Set(options.dbs) : null;
    this.patterns = (options.match ?? []).map(globToRegExp);
    for (const t of options.types ?? []) {
      if (!TYPES.has(t)) throw new RestoreError('RESTORE_BAD_REQUEST', `Unknown key type ${JSON.stringify(t)}: use ${[...TYPES].join(', ')}`);
    }
    this.types = options.types && options.types.length > 0 ? new Set(options.types) : null;
  }

  /** The target db of a source db. */
  targetDb(db: number): number {
    return this.options.dbMap?.[db] ?? db;
  }

  /** True if the entry passes every filter. */
  accepts(entry: RdbEntry): boolean {
    if (this.dbs !== null && !this.dbs.has(entry.db)) return false;
    if (this.types !== null && !this.types.has(entry.type)) return false;
    if (this.patterns.length > 0) {
      const name = entry.key.toString('latin1');
      if (!this.patterns.some((p) => p.test(name))) return false;
    }
    return true;
  }

  /** True if the filter drops nothing (every key of every db is written). */
  get isPassThrough(): boolean {
    return this.dbs === null && this.types === null && this.patterns.length === 0;
  }
}
