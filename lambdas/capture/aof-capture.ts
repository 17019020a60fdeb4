import { join } from 'node:path';
import { authenticate } from './auth';
import { PinnedAof, pinMultiPart, pinSingle } from './aof-pin';
import { aofDisabledError, configSet, readAofSettings, rewriteAof, waitRewriteIdle } from './aof-server';
import { AofCapture } from './aof-types';
import { RespConnection } from './connection';
import { checkDataDir } from './data-dir';
import { RedisEndpoint } from './endpoint';
import { CaptureError } from './errors';
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

const PAUSED = '0';

/**
 * Restores auto-aof-rewrite-percentage: on the capture's connection, or on a new one
 * when that one failed. Throws CAPTURE_AOF_FAILED, saying what to set by hand, if
 * neither works.
 */
async function restoreRewrites(conn: RespConnection, options: AofCaptureOptions, timeouts: CaptureTimeouts, value: string, earlier: unknown): Promise<void> {
  try {
    await configSet(conn, 'auto-aof-rewrite-percentage', value);
    return;
  } catch {
    // The connection may be gone (a timeout or abort): try a fresh one, without the caller's signal.
  }
  let fresh: RespConnection | null = null;
  try {
    fresh = await RespConnection.open(options.endpoint, timeouts);
    await authenticate(fresh, options.endpoint);
    await configSet(fresh, 'auto-aof-rewrite-percentage', value);
  } catch (e) {
    throw new CaptureError(
      'CAPTURE_AOF_FAILED',
      `Could not restore auto-aof-rewrite-percentage to ${value} on ${conn.target.endpoint} after pausing automatic AOF rewrites (${(e as Error).message}): ` +
        `run CONFIG SET auto-aof-rewrite-percentage ${value} on the server${earlier !== null ? `. The capture had failed first: ${(earlier as Error).message}` : ''}`,
      { endpoint: conn.target.endpoint, phase: 'reply', command: 'CONFIG SET' },
      { cause: earlier ?? e },
    );
  } finally {
    fresh?.close();
  }
}

/**
 * Captures a consistent AOF set from a live server whose data directory is mounted
 * (the bgsave method's setting): reads appendonly/appenddirname/appendfilename and
 * auto-aof-rewrite-percentage (refusing when appendonly is no), pauses automatic
 * rewrites, optionally runs a BGREWRITEAOF, waits for a rewrite in progress, then
 * pins the files the manifest names (re-reading it to make sure it did not change
 * meanwhile) — or, for an old single-file AOF, opens it. The server's setting is
 * restored as soon as the files are pinned, whatever happened; the pins hold the files
 * until the returned capture is closed, so later rewrites cannot delete them.
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
    const original = settings.autoRewritePercentage;
    const pause = original !== undefined && original !== PAUSED;
    let pinned: PinnedAof | null = null;
    let capture: AofCapture | null = null;
    let failure: unknown = null;
    try {
      if (pause) await configSet(conn, 'auto-aof-rewrite-percentage', PAUSED);
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
    // Whatever happened: once pinned, rewrites may run again (the pins hold the files).
    if (pause) {
      try {
        await restoreRewrites(conn, options, timeouts, original, failure);
      } catch (e) {
        failure = e;
      }
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
