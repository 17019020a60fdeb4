import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zstdDecompressSync } from 'node:zlib';
import { AofError, encodeCommand } from '../../lambdas/aof';
import { AofFileWriter } from '../../lambdas/backup/aof-file-writer';
import { PIN_DIR_PREFIX, pinMultiPart, pinSingle, removeStalePins, STALE_PIN_MS } from '../../lambdas/capture/aof-pin';
import { CaptureError } from '../../lambdas/capture/errors';
import { AofCaptureFile, readRange } from '../../lambdas/capture/aof-types';
import { PREAMBLE_AOF } from '../aof/helpers';
import { sha256 } from './aof-helpers';

/**
 * The per-file writer: a live file's tail is cut at the last complete command (outside
 * a MULTI) with the cut bytes never stored; without cutting, a truncated tail is kept in
 * the last file and refused in every other; chunk sizes do not matter.
 */

const cmd = (...args: string[]): Buffer => encodeCommand(args.map((a) => Buffer.from(a)));

async function write(file: AofCaptureFile): Promise<{ stored: Buffer; writer: AofFileWriter }> {
  const writer = new AofFileWriter(file, { compressionLevel: 3 });
  const out: Buffer[] = [];
  for await (const b of writer.body()) out.push(b);
  return { stored: Buffer.concat(out), writer };
}

describe('AofFileWriter', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-aof-writer-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function fileOf(data: Buffer, extra: Partial<AofCaptureFile> = {}, chunk?: number): AofCaptureFile {
    const path = join(dir, 'f.aof');
    writeFileSync(path, data);
    const read = chunk === undefined ? (signal?: AbortSignal) => readRange(path, data.length, path, signal) : async function* () {
      for (let i = 0; i < data.length; i += chunk) yield data.subarray(i, i + chunk);
    };
    return { name: 'appendonly.aof.3.incr.aof', type: 'incr', seq: 3, size: data.length, last: true, cutTail: false, read, ...extra };
  }

  const complete = Buffer.concat([cmd('SELECT', '0'), cmd('SET', 'a', '1'), cmd('MULTI'), cmd('INCR', 'n'), cmd('EXEC'), cmd('SET', 'b', 'x'.repeat(1000))]);
  const partial = cmd('SET', 'c', 'y'.repeat(500)).subarray(0, 300);
  const openMulti = Buffer.concat([cmd('MULTI'), cmd('SET', 'd', '1')]);

  test.each([1, 7, 4096, undefined])('cutTail: a command being written is left out (chunks of %s bytes)', async (chunk) => {
    const { stored, writer } = await write(fileOf(Buffer.concat([complete, partial]), { cutTail: true }, chunk));
    const raw = zstdDecompressSync(stored);
    expect(raw.equals(complete)).toBe(true);
    const r = writer.result();
    expect(r.cutBytes).toBe(partial.length);
    expect(r.entry).toMatchObject({ commands: 6, truncatedTail: null, raw: { bytes: complete.length, sha256: sha256(complete) }, stored: { bytes: stored.length, sha256: sha256(stored) } });
  });

  test.each([1, 5, undefined])('cutTail: never ends inside a #TS: annotation line being written (chunks of %s bytes)', async (chunk) => {
    const kept = Buffer.concat([complete, Buffer.from('#TS:1764061200\r\n'), cmd('SET', 'e', '1'), Buffer.from('#TS:1764061201\r\n')]);
    const annotation = Buffer.from('#TS:17640612');
    const { stored, writer } = await write(fileOf(Buffer.concat([kept, annotation]), { cutTail: true }, chunk));
    expect(zstdDecompressSync(stored).equals(kept)).toBe(true);
    expect(writer.result().cutBytes).toBe(annotation.length);
    expect(writer.result().entry.timestamps).toEqual({ first: 1764061200, last: 1764061201 });
  });

  test('cutTail: an open MULTI is left out whole', async () => {
    const { stored, writer } = await write(fileOf(Buffer.concat([complete, openMulti, partial]), { cutTail: true }, 5));
    expect(zstdDecompressSync(stored).equals(complete)).toBe(true);
    expect(writer.result().cutBytes).toBe(openMulti.length + partial.length);
  });

  test('without cutTail, the last file keeps its truncated tail and records it; another file is refused', async () => {
    const data = Buffer.concat([complete, partial]);
    const { stored, writer } = await write(fileOf(data));
    expect(zstdDecompressSync(stored).equals(data)).toBe(true);
    expect(writer.result().entry.truncatedTail).toEqual({ at: complete.length, bytes: partial.length, reason: 'incomplete-command' });
    const err = await write(fileOf(data, { last: false })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AofError);
    expect(err).toMatchObject({ code: 'AOF_TRUNCATED', file: 'appendonly.aof.3.incr.aof', offset: complete.length });
  });

  test('a single file pinned by handle: read up to its size at pin time even as it grows, RDB preamble verified', async () => {
    const path = join(dir, 'appendonly.aof');
    const original = readFileSync(PREAMBLE_AOF);
    writeFileSync(path, Buffer.concat([original, partial]));
    const pinned = await pinSingle(path, 'appendonly.aof');
    try {
      // The server goes on appending (and a rewrite would rename a new file over the name).
      writeFileSync(path, Buffer.concat([original, partial, cmd('SET', 'later', '1')]));
      const { stored, writer } = await write(pinned.files[0]);
      expect(zstdDecompressSync(stored).equals(original)).toBe(true);
      expect(writer.result().rdb).not.toBeNull();
      expect(writer.result().entry.format).toBe('rdb');
    } finally {
      await pinned.release();
    }
  });
});

