import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { AofError, resolveAofSet } from '../aof';
import { missingParts } from '../aof/read-set';
import { withoutHistory } from './aof-manifest-text';
import { AofCapture, AofCaptureFile, readRange } from './aof-types';

function readFailed(path: string, e: unknown): AofError {
  return new AofError('AOF_READ_FAILED', `Cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`, { offset: 0 }, 'Check that the file exists and is readable', { cause: e });
}

/**
 * Opens an existing AOF for import: an `appendonlydir` (or the data directory holding
 * it), its manifest, or an old single `appendonly.aof`. Every base and incr file the
 * manifest names must exist (AOF_FILE_MISSING otherwise); each is read up to the size
 * it had when it was opened, and a truncated tail is kept (and recorded) in the last file.
 */
export async function openAofImport(path: string): Promise<AofCapture> {
  const set = await resolveAofSet(path);
  if (set.missing.length > 0) throw missingParts(set);
  const layout = set.layout;
  const files: AofCaptureFile[] = [];
  for (const part of set.parts) {
    let size: number;
    try {
      size = (await stat(part.path)).size;
    } catch (e) {
      throw readFailed(String(part.path), e);
    }
    const label = String(part.path);
    files.push({ name: part.name, type: part.type, seq: part.seq, size, last: part.last, cutTail: false, read: (signal) => readRange(part.path, size, label, signal) });
  }
  let manifest: Buffer | null = null;
  if (layout.kind === 'multi-part' && set.manifest !== null) {
    try {
      manifest = withoutHistory(await readFile(layout.manifestPath), set.manifest);
    } catch (e) {
      throw readFailed(layout.manifestPath, e);
    }
  }
  const importedFrom = resolve(layout.kind === 'multi-part' ? layout.dir : layout.path);
  return {
    info: { method: 'import', path: importedFrom },
    layout: layout.kind,
    dirName: layout.kind === 'multi-part' ? basename(layout.dir) : null,
    manifestName: layout.kind === 'multi-part' ? layout.manifestName : null,
    manifest,
    files,
    close: () => Promise.resolve(),
  };
}
