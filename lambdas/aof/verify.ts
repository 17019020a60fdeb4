import { AofError, AofErrorCode, truncatedNotLast } from './errors';
import { AofLimits } from './command-reader';
import { locateAof } from './locate';
import { ManifestEntry } from './manifest';
import { readAofFile } from './read-file';
import { AofPart, AofSet, describeTail, missingParts, resolveAofSet } from './read-set';
import { RdbPartResult, TruncatedTail } from './records';

export interface VerifyAofOptions {
  /** Walk every element of compact encodings in an RDB part (default true). */
  deep?: boolean;
  /** Empty collections in an RDB part: Redis skips them on load; a verifier reports them (default 'error'). */
  emptyKeys?: 'error' | 'skip';
  limits?: Partial<AofLimits>;
  chunkSize?: number;
}

export interface AofProblem {
  code: AofErrorCode;
  message: string;
  file?: string;
  offset?: number;
  okUpTo?: number;
}

export interface AofFileReport {
  name: string;
  type: AofPart['type'];
  seq: number | null;
  size: number;
  sha256: string;
  /** 'rdb': an RDB (preamble or base) then commands; 'resp': commands only. */
  format: 'rdb' | 'resp';
  /** Complete commands before okUpTo (read before the problem, for an invalid file). */
  commands: number;
  timestamps: number;
  /** redis-check-aof's "ok_up_to"; null when the RDB part is invalid (it aborts without one). */
  okUpTo: number | null;
  /** Where redis-check-aof --fix would cut the file (never done here). */
  truncatedTail?: TruncatedTail;
  rdb?: RdbPartResult;
  error?: ReturnType<AofError['toJSON']>;
}

export interface AofVerifyReport {
  ok: boolean;
  path: string;
  kind: 'multi-part' | 'single';
  manifest: { name: string; sha256: string; entries: ManifestEntry[] } | null;
  /** The manifest parses, follows Redis's rules and every base/incr file it lists exists (true for a single file). */
  manifestOk: boolean;
  /** Base then incr files (history files are not read), or the single file. */
  files: AofFileReport[];
  problems: AofProblem[];
  /** Acceptable findings, e.g. a truncated tail in the last file, which Redis drops on load. */
  warnings: string[];
  commands: number;
  bytes: number;
  seconds: number;
}

function problemOf(e: AofError): AofProblem {
  return { code: e.code, message: e.message, file: e.file, offset: e.offset, okUpTo: e.okUpTo };
}

/**
 * Checks an AOF like redis-check-aof, without ever changing a file: the manifest (for a
 * multi-part AOF), every base and incr file (SHA-256 computed, every command
 * well-formed, an RDB part verified by the RDB engine with its CRC) and where a
 * truncated tail would be cut. A truncated tail is acceptable in the last file only,
 * as Redis's loader (aof-load-truncated yes) has it. Every file is checked even after
 * a problem. Throws AOF_NOT_FOUND when there is no AOF at `path`.
 */
export async function verifyAof(path: string, options: VerifyAofOptions = {}): Promise<AofVerifyReport> {
  const started = process.hrtime.bigint();
  const layout = await locateAof(path);
  const report: AofVerifyReport = {
    ok: false,
    path,
    kind: layout.kind,
    manifest: null,
    manifestOk: true,
    files: [],
    problems: [],
    warnings: [],
    commands: 0,
    bytes: 0,
    seconds: 0,
  };
  let set: AofSet | null = null;
  try {
    set = await resolveAofSet(layout);
  } catch (e) {
    if (!(e instanceof AofError)) throw e;
    report.manifestOk = false;
    report.problems.push(problemOf(e));
  }
  if (set !== null) {
    if (set.manifest !== null && layout.kind === 'multi-part') {
      report.manifest = { name: layout.manifestName, sha256: set.manifestSha256 ?? '', entries: set.manifest.entries };
      if (set.parts.length === 0) report.warnings.push(`${layout.manifestName} lists no base or incr file: Redis starts with an empty dataset`);
    }
    if (set.missing.length > 0) {
      report.manifestOk = false;
      report.problems.push(problemOf(missingParts(set)));
    }
    for (const part of set.parts) {
      if (set.missing.includes(part.name)) continue;
      const file = await verifyPart(part, options, report);
      report.files.push(file);
      report.commands += file.commands;
      report.bytes += file.size;
    }
  }
  report.ok = report.problems.length === 0;
  report.seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return report;
}

async function verifyPart(part: AofPart, options: VerifyAofOptions, report: AofVerifyReport): Promise<AofFileReport> {
  let timestamps = 0;
  let sawRdb = false;
  const read = await readAofFile(part.path, {
    format: part.type === 'incr' ? 'resp' : 'auto',
    limits: options.limits,
    chunkSize: options.chunkSize,
    rdb: { deep: options.deep, emptyKeys: options.emptyKeys },
    // Commands are only counted: their arguments are never materialised, and the
    // read buffers are reused (nothing is kept), so memory stays flat.
    commandRecords: false,
    transientInput: true,
    onRecord: (r) => {
      if (r.kind === 'timestamp') timestamps++;
      else if (r.kind === 'rdb') sawRdb = true;
    },
  });
  const file: AofFileReport = {
    name: part.name,
    type: part.type,
    seq: part.seq,
    size: read.size,
    sha256: read.sha256,
    format: read.result?.format ?? (sawRdb || read.error?.code === 'AOF_RDB_INVALID' || read.error?.code === 'AOF_RDB_UNSUPPORTED' ? 'rdb' : 'resp'),
    commands: read.result?.commands ?? read.commands,
    timestamps,
    okUpTo: read.result?.okUpTo ?? read.error?.okUpTo ?? null,
  };
  if (read.error !== null) {
    const e = read.error.withFile(part.name);
    file.error = e.toJSON();
    report.problems.push(problemOf(e));
    return file;
  }
  const result = read.result!;
  if (result.rdb !== null) file.rdb = result.rdb;
  const tail = result.truncatedTail;
  if (tail !== null) {
    file.truncatedTail = tail;
    if (part.last) {
      report.warnings.push(
        `${part.name}: ${describeTail(tail)}: the last ${tail.bytes} bytes from byte ${tail.at}. Redis (aof-load-truncated yes) drops them on load; redis-check-aof --fix would truncate the file to ${tail.at} bytes`,
      );
    } else {
      report.problems.push(problemOf(truncatedNotLast(part.name, tail.at, tail.bytes, describeTail(tail))));
    }
  }
  return file;
}
