import { FileHandle, open } from 'node:fs/promises';
import { CaptureError } from './errors';
import { filePayload } from './file-payload';
import { PayloadCapture } from './payload-capture';
import { Capture } from './types';

function fileError(path: string, e: unknown): CaptureError {
  const code = (e as { code?: string }).code;
  let what: string;
  switch (code) {
    case 'ENOENT':
      what = 'does not exist';
      break;
    case 'EACCES':
    case 'EPERM':
      what = 'is not readable by this process (check its permissions)';
      break;
    case 'EISDIR':
      what = 'is a directory, not an RDB file';
      break;
    case 'ENOTFILE':
      what = 'is not a regular file';
      break;
    default:
      what = `could not be read (${code ?? String(e)})`;
  }
  return new CaptureError('CAPTURE_FILE', `${path} ${what}: give the path of an RDB file (e.g. a dump.rdb or an RDB exported by a managed service)`, { phase: 'file', path }, { cause: e });
}

/** A capture of an RDB file on disk, for `redis-backup import PATH`. */
export async function captureFile(path: string, options: { signal?: AbortSignal } = {}): Promise<Capture> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw fileError(path, e);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!stat.isFile()) throw Object.assign(new Error('not a regular file'), { code: 'ENOTFILE' });
    return new PayloadCapture(
      { method: 'import', declaredBytes: stat.size, path },
      () => filePayload(handle, (e) => fileError(path, e), options.signal),
      () => handle.close(),
      path,
    );
  } catch (e) {
    await handle.close();
    throw e instanceof CaptureError ? e : fileError(path, e);
  }
}