describe('pin directories', () => {
  test('a pin directory left by a run that died is removed once stale; a recent one is left alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redis-backup-aof-pins-'));
    try {
      const old = join(dir, `${PIN_DIR_PREFIX}old`);
      mkdirSync(old);
      writeFileSync(join(old, 'appendonly.aof.1.incr.aof'), 'x');
      const when = (Date.now() - STALE_PIN_MS - 60_000) / 1000;
      utimesSync(old, when, when);
      mkdirSync(join(dir, `${PIN_DIR_PREFIX}recent`));
      writeFileSync(join(dir, 'appendonly.aof.manifest'), 'file a seq 1 type b\n');
      expect(await removeStalePins(dir)).toEqual([`${PIN_DIR_PREFIX}old`]);
      expect(readdirSync(dir).sort()).toEqual([`${PIN_DIR_PREFIX}recent`, 'appendonly.aof.manifest']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('pinMultiPart', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'redis-backup-aof-pin-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('a file the manifest names vanished (a rewrite moved on): starts over with the new manifest', async () => {
    writeFileSync(join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n');
    writeFileSync(join(dir, 'appendonly.aof.1.incr.aof'), cmd('SET', 'a', '1'));
    // The base is gone; the next manifest (written a little later) names files that exist.
    const later = setTimeout(() => {
      writeFileSync(join(dir, 'appendonly.aof.2.base.aof'), cmd('SET', 'a', '1'));
      writeFileSync(join(dir, 'appendonly.aof.2.incr.aof'), cmd('SET', 'b', '2'));
      // Replaced as Redis does it: a temporary file renamed over the name.
      writeFileSync(join(dir, 'temp-appendonly.aof.manifest'), 'file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.1.base.aof seq 1 type h\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
      renameSync(join(dir, 'temp-appendonly.aof.manifest'), join(dir, 'appendonly.aof.manifest'));
    }, 100);
    try {
      const pinned = await pinMultiPart(dir, 'appendonly.aof.manifest', { retryMs: 20, attempts: 1000 });
      try {
        expect(pinned.attempts).toBeGreaterThan(1);
        expect(pinned.files.map((f) => [f.name, f.type, f.seq, f.cutTail])).toEqual([
          ['appendonly.aof.2.base.aof', 'base', 2, false],
          ['appendonly.aof.2.incr.aof', 'incr', 2, true],
        ]);
        expect(pinned.manifest!.toString()).toBe('file appendonly.aof.2.base.aof seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n');
        expect(readdirSync(dir).filter((n) => n.startsWith(PIN_DIR_PREFIX))).toHaveLength(1);
      } finally {
        await pinned.release();
      }
      expect(readdirSync(dir).filter((n) => n.startsWith(PIN_DIR_PREFIX))).toEqual([]);
    } finally {
      clearTimeout(later);
    }
  });

  test('a manifest whose files never all exist: CAPTURE_AOF_FAILED after the attempts, no pin left', async () => {
    writeFileSync(join(dir, 'appendonly.aof.manifest'), 'file appendonly.aof.1.base.aof seq 1 type b\n');
    const err = await pinMultiPart(dir, 'appendonly.aof.manifest', { retryMs: 1, attempts: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CaptureError);
    expect(err).toMatchObject({ code: 'CAPTURE_AOF_FAILED' });
    expect(readdirSync(dir)).toEqual(['appendonly.aof.manifest']);
  });
});
