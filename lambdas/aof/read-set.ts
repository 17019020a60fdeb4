import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { AofError, truncatedNotLast } from './errors';
import { AofLayout, locateAof, partPath } from './locate';
import { AofManifest, loadOrder, parseManifest } from './manifest';
import { readAofFile, ReadAofFileOptions } from './read-file';
import { AofReadResult, TruncatedTail } from './records';

/** One file of an AOF, in load order. */
export interface AofPart {
  /** Its name in the manifest (or the old single file's name). */
  name: string;
  path: string | Buffer;
  type: 'base' | 'incr' | 'single';
  /** Manifest sequence number (null for an old single file). */
  seq: number | null;
  /** The last file: the only one a truncated tail is acceptable in. */
  last: boolean;
}

export interface AofSet {
  layout: AofLayout;
  manifest: AofManifest | null;
  /** SHA-256 of the manifest file (hex), for multi-part AOFs. */
  manifestSha256: string | null;
  parts: AofPart[];
  /** Base or incr files the manifest lists that do not exist. */
  missing: string[];
}

/**
 * Resolves an AOF's files in load order: the old single file, or the base then the
 * incr files of a manifest (history files are ignored, as Redis does). Throws
 * AOF_MANIFEST_INVALID for a manifest Redis would refuse; lists the base and incr
 * files that are absent in `missing`.
 */
export async function resolveAofSet(pathOrLayout: string | AofLayout): Promise<AofSet> {
  const layout = typeof pathOrLayout === 'string' ? await locateAof(pathOrLayout) : pathOrLayout;
  if (layout.kind === 'single') {
    return { layout, manifest: null, manifestSha256: null, parts: [{ name: layout.name, path: layout.path, type: 'single', seq: null, last: true }], missing: [] };
  }
  let data: Buffer;
  try {
    data = await readFile(layout.manifestPath);
  } catch (e) {
    throw new AofError('AOF_READ_FAILED', `Cannot read ${layout.manifestPath}: ${e instanceof Error ? e.message : String(e)}`, { offset: 0 }, 'Check that the manifest is readable', { cause: e });
  }
  const manifestSha256 = createHash('sha256').update(data).digest('hex');
  const manifest = parseManifest(data, layout.manifestName);
  const order = loadOrder(manifest);
  const parts: AofPart[] = order.map((e, i) => ({ name: e.file, path: partPath(layout.dir, e.file), type: e.type === 'base' ? 'base' : 'incr', seq: e.seq, last: i === order.length - 1 }));
  const missing: string[] = [];
  for (const part of parts) {
    try {
      if (!(await stat(part.path)).isFile()) missing.push(part.name);
    } catch {
      missing.push(part.name);
    }
  }
  return { layout, manifest, manifestSha256, parts, missing };
}

export function describeTail(tail: TruncatedTail): string {
  return tail.reason === 'open-multi' ? `The file ends inside a MULTI that has no EXEC` : `The file ends inside a command`;
}

export interface ReadAofOptions extends ReadAofFileOptions {
  /** Called before the records of each file (each file starts on database 0, as the loader's client does). */
  onFile?: (part: AofPart) => void;
}

export interface ReadAofResult extends AofSet {
  files: Array<{ part: AofPart; size: number; sha256: string; result: AofReadResult }>;
}

/**
 * Reads an AOF as one logical stream: base (RDB or commands) then incr files in
 * order, every record through `onRecord`. Throws the first AofError (naming its
 * file); a truncated tail is accepted in the last file only, as the loader does —
 * the records of an open MULTI there were emitted and are the caller's to drop.
 */
export async function readAof(pathOrLayout: string | AofLayout, options: ReadAofOptions = {}): Promise<ReadAofResult> {
  const set = await resolveAofSet(pathOrLayout);
  if (set.missing.length > 0) throw missingParts(set);
  const files: ReadAofResult['files'] = [];
  for (const part of set.parts) {
    options.onFile?.(part);
    const read = await readAofFile(part.path, { ...options, format: part.type === 'incr' ? 'resp' : 'auto' });
    if (read.error !== null) throw read.error.withFile(part.name);
    const result = read.result!;
    const tail = result.truncatedTail;
    if (tail !== null && !part.last) throw truncatedNotLast(part.name, tail.at, tail.bytes, describeTail(tail));
    files.push({ part, size: read.size, sha256: read.sha256, result });
  }
  return { ...set, files };
}

/** The error for base or incr files the manifest lists but the directory lacks. */
export function missingParts(set: AofSet): AofError {
  const layout = set.layout;
  const name = layout.kind === 'multi-part' ? layout.manifestName : layout.name;
  const dir = layout.kind === 'multi-part' ? layout.dir : layout.path;
  return new AofError(
    'AOF_FILE_MISSING',
    `${name} lists ${set.missing.map((m) => JSON.stringify(m)).join(', ')}, missing from ${dir}`,
    { offset: 0, file: name },
    'Redis refuses to load an AOF with a missing part: copy the whole directory again',
  );
}
