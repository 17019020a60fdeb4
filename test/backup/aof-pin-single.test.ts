import { mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeCommand } from '../../lambdas/aof';
import { pinSingle } from '../../lambdas/capture/aof-pin';

/**
 * pinSingle's handle is closed when the pin fails after the open. A stat of an open
 * descriptor does not fail on a real file system, so that one fault is injected on
 * the FileHandle prototype (the file and its open are real).
 */

/** This process's descriptors open on `path` (Linux /proc). */
function openDescriptorsOf(path: string): string[] {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === path;
    } catch {
      return false;
    }
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'redis-backup-aof-pin-single-'));
});
afterEach(() => {
  jest.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

test('stat of the opened AOF fails: a typed error, and the handle is closed', async () => {
  const path = join(dir, 'appendonly.aof');
  writeFileSync(path, encodeCommand(['SET', 'a', '1']));
  const probe = await open(path, 'r');
  const proto = Object.getPrototypeOf(probe) as { stat: () => Promise<unknown> };
  await probe.close();
  jest.spyOn(proto, 'stat').mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fstat'), { code: 'EIO' }));
  await expect(pinSingle(path, 'appendonly.aof')).rejects.toMatchObject({ code: 'CAPTURE_DATA_DIR', context: { phase: 'pin', path } });
  expect(openDescriptorsOf(path)).toEqual([]);
});
