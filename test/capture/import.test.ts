import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { captureFile } from '../../lambdas/capture';
import { FIXTURES_DIR } from '../helpers/fixtures';
import { captureFailure, collect } from './helpers';

const FIXTURE = join(FIXTURES_DIR, 'valkey-8.0-types.rdb');

test('an RDB file is streamed byte for byte', async () => {
  const capture = await captureFile(FIXTURE);
  const bytes = readFileSync(FIXTURE);
  expect(capture.info).toEqual({ method: 'import', path: FIXTURE, declaredBytes: bytes.length });
  const payload = await collect(capture);
  expect(payload.equals(bytes)).toBe(true);
});

test('the payload can be read once, and not after close()', async () => {
  const capture = await captureFile(FIXTURE);
  await collect(capture);
  expect(() => capture.payload[Symbol.asyncIterator]()).toThrow(/only once/);
  const closed = await captureFile(FIXTURE);
  await closed.close();
  await closed.close(); // idempotent
  await captureFailure(() => collect(closed), 'CAPTURE_ABORTED');
});

test('a missing path or a directory: CAPTURE_FILE', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'capture-import-'));
  try {
    const missing = await captureFailure(() => captureFile(join(dir, 'nope.rdb')), 'CAPTURE_FILE');
    expect(missing.message).toContain('does not exist');
    expect(missing.context.path).toBe(join(dir, 'nope.rdb'));
    const directory = await captureFailure(() => captureFile(dir), 'CAPTURE_FILE');
    expect(directory.message).toContain('is a directory');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
