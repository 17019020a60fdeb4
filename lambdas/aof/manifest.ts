import { AofError } from './errors';
import { isSpace, splitArgs } from './split-args';

/** The manifest of a multi-part AOF (Redis 7.0+): `appendonly.aof.manifest` in `appendonlydir/`. */

export type AofFileType = 'base' | 'history' | 'incr';

export interface ManifestEntry {
  /** A bare file name in the manifest's directory. */
  file: string;
  seq: number;
  type: AofFileType;
  /** 1-based line number in the manifest. */
  line: number;
}

export interface AofManifest {
  /** Every record, in manifest order. */
  entries: ManifestEntry[];
  base: ManifestEntry | null;
  /** In load order. */
  incrs: ManifestEntry[];
  history: ManifestEntry[];
}

/** Redis reads the manifest with a 1025-byte buffer: a record line holds at most 1024 bytes with its newline. */
export const MANIFEST_MAX_LINE = 1024;

const TYPES: Record<string, AofFileType> = { b: 'base', h: 'history', i: 'incr' };

const HINT = 'Redis refuses to start with this manifest; repair it by hand (one "file <name> seq <n> type b|h|i" line each) or use another copy of the AOF directory';

/**
 * Parses a manifest with Redis's rules (aofLoadManifestFromFile): `#` lines are
 * comments, other lines are tokenized like a shell line (sdssplitargs) into at least
 * 6 key/value tokens; `file`, `seq` (non-zero) and `type` are required, keys are
 * case-insensitive and unknown keys ignored; `file` must be a bare name; at most one
 * base; incr sequence numbers strictly increase; a line must end in a newline and fit
 * in 1024 bytes; a blank line or an empty file is an error.
 */
export function parseManifest(data: Buffer, name = 'appendonly.aof.manifest'): AofManifest {
  const manifest: AofManifest = { entries: [], base: null, incrs: [], history: [] };
  let maxSeq = 0;
  let lineNo = 0;
  let pos = 0;
  while (pos < data.length) {
    // fgets: up to 1024 bytes, or through the first newline.
    const nl = data.indexOf(0x0a, pos);
    const end = nl !== -1 && nl - pos < MANIFEST_MAX_LINE ? nl + 1 : Math.min(data.length, pos + MANIFEST_MAX_LINE);
    const start = pos;
    pos = end;
    lineNo++;
    const fail = (reason: string): AofError => new AofError('AOF_MANIFEST_INVALID', reason, { offset: start, line: lineNo, file: name }, HINT);
    // Redis handles the line as a C string: it stops at a NUL byte.
    let raw = data.subarray(start, end);
    const nul = raw.indexOf(0);
    if (nul !== -1) raw = raw.subarray(0, nul);
    if (raw[0] === 0x23) continue;
    if (raw.indexOf(0x0a) === -1) {
      throw fail(end - start >= MANIFEST_MAX_LINE ? `Line longer than ${MANIFEST_MAX_LINE} bytes` : 'Line without a newline (a manifest Redis writes ends every line in \\n)');
    }
    const line = trim(raw.toString('latin1'));
    if (line.length === 0) throw fail('Blank line');
    const tokens = splitArgs(line);
    if (tokens === null) throw fail('Unbalanced quotes');
    if (tokens.length < 6 || tokens.length % 2 !== 0) throw fail(`Expected key/value pairs (at least file, seq and type), found ${tokens.length} token${tokens.length === 1 ? '' : 's'}`);
    let file: string | null = null;
    let seq = 0;
    let type = '';
    for (let i = 0; i < tokens.length; i += 2) {
      const key = tokens[i].toLowerCase();
      const value = tokens[i + 1];
      if (key === 'file') {
        if (value.includes('/') || value.includes('\\')) throw fail(`File name ${JSON.stringify(value)} is a path; the manifest names files in its own directory`);
        file = value;
      } else if (key === 'seq') {
        seq = atoll(value);
      } else if (key === 'type') {
        type = value.length > 0 ? value[0] : '';
      }
    }
    if (file === null || seq === 0 || type === '') {
      throw fail(`Record without ${file === null ? 'a file name' : seq === 0 ? 'a (non-zero) seq' : 'a type'}`);
    }
    const kind = TYPES[type];
    if (kind === undefined) throw fail(`Unknown file type ${JSON.stringify(type)} (expected b, h or i)`);
    // Kept as latin1 text, one character per byte of the name.
    const entry: ManifestEntry = { file, seq, type: kind, line: lineNo };
    if (kind === 'base') {
      if (manifest.base !== null) throw fail(`A second base file (${JSON.stringify(file)}; the first is on line ${manifest.base.line})`);
      manifest.base = entry;
    } else if (kind === 'history') {
      manifest.history.push(entry);
    } else {
      if (seq <= maxSeq) throw fail(`Incr file ${JSON.stringify(file)} has seq ${seq}, not above the previous incr file's ${maxSeq}`);
      maxSeq = seq;
      manifest.incrs.push(entry);
    }
    manifest.entries.push(entry);
  }
  if (lineNo === 0) throw new AofError('AOF_MANIFEST_INVALID', 'Empty manifest', { offset: 0, file: name }, HINT);
  return manifest;
}

/** The files Redis loads, in order: the base (if any), then the incr files. */
export function loadOrder(manifest: AofManifest): ManifestEntry[] {
  return manifest.base === null ? [...manifest.incrs] : [manifest.base, ...manifest.incrs];
}

/** sdstrim(line, " \t\r\n"). */
function trim(s: string): string {
  const blank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  let a = 0;
  let b = s.length;
  while (a < b && blank(s[a])) a++;
  while (b > a && blank(s[b - 1])) b--;
  return s.slice(a, b);
}

/** C atoll: leading blanks, an optional sign, digits; 0 when there are none. */
function atoll(s: string): number {
  let i = 0;
  while (i < s.length && isSpace(s[i])) i++;
  let sign = 1;
  if (s[i] === '+' || s[i] === '-') sign = s[i++] === '-' ? -1 : 1;
  let v = 0;
  while (i < s.length && s[i] >= '0' && s[i] <= '9') v = v * 10 + (s.charCodeAt(i++) - 48);
  return sign * v;
}
