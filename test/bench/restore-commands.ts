import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { Writable } from 'node:stream';
import { RdbEntry } from '../../lambdas/rdb/entry';
import { readRdbFile } from '../../lambdas/rdb/read-stream';
import { RespArg, RespWriter } from './resp';

/** What the RESTORE command file holds. */
export interface RestoreCommandsFile {
  path: string;
  /** Commands in the file (SELECTs included): redis-cli --pipe must report as many replies. */
  commands: number;
  keys: number;
  selects: number;
  /** Keys skipped because they had already expired (the restore skips them too). */
  skippedExpired: number;
  /** Sum of the DUMP payload sizes (what RESTORE deserializes). */
  payloadBytes: number;
  fileBytes: number;
  /** Records that are not keys (functions, module aux) and have no RESTORE equivalent here. */
  otherRecords: number;
  seconds: number;
}

/** A Writable that writes each chunk synchronously to `fd`: the generator never runs ahead of the disk. */
function syncFileWritable(fd: number): Writable {
  return new Writable({
    highWaterMark: 64 << 20,
    write(chunk: Buffer, _encoding, callback): void {
      try {
        for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off, chunk.length - off);
        callback();
      } catch (e) {
        callback(e as Error);
      }
    },
  });
}

/**
 * Writes the RESTORE commands equivalent to what a load restore sends for `rdbPath`, as RESP,
 * to `outPath`: a SELECT whenever the database changes, then per key
 * `RESTORE key ttl payload [ABSTTL] [IDLETIME n | FREQ n]` with the engine's own DUMP payload
 * (`entry.dumpPayload()`, the file's RDB version in the footer) and the absolute expiry.
 */
export async function writeRestoreCommands(rdbPath: string, outPath: string, now = Date.now()): Promise<RestoreCommandsFile> {
  const t0 = performance.now();
  const fd = openSync(outPath, 'w');
  const out = syncFileWritable(fd);
  const w = new RespWriter(out);
  let db = -1;
  let keys = 0;
  let selects = 0;
  let skippedExpired = 0;
  let payloadBytes = 0;
  let otherRecords = 0;
  const restore = (entry: RdbEntry): void => {
    if (entry.expireAtMs !== null && entry.expireAtMs <= now) {
      skippedExpired++;
      return;
    }
    if (entry.db !== db) {
      db = entry.db;
      w.command(['SELECT', db]);
      selects++;
    }
    const payload = entry.dumpPayload();
    payloadBytes += payload.length;
    const args: RespArg[] = ['RESTORE', entry.key, entry.expireAtMs ?? 0, payload];
    if (entry.expireAtMs !== null) args.push('ABSTTL');
    if (entry.idle !== null) args.push('IDLETIME', entry.idle);
    else if (entry.freq !== null) args.push('FREQ', entry.freq);
    w.command(args);
    keys++;
  };
  try {
    await readRdbFile(rdbPath, {
      onRecord: (r) => {
        if (r.kind === 'entry') restore(r.entry);
        else if (r.kind === 'function' || r.kind === 'module-aux') otherRecords++;
      },
    });
    await w.end();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return { path: outPath, commands: w.commands, keys, selects, skippedExpired, payloadBytes, fileBytes: w.bytesOut, otherRecords, seconds: (performance.now() - t0) / 1000 };
}
