import { FileHandle, open, stat } from 'node:fs/promises';
import { CaptureError } from './errors';

/** Errors about the mounted data directory of the bgsave method. */

function dataDirError(message: string, path: string, cause?: unknown): CaptureError {
  return new CaptureError('CAPTURE_DATA_DIR', message, { phase: 'file', path }, { cause });
}

const serverDirNote = (serverDir: string | undefined): string =>
  serverDir !== undefined ? ` (the server's CONFIG GET dir is ${JSON.stringify(serverDir)})` : '';

/** Fails early, before forcing a save, when the data directory is not there. */
export async function checkDataDir(dir: string): Promise<void> {
  try {
    const s = await stat(dir);
    if (s.isDirectory()) return;
    throw dataDirError(`--data-dir ${dir} is not a directory: give the directory where the server's data directory is mounted`, dir);
  } catch (e) {
    if (e instanceof CaptureError) throw e;
    throw dataDirError(
      `--data-dir ${dir} cannot be read (${(e as { code?: string }).code ?? String(e)}): mount the server's data directory there (an EFS access point in AWS)`,
      dir,
      e,
    );
  }
}

/** Opens the RDB the save wrote; missing or unreadable files are CAPTURE_DATA_DIR. */
export async function openSavedRdb(path: string, serverDir: string | undefined): Promise<FileHandle> {
  try {
    return await open(path, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const what = code === 'ENOENT' ? 'does not exist' : `cannot be read (${code ?? String(e)})`;
    throw dataDirError(
      `The save finished but ${path} ${what}: is the data directory the server's${serverDirNote(serverDir)}, and dbfilename right? ` +
        'Mount the server\'s data directory there readable by this process, or set dbfilename',
      path,
      e,
    );
  }
}

/** The file predates the save we asked for: the directory is not the one the server writes. */
export function staleRdbError(path: string, ctime: number, requestedAt: number, serverDir: string | undefined): CaptureError {
  return dataDirError(
    `${path} was written by a save that started at ${new Date(ctime * 1000).toISOString()}, before the save requested at ` +
      `${new Date(requestedAt * 1000).toISOString()} (server clock): the data directory is not where the server writes${serverDirNote(serverDir)}. ` +
      'Mount the server\'s data directory, or set dbfilename',
    path,
  );
}
