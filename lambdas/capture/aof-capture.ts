import { join } from 'node:path';
import { authenticate } from './auth';
import { PinnedAof, pinMultiPart, pinSingle } from './aof-pin';
import { aofDisabledError, readAofSettings, rewriteAof, waitRewriteIdle } from './aof-server';
import { AofCapture } from './aof-types';
import { RespConnection } from './connection';
import { checkDataDir } from './data-dir';
import { RedisEndpoint } from './endpoint';
import { readServerInfo } from './server-info';
import { CaptureTimeouts, DEFAULT_CAPTURE_TIMEOUTS } from './types';

export interface AofCaptureOptions {
  endpoint: RedisEndpoint;
  /** Where the server's data directory (CONFIG GET dir) is mounted. */
  dataDir: string;
  /** Run a BGREWRITEAOF first and wait for it (a compact set: one base, one short incr). Default false. */
  rewrite?: boolean;
  timeouts?: Partial<CaptureTimeouts>;
  /** How often INFO persistence is polled while a rewrite runs (default 200 ms). */
  pollMs?: number;
  /** Force open file handles instead of hard links (tests). */
  handlesOnly?: boolean;
  /** How often pinning is retried when a rewrite changed the manifest meanwhile (default 20). */
  pinAttempts?: number;
  signal?: AbortSignal;
}

/**
 * Captures a consistent AOF set from a live server whose data directory is mounted
 * (the bgsave method's setting): reads appendonly/appenddirname/appendfilename
 * (refusing when appendonly is no), optionally runs a BGREWRITEAOF, waits for a
 * rewrite in progress, then pins the files the manifest names (re-reading it to make
 * sure it did not change meanwhile) — or, for an old single-file AOF, opens it. The
 * server's configuration is never changed; the pins hold the files until the returned
 * capture is closed, so later rewrites cannot delete them.
 */
export async function captureAof(options: AofCaptureOptions): Promise<AofCapture> {
  const timeouts = { ...DEFAULT_CAPTURE_TIMEOUTS, ...options.timeouts };
  const wait = { timeoutMs: timeouts.startMs, pollMs: options.pollMs ?? 200, signal: options.signal };
  await checkDataDir(options.dataDir);
  const conn = await RespConnection.open(options.endpoint, timeouts, options.signal);
  try {
    await authenticate(conn, options.endpoint);
    const server = await readServerInfo(conn);
    const settings = await readAofSettings(conn);
    if (!settings.appendonly) throw aofDisabledError(conn);
    // Automatic rewrites are not paused: the pin-and-recheck loop alone gives a
    // consistent set. A rewrite changes the manifest when it starts (a new incr file)
    // and when it ends (a new base); pinning reads the manifest, pins every file it
    // names and reads it again, starting over if it changed, so the pinned files are
    // exactly one manifest's set. Once pinned (hard links, or open handles) a later
    // rewrite cannot delete them, and the only file still written, the last incr
    // file, is read only up to its size at pinning. Not touching the server's
    // setting means a killed capture can never leave rewrites disabled.
    let pinned: PinnedAof | null = null;
    let capture: AofCapture | null = null;
    let failure: unknown = null;
    try {
      if (options.rewrite) await rewriteAof(conn, wait);
      else await waitRewriteIdle(conn, wait);
      const multiPart = settings.appenddirname !== undefined;
      const aofDir = multiPart ? join(options.dataDir, settings.appenddirname!) : options.dataDir;
      pinned = multiPart
        ? await pinMultiPart(aofDir, `${settings.appendfilename}.manifest`, { attempts: options.pinAttempts, handlesOnly: options.handlesOnly, signal: options.signal })
        : await pinSingle(join(aofDir, settings.appendfilename), settings.appendfilename);
      capture = {
        info: { method: 'bgsave', path: multiPart ? aofDir : join(aofDir, settings.appendfilename), ...(server !== undefined ? { server } : {}) },
        layout: multiPart ? 'multi-part' : 'single',
        dirName: multiPart ? settings.appenddirname! : null,
        manifestName: multiPart ? `${settings.appendfilename}.manifest` : null,
        manifest: pinned.manifest,
        files: pinned.files,
        close: pinned.release,
      };
    } catch (e) {
      failure = e;
    }
    if (failure !== null || capture === null) {
      await pinned?.release();
      throw failure;
    }
    return capture;
  } finally {
    conn.close();
  }
}
