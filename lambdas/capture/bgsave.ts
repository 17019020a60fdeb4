import { join } from 'node:path';
import { authenticate } from './auth';
import { runBgsave } from './bgsave-run';
import { RespConnection } from './connection';
import { checkDataDir, openSavedRdb, staleRdbError } from './data-dir';
import { CaptureError } from './errors';
import { filePayload } from './file-payload';
import { PayloadCapture } from './payload-capture';
import { configGet } from './persistence';
import { readRdbCtime } from './rdb-ctime';
import { readServerInfo } from './server-info';
import { BgsaveCaptureOptions, Capture, CaptureInfo, DEFAULT_CAPTURE_TIMEOUTS } from './types';

/**
 * Captures by asking the server for a BGSAVE and reading the file it wrote from
 * the mounted data directory. The file is opened as soon as the save is known to
 * have finished: a later save renames a new file over the name, which cannot
 * change a file already open. The head's `ctime` proves the file comes from a
 * save that started after the request.
 */
export async function captureBgsave(options: BgsaveCaptureOptions): Promise<Capture> {
  const timeouts = { ...DEFAULT_CAPTURE_TIMEOUTS, ...options.timeouts };
  await checkDataDir(options.dataDir);
  const conn = await RespConnection.open(options.endpoint, timeouts, options.signal);
  try {
    await authenticate(conn, options.endpoint);
    const server = await readServerInfo(conn);
    const dbfilename = options.dbfilename ?? (await configGet(conn, 'dbfilename')) ?? 'dump.rdb';
    const serverDir = await configGet(conn, 'dir');
    const done = await runBgsave(conn, { timeoutMs: timeouts.startMs, pollMs: options.pollMs ?? 200, signal: options.signal });
    const path = join(options.dataDir, dbfilename);
    const handle = await openSavedRdb(path, serverDir);
    try {
      const size = (await handle.stat()).size;
      const ctime = await readRdbCtime(handle);
      if (ctime !== null && ctime < done.requestedAt) throw staleRdbError(path, ctime, done.requestedAt, serverDir);
      const info: CaptureInfo = { method: 'bgsave', declaredBytes: size, path };
      if (server !== undefined) info.server = server;
      const onError = (e: unknown): CaptureError =>
        new CaptureError('CAPTURE_DATA_DIR', `Reading ${path} failed (${(e as { code?: string }).code ?? String(e)}); retry the capture`, { phase: 'file', path }, { cause: e });
      return new PayloadCapture(info, () => filePayload(handle, onError, options.signal), () => handle.close(), path);
    } catch (e) {
      await handle.close();
      throw e;
    }
  } finally {
    conn.close();
  }
}
