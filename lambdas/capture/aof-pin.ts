import { link, mkdtemp, open, readdir, readFile, rm, stat, FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AofError, AofManifest, loadOrder, parseManifest } from '../aof';
import { partPath } from '../aof/locate';
import { withoutHistory } from './aof-manifest-text';
import { AofCaptureFile, readRange } from './aof-types';
import { abortedError, CaptureError } from './errors';

/**
 * Pinning the files of a live AOF so a rewrite cannot delete them while they are
 * copied: hard links in a private subdirectory of the AOF directory, or, where links
 * cannot be made (a read-only mount, a file system without them), open file handles.
 */

export interface PinnedAof {
  /** The manifest bytes to store (history entries dropped); null for a single file. */
  manifest: Buffer | null;
  files: AofCaptureFile[];
  /** 'link' (hard links) or 'handle' (open file handles). */
  how: 'link' | 'handle';
  /** Attempts it took to read the same manifest before and after pinning. */
  attempts: number;
  /** Removes the links or closes the handles (idempotent, never throws). */
  release(): Promise<void>;
}

export interface PinOptions {
  /** How often to retry when the manifest changed while pinning (default 20). */
  attempts?: number;
  /** Wait between attempts (default 50 ms). */
  retryMs?: number;
  /** Force open handles instead of hard links (tests). */
  handlesOnly?: boolean;
  signal?: AbortSignal;
}

const code = (e: unknown): string | undefined => (e as { code?: string }).code;

/** The prefix of pin directories inside the AOF directory. */
export const PIN_DIR_PREFIX = '.redis-backup-pin-';

/** Pin directories older than this are left over by a run that died: their links only hold disk space. */
export const STALE_PIN_MS = 24 * 3_600_000;

/** Removes pin directories a run that died left behind (older than `maxAgeMs`); returns their names. Never throws. */
export async function removeStalePins(aofDir: string, maxAgeMs = STALE_PIN_MS, now = Date.now()): Promise<string[]> {
  const removed: string[] = [];
  try {
    for (const name of await readdir(aofDir)) {
      if (!name.startsWith(PIN_DIR_PREFIX)) continue;
      const path = join(aofDir, name);
      const s = await stat(path).catch(() => null);
      if (s === null || !s.isDirectory() || now - s.mtimeMs < maxAgeMs) continue;
      await rm(path, { recursive: true, force: true });
      removed.push(name);
    }
  } catch {
    // A read-only or unreadable directory: nothing to clean (or nothing we may clean).
  }
  return removed;
}

function pinError(message: string, path: string, cause?: unknown): CaptureError {
  return new CaptureError('CAPTURE_DATA_DIR', message, { phase: 'pin', path }, { cause });
}

async function readManifestBytes(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (e) {
    const what = code(e) === 'ENOENT' ? 'does not exist' : `cannot be read (${code(e) ?? String(e)})`;
    throw pinError(
      `The AOF manifest ${path} ${what}: is --data-dir the server's data directory (CONFIG GET dir), mounted readable here, and appenddirname/appendfilename right?`,
      path,
      e,
    );
  }
}

/** One pinned file: a path to read (a hard link) or an open handle. */
type Pin = { path: string | Buffer } | { handle: FileHandle };

class PinSet {
  readonly pins: Pin[] = [];
  private dir: string | null = null;

  constructor(
    private readonly aofDir: string,
    private readonly how: 'link' | 'handle',
  ) {}

  async add(source: string | Buffer, name: string): Promise<Pin> {
    let pin: Pin;
    if (this.how === 'link') {
      this.dir ??= await mkdtemp(join(this.aofDir, PIN_DIR_PREFIX));
      const target = partPath(this.dir, name);
      await link(source, target);
      pin = { path: target };
    } else {
      pin = { handle: await open(source, 'r') };
    }
    this.pins.push(pin);
    return pin;
  }

  async release(): Promise<void> {
    for (const pin of this.pins.splice(0)) if ('handle' in pin) await pin.handle.close().catch(() => undefined);
    if (this.dir !== null) await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
    this.dir = null;
  }
}

async function sizeOf(pin: Pin): Promise<number> {
  return 'handle' in pin ? (await pin.handle.stat()).size : (await stat(pin.path)).size;
}

function readerOf(pin: Pin, size: number, label: string): AofCaptureFile['read'] {
  return (signal) => readRange('handle' in pin ? pin.handle : pin.path, size, label, signal);
}

