import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { localAofSource } from '../../lambdas/restore/aof';
import { AofSource } from '../../lambdas/restore/aof/source';
import { stageFile } from '../../lambdas/restore/aof/stage';
import { AOF_FIXTURES, tempDir } from '../aof/helpers';

/**
 * The temporary copy written while a file is verified: when it cannot be written
 * (here: its open fails, the path being taken, while the source is still being
 * opened) the stage fails with a typed error instead of an uncaught exception.
 */

const fixture = AOF_FIXTURES.find((f) => f.name === 'redis-7.0-aof-preamble-yes')!;

test('the spool file cannot be opened while the source is opened: a typed error, the existing file untouched', async () => {
  const local = await localAofSource(fixture.dir);
  // The source answers late (as a stored object does): the spool's open fails meanwhile.
  const slow: AofSource = { ...local, open: async (f) => sleep(200).then(() => local.open(f)) };
  const t = tempDir();
  try {
    const taken = join(t.dir, 'taken');
    writeFileSync(taken, 'mine');
    const file = slow.files[slow.files.length - 1];
    await expect(stageFile(slow, file, { last: true, spool: true, spoolPath: taken })).rejects.toMatchObject({ code: 'AOF_RESTORE_SPOOL_FAILED', context: { file: file.name } });
    expect(readFileSync(taken, 'utf8')).toBe('mine');
  } finally {
    t.remove();
  }
});
