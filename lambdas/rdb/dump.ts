import { Crc64 } from './crc64';
import type { DumpCrcBatch } from './dump-crc-batch';
import { corrupt } from './errors';

/**
 * Builds a DUMP/RESTORE payload: the type byte, the serialized value, the RDB
 * version as u16 little-endian, then CRC-64 of all of that, little-endian.
 */
export function buildDumpPayload(typeId: number, value: Uint8Array, rdbVersion: number): Buffer {
  const out = Buffer.allocUnsafe(value.length + 11);
  writeDumpPayload(typeId, value, 0, value.length, rdbVersion, out, 0);
  return out;
}

/** Copies shorter than this are a plain loop (a native copy costs more for a few bytes). */
const LOOP_COPY_MAX = 48;
const scratchCrc = new Crc64();

/**
 * Writes the DUMP payload of the value `src[start, end)` into `out` at `pos` (it needs
 * end - start + 11 bytes), computing the CRC-64 there, in place. Returns where it ends.
 * With `crcs`, a short payload's CRC may be left to `crcs.finish(out)` instead.
 */
export function writeDumpPayload(typeId: number, src: Uint8Array, start: number, end: number, rdbVersion: number, out: Buffer, pos: number, crcs?: DumpCrcBatch): number {
  out[pos] = typeId;
  let p = pos + 1;
  const n = end - start;
  if (n < LOOP_COPY_MAX) {
    for (let i = start; i < end; i++) out[p++] = src[i];
  } else {
    out.set(src.subarray(start, end), p);
    p += n;
  }
  out[p] = rdbVersion & 0xff;
  out[p + 1] = (rdbVersion >>> 8) & 0xff;
  p += 2;
  if (crcs === undefined || !crcs.defer(pos, p)) scratchCrc.reset().update(out, pos, p).writeLE(out, p);
  return p + 8;
}

export interface ParsedDumpPayload {
  body: Buffer;
  rdbVersion: number;
  checksumOk: boolean;
}

/** Splits a DUMP payload into body and footer and checks its CRC. */
export function parseDumpPayload(payload: Buffer): ParsedDumpPayload {
  if (payload.length < 11) throw corrupt(`DUMP payload of ${payload.length} bytes is too short`, 0);
  const bodyEnd = payload.length - 10;
  const crc = new Crc64().update(payload, 0, bodyEnd + 2);
  return {
    body: payload.subarray(0, bodyEnd),
    rdbVersion: payload.readUInt16LE(bodyEnd),
    checksumOk: crc.matchesLE(payload, bodyEnd + 2),
  };
}