/** Links cannot be made here (read-only mount, no hard links): pin with open handles instead. */
const linkImpossible = (e: unknown): boolean => ['EPERM', 'EACCES', 'EROFS', 'ENOTSUP', 'EOPNOTSUPP', 'EXDEV', 'EMLINK'].includes(code(e) ?? '');

/**
 * Pins a multi-part AOF: reads the manifest, pins every base and incr file it names,
 * then reads the manifest again; if it changed (a rewrite moved on) or a file vanished
 * meanwhile, unpins and tries again. The last incr file's size at pin time bounds what
 * is read of it, and its tail is cut at the last complete command.
 */
export async function pinMultiPart(aofDir: string, manifestName: string, options: PinOptions = {}): Promise<PinnedAof> {
  const attempts = options.attempts ?? 20;
  const manifestPath = join(aofDir, manifestName);
  await removeStalePins(aofDir);
  let how: 'link' | 'handle' = options.handlesOnly ? 'handle' : 'link';
  for (let attempt = 1; attempt <= attempts; attempt++) {
    if (options.signal?.aborted) throw abortedError(undefined, options.signal.reason);
    const before = await readManifestBytes(manifestPath);
    let manifest: AofManifest;
    try {
      manifest = parseManifest(before, manifestName);
    } catch (e) {
      // A manifest being replaced is written to a temp file and renamed: a bad one is really bad.
      if (e instanceof AofError) throw e.withFile(manifestPath);
      throw e;
    }
    const order = loadOrder(manifest);
    const pins = new PinSet(aofDir, how);
    let vanished = false;
    try {
      for (const entry of order) {
        try {
          await pins.add(partPath(aofDir, entry.file), entry.file);
        } catch (e) {
          if (code(e) === 'ENOENT') {
            vanished = true;
            break;
          }
          if (how === 'link' && linkImpossible(e)) {
            how = 'handle';
            vanished = true; // start again with handles
            break;
          }
          throw pinError(`Pinning ${join(aofDir, entry.file)} failed (${code(e) ?? String(e)}): check the mount and its permissions`, aofDir, e);
        }
      }
      const after = vanished ? null : await readManifestBytes(manifestPath);
      if (after !== null && after.equals(before)) {
        const files: AofCaptureFile[] = [];
        for (let i = 0; i < order.length; i++) {
          const entry = order[i];
          const last = i === order.length - 1;
          const size = await sizeOf(pins.pins[i]);
          const label = join(aofDir, entry.file);
          files.push({ name: entry.file, type: entry.type === 'base' ? 'base' : 'incr', seq: entry.seq, size, last, cutTail: last && entry.type === 'incr', read: readerOf(pins.pins[i], size, label) });
        }
        return { manifest: withoutHistory(before, manifest), files, how, attempts: attempt, release: () => pins.release() };
      }
    } catch (e) {
      await pins.release();
      throw e;
    }
    await pins.release();
    try {
      await sleep(options.retryMs ?? 50, undefined, { signal: options.signal });
    } catch (e) {
      throw abortedError(undefined, e);
    }
  }
  throw new CaptureError(
    'CAPTURE_AOF_FAILED',
    `The AOF manifest ${manifestPath} changed every time its files were pinned (${attempts} attempts): rewrites keep running. Retry when the server is quieter, or raise the attempts`,
    { phase: 'pin', path: manifestPath },
  );
}

/**
 * Pins an old single-file AOF (Redis < 7) with an open handle: a rewrite renames a new
 * file over the name, which cannot change the file already open. Its size now bounds
 * what is read, cut at the last complete command.
 */
export async function pinSingle(path: string, name: string): Promise<PinnedAof> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    const what = code(e) === 'ENOENT' ? 'does not exist' : `cannot be read (${code(e) ?? String(e)})`;
    throw pinError(`The AOF ${path} ${what}: is --data-dir the server's data directory (CONFIG GET dir), mounted readable here?`, path, e);
  }
  let size: number;
  try {
    size = (await handle.stat()).size;
  } catch (e) {
    await handle.close().catch(() => undefined);
    throw pinError(`The AOF ${path} cannot be read (${code(e) ?? String(e)}): is --data-dir the server's data directory (CONFIG GET dir), mounted readable here?`, path, e);
  }
  let closed = false;
  return {
    manifest: null,
    files: [{ name, type: 'single', seq: null, size, last: true, cutTail: true, read: (signal) => readRange(handle, size, path, signal) }],
    how: 'handle',
    attempts: 1,
    release: async () => {
      if (closed) return;
      closed = true;
      await handle.close().catch(() => undefined);
    },
  };
}
